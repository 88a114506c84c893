"""The loop skeleton every trainer shares: callbacks, stop, a NaN/inf loss check, memory peak, progress.

Subclasses write `loop()` (epochs of batches for transfer, a stream of steps for pretraining) and call
`finish_step` after every optimizer step; `fit()` wraps the loop in on_train_begin / on_train_end.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

from plm_core.training.callbacks import Callback, StopSignal


class MemoryMonitor:
    """Peak resident memory of this process during a run, sampled at every step (MB)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.peak = 0.0

    def sample(self) -> None:
        self.peak = max(self.peak, self.process.memory_info().rss / 2**20)


class Trainer:
    """Callbacks, stop and bookkeeping; a subclass supplies `loop()`."""

    def __init__(self, callbacks: Sequence[Callback] = (), stop: StopSignal | None = None) -> None:
        self.callbacks = list(callbacks)
        self.stop: StopSignal = stop if stop is not None else threading.Event()
        self.steps: list[dict[str, Any]] = []  # one record per optimizer step: step, loss (+ epoch)
        self.stop_reason = ""  # "" | "user" | "nan"
        self.notices: list[tuple[str, dict[str, Any]]] = []  # (catalog key, params) to show the user
        self.memory = MemoryMonitor()
        self.work_done = 0  # units of work done (what a unit is, the subclass decides)
        self.work_total = 1
        self.table: list[dict[str, Any]] = []  # a live table a watcher may show (transfer: the head surgery)

    # ---- hooks ---------------------------------------------------------------------------------
    def trigger(self, hook: str, *args: Any) -> None:
        """Call `hook` on every callback, in the order they were given."""
        for cb in self.callbacks:
            getattr(cb, hook)(self, *args)

    def check_loss(self, loss: float, key: str, **params: Any) -> bool:
        """False, with the notice `key` (what to change), when the loss is NaN or infinite."""
        if math.isfinite(loss):
            return True
        self.stop_reason = "nan"
        self.notices.append((key, params))
        return False

    def should_stop(self) -> bool:
        """True once the stop signal is set (reason "user") or the loss diverged (reason "nan")."""
        if not self.stop_reason and self.stop.is_set():
            self.stop_reason = "user"
        return bool(self.stop_reason)

    def add_work(self, amount: int, phase: str) -> None:
        """Count work done and report it through on_phase (progress bars, time left)."""
        self.work_done += amount
        self.trigger("on_phase", phase, self.work_done, self.work_total)

    def finish_step(self, step: int, loss: float, **record: Any) -> None:
        """After an optimizer step: record it, sample memory, tell the callbacks."""
        self.steps.append({"step": step, **record, "loss": loss})
        self.memory.sample()
        self.trigger("on_step_end", step, loss)

    # ---- the loop ------------------------------------------------------------------------------
    def fit(self) -> None:
        """on_train_begin, the subclass's loop, on_train_end (also after a stop or a NaN)."""
        self.memory.sample()
        self.trigger("on_train_begin")
        try:
            self.loop()
        finally:
            self.memory.sample()
        self.trigger("on_train_end")

    def loop(self) -> None:
        raise NotImplementedError
