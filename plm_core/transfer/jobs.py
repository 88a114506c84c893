"""The Transfer lab's job kind: one config, or a race of 2-5 on the identical split and seed.

`run_transfer(job, ctx)` runs in a worker (or the CLI's process): the job draws the split and loads the backbone,
the plan (`plm_core.transfer.groups`) makes every run's plan, the trainer carries it out, the result is read from
it. The job gives each trainer a plain sink (`plm_core.training.ProgressSink`); a publisher thread of the job reads
the sinks at its own pace and sends a live view of every racer (phase, histories, steps, the optimizer's surgery
table) to the page through `ctx.update(state=...)`, so no training step calls back into the job.
`store_transfer` saves the finished runs in the runs store, after the page has the result.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from plm_core.jobs.model import JobContext
from plm_core.jobs.refs import DataRef
from plm_core.training.callbacks import ProgressSink
from plm_core.transfer.api import TrainResult, result_of
from plm_core.transfer.config import TrainConfig
from plm_core.transfer.groups import estimated_cost, job_runs, plan_run
from plm_core.transfer.split import Split, make_split

PUBLISH_EVERY = 0.25  # seconds between two live views sent to the page


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


class Publisher:
    """The job's watcher: a thread that reads every run's sink at its own pace (never called by a trainer) and sends
    the live view and the job's progress through `ctx.update`; `close()` stops it after one last view."""

    def __init__(self, ctx: JobContext, state: TransferState) -> None:
        self.ctx, self.state = ctx, state
        self.sinks: list[ProgressSink] = []  # one per run, in the order of state.runs
        self.costs: list[float] = []  # each run's share of the work
        self.frozen: list[bool] = []  # a frozen run: extraction is 90% of its work
        self.lock = threading.Lock()  # the run loop's changes (current run, results) against a copy being made
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True, name="plm-transfer-publisher")

    def loop(self) -> None:
        while not self.done.wait(PUBLISH_EVERY):
            self.publish()

    def publish(self) -> None:
        """Copy every running run's sink into its view, then send the view and the fraction of the job done."""
        if not self.state.runs:
            return
        with self.lock:
            for view, sink, frozen in zip(self.state.runs, self.sinks, self.frozen, strict=True):
                if view.result is None and view.phase != "queued":
                    seen = sink.read()
                    share = seen.done / max(seen.total, 1)
                    view.phase, view.steps, view.history = seen.phase, seen.steps, seen.history
                    view.surgery = seen.table or view.surgery
                    view.fraction = 0.9 * seen.before + 0.1 * share if frozen else share
            run = self.state.runs[self.state.current]
            done = sum(c * min(r.fraction, 1.0) for c, r in zip(self.costs, self.state.runs, strict=True))
            state = copy.deepcopy(self.state)
        self.ctx.update(fraction=done / (sum(self.costs) or 1.0), current=f"{run.label}: {run.phase}", state=state)

    def close(self) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()
        self.publish()


def run_transfer(job: TransferJob, ctx: JobContext) -> TransferState:
    """Every config on the same split, one after the other: the plan, the trainer, the result of each run in turn;
    the finished runs (all of them, or up to a stop)."""
    split = job.make_split()
    labels = (split.encode(split.train["label"]), split.encode(split.test["label"]))  # once, for every run
    backbone = ctx.backbone(job.configs[0].backbone)
    state = TransferState([])
    publisher = Publisher(ctx, state)
    runs = job_runs(job.configs, job.seeds, job.race, len(split.train), len(split.test))
    for run in runs:
        state.runs.append(RunView(run.label, run.racer))
        publisher.sinks.append(ProgressSink())
        publisher.costs.append(run.cost)
        publisher.frozen.append(run.frozen)
    publisher.thread.start()
    try:
        for i, run in enumerate(runs):
            if ctx.stop.is_set():
                break
            with publisher.lock:
                state.current, state.runs[i].phase = i, "starting"
            plan = plan_run(run.config, split, labels, backbone, [publisher.sinks[i]], ctx.stop)
            plan.trainer.fit()
            result = result_of(plan)
            with publisher.lock:
                finished(state.runs[i], result)
    finally:
        publisher.close()
    return state


def finished(view: RunView, result: TrainResult) -> None:
    """A run's view once its result is in: the result's curves and table (as the sink wrote them)."""
    view.result, view.fraction, view.phase, view.surgery = result, 1.0, "done", result.param_groups
    view.history = [dict(r) for r in result.history]
    view.steps = [{"step": r["step"], "epoch": r.get("epoch"), "loss": r["loss"], "lr": r.get("lr")}
                  for r in result.steps]


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
