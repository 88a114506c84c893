"""The job journal: every queued, running and recently finished job in SQLite, so a server restart loses none.

A row holds what it takes to run the job again (kind, pickled config, cache key, priority, class) and what
became of it (status, error). The service writes a row when a job is queued, started and finished; a new
service over the same file runs the queued jobs, re-runs (once) the ones that were running, and rebuilds the
snapshot of a finished job that has left memory (its result comes from the result cache).

The file lives beside the runs database (`jobs.sqlite`). A journal that cannot be written (a read-only
folder) turns itself off: jobs still run, they just do not survive a restart.
"""

from __future__ import annotations

import json
import os
import pickle
import socket
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS job_journal (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    priority  INTEGER NOT NULL,
    grp       TEXT NOT NULL,
    owners    TEXT NOT NULL,
    status    TEXT NOT NULL,
    attempts  INTEGER NOT NULL,
    submitted REAL NOT NULL,
    finished  REAL,
    config    BLOB NOT NULL,
    error     BLOB,
    holder    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_journal_status ON job_journal(status);
CREATE TABLE IF NOT EXISTS job_slots (
    owner  TEXT NOT NULL,
    slot   TEXT NOT NULL,
    job_id TEXT NOT NULL,
    at     REAL NOT NULL,
    PRIMARY KEY (owner, slot)
);
"""
KEEP_FINISHED_S = 24 * 3600.0  # finished rows (and the slots that point at them) are pruned after a day


@dataclass
class JournalRow:
    id: str
    kind: str
    key: str
    seq: int
    priority: int
    group: str
    owners: list[str]
    status: str  # queued | running | done | stopped | error | cancelled
    attempts: int  # how many times it was started (a restart while running re-runs it once)
    submitted: float
    config: Any = None
    error: Any = None  # a JobError, for a finished job that failed
    finished: float | None = None
    holder: str = ""  # "host:pid" of the server that queued or last started it


class JobJournal:
    def __init__(self, path: str | Path | None = None) -> None:
        self._path = Path(path).expanduser() if path else None
        self._lock = threading.Lock()
        self.broken: str = ""  # why writing failed (the journal is off), or ""
        self.holder = f"{socket.gethostname()}:{os.getpid()}"

    @property
    def path(self) -> Path:
        """`jobs.sqlite` beside the runs database (PLM_LAB_RUNS_DB is read at each use)."""
        from plm_core.paths import runs_db_path

        return self._path or runs_db_path().with_name("jobs.sqlite")

    def _connect(self) -> sqlite3.Connection:
        from plm_core.paths import open_sqlite

        return open_sqlite(self.path, SCHEMA, timeout=10.0)

    def _write(self, sql: str, *args: Any) -> None:
        if self.broken:
            return
        try:
            with self._lock, closing(self._connect()) as conn, conn:
                conn.execute(sql, args)
        except Exception as err:  # noqa: BLE001 - a journal that cannot be written never stops a job
            self.broken = f"{type(err).__name__}: {err}"[:200]

    def add(self, row: JournalRow) -> None:
        self._write("INSERT OR REPLACE INTO job_journal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row.id, row.kind, row.key, row.seq, row.priority, row.group, json.dumps(row.owners),
                    row.status, row.attempts, row.submitted, row.finished, _dump(row.config), _dump(row.error),
                    self.holder)

    def started(self, job_id: str, attempts: int) -> None:
        self._write("UPDATE job_journal SET status = 'running', attempts = ?, holder = ? WHERE id = ?", attempts,
                    self.holder, job_id)

    def requeued(self, job_id: str, priority: int) -> None:
        self._write("UPDATE job_journal SET status = 'queued', priority = ?, holder = ? WHERE id = ?", priority,
                    self.holder, job_id)

    def finished(self, job_id: str, status: str, error: Any = None) -> None:
        self._write("UPDATE job_journal SET status = ?, finished = ?, error = ? WHERE id = ?",
                    status, time.time(), _dump(error), job_id)

    def owners(self, job_id: str, owners: list[str]) -> None:
        self._write("UPDATE job_journal SET owners = ? WHERE id = ?", json.dumps(owners), job_id)

    def slot(self, owner: str, slot: str, job_id: str) -> None:
        self._write("INSERT OR REPLACE INTO job_slots VALUES (?, ?, ?, ?)", owner, slot, job_id, time.time())

    def forget(self, owner: str, slot: str) -> None:
        self._write("DELETE FROM job_slots WHERE owner = ? AND slot = ?", owner, slot)

    def _read(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        try:
            with self._lock, closing(self._connect()) as conn:
                return list(conn.execute(sql, args).fetchall())
        except Exception:  # noqa: BLE001 - an unreadable journal is an empty one
            return []

    def active(self) -> list[JournalRow]:
        """The queued and running jobs, in submission order (what a restarted service takes over)."""
        rows = self._read("SELECT * FROM job_journal WHERE status IN ('queued', 'running') ORDER BY seq")
        return [_row(r) for r in rows]

    def held_by_a_live_server(self, row: JournalRow) -> bool:
        """Whether another server process on this machine that is still running holds the job (two servers over
        one runs database: each keeps its own jobs; only a dead server's jobs are taken over)."""
        host, _, pid = row.holder.rpartition(":")
        if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # alive, another user's
            return True
        try:  # a killed server its parent has not reaped yet is dead too
            with open(f"/proc/{pid}/stat") as fh:
                return fh.read().rpartition(")")[2].split()[0] != "Z"
        except (OSError, IndexError):
            return True

    def get(self, job_id: str) -> JournalRow | None:
        rows = self._read("SELECT * FROM job_journal WHERE id = ?", job_id)
        return _row(rows[0]) if rows else None

    def slots(self) -> dict[tuple[str, str], str]:
        return {(o, s): j for o, s, j in self._read("SELECT owner, slot, job_id FROM job_slots")}

    def latest(self, owner: str, slot: str) -> str | None:
        rows = self._read("SELECT job_id FROM job_slots WHERE owner = ? AND slot = ?", owner, slot)
        return str(rows[0][0]) if rows else None

    def max_seq(self) -> int:
        rows = self._read("SELECT MAX(seq) FROM job_journal")
        return int(rows[0][0]) if rows and rows[0][0] is not None else -1

    def prune(self, keep_s: float = KEEP_FINISHED_S) -> None:
        """Forget finished jobs older than `keep_s` (their results stay in the result cache and runs store)."""
        cutoff = time.time() - keep_s
        self._write("DELETE FROM job_journal WHERE finished IS NOT NULL AND finished < ?", cutoff)
        self._write("DELETE FROM job_slots WHERE at < ?", cutoff)


def _dump(value: Any) -> bytes | None:
    return None if value is None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _load(blob: bytes | None) -> Any:
    if blob is None:
        return None
    try:
        return pickle.loads(blob)  # noqa: S301 - our own file
    except Exception:  # noqa: BLE001 - a config of an older code version: the row cannot run again
        return None


def _row(r: tuple[Any, ...]) -> JournalRow:
    return JournalRow(id=r[0], kind=r[1], key=r[2], seq=int(r[3]), priority=int(r[4]), group=r[5],
                      owners=list(json.loads(r[6] or "[]")), status=r[7], attempts=int(r[8]), submitted=float(r[9]),
                      finished=r[10], config=_load(r[11]), error=_load(r[12]), holder=r[13])
