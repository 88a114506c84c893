"""A class session: one teacher, a projector and the students' phones, all in three small SQLite tables.

    session, key = start_class("2-transfer")         # the teacher's browser keeps `key` (only its hash is stored)
    join(session.code, member_id, "Mina")            # a student, by the join code (QR, link or typed)
    move(session.code, key, 3)                       # teacher only: the class's step (students follow it)
    predict(session.code, 3, member_id, "finetune")  # one prediction per student per step, until the reveal
    reveal(session.code, key, 3)                     # teacher only: the class's answers and the outcome show

Every teacher-only action (end, move, reveal, clear, prepare, the teacher view, run again live) is checked here
against the teacher key, not just hidden in the UI: a student's request raises `PLMError` and changes nothing.
The rows live in the runs database (or `path`), so a class survives a server restart; several run at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from plm_core.errors import PLMError

# no look-alikes: 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V are left out
CODE_ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 5
MAX_NAME_CHARS = 24
MAX_VALUE_CHARS = 80
TeacherAction = Literal["end", "move", "reveal", "clear", "prepare", "teacher_view", "run_live"]
TEACHER_ACTIONS: tuple[str, ...] = ("end", "move", "reveal", "clear", "prepare", "teacher_view", "run_live")

SCHEMA = """
CREATE TABLE IF NOT EXISTS class_sessions (
    code        TEXT PRIMARY KEY,
    lesson      TEXT NOT NULL,
    step        INTEGER NOT NULL DEFAULT 0,
    teacher     TEXT NOT NULL,              -- sha256 of the teacher key
    created_at  REAL NOT NULL,
    moved_at    REAL NOT NULL,
    ended_at    REAL
);
CREATE TABLE IF NOT EXISTS class_reveals (
    code        TEXT NOT NULL,
    step        INTEGER NOT NULL,
    revealed_at REAL NOT NULL,
    PRIMARY KEY (code, step)
);
CREATE TABLE IF NOT EXISTS class_members (
    code        TEXT NOT NULL,
    member      TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    joined_at   REAL NOT NULL,
    PRIMARY KEY (code, member)
);
CREATE TABLE IF NOT EXISTS class_predictions (
    code        TEXT NOT NULL,
    step        INTEGER NOT NULL,
    member      TEXT NOT NULL,
    value       TEXT NOT NULL,
    created_at  REAL NOT NULL,
    PRIMARY KEY (code, step, member)
);
"""


@dataclass(frozen=True)
class ClassState:
    """One class, as a student's poll reads it (one small row and the steps revealed so far)."""

    code: str
    lesson: str  # lesson id, e.g. "2-transfer"
    step: int  # the class's step, from 0
    revealed: frozenset[int]  # steps whose answers and outcome are shown
    created_at: float
    moved_at: float  # when the teacher last moved the step (unix time)
    ended_at: float | None = None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


@dataclass(frozen=True)
class Member:
    member: str
    name: str  # '' = anonymous
    joined_at: float


# ---- storage --------------------------------------------------------------------------------------------
@contextmanager
def _db(path: Path | None, write: bool = False) -> Iterator[sqlite3.Connection]:
    from plm_core.paths import open_sqlite, runs_db_path

    try:
        with closing(open_sqlite(path or runs_db_path(), SCHEMA)) as conn:
            if write:
                with conn:
                    yield conn
            else:
                yield conn
    except sqlite3.Error as err:
        raise PLMError("classroom.err.db", detail=str(err)[:200]) from None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def normalize_code(text: str) -> str:
    """What a student typed -> the code: upper case, spaces and dashes dropped ("ak 3-7x" -> "AK37X")."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def new_code(taken: set[str] | None = None) -> str:
    """A fresh join code of CODE_LENGTH characters from CODE_ALPHABET."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not taken or code not in taken:
            return code


