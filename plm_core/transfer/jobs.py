"""The Transfer lab's job kind: one config, or a race of 2-5 on the identical split and seed.

`run_transfer(job, ctx)` runs in a worker (or the CLI's process); a live view of every racer (phase,
histories, steps, the optimizer's surgery table) reaches the page through `ctx.update(state=...)`.
`store_transfer` saves the finished runs in the runs store, after the page has the result.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plm_core.jobs.model import JobContext
from plm_core.jobs.refs import DataRef
from plm_core.training import Callback, Trainer
from plm_core.transfer.api import TrainResult, train
from plm_core.transfer.config import TrainConfig
from plm_core.transfer.race import check_race, check_seeds, seed_variants, unique_labels
from plm_core.transfer.split import Split, make_split
from plm_core.transfer.trainer import TRAIN_COST, TransferTrainer


def estimated_cost(config: TrainConfig, n_train: int, n_test: int) -> float:
    """Rough work of a run in forward passes over one example (to weight the progress bar)."""
    if config.mode == "frozen":
        return float(n_train + n_test)
    return float(config.optim.epochs * (TRAIN_COST * n_train + n_test))


@dataclass(frozen=True)
class TransferJob:
    """What the Transfer lab (or the CLI) asks for: the configs and the examples to train them on."""

    configs: tuple[TrainConfig, ...]
    data: DataRef | None = None  # draw the split from this sample set / uploaded CSV ...
    n: int | None = None  # ... N examples
    per_class: int | None = None  # ... or K per class
    test_limit: int | None = None  # first examples of the fixed test set
    split: Split | None = None  # or an explicit split (CLI frames, tests)
    race: bool = False
    seeds: int = 1  # a race runs every racer with seeds seed, seed + 1, ... (mean ± sd)

    @property
    def seed(self) -> int:
        return self.configs[0].data.seed

    def labels(self) -> list[str]:
        return unique_labels(self.configs)

    def runs(self) -> list[tuple[str, str, TrainConfig]]:
        """(racer, run label, config) for every run: each racer once per seed."""
        out = []
        for racer, config in zip(self.labels(), self.configs, strict=False):
            for variant in seed_variants(config, self.seeds):
                label = f"{racer} · seed {variant.data.seed}" if self.seeds > 1 else racer
                out.append((racer, label, variant))
        return out

    def describe_data(self) -> dict[str, Any]:
        """How the runs store describes the examples."""
        return {"data": self.data.name if self.data else "frames", "n": self.n, "per_class": self.per_class,
                "test_limit": self.test_limit}

    def make_split(self) -> Split:
        if self.split is not None:
            return self.split
        assert self.data is not None
        return make_split(self.data.load(), n=self.n, per_class=self.per_class, seed=self.seed,
                          test_limit=self.test_limit)


@dataclass
class RunView:
    """What the page shows of one run while it trains, and after."""

    label: str
    racer: str = ""  # the strategy this run belongs to (runs of one racer differ only by seed)
    history: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    fraction: float = 0.0  # of this run
    phase: str = "queued"  # queued | starting | extract_train | extract_test | train | evaluate | done
    surgery: list[dict] = field(default_factory=list)  # the optimizer's view, updated each epoch
    result: TrainResult | None = None


@dataclass
class TransferState:
    runs: list[RunView]
    current: int = 0

    @property
    def results(self) -> list[tuple[str, TrainResult]]:
        return [(r.label, r.result) for r in self.runs if r.result is not None]


class LiveView(Callback):
    """Trainer callbacks -> the job's live view and progress (the trainer knows nothing of jobs)."""

    def __init__(self, ctx: JobContext, labels: Sequence[str], costs: Sequence[float],
                 racers: Sequence[str] | None = None) -> None:
        self.ctx, self.costs = ctx, list(costs)
        pairs = zip(labels, racers or labels, strict=False)
        self.state = TransferState([RunView(label, racer) for label, racer in pairs])

    @property
    def run(self) -> RunView:
        return self.state.runs[self.state.current]

    def push(self) -> None:
        total = sum(self.costs) or 1.0
        done = sum(c * min(r.fraction, 1.0) for c, r in zip(self.costs, self.state.runs, strict=False))
        self.ctx.update(fraction=done / total, current=f"{self.run.label}: {self.run.phase}",
                        state=copy.deepcopy(self.state))

    def begin(self, index: int) -> None:
        self.state.current = index
        self.run.phase = "starting"
        self.push()

    def finish(self, result: TrainResult) -> None:
        self.run.result, self.run.fraction, self.run.phase = result, 1.0, "done"
        self.run.surgery = result.param_groups
        self.push()

    def on_phase(self, trainer: Trainer | None, phase: str, done: int, total: int) -> None:
        run = self.run
        run.phase = phase
        if trainer is None:  # feature extraction (frozen mode): most of a frozen run's time
            share = done / max(total, 1)
            run.fraction = 0.45 * share if phase == "extract_train" else 0.45 + 0.45 * share
        else:
            assert isinstance(trainer, TransferTrainer)  # this view watches transfer runs only
            base = 0.9 if trainer.config.mode == "frozen" else 0.0
            run.fraction = base + (1 - base) * trainer.work_done / max(trainer.work_total, 1)
        self.push()

    def on_epoch_begin(self, trainer: Trainer, epoch: int) -> None:
        assert isinstance(trainer, TransferTrainer)  # this view watches transfer runs only
        self.run.surgery = [r.as_row() for r in trainer.surgery()]

    def on_step_end(self, trainer: Trainer, step: int, loss: float) -> None:
        assert isinstance(trainer, TransferTrainer)  # this view watches transfer runs only
        self.run.steps.append({"step": step, "epoch": trainer.epoch, "loss": loss,
                               "lr": trainer.steps[-1].get("lr") if trainer.steps else None})
        self.push()

    def on_epoch_end(self, trainer: Trainer, record: dict) -> None:
        self.run.history.append(dict(record))
        self.push()


