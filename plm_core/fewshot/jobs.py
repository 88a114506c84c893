"""Background runs for a UI: a thread does the work, a lock guards what the page polls.

The page starts a job, keeps it in its session, and every second reads `snapshot()` to redraw the
curves as points arrive. `stop()` sets an event the work checks between points. Never touches Streamlit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from plm_core.fewshot.curves import CurveConfig, ProgressInfo, run_curves, save_run, sensitivity
from plm_core.fewshot.methods import FewShotTask
from plm_core.fewshot.prompting import PromptConfig


@dataclass
class JobSnapshot:
    """A consistent copy of a job's state for one redraw."""

    status: str  # "running" | "done" | "stopped" | "error"
    items: list  # what the work has emitted so far (curve points, sensitivity rows)
    fraction: float  # of the estimated work, 0..1
    eta_seconds: float | None  # time left, once it can be estimated
    elapsed: float  # seconds since start
    current: str  # what runs now, e.g. "prompt K=4"
    result: Any = None
    error: BaseException | None = None


class Job:
    """Runs `work(job)` in a daemon thread; the work calls `emit`, `report` and checks `stop_event`."""

    def __init__(self, work: Callable[["Job"], Any], name: str = "job", config: Any = None):
        self._work, self.name, self.config = work, name, config  # config: what the job was started with
        self._lock = threading.Lock()
        self.stop_event = threading.Event()
        self._items: list = []
        self._fraction, self._eta, self._current = 0.0, None, ""
        self._status, self._result, self._error = "running", None, None
        self._start = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name=f"plm-{name}", daemon=True)

    def start(self) -> "Job":
        self._start = time.perf_counter()
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            result = self._work(self)
            with self._lock:
                self._result = result
                self._status = "stopped" if self.stop_event.is_set() else "done"
                self._fraction = 1.0 if self._status == "done" else self._fraction
        except Exception as err:  # noqa: BLE001 - handed to the page, which shows it in the user's language
            with self._lock:
                self._error, self._status = err, "error"

    def emit(self, item: Any) -> None:
        with self._lock:
            self._items.append(item)

    def report(self, fraction: float, eta_seconds: float | None, current: str) -> None:
        with self._lock:
            self._fraction, self._eta, self._current = fraction, eta_seconds, current

    def stop(self) -> None:
        self.stop_event.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def snapshot(self) -> JobSnapshot:
        with self._lock:
            return JobSnapshot(self._status, list(self._items), self._fraction, self._eta,
                               time.perf_counter() - self._start, self._current, self._result, self._error)


def curve_job(config: CurveConfig, task: FewShotTask, load: Callable[[str], Any], save: bool = True) -> Job:
    """A started job that runs the curve grid and (optionally) stores the finished run."""

    def work(job: Job) -> Any:
        def progress(info: ProgressInfo) -> None:
            job.report(info.fraction, info.eta_seconds, f"{info.method} K={info.k}" if info.k >= 0 else info.method)

        result = run_curves(config, task, load, on_point=job.emit, on_progress=progress, stop=job.stop_event)
        if save and result.points:
            try:
                save_run(result)
            except Exception:  # noqa: BLE001 - a full disk must not lose the curves on screen
                result.run_id = None
        return result

    return Job(work, "fewshot-curves", config).start()


def sensitivity_job(load_scorer: Callable[[PromptConfig], Any], task: FewShotTask, k: int,
                    templates: Sequence[PromptConfig], orders: int, seed: int = 0) -> Job:
    """A started job that scores each template under several demonstration orders."""

    def work(job: Job) -> Any:
        total = max(1, len(templates) * orders)
        start = time.perf_counter()

        def on_row(row: dict) -> None:
            job.emit(row)
            done = len(job.snapshot().items)
            elapsed = time.perf_counter() - start
            job.report(done / total, elapsed / done * (total - done), f"{row['template']}/{row['order']}")

        return sensitivity(load_scorer, task, k, templates, orders, seed, stop=job.stop_event, on_row=on_row)

    return Job(work, "fewshot-sensitivity").start()
