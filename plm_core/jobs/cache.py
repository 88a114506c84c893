"""The result cache: finished jobs by cache key, in the runs database (SQLite, its own table).

A hit returns the stored result with when, where and how long it was computed. A failed read is a miss;
a failed write raises `PLMError("jobs.err.cache_write")`, which the service reports as a warning.
"""

from __future__ import annotations

import pickle
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plm_core.errors import PLMError

SCHEMA = """
CREATE TABLE IF NOT EXISTS job_results (
    key          TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    computed_at  REAL NOT NULL,
    computed_on  TEXT NOT NULL,
    seconds      REAL NOT NULL,
    saved        TEXT NOT NULL,
    result       BLOB NOT NULL
);
"""


@dataclass
class CachedResult:
    result: Any
    computed_at: float
    computed_on: str
    seconds: float
    saved: list[int] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)  # the partial results as they arrived (curve points, rows)
    state: Any = None  # the last live view


class ResultCache:
    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path).expanduser() if path else None

    @property
    def path(self) -> Path:
        """The runs database (PLM_LAB_RUNS_DB is read at each use, so tests and settings can move it)."""
        from plm_core.paths import runs_db_path

        return self._path or runs_db_path()

    def _connect(self) -> sqlite3.Connection:
        from plm_core.paths import open_sqlite

        return open_sqlite(self.path, SCHEMA)

    def get(self, key: str) -> CachedResult | None:
        try:
            with closing(self._connect()) as conn:
                row = conn.execute("SELECT result, computed_at, computed_on, seconds, saved FROM job_results "
                                   "WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            saved = [int(x) for x in row[4].split(",") if x]
            result, items, state = pickle.loads(row[0])  # noqa: S301 - our own DB
            return CachedResult(result, row[1], row[2], row[3], saved, items, state)
        except Exception:  # noqa: BLE001 - an unreadable cache (corrupt, stale classes) is a miss
            return None

    def put(self, key: str, kind: str, entry: CachedResult) -> None:
        try:
            blob = pickle.dumps((entry.result, entry.items, entry.state), protocol=pickle.HIGHEST_PROTOCOL)
            with closing(self._connect()) as conn, conn:
                conn.execute("INSERT OR REPLACE INTO job_results VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (key, kind, entry.computed_at, entry.computed_on, entry.seconds,
                              ",".join(map(str, entry.saved)), blob))
        except Exception as err:  # noqa: BLE001 - reported as "not cached", never loses the result
            raise PLMError("jobs.err.cache_write", path=str(self.path), detail=str(err)[:200]) from None

    def clear(self) -> int:
        with closing(self._connect()) as conn, conn:
            return int(conn.execute("DELETE FROM job_results").rowcount)


def now() -> float:
    return time.time()
