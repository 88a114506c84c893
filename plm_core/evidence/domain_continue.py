"""Continued pretraining on the target's unlabelled pool (ULMFiT's stage 2), then the same transfer before vs after.

    run_continue(ContinueJob, ctx)   the job kind "domain.continue":
        1. (pseudo-)perplexity of the shipped tiny model on held-out target texts and held-out corpus text
        2. the transfer (frozen and fine-tune) with the shipped model
        3. continue its pretraining objective (PretrainTrainer, init_from the shipped checkpoint) on the pool,
           for `steps` steps or `budget_s` seconds, whichever comes first: a live loss curve, stop honoured
        4. the same perplexities and the same transfer with the continued model

The continued model is a new object in the worker; its weights are written to a cache folder keyed by the
job's config (`continued_dir`), never over the shipped checkpoint.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plm_core.errors import PLMError
from plm_core.evidence.domain import Perplexity, lm_perplexity, reference_texts, target_texts
from plm_core.jobs.refs import DataRef
from plm_core.training import Callback
from plm_core.transfer.config import Mode

OBJECTIVE_BACKBONES: dict[str, str] = {"mlm": "tiny-bert-mlm", "clm": "tiny-gpt-clm"}
MAX_STEPS = 5000
MAX_BUDGET_S = 600.0
TRANSFER_MODES: tuple[Mode, ...] = ("frozen", "finetune")
PHASES: tuple[str, ...] = ("measure_before", "transfer_before", "pretrain", "measure_after", "transfer_after", "done")
PHASE_START: dict[str, float] = {"measure_before": 0.0, "transfer_before": 0.05, "pretrain": 0.25,
                                 "measure_after": 0.75, "transfer_after": 0.8, "done": 1.0}


@dataclass(frozen=True)
class ContinueJob:
    """Continue a tiny model's pretraining on a target's pool, and measure what it changed."""

    objective: str = "mlm"  # "mlm" (tiny BERT) | "clm" (tiny GPT)
    data: DataRef = DataRef("movie-snippets")
    steps: int = 300  # optimizer steps at most
    budget_s: float = 180.0  # ... or this many seconds of pretraining, whichever comes first
    lr: float = 5e-4  # peak learning rate (warm-up 10% of the steps, cosine decay)
    batch_size: int = 16
    seq_len: int = 64
    n_train: int = 400  # labelled examples of the before/after transfer
    test_limit: int = 300  # first examples of the fixed test set it is scored on
    ppl_texts: int = 100  # held-out texts of each side the perplexities read
    epochs: int = 3  # fine-tuning epochs of the transfer
    seed: int = 0

    @property
    def backbone(self) -> str:
        return OBJECTIVE_BACKBONES[self.objective]

    def check(self) -> None:
        if self.objective not in OBJECTIVE_BACKBONES:
            raise PLMError("domain.err.objective", objective=self.objective, choices=", ".join(OBJECTIVE_BACKBONES))
        if not (1 <= self.steps <= MAX_STEPS):
            raise PLMError("domain.err.steps", steps=self.steps, most=MAX_STEPS)
        if not (1.0 <= self.budget_s <= MAX_BUDGET_S):
            raise PLMError("domain.err.budget", budget=self.budget_s, most=int(MAX_BUDGET_S))

    def train_config(self) -> Any:
        from plm_core.pretrain.train import PretrainConfig

        every = max(self.steps // 10, 5)
        return PretrainConfig(steps=self.steps, batch_size=self.batch_size, seq_len=self.seq_len, lr=self.lr,
                              warmup=max(self.steps // 10, 1), eval_every=every, eval_batches=2, seed=self.seed)

    def key(self) -> str:
        text = json.dumps(dataclasses.asdict(dataclasses.replace(self, data=DataRef(self.data.name))), sort_keys=True,
                          default=str)
        return hashlib.sha1((text + self.data.fingerprint()).encode()).hexdigest()[:16]


@dataclass
class TransferRow:
    """One transfer mode, before and after continued pretraining."""

    mode: str
    before_accuracy: float
    after_accuracy: float | None = None


@dataclass
class ContinueState:
    """The live view, and at the end the job's result."""

    objective: str
    data: str
    phase: str = "measure_before"
    steps_total: int = 0
    pool_size: int = 0  # unlabelled target texts continued pretraining read from
    history: list[tuple[int, float]] = field(default_factory=list)  # (step, train loss)
    val_history: list[tuple[int, float]] = field(default_factory=list)  # (step, held-out target loss)
    before: dict[str, Perplexity] = field(default_factory=dict)  # side -> perplexity of the shipped model
    after: dict[str, Perplexity] = field(default_factory=dict)  # side -> perplexity of the continued model
    transfer: list[TransferRow] = field(default_factory=list)
    pretrain_seconds: float = 0.0
    stopped_by: str = ""  # "" (all steps) | "budget" | "user"
    weights: str = ""  # cache folder of the continued model
    notices: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def step(self) -> int:
        return self.history[-1][0] if self.history else 0

    def perplexity_table(self) -> list[dict[str, Any]]:
        """side, before, after, change (%) — what the page's before/after table shows."""
        rows = []
        for side, before in self.before.items():
            after = self.after.get(side)
            change = (after.value / before.value - 1) * 100 if after else None
            rows.append({"side": side, "before": round(before.value, 2),
                         "after": round(after.value, 2) if after else None,
                         "change_pct": round(change, 1) if change is not None else None})
        return rows

    def transfer_table(self) -> list[dict[str, Any]]:
        return [{"mode": r.mode, "before": round(r.before_accuracy, 4),
                 "after": round(r.after_accuracy, 4) if r.after_accuracy is not None else None,
                 "change_points": round(100 * (r.after_accuracy - r.before_accuracy), 1)
                 if r.after_accuracy is not None else None} for r in self.transfer]

    def summary(self) -> dict[str, Any]:
        return {"objective": self.objective, "data": self.data, "steps": self.step, "steps_total": self.steps_total,
                "pretrain_seconds": round(self.pretrain_seconds, 1), "stopped_by": self.stopped_by,
                "perplexity": self.perplexity_table(), "transfer": self.transfer_table(), "weights": self.weights,
                "val_history": [(s, round(v, 4)) for s, v in self.val_history]}