def run_transfer(job: TransferJob, ctx: JobContext) -> TransferState:
    """Every config on the same split, one after the other; the finished runs (all of them, or up to a stop)."""
    if job.race:
        check_race(job.configs)
    check_seeds(job.seeds)
    split = job.make_split()
    backbone = ctx.backbone(job.configs[0].backbone)
    runs = job.runs()
    costs = [estimated_cost(c, len(split.train), len(split.test)) for _, _, c in runs]
    view = LiveView(ctx, [label for _, label, _ in runs], costs, [racer for racer, _, _ in runs])
    for i, (_, _, config) in enumerate(runs):
        if ctx.should_stop():
            break
        view.begin(i)
        view.finish(train(config, split.train, split.test, backbone, [view], ctx.stop))
    return view.state


def store_transfer(job: TransferJob, state: TransferState) -> list[int]:
    """Save every finished run (a race's racers share a race id); their run ids."""
    from plm_core.transfer.records import save_result

    data = job.describe_data()  # each save opens the store itself: a bad database is RunNotSaved, said on the page
    race_id = uuid.uuid4().hex[:8] if job.race else None
    ids = []
    for label, result in state.results:
        extra = {"race": race_id, "racer": label, "seed": result.config.get("seed")} if race_id else {}
        ids.append(save_result(None, result, {**data, **extra}, "race" if job.race else "transfer"))
    return ids


SECONDS_PER_UNIT = 5.7e-4  # seconds per (forward pass over one example) per million parameters, 64 tokens, 1 thread:
                           # bench/lessons.py, the five-mode MiniLM race on the shared 2-core CPU at load average
                           # 4-6 (185 s for 13,356 units, 0.0138 s each); a rough guide, shown as "about"


def estimate_seconds(configs: Sequence[TrainConfig], n_train: int, n_test: int, seeds: int,
                     params: int) -> float:
    """About how long a race takes: every racer's work x seeds, scaled by model size and text length."""
    units = sum(estimated_cost(c, n_train, n_test) * max(c.data.max_length or 64, 16) / 64 for c in configs)
    return units * max(int(seeds), 1) * SECONDS_PER_UNIT * params / 1e6
