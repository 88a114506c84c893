"""Training in a background thread with a thread-safe progress object a UI can poll.

The page starts a `TrainingJob` and reads `job.snapshot()` every second; the thread never touches the
UI. One job runs one config, or several in a row on the identical split and seed (a race).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Sequence

from plm_core.backbones.base import Backbone
from plm_core.errors import PLMError
from plm_core.transfer.api import TrainResult, train
from plm_core.transfer.config import TrainConfig
from plm_core.transfer.race import check_race, unique_labels
from plm_core.transfer.records import save_result
from plm_core.transfer.split import Split
from plm_core.transfer.trainer import TRAIN_COST, Callback, Trainer


def estimated_cost(config: TrainConfig, n_train: int, n_test: int) -> float:
    """Rough work of a run in forward passes over one example (to weight the progress bar)."""
    if config.mode == "frozen":
        return float(n_train + n_test)
    return float(config.epochs * (TRAIN_COST * n_train + n_test))


@dataclass
class RunView:
    """What the UI shows of one run while it trains."""

    label: str
    history: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    fraction: float = 0.0  # of this run
    phase: str = "queued"  # queued | extract_train | extract_test | train | evaluate | done
    surgery: list[dict] = field(default_factory=list)  # the optimizer's view, updated each epoch
    result: TrainResult | None = None
    run_id: int | None = None


class JobProgress(Callback):
    """Thread-safe progress of a job; the training thread writes, the UI reads `snapshot()`."""

    def __init__(self, labels: Sequence[str], costs: Sequence[float]) -> None:
        self.lock = threading.Lock()
        self.runs = [RunView(label) for label in labels]
        self.costs = list(costs)
        self.current = 0
        self.status = "running"  # running | done | stopped | error
        self.error: BaseException | None = None
        self.started = time.monotonic()
        self.finished: float | None = None

    # ---- written by the training thread ----------------------------------------------------------
    def on_phase(self, trainer: Trainer | None, phase: str, done: int, total: int) -> None:
        with self.lock:
            run = self.runs[self.current]
            run.phase = phase
            if trainer is None:  # feature extraction (frozen mode): most of a frozen run's time
                share = done / max(total, 1)
                run.fraction = 0.45 * share if phase == "extract_train" else 0.45 + 0.45 * share
            else:
                base = 0.9 if trainer.config.mode == "frozen" else 0.0
                run.fraction = base + (1 - base) * trainer.work_done / max(trainer.work_total, 1)

    def on_epoch_begin(self, trainer: Trainer, epoch: int) -> None:
        rows = [r.as_row() for r in trainer.surgery()]  # type: ignore[attr-defined]
        with self.lock:
            self.runs[self.current].surgery = rows

    def on_step_end(self, trainer: Trainer, step: int, loss: float) -> None:
        with self.lock:
            self.runs[self.current].steps.append({"step": step, "epoch": trainer.epoch, "loss": loss})

    def on_epoch_end(self, trainer: Trainer, record: dict) -> None:
        with self.lock:
            self.runs[self.current].history.append(dict(record))

    # ---- job bookkeeping ------------------------------------------------------------------------
    def begin(self, index: int) -> None:
        with self.lock:
            self.current = index
            self.runs[index].phase = "starting"

    def finish(self, index: int, result: TrainResult, run_id: int | None) -> None:
        with self.lock:
            run = self.runs[index]
            run.result, run.run_id, run.fraction, run.phase = result, run_id, 1.0, "done"
            run.surgery = result.param_groups

    def end(self, status: str, error: BaseException | None = None) -> None:
        with self.lock:
            self.status, self.error, self.finished = status, error, time.monotonic()

    # ---- read by the UI ----------------------------------------------------------------------------
    def fraction(self) -> float:
        total = sum(self.costs) or 1.0
        done = sum(c * min(r.fraction, 1.0) for c, r in zip(self.costs, self.runs))
        return min(done / total, 1.0)

    def snapshot(self) -> dict[str, Any]:
        """A consistent copy: status, fraction, elapsed and remaining seconds, per-run views."""
        with self.lock:
            fraction = self.fraction()
            elapsed = (self.finished or time.monotonic()) - self.started
            remaining = elapsed * (1 - fraction) / fraction if 0.02 < fraction < 1 else None
            runs = [RunView(r.label, list(r.history), list(r.steps), r.fraction, r.phase, list(r.surgery),
                            r.result, r.run_id) for r in self.runs]
            return {"status": self.status, "fraction": fraction, "elapsed": elapsed, "remaining": remaining,
                    "current": self.current, "runs": runs, "error": self.error}


class TrainingJob:
    """One config, or a race of 2-5, trained in a daemon thread; every finished run is stored."""

    def __init__(self, configs: Sequence[TrainConfig], split: Split, backbone: Backbone | None,
                 data: dict[str, Any], kind: str = "transfer", store: Any = None) -> None:
        if kind == "race":
            check_race(configs)
        self.configs, self.split, self.backbone = list(configs), split, backbone
        self.data, self.kind, self.store = dict(data), kind, store
        self.race_id = uuid.uuid4().hex[:8] if kind == "race" else None
        costs = [estimated_cost(c, len(split.train), len(split.test)) for c in self.configs]
        self.progress = JobProgress(unique_labels(self.configs), costs)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"plm-{kind}", daemon=True)

    def start(self) -> "TrainingJob":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def snapshot(self) -> dict[str, Any]:
        return self.progress.snapshot()

    def _run(self) -> None:
        try:
            for i, config in enumerate(self.configs):
                if self.stop_event.is_set():
                    break
                self.progress.begin(i)
                result = train(config, self.split.train, self.split.test, self.backbone, [self.progress],
                               self.stop_event)
                self.progress.finish(i, result, self._save(result, i))
            self.progress.end("stopped" if self.stop_event.is_set() else "done")
        except (PLMError, Exception) as err:  # noqa: BLE001 - reported to the UI, which shows it
            self.progress.end("error", err)

    def _save(self, result: TrainResult, index: int) -> int | None:
        if self.store is None:
            return None
        data = dict(self.data)
        if self.race_id:
            data.update({"race": self.race_id, "racer": self.progress.runs[index].label})
        return save_result(self.store, result, data, self.kind)