# ---- the teacher --------------------------------------------------------------------------------------
def start_class(lesson: str, path: Path | None = None) -> tuple[ClassState, str]:
    """A new class on `lesson` (an id); returns it and the teacher key, which only the teacher's browser keeps."""
    from plm_core.lessons.model import get_lesson

    lesson_id = get_lesson(lesson).id
    key, now = secrets.token_urlsafe(24), time.time()
    with _db(path, write=True) as conn:
        taken = {str(r[0]) for r in conn.execute("SELECT code FROM class_sessions WHERE ended_at IS NULL")}
        code = new_code(taken)
        conn.execute("DELETE FROM class_sessions WHERE code = ?", (code,))  # an ended class's old code
        for table in ("class_reveals", "class_members", "class_predictions"):
            conn.execute(f"DELETE FROM {table} WHERE code = ?", (code,))
        conn.execute("INSERT INTO class_sessions VALUES (?, ?, 0, ?, ?, ?, NULL)", (code, lesson_id, _hash(key), now,
                                                                                     now))
    return get_class(code, path), key


def is_teacher(code: str, key: str | None, path: Path | None = None) -> bool:
    """Does `key` open `code`'s teacher-only actions? (Compared by hash, in constant time.)"""
    if not key:
        return False
    with _db(path) as conn:
        row = conn.execute("SELECT teacher FROM class_sessions WHERE code = ?", (normalize_code(code),)).fetchone()
    return row is not None and hmac.compare_digest(str(row[0]), _hash(key))


def require_teacher(code: str, key: str | None, action: TeacherAction, path: Path | None = None) -> ClassState:
    """The class, when `key` is its teacher's; otherwise a PLMError naming the action (nothing changes)."""
    state = get_class(code, path)
    if not is_teacher(state.code, key, path):
        raise PLMError(f"classroom.err.only.{action}")
    return state


def _live(state: ClassState) -> ClassState:
    if state.ended:
        raise PLMError("classroom.err.ended", code=state.code)
    return state


def move(code: str, key: str | None, step: int, path: Path | None = None) -> ClassState:
    """Teacher only: the class goes to `step` (from 0); every following student's screen moves with it."""
    from plm_core.lessons.model import get_lesson

    state = _live(require_teacher(code, key, "move", path))
    steps = len(get_lesson(state.lesson).steps)
    if not 0 <= int(step) < steps:
        raise PLMError("classroom.err.step", step=int(step) + 1, n=steps)
    with _db(path, write=True) as conn:
        conn.execute("UPDATE class_sessions SET step = ?, moved_at = ? WHERE code = ?", (int(step), time.time(),
                                                                                         state.code))
    return get_class(state.code, path)


def reveal(code: str, key: str | None, step: int, path: Path | None = None) -> ClassState:
    """Teacher only: show the class's answers of `step` and its outcome; predictions of that step close."""
    state = _live(require_teacher(code, key, "reveal", path))
    with _db(path, write=True) as conn:
        conn.execute("INSERT OR IGNORE INTO class_reveals VALUES (?, ?, ?)", (state.code, int(step), time.time()))
    return get_class(state.code, path)


def clear(code: str, key: str | None, path: Path | None = None) -> int:
    """Teacher only: forget the class's predictions and reveals (start the lesson again); how many were removed."""
    state = require_teacher(code, key, "clear", path)
    with _db(path, write=True) as conn:
        conn.execute("DELETE FROM class_reveals WHERE code = ?", (state.code,))
        return int(conn.execute("DELETE FROM class_predictions WHERE code = ?", (state.code,)).rowcount)


def end_class(code: str, key: str | None, path: Path | None = None) -> ClassState:
    """Teacher only: the class ends (students can no longer join or predict; its answers stay readable)."""
    state = require_teacher(code, key, "end", path)
    with _db(path, write=True) as conn:
        conn.execute("UPDATE class_sessions SET ended_at = coalesce(ended_at, ?) WHERE code = ?",
                     (time.time(), state.code))
    return get_class(state.code, path)


def teacher_counts(code: str, key: str | None, step: int, path: Path | None = None) -> dict[str, int]:
    """Teacher only (the teacher view): the distribution of a step's answers, also before the reveal."""
    state = require_teacher(code, key, "teacher_view", path)
    return _counts(state.code, step, path)


def check_teacher(code: str, key: str | None, action: TeacherAction, path: Path | None = None) -> None:
    """For actions done elsewhere (prepare, run again live): refused unless `key` is the teacher's."""
    require_teacher(code, key, action, path)


