"""Runners of the cards that are transfer runs: ULMFiT Table 7, BERT Table 7, ELMo Table 2, SetFit at K = 8.

All of them call the Transfer lab's own code: `plm_core.transfer.train` (strategies, the ELMo scalar mix,
the random twin for "from scratch"), the cached layer features of `plm_core.transfer.features` with its
probe, and `plm_core.transfer.setfit.train_setfit`. Every run keeps its per-text test predictions, so each
compared difference gets a paired bootstrap CI (plm_core.evidence.stats) over the same texts and seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from plm_core.evidence.cards import ProofResult, ProofRow, progress_of
from plm_core.evidence.cards_verdicts import bert_verdict, elmo_verdict, setfit_verdict, ulmfit_verdict
from plm_core.evidence.stats import Arm
from plm_core.training.callbacks import Callback

ULMFIT_VARIANTS: tuple[str, ...] = ("scratch", "finetune", "discriminative", "gradual", "frozen")
BERT_FEATURES: tuple[str, ...] = ("embeddings", "second_last", "last", "concat4")
ELMO_VARIANTS: tuple[str, ...] = ("top", "mix")
SETFIT_VARIANTS: tuple[str, ...] = ("frozen", "finetune", "setfit")
ULMFIT_DECAY = 1 / 2.6  # ULMFiT's discriminative rates: eta^(l-1) = eta^l / 2.6


@dataclass(frozen=True)
class TransferPreset:
    """A card that trains on N examples of one or more sample sets, over seeds."""

    backbone: str = "tiny-gpt-clm"
    data: tuple[str, ...] = ("movie-snippets",)
    n: int = 512  # training examples
    test_limit: int = 500  # first examples of the fixed test set
    epochs: int = 4  # end-to-end runs (gradual unfreezing needs layers + 2 to thaw every layer)
    max_length: int = 48  # tokens per text
    seeds: int = 3
    seed: int = 0
    lr_body: float = 1e-3  # the body's (top layer's) peak learning rate
    lr_head: float = 2e-3  # the new head's learning rate: the same for every variant
    schedule: str = "slanted_triangular"


@dataclass(frozen=True)
class SetFitPreset:
    backbone: str = "minilm-l6"
    data: str = "movie-snippets"
    per_class: int = 8  # K
    test_limit: int = 500
    seeds: int = 3
    num_iterations: int = 8  # SetFit pairs per labelled text
    finetune_epochs: int = 8  # full fine-tuning on 2K texts
    max_length: int = 64
    seed: int = 0


class KeepPredictions(Callback):
    """Scores the held-out texts once, after the last epoch (not after every one: on a busy CPU the per-epoch
    scoring of 500 texts costs more than the training), and keeps the per-text predictions."""

    def __init__(self) -> None:
        self.predictions: np.ndarray | None = None
        self.held: tuple[Any, Any] | None = None

    def on_epoch_begin(self, trainer: Any, epoch: int) -> None:
        from plm_core.transfer.trainer import EndToEndTrainer

        if not isinstance(trainer, EndToEndTrainer):
            return
        if self.held is None:
            self.held = (trainer.test_ids, trainer.y_test)
        last = epoch >= trainer.config.optim.epochs
        trainer.test_ids, trainer.y_test = self.held if last else ([], np.zeros(0, dtype=np.int64))

    def on_train_end(self, trainer: Any) -> None:
        from plm_core.transfer.trainer import TransferTrainer

        if isinstance(trainer, TransferTrainer) and trainer.last_eval is not None:
            self.predictions = np.asarray(trainer.last_eval.predictions, dtype=np.int64)


def _split(data: str, seed: int, test_limit: int, n: int | None = None, per_class: int | None = None) -> Any:
    from plm_core.data import get_dataset
    from plm_core.transfer.split import make_split

    return make_split(get_dataset(data), n=n, per_class=per_class, seed=seed, test_limit=test_limit)


def in_split_order(predictions: Sequence[int] | np.ndarray, run_labels: Sequence[str], split: Any) -> np.ndarray:
    """Class indices of a run (in its own label list: the classes of ITS training draw and the test set) as indices
    of `split.labels` (the data set's classes), so every seed's predictions and the truth share one order."""
    index = {str(lab): i for i, lab in enumerate(split.labels)}
    return np.array([index[str(run_labels[int(i)])] for i in predictions], dtype=np.int64)


def run_predicting(config: Any, split: Any, backbone: Any, stop: Any = None) -> tuple[Any, np.ndarray]:
    """One transfer run; (its result, its (N,) test predictions as indices of split.labels)."""
    from plm_core.transfer import train

    keep = KeepPredictions()
    result = train(config, split.train, split.test, backbone=backbone, callbacks=[keep], stop=stop)
    if keep.predictions is None or len(keep.predictions) != len(split.test):
        raise RuntimeError(f"{config.preset}: no test predictions")  # a stopped run: the job says stopped
    return result, in_split_order(keep.predictions, result.labels, split)


class Collect:
    """(group, variant) -> per-seed predictions, and the truth of each group's test texts."""

    def __init__(self) -> None:
        self.preds: dict[tuple[str, str], list[np.ndarray]] = {}
        self.truth: dict[str, np.ndarray] = {}

    def add(self, group: str, variant: str, split: Any, predictions: np.ndarray) -> None:
        self.truth[group] = np.asarray(split.encode(split.test["label"]))
        self.preds.setdefault((group, variant), []).append(np.asarray(predictions, dtype=np.int64))

    def arms(self, group: str) -> dict[str, Arm]:
        return {v: Arm(np.stack(p), self.truth[g], g) for (g, v), p in self.preds.items() if g == group}

    def rows(self, score: Callable[[np.ndarray, np.ndarray], float]) -> list[ProofRow]:
        return [ProofRow.over_seeds(g, v, [score(p, self.truth[g]) for p in ps]) for (g, v), ps in self.preds.items()]


def accuracy_points(pred: np.ndarray, truth: np.ndarray) -> float:
    return 100.0 * float((pred == truth).mean())


def error_points(pred: np.ndarray, truth: np.ndarray) -> float:
    return 100.0 - accuracy_points(pred, truth)


def macro_f1_points(pred: np.ndarray, truth: np.ndarray) -> float:
    from plm_core.evidence.stats import weighted_metric

    return 100.0 * float(weighted_metric(pred[None, :], truth, np.ones((1, len(truth))), "macro_f1")[0, 0])


def ulmfit_config(p: TransferPreset, variant: str, seed: int) -> Any:
    """ULMFiT's recipe for every end-to-end variant: the slanted triangular schedule, the same head LR; the
    discriminative rates (/2.6 per layer) for "discriminative" and "gradual"; "frozen" is "Last" (the head alone,
    solved on the frozen features)."""
    from plm_core.transfer import TrainConfig

    head = "" if variant == "frozen" else f"head:lr={p.lr_head:g}"
    return TrainConfig.of(backbone=p.backbone, strategy=variant, epochs=p.epochs, max_length=p.max_length, seed=seed,
                       lr_body=p.lr_body, lr_head=p.lr_head, layer_decay=ULMFIT_DECAY, schedule=p.schedule,
                       groups=head)


def run_ulmfit(p: TransferPreset, ctx: Any) -> ProofResult:
    """From scratch / full / discriminative / gradual fine-tuning / last layer only, on the same split."""
    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    data, got = p.data[0], Collect()
    total, done = p.seeds * len(ULMFIT_VARIANTS), 0
    for seed in range(p.seed, p.seed + p.seeds):
        split = _split(data, seed, p.test_limit, n=p.n)
        for variant in ULMFIT_VARIANTS:
            report(done / total, f"{variant} · seed {seed}")
            _, pred = run_predicting(ulmfit_config(p, variant, seed), split, backbone, ctx.stop)
            got.add(data, variant, split, pred)
            done += 1
    return ProofResult("ulmfit", got.rows(error_points), ulmfit_verdict(got.arms(data)), "error_pct",
                       {"backbone": p.backbone, "epochs": p.epochs, "n": p.n, "test": p.test_limit})


def feature_variant(X: np.ndarray, variant: str) -> np.ndarray:
    """(N, L+1, H) layer features -> (N, H') for one of BERT's Table 7 feature choices."""
    if variant == "embeddings":
        return X[:, 0]  # (N, H)
    if variant == "last":
        return X[:, -1]
    if variant == "second_last":
        return X[:, -2]
    return X[:, -4:].reshape(len(X), -1)  # concat4: (N, 4H) (all L+1 states where there are fewer than four)


def run_bert(p: TransferPreset, ctx: Any) -> ProofResult:
    """Frozen features of chosen layers (a logistic probe), the learned weighted sum, and fine-tuning."""
    from plm_core.transfer import TrainConfig
    from plm_core.transfer.features import extract_layer_features, fit_probe

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    got = Collect()
    total, done = p.seeds * len(p.data) * 3, 0
    for seed in range(p.seed, p.seed + p.seeds):
        for data in p.data:
            split = _split(data, seed, p.test_limit, n=p.n)
            report(done / total, f"{data} · features · seed {seed}")
            X_tr, _ = extract_layer_features(backbone, split.train["text"].tolist(), "mean", p.max_length, "train")
            X_te, _ = extract_layer_features(backbone, split.test["text"].tolist(), "mean", p.max_length, "test")
            for variant in BERT_FEATURES:
                _, _, pred = fit_probe(feature_variant(X_tr, variant), split.train["label"],
                                       feature_variant(X_te, variant), split.test["label"], seed=seed)
                got.add(data, variant, split, split.encode(pd.Series(pred)))
            done += 1
            for variant, mode, pooling in (("mix", "frozen", "mix"), ("finetune", "finetune", "mean")):
                report(done / total, f"{data} · {variant} · seed {seed}")
                config = TrainConfig.of(backbone=p.backbone, mode=mode, pooling=pooling, epochs=p.epochs,
                                     max_length=p.max_length, seed=seed, lr_body=p.lr_body, lr_head=p.lr_head,
                                     schedule=p.schedule, groups="" if mode == "frozen" else f"head:lr={p.lr_head:g}")
                _, pred = run_predicting(config, split, backbone, ctx.stop)
                got.add(data, variant, split, pred)
                done += 1
    return ProofResult("bert", got.rows(macro_f1_points), bert_verdict({d: got.arms(d) for d in p.data}),
                       "macro_f1", {"backbone": p.backbone, "epochs": p.epochs, "n": p.n, "test": p.test_limit})


def run_elmo(p: TransferPreset, ctx: Any) -> ProofResult:
    """The tiny biLM, frozen: the top layer alone vs ELMo's learned scalar mix gamma * sum softmax(s)_j h_j."""
    from plm_core.transfer import TrainConfig

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    data, got = p.data[0], Collect()
    gammas, weights = [], []
    for i, seed in enumerate(range(p.seed, p.seed + p.seeds)):
        split = _split(data, seed, p.test_limit, n=p.n)
        report(i / p.seeds, f"seed {seed}")
        for variant in ELMO_VARIANTS:
            pooling = "mix" if variant == "mix" else "mean"
            config = TrainConfig.of(backbone=p.backbone, mode="frozen", pooling=pooling, layer=-1,
                                 max_length=p.max_length, seed=seed)
            result, pred = run_predicting(config, split, backbone, ctx.stop)
            got.add(data, variant, split, pred)
            if variant == "mix":
                gammas.append(result.mix_gamma)
                weights.append(result.layer_weights)
    extra = {"gamma": [round(float(g), 3) for g in gammas if g is not None],
             "layer_weights": np.mean(np.asarray(weights, dtype=float), axis=0).round(3).tolist()}
    return ProofResult("elmo", got.rows(accuracy_points), elmo_verdict(got.arms(data)), "accuracy", extra)


def run_setfit(p: SetFitPreset, ctx: Any) -> ProofResult:
    """K examples per class: the frozen probe, full fine-tuning and SetFit, on the same draws."""
    from plm_core.transfer import TrainConfig
    from plm_core.transfer.setfit import SetFitConfig, train_setfit

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    got = Collect()
    total, done = p.seeds * 3, 0
    for seed in range(p.seed, p.seed + p.seeds):
        split = _split(p.data, seed, p.test_limit, per_class=p.per_class)
        for variant in SETFIT_VARIANTS:
            report(done / total, f"{variant} · seed {seed}")
            if variant == "setfit":
                config = SetFitConfig(backbone=p.backbone, seed=seed, num_iterations=p.num_iterations,
                                      max_length=p.max_length)
                fit = train_setfit(config, split.train, split.test, backbone, stop=ctx.stop,
                                   map_limit=0)  # no embedding map: a card shows scores
                pred = in_split_order(fit.predictions, fit.labels, split)
            else:
                tc = TrainConfig.of(backbone=p.backbone, mode=variant, epochs=p.finetune_epochs,
                                 batch_size=8, lr_body=5e-5, max_length=p.max_length, seed=seed)
                _, pred = run_predicting(tc, split, backbone, ctx.stop)
            got.add(p.data, variant, split, pred)
            done += 1
    return ProofResult("setfit", got.rows(accuracy_points), setfit_verdict(got.arms(p.data)), "accuracy")
