"""The transfer trainers: subclasses of the one `plm_core.training.Trainer` (callbacks, stop, NaN check).

End-to-end modes: the trainer builds the classifier (the body + a new head) and carries out the run's plan
(`plm_core.transfer.groups.plan_run`): per epoch the planned groups (the optimizer rebuilt whenever trainability
changes), per step the planned rates from the rate table; dynamic padding, batches bucketed by token length,
held-out evaluation each epoch under eval() + inference_mode(). Frozen mode: full-batch L-BFGS on cached features
(no body forward at all). Both stop early on a NaN/inf loss (with a message that says what to change) or when `stop`
is set. At the end the trainer reads back what the result reports: the head-surgery table, the trainable
parameters, the weights' drift, the scalar mix.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from plm_core.backbones.base import Backbone, pad_batch
from plm_core.backbones.capabilities import Trainable
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.training.generators import RunGenerators, init_module, run_generators
from plm_core.training.optim import (
    GroupInfo,
    apply_rates,
    apply_trainability,
    build_optimizer,
    group_table,
    probe_plans,
    relative_drift,
    snapshot,
)
from plm_core.training.plan import GroupPlan, NamedGroup, RateTable
from plm_core.training.trainer import Trainer
from plm_core.transfer.config import TrainConfig
from plm_core.transfer.features import extract_layer_features, standardise
from plm_core.transfer.groups import TRAIN_COST
from plm_core.transfer.modules import FeatureClassifier, TransferClassifier
from plm_core.transfer.split import Split

BUCKET_FACTOR = 8  # examples are sorted by length within windows of batch_size * BUCKET_FACTOR


collate = pad_batch  # dynamic padding: each batch padded to its own longest text (one implementation)


def bucket_batches(lengths: Sequence[int], batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffle, sort by length within windows, cut into batches, shuffle the batches (seeded)."""
    order = rng.permutation(len(lengths))
    window = batch_size * BUCKET_FACTOR
    batches: list[np.ndarray] = []
    for start in range(0, len(order), window):
        chunk = order[start : start + window]
        chunk = chunk[np.argsort([lengths[i] for i in chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def length_order(lengths: Sequence[int]) -> np.ndarray:
    return np.argsort(np.asarray(lengths), kind="stable")


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict[str, Any]:
    """Accuracy, macro-F1 (over classes seen in truth or predictions) and the confusion matrix."""
    confusion = np.zeros((n_classes, n_classes), dtype=np.int64)  # rows: true, columns: predicted
    np.add.at(confusion, (y_true, y_pred), 1)
    tp = np.diag(confusion).astype(float)
    denom = confusion.sum(axis=0) + confusion.sum(axis=1)  # 2TP + FP + FN
    present = denom > 0
    f1 = np.where(present, 2 * tp / np.maximum(denom, 1), 0.0)
    return {
        "accuracy": float((y_true == y_pred).mean()) if len(y_true) else float("nan"),
        "macro_f1": float(f1[present].mean()) if present.any() else float("nan"),
        "confusion": confusion.tolist(),
    }


@dataclass
class Evaluation:
    loss: float
    accuracy: float
    macro_f1: float
    confusion: list[list[int]]
    predictions: np.ndarray  # (N,) class indices


class TransferTrainer(Trainer):
    """The epoch loop of both kinds of transfer training; subclasses supply train_epoch and evaluate.

    Work for progress: examples processed, a training example weighted TRAIN_COST.
    """

    model: nn.Module  # set by the subclass

    def __init__(self, config: TrainConfig, n_classes: int, callbacks: Sequence[Callback] = (),
                 stop: StopSignal | None = None) -> None:
        super().__init__(callbacks, stop)
        self.config = config
        self.n_classes = n_classes
        self.history: list[dict] = []  # one record per finished epoch
        self.optimizer: torch.optim.Optimizer | None = None
        self.last_eval: Evaluation | None = None
        self.epoch = 0
        self.optimizer_builds = 1  # how often the optimizer was (re)built
        self.groups: list[NamedGroup] = []  # every named group, body and new
        self.reference: dict[str, list[torch.Tensor]] = {}  # the weights drift is measured against
        self.final = Readout()  # read back at the end of fit()
        self.fit_seconds = 0.0
        self.timings: dict[str, Any] = {}  # what the trainer did before fit (feature extraction)

    def loss_ok(self, loss: float, epoch: int, step: int, lr: float) -> bool:
        """False (and a notice saying what to change) when the loss is NaN or infinite."""
        return self.check_loss(loss, "transfer.err.nan_loss", epoch=epoch, step=step, lr=f"{lr:g}")

    def n_epochs(self) -> int:
        """Passes over the training examples (frozen mode overrides: one solve, no epochs)."""
        return self.config.optim.epochs

    def loop(self) -> None:
        for epoch in range(1, self.n_epochs() + 1):
            if self.should_stop():
                break
            self.epoch = epoch
            self.begin_epoch(epoch)
            self.trigger("on_epoch_begin", epoch)
            start = time.perf_counter()
            train_loss, train_acc = self.train_epoch(epoch)
            if self.should_stop():
                break
            ev = self.evaluate()
            self.last_eval = ev
            record = {
                "epoch": epoch, "train_loss": train_loss, "train_accuracy": train_acc, "test_loss": ev.loss,
                "test_accuracy": ev.accuracy, "test_macro_f1": ev.macro_f1,
                "seconds": time.perf_counter() - start, "trainable_params": self.trainable_params(),
            }
            self.history.append(record)
            self.memory.sample()
            self.trigger("on_epoch_end", record)

    def fit(self) -> None:
        """The run, then what the result reports, read back from the optimizer and the weights."""
        start = time.perf_counter()
        super().fit()
        self.fit_seconds = time.perf_counter() - start
        self.final = self.read_back()

    def read_back(self) -> Readout:
        mix = getattr(self.model, "mix", None)
        return Readout(self.surgery_rows(), self.trainable_params(), relative_drift(self.groups, self.reference),
                       mix.layer_weights() if mix is not None else None,
                       float(mix.gamma.detach()) if mix is not None else None)

    def begin_epoch(self, epoch: int) -> None: ...
    def train_epoch(self, epoch: int) -> tuple[float, float]: raise NotImplementedError
    def evaluate(self) -> Evaluation: raise NotImplementedError
    def surgery(self) -> list[GroupInfo]: raise NotImplementedError

    def surgery_rows(self) -> list[dict[str, Any]]:
        """The head-surgery table as plain rows (what a result and a live view keep)."""
        return [r.as_row() for r in self.surgery()]

    def trainable_params(self) -> int:
        if self.optimizer is None:
            return 0
        return sum(p.numel() for g in self.optimizer.param_groups for p in g["params"])


@dataclass(frozen=True)
class NewGroupPlan:
    """The plan of a group the trainer adds (the new head, the scalar mix), as data: by name, per epoch."""

    name: str  # "mix" | "head"
    lr: float
    active: tuple[bool, ...]  # epoch 1 .. E: whether it learns
    unfreeze_epoch: int | None = None
    lora_rank: int = 0  # shown in the table (adapters go on layers only)
    bias_only: bool = False


@dataclass
class EndToEndPlan:
    """What the plan hands an end-to-end trainer: the body to train, its groups' plans per epoch, the new groups'
    plans, the rate of every group at every step, and how the classifier pools."""

    work: Trainable  # a private copy (or the random twin): trained in place
    body: list[NamedGroup]  # embeddings, layers, pooler, what is dropped
    body_plans: list[list[GroupPlan]]  # per epoch (index epoch - 1)
    new: list[NewGroupPlan]  # mix (if any), head
    rates: RateTable
    token_pooling: str  # how tokens are pooled inside a layer
    reference: dict[str, list[torch.Tensor]] | None = None  # the untouched original body (drift); None: a snapshot


@dataclass
class Readout:
    """What a finished trainer reports (plain data for the result)."""

    table: list[dict[str, Any]] = field(default_factory=list)  # the head-surgery rows
    trainable_params: int = 0
    drift: dict[str, float] = field(default_factory=dict)
    layer_weights: list[float] | None = None
    mix_gamma: float | None = None


def new_groups(model: nn.Module, n_layers: int) -> list[NamedGroup]:
    """The new parts of a classifier as named groups: the scalar mix (if any) and the head."""
    mix = getattr(model, "mix", None)
    parts = ([("mix", list(mix.parameters()))] if mix is not None else []) \
        + [("head", list(model.get_submodule("head").parameters()))]
    return [NamedGroup(name, params, "new", n_layers + 1, sum(p.numel() for p in params)) for name, params in parts]


def end_to_end_model(config: TrainConfig, work: Trainable, n_classes: int, token_pooling: str) -> TransferClassifier:
    """The body with a fresh head on top, pooling and reading what the strategy says."""
    s = config.strategy
    return TransferClassifier(work.body, work.hidden_size, n_classes, s.head, s.pooling, s.layer, token_pooling,
                              work.n_layers + 1, s.mlp_hidden, s.dropout)


class EndToEndTrainer(TransferTrainer):
    """finetune / discriminative / gradual / scratch / ...: the body's layers learn with the head, as planned."""

    def __init__(self, plan: EndToEndPlan, train_ids: list[list[int]], y_train: np.ndarray, test_ids: list[list[int]],
                 y_test: np.ndarray, pad_id: int, config: TrainConfig, n_classes: int,
                 callbacks: Sequence[Callback] = (), stop: StopSignal | None = None,
                 gens: RunGenerators | None = None) -> None:
        super().__init__(config, n_classes, callbacks, stop)
        gens = gens or run_generators(config.data.seed)
        work = plan.work
        self.model = end_to_end_model(config, work, n_classes, plan.token_pooling)
        init_module(self.model.head, gens.torch)  # only the new head: the body keeps its weights
        added = new_groups(self.model, work.n_layers)
        self.groups = [*plan.body, *added]
        self.epoch_plans = [body + [GroupPlan(g, p.active[i] and bool(g.params), p.lr, p.unfreeze_epoch,
                                                      lora_rank=p.lora_rank, bias_only=p.bias_only)
                                    for g, p in zip(added, plan.new, strict=True)]
                            for i, body in enumerate(plan.body_plans)]
        self.rates = plan.rates
        self.reference = snapshot(self.groups) if plan.reference is None else plan.reference | snapshot(added)
        self.train_ids, self.y_train = train_ids, torch.as_tensor(y_train)
        self.test_ids, self.y_test = test_ids, y_test
        self.pad_id = pad_id
        self.rng = gens.numpy  # the run's batch order
        self.plans: list[GroupPlan] = []
        self.trainable_key: tuple[bool, ...] = ()
        self.optimizer_builds = 0
        self.global_step = 0
        self.steps_per_epoch = math.ceil(len(train_ids) / config.optim.batch_size)
        self.work_total = config.optim.epochs * (TRAIN_COST * len(train_ids) + len(test_ids))

    def begin_epoch(self, epoch: int) -> None:
        """The plan of this epoch; the optimizer rebuilt only if trainability changed."""
        self.plans = self.epoch_plans[epoch - 1]
        key = tuple(p.trainable for p in self.plans)
        if key != self.trainable_key:
            apply_trainability(self.plans)
            self.optimizer = build_optimizer(self.plans, self.config.optim.weight_decay)  # fresh state
            self.optimizer_builds += 1
            self.trainable_key = key
            self.table = self.surgery_rows()

    def surgery(self) -> list[GroupInfo]:
        return group_table(self.groups, self.optimizer, self.plans)

    def train_epoch(self, epoch: int) -> tuple[float, float]:
        self.model.train()
        lengths = [len(x) for x in self.train_ids]
        total_loss, correct, seen = 0.0, 0, 0
        assert self.optimizer is not None
        lr = max(g["lr"] for g in self.optimizer.param_groups)
        for batch in bucket_batches(lengths, self.config.optim.batch_size, self.rng):
            lr = apply_rates(self.optimizer, self.rates, self.global_step)  # the plan's rates of this step
            input_ids, mask = collate([self.train_ids[i] for i in batch], self.pad_id)  # (B, T)
            logits = self.model(input_ids, mask)  # (B, C)
            target = self.y_train[batch]
            loss = nn.functional.cross_entropy(logits, target)
            loss_value = loss.item()
            self.global_step += 1
            if not self.loss_ok(loss_value, epoch, self.global_step, lr):
                break
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if self.config.optim.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_([p for g in self.optimizer.param_groups for p in g["params"]],
                                               self.config.optim.grad_clip)
            self.optimizer.step()
            total_loss += loss_value * len(batch)
            correct += int((logits.argmax(-1) == target).sum())
            seen += len(batch)
            self.add_work(TRAIN_COST * len(batch), "train")
            self.finish_step(self.global_step, loss_value, epoch=epoch, lr=lr)
            if self.should_stop():
                break
        return (total_loss / seen if seen else float("nan")), (correct / seen if seen else float("nan"))

    def evaluate(self) -> Evaluation:
        """Held-out loss, accuracy and macro-F1 under eval() + inference_mode(), then back to train()."""
        self.model.eval()
        order = length_order([len(x) for x in self.test_ids])
        logits_all = torch.empty((len(self.test_ids), self.n_classes))
        batch = max(self.config.optim.batch_size, 64)
        with torch.inference_mode():
            for start in range(0, len(order), batch):
                idx = order[start : start + batch]
                input_ids, mask = collate([self.test_ids[i] for i in idx], self.pad_id)
                logits_all[torch.as_tensor(idx)] = self.model(input_ids, mask).float()  # (B, C)
                self.add_work(len(idx), "evaluate")
        self.model.train()
        return evaluation_from_logits(logits_all, self.y_test, self.n_classes)


class FeatureTrainer(TransferTrainer):
    """Frozen mode, the one frozen probe: the head (and scalar mix) learn on cached features with full-batch L-BFGS.

    Features (N, H), or (N, L+1, H) under a scalar mix, are standardised with the training set's statistics; the
    head is drawn from the run's seed; the body's groups are only listed (they never enter the optimizer).
    """

    def __init__(self, config: TrainConfig, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray,
                 y_test: np.ndarray, n_classes: int, body: Sequence[NamedGroup] = (), n_layers: int = 0,
                 callbacks: Sequence[Callback] = (), stop: StopSignal | None = None) -> None:
        super().__init__(config, n_classes, callbacks, stop)
        X_train, X_test = standardise(X_train, X_test)
        s = config.strategy
        self.model = FeatureClassifier(X_train.shape[-1], n_classes, s.head, X_train.shape[1] if X_train.ndim == 3
                                       else 0, s.mlp_hidden)
        init_module(self.model.head, run_generators(config.data.seed).torch)  # the scalar mix starts uniform
        added = new_groups(self.model, n_layers)
        self.groups = [*body, *added]
        self.reference = snapshot(added)
        self.X_train, self.y_train = torch.from_numpy(X_train).float(), torch.as_tensor(y_train)  # (N, [L+1,] H)
        self.X_test, self.y_test = torch.from_numpy(X_test).float(), y_test
        self.optimizer = build_optimizer(probe_plans(self.groups), kind="lbfgs", max_iter=config.optim.frozen_iters)
        self.work_total = len(X_train) + len(X_test)
        self.table = self.surgery_rows()

    @classmethod
    def extracting(cls, config: TrainConfig, backbone: Backbone, split: Split, labels: tuple[np.ndarray, np.ndarray],
                   pooling: str, body: Sequence[NamedGroup], callbacks: Sequence[Callback] = (),
                   stop: StopSignal | None = None) -> FeatureTrainer:
        """Frozen mode on a backbone: the features of the split's texts (from the feature cache when they are there,
        progress through on_phase), then the probe over them."""
        t0 = time.perf_counter()
        X_tr, hit_tr = extract_layer_features(backbone, split.train["text"].tolist(), pooling, config.data.max_length,
                                              "train", progress=relay(callbacks, "extract_train"))
        X_te, hit_te = extract_layer_features(backbone, split.test["text"].tolist(), pooling, config.data.max_length,
                                              "test", progress=relay(callbacks, "extract_test"))
        timings = {"extract_seconds": time.perf_counter() - t0, "cache_hit": bool(hit_tr and hit_te)}
        if config.strategy.pooling != "mix":
            X_tr, X_te = X_tr[:, config.strategy.layer], X_te[:, config.strategy.layer]  # (N, H)
        trainer = cls(config, X_tr, labels[0], X_te, labels[1], len(split.labels), body, backbone.n_layers, callbacks,
                      stop)
        trainer.timings = timings
        return trainer

    def n_epochs(self) -> int:
        """One full-batch L-BFGS solve on fixed features: there are no epochs to draw (the history has one
        record, the charts one point), whatever config.optim.epochs says for the end-to-end modes."""
        return 1

    def surgery(self) -> list[GroupInfo]:
        """The head-surgery rows read from the L-BFGS optimizer (the frozen body is never in it)."""
        return group_table(self.groups, self.optimizer)

    def read_back(self) -> Readout:
        """The body never entered an optimizer: it cannot have moved (drift 0 for every body group)."""
        out = super().read_back()
        out.drift = {g.name: 0.0 for g in self.groups if g.origin != "new" and g.params} | out.drift
        return out

    def objective(self) -> torch.Tensor:
        """Mean cross-entropy + l2/N * 0.5 ||W||^2 (sklearn's C = 1/l2); biases unpenalised.

        With a scalar mix the first weight matrix is penalised as gamma * W, the map it really applies,
        so the optimizer cannot dodge the penalty by growing gamma and shrinking W.
        """
        logits = self.model(self.X_train)  # (N, C)
        loss = nn.functional.cross_entropy(logits, self.y_train)
        weights = [p for name, p in self.model.get_submodule("head").named_parameters() if name.endswith("weight")]
        mix = getattr(self.model, "mix", None)
        scale = mix.gamma ** 2 if mix is not None else 1.0
        penalty = scale * (weights[0] ** 2).sum() + sum((w ** 2).sum() for w in weights[1:])
        if mix is not None:  # ELMo regularises the layer weights towards the uniform mix
            penalty = penalty + (mix.scalars ** 2).sum()
        return loss + penalty * (0.5 * self.config.optim.l2 / len(self.y_train))

    def train_epoch(self, epoch: int) -> tuple[float, float]:
        self.model.train()
        optimizer = self.optimizer
        assert isinstance(optimizer, torch.optim.LBFGS)  # built in __init__

        def closure() -> torch.Tensor:
            optimizer.zero_grad(set_to_none=True)
            loss = self.objective()
            if torch.isfinite(loss):
                loss.backward()
            return loss

        loss = float(optimizer.step(closure).detach())
        if not self.loss_ok(loss, epoch, epoch, 1.0):
            return loss, float("nan")
        with torch.no_grad():
            logits = self.model(self.X_train)
            train_loss = float(nn.functional.cross_entropy(logits, self.y_train))
            train_acc = float((logits.argmax(-1) == self.y_train).float().mean())
        if not self.loss_ok(train_loss, epoch, epoch, 1.0):
            return train_loss, train_acc
        self.add_work(len(self.X_train), "train")
        self.finish_step(epoch, train_loss, epoch=epoch)
        return train_loss, train_acc

    def evaluate(self) -> Evaluation:
        self.model.eval()
        with torch.inference_mode():
            logits = self.model(self.X_test).float()  # (N, C)
        self.model.train()
        self.add_work(len(self.X_test), "evaluate")
        return evaluation_from_logits(logits, self.y_test, self.n_classes)


def relay(callbacks: Sequence[Callback], phase: str) -> Callable[[int, int], None]:
    """Feature-extraction progress (done, total) -> `on_phase` callbacks (before the probe's trainer exists)."""
    def report(done: int, total: int) -> None:
        for cb in callbacks:
            cb.on_phase(None, phase, done, total)
    return report


def evaluation_from_logits(logits: torch.Tensor, y_true: np.ndarray, n_classes: int) -> Evaluation:
    target = torch.as_tensor(y_true)
    loss = float(nn.functional.cross_entropy(logits, target)) if len(target) else float("nan")
    pred = logits.argmax(-1).numpy()
    m = classification_metrics(np.asarray(y_true), pred, n_classes)
    return Evaluation(loss, m["accuracy"], m["macro_f1"], m["confusion"], pred)

