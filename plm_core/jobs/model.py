"""The one vocabulary of long work: a job's status, its snapshot, its error and the context it runs in.

Every long computation of the app (transfer runs and races, few-shot curves, live pretraining, ...) is a
*job kind*: a function `run(config, ctx) -> result` registered in `plm_core.jobs.kinds`. It reads its typed
config, reports through `ctx` (progress, partial items, a live view), honours `ctx.stop`, and returns a
picklable result. Where it runs (this process, a worker process, a Ray actor) is the service's business.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from plm_core.errors import PLMError


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for a free worker
    RUNNING = "running"
    STOPPING = "stopping"  # stop asked, the worker has not confirmed yet
    DONE = "done"
    STOPPED = "stopped"  # ended early on request (the partial result is kept)
    ERROR = "error"
    CANCELLED = "cancelled"  # its owners went away before it finished

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.STOPPED, JobStatus.ERROR, JobStatus.CANCELLED)


@dataclass(frozen=True)
class JobError:
    """What went wrong, as a catalog key + values (so it shows in the user's language), and the trace tail."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    detail: str = ""  # traceback tail, for an expander; empty for a PLMError the user can fix

    @classmethod
    def from_exception(cls, err: BaseException, detail: str = "") -> JobError:
        if isinstance(err, PLMError):
            return cls(err.key, {k: _plain(v) for k, v in err.params.items()})
        return cls("jobs.err.crashed", {"kind": type(err).__name__, "detail": str(err)[:300]}, detail[-4000:])

    def as_plm(self) -> PLMError:
        return PLMError(self.key, **self.params)

    def message(self, lang: str = "en") -> str:
        return self.as_plm().message(lang)


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


@dataclass
class Snapshot:
    """One consistent copy of a job for one redraw; the same type for every job kind."""

    job_id: str
    kind: str
    status: JobStatus
    config: Any = None
    fraction: float = 0.0  # of the job's estimated work, 0..1
    eta_seconds: float | None = None  # time left, once it can be estimated
    elapsed: float = 0.0  # seconds since it started running (0 while queued)
    current: str = ""  # what runs now, in the kind's words (e.g. "prompt K=4")
    items: list[Any] = field(default_factory=list)  # partial results so far, in order (curve points, rows)
    state: Any = None  # the kind's latest live view (e.g. per-racer histories), replaced at each update
    result: Any = None
    error: JobError | None = None
    queue_ahead: int = 0  # jobs that will start before this one
    cached: bool = False  # served from the result cache, not computed now
    computed_at: float | None = None  # epoch seconds when the result was computed
    computed_on: str = ""  # host (and backend) that computed it
    compute_seconds: float | None = None  # how long computing it took
    saved: list[int] = field(default_factory=list)  # run ids in the runs store
    save_error: JobError | None = None  # the result is shown, but storing it failed

    @property
    def finished(self) -> bool:
        return self.status.finished

    @property
    def active(self) -> bool:
        return not self.status.finished


class Stop(Protocol):
    def is_set(self) -> bool: ...


BackboneLoader = Callable[..., Any]


class JobContext:
    """What a job kind's `run(config, ctx)` may use: report progress, emit items, check stop, load backbones.

    Updates are throttled: `sink` is called at most every `every` seconds (and once more by `flush`).
    """

    def __init__(self, sink: Callable[[dict[str, Any]], None], stop: Stop | None = None,
                 backbone: BackboneLoader | None = None, every: float = 0.25) -> None:
        self.stop: Stop = stop or threading.Event()
        self._sink, self._every = sink, every
        self._backbone = backbone
        self._lock = threading.Lock()
        self._new_items: list[Any] = []
        self._changes: dict[str, Any] = {}
        self._last = 0.0
        self.started = time.perf_counter()

    def should_stop(self) -> bool:
        return self.stop.is_set()

    def emit(self, item: Any) -> None:
        """Append one partial result (a curve point, a table row); it reaches the page at the next update."""
        with self._lock:
            self._new_items.append(item)
        self._maybe_flush()

    def update(self, *, fraction: float | None = None, current: str | None = None,
               eta_seconds: float | None = None, state: Any = None) -> None:
        """Progress (0..1), what runs now, time left (None: estimate from the fraction), the live view."""
        with self._lock:
            if fraction is not None:
                self._changes["fraction"] = max(0.0, min(float(fraction), 1.0))
                if eta_seconds is None:
                    eta_seconds = self._eta(self._changes["fraction"])
            if eta_seconds is not None:
                self._changes["eta_seconds"] = float(eta_seconds)
            if current is not None:
                self._changes["current"] = current
            if state is not None:
                self._changes["state"] = state
        self._maybe_flush()

    def backbone(self, name: str, random_init: bool = False) -> Any:
        """A backbone from this worker's warm cache (loaded once per worker; never train it in place)."""
        if self._backbone is None:
            from plm_core.jobs.runner import warm_backbone

            return warm_backbone(name, random_init)
        return self._backbone(name, random_init)

    def _eta(self, fraction: float) -> float | None:
        elapsed = time.perf_counter() - self.started
        return elapsed * (1 - fraction) / fraction if 0.02 < fraction < 1 else None

    def _maybe_flush(self) -> None:
        if time.perf_counter() - self._last >= self._every:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            if not self._new_items and not self._changes:
                return
            event = dict(self._changes, items=self._new_items)
            self._new_items, self._changes = [], {}
            self._last = time.perf_counter()
        self._sink(event)
