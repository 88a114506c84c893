"""The one callback protocol (fastai/minGPT style): a class with no-op hooks; override what you need.

`ProgressSink` is the plain sink a job hands a trainer: its hooks only write into a shared `Progress` (under a
lock); the job reads that at its own pace, so a training step never calls out of the trainer."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from plm_core.training.trainer import Trainer


class StopSignal(Protocol):
    """What a run polls to stop early: a threading.Event, a job's stop flag, anything with is_set()."""

    def is_set(self) -> bool: ...


class Callback:
    """Every hook gets the trainer (read its history, steps, optimizer); all hooks do nothing by default.

    Order within a run: on_train_begin, then per epoch on_epoch_begin, on_step_end per optimizer step,
    on_eval per validation (pretraining), on_epoch_end; on_phase whenever work is done; on_train_end last.
    """

    def on_train_begin(self, trainer: Trainer) -> None: ...
    def on_epoch_begin(self, trainer: Trainer, epoch: int) -> None: ...
    def on_step_end(self, trainer: Trainer, step: int, loss: float) -> None: ...
    def on_eval(self, trainer: Trainer, step: int, value: float) -> None: ...
    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None: ...
    def on_phase(self, trainer: Trainer | None, phase: str, done: int, total: int) -> None: ...
    def on_train_end(self, trainer: Trainer) -> None: ...


@dataclass
class Progress:
    """What a run reports while it trains: written by a `ProgressSink` inside the trainer, read by its watcher."""

    phase: str = "starting"  # extract_train | extract_test (before a trainer exists) | train | evaluate
    before: float = 0.0  # share done of the work before training (feature extraction), 0..1
    done: int = 0  # the trainer's units of work done ...
    total: int = 1  # ... of this many
    steps: list[dict[str, Any]] = field(default_factory=list)  # per optimizer step: step, epoch, loss, lr
    history: list[dict[str, Any]] = field(default_factory=list)  # per finished epoch
    table: list[dict[str, Any]] = field(default_factory=list)  # the trainer's live table (head surgery)


@dataclass
class ProgressSink(Callback):
    """A plain sink: the hooks write into `progress` under `lock` and return; whoever watches the run (a job's
    publisher) copies it under the same lock at its own pace. Nothing here calls out of the trainer."""

    progress: Progress = field(default_factory=Progress)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on_phase(self, trainer: Trainer | None, phase: str, done: int, total: int) -> None:
        with self.lock:
            self.progress.phase = phase
            if trainer is None:  # work before a trainer exists (feature extraction): extract_train, then _test
                self.progress.before = (0.5 if phase == "extract_test" else 0.0) + 0.5 * done / max(total, 1)
            else:
                self.progress.done, self.progress.total = trainer.work_done, trainer.work_total

    def on_epoch_begin(self, trainer: Trainer, epoch: int) -> None:
        with self.lock:
            self.progress.table = list(trainer.table)

    def on_step_end(self, trainer: Trainer, step: int, loss: float) -> None:
        record = trainer.steps[-1] if trainer.steps else {}
        with self.lock:
            self.progress.steps.append({"step": step, "epoch": record.get("epoch"), "loss": loss,
                                        "lr": record.get("lr")})

    def on_epoch_end(self, trainer: Trainer, record: dict[str, Any]) -> None:
        with self.lock:
            self.progress.history.append(dict(record))

    def read(self) -> Progress:
        """A consistent copy (for the watcher's thread)."""
        with self.lock:
            return copy.deepcopy(self.progress)
