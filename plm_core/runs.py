"""The runs store: every experiment (transfer, race, few-shot, ...) as one row of a SQLite file.

Safe for several sessions (threads or processes) writing at once: WAL journal, a busy timeout, one
short transaction per call and a fresh connection per call (sqlite3 connections are not shared
across threads). Path: `PLM_LAB_RUNS_DB`, default `plm_core.paths.runs_db_path()`.
"""

from __future__ import annotations

import builtins
import errno
import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plm_core.errors import PLMError

BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another writer's lock
EXIT_NOT_SAVED = 3  # CLI exit status: the result was printed, but storing it failed
RUN_DATA = ("kind", "created_at", "app_version", "config", "metrics", "curves", "timings")  # TEXT, in runs and trash
RUN_COLUMNS = ", ".join(("id", *RUN_DATA))  # a run's row: the trash holds the same columns, then when and batch
_DATA_SQL = ", ".join(f"{column} TEXT NOT NULL" for column in RUN_DATA)
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, {_DATA_SQL});
CREATE INDEX IF NOT EXISTS runs_kind ON runs(kind);
CREATE TABLE IF NOT EXISTS run_owners (run_id INTEGER NOT NULL, owner TEXT NOT NULL, PRIMARY KEY (run_id, owner));
CREATE TABLE IF NOT EXISTS runs_trash (id INTEGER PRIMARY KEY, {_DATA_SQL},
                                       deleted_at REAL NOT NULL, batch TEXT NOT NULL);
"""
UNDO_SECONDS = 60.0  # a deletion can be undone this long (by the session that holds its batch token)
TRASH_KEEP_S = 30 * 24 * 3600.0  # deleted runs stay in `runs_trash` this long (recoverable with SQL), then go


def jsonable(value: Any) -> Any:
    """NaN/inf -> None, numpy -> Python, tuples -> lists, recursively (strict JSON)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def dumps(value: Any) -> str:
    return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False)


class RunNotSaved(PLMError):
    """Storing a finished run failed; the result itself is fine (show or print it, then this message).

    `key` is one of `runs.err.not_saved.<reason>` (reason: readonly, directory, corrupt, parent_file,
    disk_full, other); every message ends with "copy or export the result".
    """

    def __init__(self, reason: str, path: str | Path, detail: str = "") -> None:
        self.reason = reason
        super().__init__(f"runs.err.not_saved.{reason}", path=str(path), detail=detail)


NOT_SAVED_REASONS = ("readonly", "directory", "corrupt", "parent_file", "disk_full", "other")


def store_failure_reason(err: BaseException, path: Path) -> str:
    """Why a write to the runs database at `path` failed, as one of NOT_SAVED_REASONS."""
    text = str(err).lower()
    if path.is_dir():
        return "directory"
    if any(p.exists() and not p.is_dir() for p in path.parents):
        return "parent_file"
    if getattr(err, "errno", None) == errno.ENOSPC or "disk is full" in text or "no space" in text:
        return "disk_full"
    if "readonly" in text or "read-only" in text or isinstance(err, PermissionError):
        return "readonly"
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return "corrupt"
    return "other"


def not_saved(err: BaseException, path: Path) -> RunNotSaved:
    """The RunNotSaved for a failure (sqlite3.Error, OSError or a PLMError from opening the file)."""
    if isinstance(err, RunNotSaved):
        return err
    cause = (err.__cause__ or err.__context__) if isinstance(err, PLMError) else err
    detail = str(err.params.get("detail", "")) if isinstance(err, PLMError) else str(err)
    return RunNotSaved(store_failure_reason(cause or err, path), path, detail[:200])