class BudgetStop:
    """The user's stop, or the time budget once it is spent (anything with `is_set()`)."""

    def __init__(self, stop: Any, seconds: float) -> None:
        self.stop, self.deadline = stop, time.monotonic() + seconds

    def is_set(self) -> bool:
        return bool(self.stop.is_set()) or time.monotonic() > self.deadline

class CurveView(Callback):
    """Pretraining callbacks -> the live view (losses every step, held-out loss at every evaluation)."""

    def __init__(self, ctx: Any, state: ContinueState) -> None:
        self.ctx, self.state = ctx, state

    def on_step_end(self, trainer: Any, step: int, loss: float) -> None:
        self.state.history.append((step, loss))
        push(self.ctx, self.state, step / max(self.state.steps_total, 1))

    def on_eval(self, trainer: Any, step: int, value: float) -> None:
        self.state.val_history.append((step, value))


def push(ctx: Any, state: ContinueState, within: float = 0.0) -> None:
    """Progress = where the phase starts + `within` of the phase's share."""
    i = PHASES.index(state.phase)
    start, end = PHASE_START[state.phase], PHASE_START[PHASES[min(i + 1, len(PHASES) - 1)]]
    ctx.update(fraction=start + (end - start) * min(max(within, 0.0), 1.0), current=state.phase,
               state=dataclasses.replace(state, history=list(state.history), val_history=list(state.val_history),
                                         transfer=[dataclasses.replace(r) for r in state.transfer]))


def perplexities(backbone: Any, target: list[str], general: list[str]) -> dict[str, Perplexity]:
    return {"target": lm_perplexity(backbone, target), "reference": lm_perplexity(backbone, general)}


