"""The class's predictions: one row per (lesson, step, browser) in a small table of the runs database.

A prediction is stored before the outcome is shown; saying it again replaces it. The teacher view reads
the counts of every answer of a step.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from plm_core.errors import PLMError

SCHEMA = """
CREATE TABLE IF NOT EXISTS lesson_predictions (
    lesson     TEXT NOT NULL,
    step       INTEGER NOT NULL,
    owner      TEXT NOT NULL,
    value      TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (lesson, step, owner)
);
"""
MAX_VALUE_CHARS = 80  # a word or a number: anything longer is cut


def _connect(path: Path | None) -> sqlite3.Connection:
    from plm_core.paths import open_sqlite, runs_db_path

    return open_sqlite(path or runs_db_path(), SCHEMA)


def save_prediction(lesson: str, step: int, owner: str, value: str, path: Path | None = None) -> None:
    """Store (or replace) this browser's prediction for one step."""
    text = str(value).strip()[:MAX_VALUE_CHARS]
    if not text:
        raise PLMError("lessons.err.empty_prediction")
    try:
        with closing(_connect(path)) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO lesson_predictions VALUES (?, ?, ?, ?, ?)",
                         (lesson, int(step), owner, text, time.time()))
    except sqlite3.Error as err:
        raise PLMError("lessons.err.prediction_write", detail=str(err)[:200]) from None


def get_prediction(lesson: str, step: int, owner: str, path: Path | None = None) -> str | None:
    with closing(_connect(path)) as conn:
        row = conn.execute("SELECT value FROM lesson_predictions WHERE lesson = ? AND step = ? AND owner = ?",
                           (lesson, int(step), owner)).fetchone()
    return str(row[0]) if row else None


def class_counts(lesson: str, step: int, path: Path | None = None) -> dict[str, int]:
    """Answer -> how many browsers gave it, most frequent first (answers compared case-insensitively)."""
    with closing(_connect(path)) as conn:
        rows = conn.execute("SELECT lower(value), count(*) FROM lesson_predictions WHERE lesson = ? AND step = ? "
                            "GROUP BY lower(value) ORDER BY count(*) DESC, lower(value)",
                            (lesson, int(step))).fetchall()
    return {str(v): int(n) for v, n in rows}