class RunStore:
    """A SQLite file of runs: save, list, get, delete, export."""

    def __init__(self, path: str | Path | None = None) -> None:
        from plm_core.paths import runs_db_path

        self.path = Path(path).expanduser() if path else runs_db_path()
        self.read_only = False  # an existing database this process may read but not write (a read-only folder)
        self._uri = ""
        try:
            self._set_up()
        except (sqlite3.Error, OSError) as err:
            if not self._open_read_only():
                raise PLMError("runs.err.open", path=str(self.path), detail=str(err)[:200]) from err

    def _set_up(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    def _open_read_only(self) -> bool:
        """An existing database that cannot be written (its folder or file read-only): open it for reading.
        A WAL database in a read-only folder cannot make its shared-memory file: then as immutable."""
        if not self.path.is_file():
            return False
        for query in ("mode=ro", "immutable=1"):
            self._uri = f"{self.path.resolve().as_uri()}?{query}"
            try:
                with self.connect() as conn:
                    conn.execute("SELECT COUNT(*) FROM runs").fetchone()
                self.read_only = True
                return True
            except (sqlite3.Error, PLMError):
                continue
        self._uri = ""
        return False

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection with a busy timeout; commits on success, rolls back on error, then closes."""
        try:
            if self._uri:
                conn = sqlite3.connect(self._uri, uri=True, timeout=BUSY_TIMEOUT_S)
            else:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as err:
            raise PLMError("runs.err.open", path=str(self.path), detail=str(err)) from None
        with closing(conn):
            conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            with conn:
                yield conn

    def save(self, kind: str, config: dict, metrics: dict, curves: dict, timings: dict) -> int:
        """Store one run; returns its id. A failed write raises RunNotSaved (never another exception)."""
        from plm_core import __version__

        created = datetime.now(UTC).isoformat(timespec="seconds")
        row = (kind, created, __version__, dumps(config), dumps(metrics), dumps(curves), dumps(timings))
        try:
            with self.connect() as conn:
                cur = conn.execute(
                    "INSERT INTO runs (kind, created_at, app_version, config, metrics, curves, timings) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", row)
                assert cur.lastrowid is not None  # an INSERT always sets it
                return cur.lastrowid
        except (sqlite3.Error, OSError, PLMError) as err:
            raise not_saved(err, self.path) from err

    def list(self, kind: str | None = None) -> pd.DataFrame:
        """One row per run, newest first: id, kind, created_at, app_version, config and metric scalars."""
        query = "SELECT id, kind, created_at, app_version, config, metrics, timings FROM runs"
        params: tuple = ()
        if kind:
            query, params = query + " WHERE kind = ?", (kind,)
        with self.connect() as conn:
            rows = conn.execute(query + " ORDER BY id DESC", params).fetchall()
        return pd.DataFrame([flatten_row(r) for r in rows], columns=None if rows else BASE_COLUMNS)

    def get(self, run_id: int) -> dict:
        with self.connect() as conn:
            row = conn.execute("SELECT id, kind, created_at, app_version, config, metrics, curves, timings "
                               "FROM runs WHERE id = ?", (int(run_id),)).fetchone()
        if row is None:
            raise PLMError("runs.err.no_such_run", id=run_id)
        return decode_row(row)

    def get_many(self, ids: Iterable[int]) -> builtins.list[dict]:  # `list` here is the method above
        ids = [int(i) for i in ids]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        with self.connect() as conn:
            rows = conn.execute("SELECT id, kind, created_at, app_version, config, metrics, curves, timings "
                                f"FROM runs WHERE id IN ({marks}) ORDER BY id", ids).fetchall()
        return [decode_row(r) for r in rows]

    def delete(self, ids: Iterable[int], batch: str = "") -> int:
        """Move the runs `ids` to the trash (no permission check: see `delete_for`); how many were moved.
        `batch` (default: a fresh token) is what `undo` needs to bring them back."""
        ids = sorted({int(i) for i in ids})
        if not ids:
            return 0
        now, batch = time.time(), batch or secrets.token_hex(16)
        with self.connect() as conn:
            purge_trash(conn, now)
            moved = 0
            for start in range(0, len(ids), ID_CHUNK):
                chunk = ids[start:start + ID_CHUNK]
                marks = ",".join("?" * len(chunk))
                conn.execute(f"INSERT OR REPLACE INTO runs_trash SELECT {RUN_COLUMNS}, ?, ? FROM runs "
                             f"WHERE id IN ({marks})", [now, batch, *chunk])
                moved += int(conn.execute(f"DELETE FROM runs WHERE id IN ({marks})", chunk).rowcount)
            return moved

    def claim(self, ids: Iterable[int], owners: Iterable[str]) -> None:
        """Record that the browsers `owners` (their secret ids; only a hash is stored) made the runs `ids`."""
        rows = [(int(i), owner_tag(o)) for i in ids for o in owners if o]
        if rows:
            with self.connect() as conn:
                conn.executemany("INSERT OR IGNORE INTO run_owners (run_id, owner) VALUES (?, ?)", rows)

    def owned(self, ids: Iterable[int], owner: str) -> set[int]:
        """Which of `ids` the browser `owner` made."""
        ids = [int(i) for i in ids]
        if not ids or not owner or self.read_only:  # nothing can be deleted from a read-only database
            return set()
        found: set[int] = set()
        with self.connect() as conn:
            for start in range(0, len(ids), ID_CHUNK):
                chunk = ids[start:start + ID_CHUNK]
                found |= {int(r[0]) for r in conn.execute(
                    f"SELECT run_id FROM run_owners WHERE owner = ? AND run_id IN ({','.join('?' * len(chunk))})",
                    [owner_tag(owner), *chunk])}
        return found

    def delete_for(self, ids: Iterable[int], who: Deleter) -> Deletion:
        """Delete exactly `ids`, as far as `who` may: its own runs, or any run with a class's teacher key.
        The rest are refused (named in the result), never deleted. Undo with `undo(result.batch)`."""
        ids = sorted({int(i) for i in ids})
        allowed = set() if self.read_only else set(ids) if who.may_delete_any() else self.owned(ids, who.owner)
        batch = secrets.token_hex(16)
        deleted = self.delete(sorted(allowed), batch) if allowed else 0
        return Deletion(tuple(sorted(allowed)), tuple(i for i in ids if i not in allowed), batch, deleted,
                        time.time())

    def undo(self, batch: str, within_s: float = UNDO_SECONDS) -> int:
        """Bring back the runs of the deletion `batch` if it is at most `within_s` old; how many came back."""
        if not batch:
            return 0
        with self.connect() as conn:
            since = time.time() - within_s
            conn.execute(f"INSERT OR IGNORE INTO runs ({RUN_COLUMNS}) SELECT {RUN_COLUMNS} FROM runs_trash "
                         "WHERE batch = ? AND deleted_at >= ?", (batch, since))
            return int(conn.execute("DELETE FROM runs_trash WHERE batch = ? AND deleted_at >= ?",
                                    (batch, since)).rowcount)

    def export_json(self, ids: Iterable[int]) -> str:
        """The selected runs, complete (config, metrics, curves, timings), as a JSON list."""
        return json.dumps(jsonable(self.get_many(ids)), ensure_ascii=False, indent=1)

    def export_csv(self, ids: Iterable[int]) -> str:
        """The selected runs as a flat table (curves left out: use JSON for them)."""
        ids = sorted({int(i) for i in ids}, reverse=True)
        rows: list[tuple] = []
        with self.connect() as conn:
            for start in range(0, len(ids), ID_CHUNK):
                chunk = ids[start:start + ID_CHUNK]
                rows += conn.execute("SELECT id, kind, created_at, app_version, config, metrics, timings FROM runs "
                                     f"WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        rows.sort(key=lambda r: -r[0])
        return pd.DataFrame([flatten_row(r) for r in rows], columns=None if rows else BASE_COLUMNS).to_csv(index=False)

    def count(self, filters: Filters | None = None) -> int:
        """How many runs match `filters` ({field: accepted values}; see `where`)."""
        clause, params = where(filters)
        with self.connect() as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM runs{clause}", params).fetchone()[0])

    def page(self, offset: int, limit: int, filters: Filters | None = None) -> pd.DataFrame:
        """One page of `list()` (newest first), read and flattened for these rows only."""
        clause, params = where(filters)
        with self.connect() as conn:
            rows = conn.execute("SELECT id, kind, created_at, app_version, config, metrics, timings FROM runs"
                                f"{clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                                [*params, int(limit), max(0, int(offset))]).fetchall()
        return pd.DataFrame([flatten_row(r) for r in rows], columns=None if rows else BASE_COLUMNS)

    def ids(self, filters: Filters | None = None) -> builtins.list[int]:
        """Ids of the runs matching `filters`, newest first (no JSON is read)."""
        clause, params = where(filters)
        with self.connect() as conn:
            return [int(r[0]) for r in conn.execute(f"SELECT id FROM runs{clause} ORDER BY id DESC", params)]

    def distinct(self, field: str) -> builtins.list[str]:
        """The values a filter field takes (`kind` or a config field such as `backbone`), sorted."""
        with self.connect() as conn:
            rows = conn.execute(f"SELECT DISTINCT CAST({column(field)} AS TEXT) FROM runs").fetchall()
        return sorted(str(r[0]) for r in rows if r[0] is not None)


Filters = Mapping[str, Sequence[str]]  # column -> accepted values (read, never changed)
ID_CHUNK = 500  # ids per `IN (...)` (SQLite limits the number of parameters)


def column(field: str) -> str:
    """SQL expression of a filter field: the `kind` column, else that key of the config JSON."""
    if field == "kind":
        return "kind"
    if not field.isidentifier():
        raise PLMError("runs.err.bad_filter", field=field)
    return f"json_extract(config, '$.{field}')"


def where(filters: Filters | None) -> tuple[str, list[str]]:
    """` WHERE ...` (or "") and its parameters: every field with values must match one of them."""
    clauses, params = [], []
    for field, values in (filters or {}).items():
        values = [str(v) for v in values]
        if values:
            clauses.append(f"CAST({column(field)} AS TEXT) IN ({','.join('?' * len(values))})")
            params += values
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


BASE_COLUMNS = ["id", "kind", "created_at", "app_version"]


def owner_tag(owner: str) -> str:
    """What the database keeps of a browser's secret id: a hash (a copied database gives no one's id away)."""
    return hashlib.sha256(f"plm-lab-run-owner:{owner}".encode()).hexdigest()[:32]


def purge_trash(conn: sqlite3.Connection, now: float) -> None:
    """Forget runs deleted more than TRASH_KEEP_S ago (and who made them)."""
    old = now - TRASH_KEEP_S
    conn.execute("DELETE FROM run_owners WHERE run_id IN (SELECT id FROM runs_trash WHERE deleted_at < ?)", (old,))
    conn.execute("DELETE FROM runs_trash WHERE deleted_at < ?", (old,))


@dataclass(frozen=True)
class Deleter:
    """Who asks to delete runs: a browser (its secret id), perhaps holding the teacher key of a class."""

    owner: str  # this browser's secret id (ui.jobs.owner_id()); "" = none
    class_code: str = ""  # the join code of the class whose teacher key is given
    teacher_key: str = ""  # that class's teacher key: may delete any run

    def may_delete_any(self) -> bool:
        """The teacher key of a class that has not ended may delete every run; checked here, in the core."""
        if not (self.class_code and self.teacher_key):
            return False
        from plm_core.lessons import classroom

        try:
            state = classroom.get_class(self.class_code)
        except PLMError:  # no such class
            return False
        return not state.ended and classroom.is_teacher(state.code, self.teacher_key)


@dataclass(frozen=True)
class Deletion:
    """What `RunStore.delete_for` did: the ids deleted, the ids refused (not yours), the undo token."""

    deleted: tuple[int, ...]
    refused: tuple[int, ...]
    batch: str  # give it to `RunStore.undo` within UNDO_SECONDS
    n: int  # rows actually moved to the trash (ids already gone are not counted)
    at: float  # time.time() of the deletion


def claim_runs(ids: Iterable[int], owners: Iterable[str], store: RunStore | None = None) -> None:
    """Record the browsers that made the runs `ids` (the job service calls this after storing a job's runs)."""
    ids, owners = list(ids), [o for o in owners if o]
    if ids and owners:
        (store or RunStore()).claim(ids, owners)


def save_run(kind: str, config: dict, metrics: dict, curves: dict, timings: dict,
             store: RunStore | str | Path | None = None) -> int:
    """Open the store (a RunStore, a path, or the default) and save one run: its id, or RunNotSaved.

    Opening and writing are one step here, so a read-only, corrupt or misplaced database always ends as
    RunNotSaved (a PLMError with a `runs.err.not_saved.*` key), never as another exception.
    """
    from plm_core.paths import runs_db_path

    path = store.path if isinstance(store, RunStore) else Path(store).expanduser() if store else runs_db_path()
    try:
        target = store if isinstance(store, RunStore) else RunStore(path)
        return target.save(kind, config, metrics, curves, timings)
    except (sqlite3.Error, OSError, PLMError) as err:
        raise not_saved(err, path) from err


def decode_row(row: tuple) -> dict:
    keys = ("id", "kind", "created_at", "app_version", "config", "metrics", "curves", "timings")
    out = dict(zip(keys, row, strict=True))
    for key in ("config", "metrics", "curves", "timings"):
        out[key] = json.loads(out[key])
    return out


def flatten_row(row: tuple) -> dict:
    """id, kind, created_at, app_version + scalar config values + scalar metrics + total seconds."""
    run_id, kind, created, version, config, metrics, timings = row
    out: dict[str, Any] = {"id": run_id, "kind": kind, "created_at": created, "app_version": version}
    config, metrics, timings = json.loads(config), json.loads(metrics), json.loads(timings)
    for key, value in config.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            out[key] = value
    for key, value in metrics.items():
        if isinstance(value, (int, float, bool, str)) or value is None:
            out[key if key not in out else f"metric.{key}"] = value
    for key, value in timings.items():
        if isinstance(value, (int, float)) and key.endswith("seconds"):
            out[key if key not in out else f"timing.{key}"] = value
    return out

