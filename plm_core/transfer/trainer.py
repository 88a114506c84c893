"""The transfer trainers: subclasses of the one `plm_core.training.Trainer` (callbacks, stop, NaN check).

End-to-end modes: dynamic padding, batches bucketed by token length, AdamW over the trainable groups
only (rebuilt whenever trainability changes), held-out evaluation each epoch under eval() +
inference_mode(). Frozen mode: full-batch L-BFGS on cached features (no body forward at all).
Both stop early on a NaN/inf loss (with a message that says what to change) or when `stop` is set.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from plm_core.backbones.base import pad_batch
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.training.generators import init_module, run_generators
from plm_core.training.plan import (
    GroupPlan,
    NamedGroup,
    apply_trainability,
    build_optimizer,
    probe_plans,
    set_rates,
)
from plm_core.training.schedules import lr_multiplier
from plm_core.training.trainer import Trainer
from plm_core.transfer.config import TrainConfig
from plm_core.transfer.features import standardise
from plm_core.transfer.groups import GroupInfo, group_table, head_groups, plan_groups
from plm_core.transfer.modules import FeatureClassifier
from plm_core.transfer.strategies import GroupSetting

TRAIN_COST = 3  # a training example costs about 3 forward passes (forward + backward)
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

    def begin_epoch(self, epoch: int) -> None: ...
    def train_epoch(self, epoch: int) -> tuple[float, float]: raise NotImplementedError
    def evaluate(self) -> Evaluation: raise NotImplementedError
    def surgery(self) -> list[GroupInfo]: raise NotImplementedError

    def trainable_params(self) -> int:
        if self.optimizer is None:
            return 0
        return sum(p.numel() for g in self.optimizer.param_groups for p in g["params"])


class EndToEndTrainer(TransferTrainer):
    """finetune / discriminative / gradual / scratch: the body's layers learn with the head."""

    def __init__(self, model: nn.Module, groups: Sequence[NamedGroup], settings: Sequence[GroupSetting],
                 train_ids: list[list[int]],
                 y_train: np.ndarray, test_ids: list[list[int]], y_test: np.ndarray, pad_id: int,
                 config: TrainConfig, n_classes: int, callbacks: Sequence[Callback] = (),
                 stop: StopSignal | None = None, rng: np.random.Generator | None = None) -> None:
        super().__init__(config, n_classes, callbacks, stop)
        self.model, self.groups, self.settings = model, list(groups), list(settings)
        self.train_ids, self.y_train = train_ids, torch.as_tensor(y_train)
        self.test_ids, self.y_test = test_ids, y_test
        self.pad_id = pad_id
        self.rng = rng if rng is not None else np.random.default_rng(config.data.seed)  # the run's batch order
        self.plans: list[GroupPlan] = []
        self.trainable_key: tuple[bool, ...] = ()
        self.optimizer_builds = 0
        self.global_step = 0
        steps = math.ceil(len(train_ids) / config.optim.batch_size)
        self.steps_per_epoch = steps
        o = config.optim
        self.lr_factor = lr_multiplier(o.schedule, o.epochs * steps, o.warmup)  # step -> x the planned rates
        self.work_total = config.optim.epochs * (TRAIN_COST * len(train_ids) + len(test_ids))

    def begin_epoch(self, epoch: int) -> None:
        """Apply the mode's plan for this epoch; rebuild the optimizer only if trainability changed."""
        self.plans = plan_groups(self.groups, self.settings, epoch)
        key = tuple(p.trainable for p in self.plans)
        if key != self.trainable_key:
            apply_trainability(self.plans)
            self.optimizer = build_optimizer(self.plans, self.config.optim.weight_decay)  # fresh state
            self.optimizer_builds += 1
            self.trainable_key = key

    def surgery(self) -> list[GroupInfo]:
        return group_table(self.groups, self.optimizer, self.plans)

    def train_epoch(self, epoch: int) -> tuple[float, float]:
        self.model.train()
        lengths = [len(x) for x in self.train_ids]
        total_loss, correct, seen = 0.0, 0, 0
        assert self.optimizer is not None
        lr = max(g["lr"] for g in self.optimizer.param_groups)
        for batch in bucket_batches(lengths, self.config.optim.batch_size, self.rng):
            lr = set_rates(self.optimizer, self.global_step, float(self.lr_factor(self.global_step)))
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
        self.groups = [*body, *head_groups(self.model, n_layers)]
        self.X_train, self.y_train = torch.from_numpy(X_train).float(), torch.as_tensor(y_train)  # (N, [L+1,] H)
        self.X_test, self.y_test = torch.from_numpy(X_test).float(), y_test
        self.optimizer = build_optimizer(probe_plans(self.groups), kind="lbfgs", max_iter=config.optim.frozen_iters)
        self.work_total = len(X_train) + len(X_test)

    def n_epochs(self) -> int:
        """One full-batch L-BFGS solve on fixed features: there are no epochs to draw (the history has one
        record, the charts one point), whatever config.optim.epochs says for the end-to-end modes."""
        return 1

    def surgery(self) -> list[GroupInfo]:
        """The head-surgery rows read from the L-BFGS optimizer (the frozen body is never in it)."""
        return group_table(self.groups, self.optimizer)

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


def evaluation_from_logits(logits: torch.Tensor, y_true: np.ndarray, n_classes: int) -> Evaluation:
    target = torch.as_tensor(y_true)
    loss = float(nn.functional.cross_entropy(logits, target)) if len(target) else float("nan")
    pred = logits.argmax(-1).numpy()
    m = classification_metrics(np.asarray(y_true), pred, n_classes)
    return Evaluation(loss, m["accuracy"], m["macro_f1"], m["confusion"], pred)