# ---- everyone ---------------------------------------------------------------------------------------------
def get_class(code: str, path: Path | None = None) -> ClassState:
    """The class with this join code (typed any way: "ak37x"); a clear error when there is none."""
    wanted = normalize_code(code)
    with _db(path) as conn:
        row = conn.execute("SELECT code, lesson, step, created_at, moved_at, ended_at FROM class_sessions "
                           "WHERE code = ?", (wanted,)).fetchone()
        shown = conn.execute("SELECT step FROM class_reveals WHERE code = ?", (wanted,)).fetchall()
    if row is None:
        raise PLMError("classroom.err.no_class", code=wanted or "—")
    return ClassState(str(row[0]), str(row[1]), int(row[2]), frozenset(int(s[0]) for s in shown), float(row[3]),
                      float(row[4]), None if row[5] is None else float(row[5]))


def join(code: str, member: str, name: str = "", path: Path | None = None) -> ClassState:
    """A student joins (or joins again, keeping the first name unless a new one is given); anonymous is fine."""
    state = _live(get_class(code, path))
    if not member:
        raise PLMError("classroom.err.no_member")
    shown = " ".join(str(name).split())[:MAX_NAME_CHARS]
    with _db(path, write=True) as conn:
        conn.execute("INSERT INTO class_members VALUES (?, ?, ?, ?) ON CONFLICT (code, member) DO UPDATE SET "
                     "name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END",
                     (state.code, member, shown, time.time()))
    return state


def members(code: str, path: Path | None = None) -> list[Member]:
    with _db(path) as conn:
        rows = conn.execute("SELECT member, name, joined_at FROM class_members WHERE code = ? ORDER BY joined_at",
                            (normalize_code(code),)).fetchall()
    return [Member(str(m), str(n), float(j)) for m, n, j in rows]


def predict(code: str, step: int, member: str, value: str, path: Path | None = None) -> None:
    """A student's prediction for `step` (replaces their earlier one); refused once the step is revealed."""
    text = str(value).strip()[:MAX_VALUE_CHARS]
    if not text:
        raise PLMError("lessons.err.empty_prediction")
    state = _live(get_class(code, path))
    if int(step) in state.revealed:
        raise PLMError("classroom.err.revealed")
    with _db(path, write=True) as conn:
        if conn.execute("SELECT 1 FROM class_members WHERE code = ? AND member = ?",
                        (state.code, member)).fetchone() is None:
            raise PLMError("classroom.err.not_member", code=state.code)
        conn.execute("INSERT OR REPLACE INTO class_predictions VALUES (?, ?, ?, ?, ?)",
                     (state.code, int(step), member, text, time.time()))


def prediction(code: str, step: int, member: str, path: Path | None = None) -> str | None:
    with _db(path) as conn:
        row = conn.execute("SELECT value FROM class_predictions WHERE code = ? AND step = ? AND member = ?",
                           (normalize_code(code), int(step), member)).fetchone()
    return str(row[0]) if row else None


def answer_count(code: str, step: int, path: Path | None = None) -> int:
    """How many students answered `step` (shown live before the reveal; the distribution is not)."""
    with _db(path) as conn:
        row = conn.execute("SELECT count(*) FROM class_predictions WHERE code = ? AND step = ?",
                           (normalize_code(code), int(step))).fetchone()
    return int(row[0])


def class_counts(code: str, step: int, path: Path | None = None) -> dict[str, int]:
    """The class's answers of a revealed step (answer -> how many, most frequent first); refused before the reveal
    (the teacher sees them earlier through `teacher_counts`)."""
    state = get_class(code, path)
    if int(step) not in state.revealed:
        raise PLMError("classroom.err.not_revealed")
    return _counts(state.code, step, path)


def _counts(code: str, step: int, path: Path | None) -> dict[str, int]:
    with _db(path) as conn:
        rows = conn.execute("SELECT lower(value), count(*) FROM class_predictions WHERE code = ? AND step = ? "
                            "GROUP BY lower(value) ORDER BY count(*) DESC, lower(value)",
                            (code, int(step))).fetchall()
    return {str(v): int(n) for v, n in rows}


def prepare_class(code: str, key: str | None, service: object, owner: str, path: Path | None = None
                  ) -> dict[int, str]:
    """Teacher only: every step's job of the class's lesson through the job service (step index -> job id), as the
    class's teacher's: in the class's group, ahead of its students' jobs in the queue."""
    from plm_core.lessons.jobs import submit_lesson
    from plm_core.lessons.model import get_lesson

    state = _live(require_teacher(code, key, "prepare", path))
    return submit_lesson(service, get_lesson(state.lesson), owner, group=state.code, priority=1)