def transfer_runs(job: ContinueJob, backbone: Any, split: Any, stop: Any) -> list[Any]:
    """The same transfer (frozen, fine-tune) on the same split and seed: their TrainResults."""
    from plm_core.transfer.api import train
    from plm_core.transfer.config import TrainConfig

    results = []
    for mode in TRANSFER_MODES:
        config = TrainConfig.of(backbone=job.backbone, mode=mode, epochs=job.epochs, seed=job.seed,
                             pooling="last" if job.objective == "clm" else "mean")
        results.append(train(config, split.train, split.test, backbone, [], stop))
    return results


def continued_backbone(p: Any) -> Any:
    """The continued model behind the common interface (a new object; the shipped one is untouched)."""
    from plm_core.pretrain.studio import live_backbone

    return live_backbone(p)


def continued_dir(job: ContinueJob) -> Path:
    from plm_core.paths import cache_subdir

    return cache_subdir("continued") / f"{job.backbone}-{job.key()}"


def save_continued(job: ContinueJob, p: Any, state: ContinueState) -> str:
    """Write the continued weights to their cache folder (a failed write is a notice, never a lost result)."""
    from plm_core.pretrain.checkpoints import save_model, write_json

    folder = continued_dir(job)
    try:
        save_model(job.objective, p.model, folder, p.tokenizer)
        write_json(folder / "continued.json", state.summary())
    except OSError as err:
        state.notices.append(("domain.notice.not_saved", {"reason": str(err)[:200]}))
        return ""
    return str(folder)


def run_continue(job: ContinueJob, ctx: Any) -> ContinueState:
    """The job kind "domain.continue" (see the module docstring)."""
    from plm_core.pretrain.checkpoints import checkpoint_dir
    from plm_core.pretrain.pipeline import prepare
    from plm_core.pretrain.train import PretrainTrainer
    from plm_core.transfer.split import make_split

    job.check()
    texts = target_texts(job.data, job.seed)
    if not texts.labelled:
        raise PLMError("domain.err.no_labels")
    state = ContinueState(job.objective, job.data.name, steps_total=job.steps, pool_size=len(texts.pool))
    shipped = ctx.backbone(job.backbone)
    target, general = texts.heldout[: job.ppl_texts], reference_texts(job.ppl_texts, job.seed)
    push(ctx, state)
    state.before = perplexities(shipped, target, general)
    split = make_split(job.data.load(), n=job.n_train, seed=job.seed, test_limit=job.test_limit)
    state.phase = "transfer_before"
    push(ctx, state)
    state.transfer = [TransferRow(r.config["mode"], r.test_accuracy)
                      for r in transfer_runs(job, shipped, split, ctx.stop)]
    state.phase = "pretrain"
    push(ctx, state)
    p = prepare(job.objective, job.train_config(), seed=job.seed, init_from=checkpoint_dir(job.objective),
                lines=(texts.pool, texts.heldout))
    stop = BudgetStop(ctx.stop, job.budget_s)
    trainer = PretrainTrainer(p.task, p.model, p.train_stream, p.valid, p.cfg, callbacks=[CurveView(ctx, state)],
                              stop=stop)
    state.val_history.append((0, trainer.evaluate()))
    start = time.perf_counter()
    result = trainer.run()
    state.pretrain_seconds = time.perf_counter() - start
    state.stopped_by = "user" if ctx.should_stop() else "budget" if result.stopped else ""
    if ctx.should_stop():
        return state
    state.phase = "measure_after"
    push(ctx, state)
    continued = continued_backbone(p)
    state.after = perplexities(continued, target, general)
    state.phase = "transfer_after"
    push(ctx, state)
    for row, r in zip(state.transfer, transfer_runs(job, continued, split, ctx.stop), strict=True):
        row.after_accuracy = r.test_accuracy
    state.weights = save_continued(job, p, state)
    state.phase = "done"
    push(ctx, state, 1.0)
    return state
