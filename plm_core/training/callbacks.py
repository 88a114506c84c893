"""The one callback protocol (fastai/minGPT style): a class with no-op hooks; override what you need."""

from __future__ import annotations

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
