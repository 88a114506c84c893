"""Runners of the cards that are transfer runs: ULMFiT Table 7, BERT Table 7, ELMo Table 2, SetFit at K = 8.

All of them call the Transfer lab's own code: `plm_core.transfer.train` (strategies, the ELMo scalar mix,
the random twin for "from scratch"), the cached layer features of `plm_core.transfer.features` with its
probe, and `plm_core.transfer.setfit.train_setfit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from plm_core.evidence.cards import ProofResult, ProofRow, progress_of
from plm_core.evidence.cards_verdicts import bert_verdict, elmo_verdict, setfit_verdict, ulmfit_verdict

ULMFIT_VARIANTS: tuple[str, ...] = ("scratch", "finetune", "discriminative", "gradual", "frozen")
BERT_FEATURES: tuple[str, ...] = ("embeddings", "second_last", "last", "concat4")
BERT_VARIANTS: tuple[str, ...] = (*BERT_FEATURES, "mix", "finetune")
ELMO_VARIANTS: tuple[str, ...] = ("top", "mix")
SETFIT_VARIANTS: tuple[str, ...] = ("frozen", "finetune", "setfit")


@dataclass(frozen=True)
class TransferPreset:
    """A card that trains on N examples of one or more sample sets, over seeds."""

    backbone: str = "minilm-l6"
    data: tuple[str, ...] = ("movie-snippets",)
    n: int = 200  # training examples
    test_limit: int = 200  # first examples of the fixed test set
    epochs: int = 2  # end-to-end runs
    max_length: int = 48  # tokens per text
    seeds: int = 1
    seed: int = 0


@dataclass(frozen=True)
class SetFitPreset:
    backbone: str = "minilm-l6"
    data: str = "movie-snippets"
    per_class: int = 8  # K
    test_limit: int = 100
    seeds: int = 2
    num_iterations: int = 8  # SetFit pairs per labelled text
    finetune_epochs: int = 8  # full fine-tuning on 2K texts
    max_length: int = 64
    seed: int = 0


def _split(data: str, seed: int, test_limit: int, n: int | None = None, per_class: int | None = None) -> Any:
    from plm_core.data import get_dataset
    from plm_core.transfer.split import make_split

    return make_split(get_dataset(data), n=n, per_class=per_class, seed=seed, test_limit=test_limit)


def _rows(scores: dict[tuple[str, str], list[float]]) -> list[ProofRow]:
    """(group, variant) -> values per seed -> mean +- sd rows."""
    from plm_core.figures import sample_sd

    return [ProofRow(g, v, float(np.mean(vals)), sample_sd(vals), len(vals)) for (g, v), vals in scores.items()]


def _means(rows: Sequence[ProofRow], group: str) -> dict[str, float]:
    return {r.variant: r.value for r in rows if r.group == group}


def run_ulmfit(p: TransferPreset, ctx: Any) -> ProofResult:
    """From scratch / full / discriminative / gradual fine-tuning / last layer only, on the same split."""
    from plm_core.transfer import TrainConfig, train

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    data, scores = p.data[0], {}  # type: str, dict[tuple[str, str], list[float]]
    total, done = p.seeds * len(ULMFIT_VARIANTS), 0
    for seed in range(p.seed, p.seed + p.seeds):
        split = _split(data, seed, p.test_limit, n=p.n)
        for variant in ULMFIT_VARIANTS:
            report(done / total, f"{variant} · seed {seed}")
            config = TrainConfig(backbone=p.backbone, strategy=variant, epochs=p.epochs, max_length=p.max_length,
                                 seed=seed)
            result = train(config, split.train, split.test, backbone=backbone)
            scores.setdefault((data, variant), []).append(100 * result.test_accuracy)
            done += 1
    rows = _rows(scores)
    return ProofResult("ulmfit", rows, ulmfit_verdict(_means(rows, data)), "accuracy")


def feature_variant(X: np.ndarray, variant: str) -> np.ndarray:
    """(N, L+1, H) layer features -> (N, H') for one of BERT's Table 7 feature choices."""
    if variant == "embeddings":
        return X[:, 0]  # (N, H)
    if variant == "last":
        return X[:, -1]
    if variant == "second_last":
        return X[:, -2]
    return X[:, -4:].reshape(len(X), -1)  # concat4: (N, 4H)


def run_bert(p: TransferPreset, ctx: Any) -> ProofResult:
    """Frozen features of chosen layers (a logistic probe), the learned weighted sum, and fine-tuning."""
    from plm_core.transfer import TrainConfig, train
    from plm_core.transfer.features import extract_layer_features, fit_probe

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    scores: dict[tuple[str, str], list[float]] = {}
    total, done = p.seeds * len(p.data) * 3, 0
    for seed in range(p.seed, p.seed + p.seeds):
        for data in p.data:
            split = _split(data, seed, p.test_limit, n=p.n)
            report(done / total, f"{data} · features · seed {seed}")
            X_tr, _ = extract_layer_features(backbone, split.train["text"].tolist(), "mean", p.max_length, "train")
            X_te, _ = extract_layer_features(backbone, split.test["text"].tolist(), "mean", p.max_length, "test")
            for variant in BERT_FEATURES:
                _, f1, _ = fit_probe(feature_variant(X_tr, variant), split.train["label"],
                                     feature_variant(X_te, variant), split.test["label"], seed=seed)
                scores.setdefault((data, variant), []).append(100 * f1)
            done += 1
            for variant, mode, pooling in (("mix", "frozen", "mix"), ("finetune", "finetune", "mean")):
                report(done / total, f"{data} · {variant} · seed {seed}")
                config = TrainConfig(backbone=p.backbone, mode=mode, pooling=pooling,
                                     epochs=p.epochs, max_length=p.max_length, seed=seed)
                result = train(config, split.train, split.test, backbone=backbone)
                scores.setdefault((data, variant), []).append(100 * result.test_macro_f1)
                done += 1
    rows = _rows(scores)
    return ProofResult("bert", rows, bert_verdict({d: _means(rows, d) for d in p.data}), "macro_f1")


def run_elmo(p: TransferPreset, ctx: Any) -> ProofResult:
    """The tiny biLM, frozen: the top layer alone vs ELMo's learned scalar mix gamma * sum softmax(s)_j h_j."""
    from plm_core.transfer import TrainConfig, train

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    data = p.data[0]
    per_seed: dict[str, list[float]] = {v: [] for v in ELMO_VARIANTS}
    gammas, weights = [], []
    for i, seed in enumerate(range(p.seed, p.seed + p.seeds)):
        split = _split(data, seed, p.test_limit, n=p.n)
        report(i / p.seeds, f"seed {seed}")
        for variant in ELMO_VARIANTS:
            pooling = "mix" if variant == "mix" else "mean"
            config = TrainConfig(backbone=p.backbone, mode="frozen", pooling=pooling, layer=-1,
                                 max_length=p.max_length, seed=seed)
            result = train(config, split.train, split.test, backbone=backbone)
            per_seed[variant].append(100 * result.test_accuracy)
            if variant == "mix":
                gammas.append(result.mix_gamma)
                weights.append(result.layer_weights)
    rows = _rows({(data, v): vals for v, vals in per_seed.items()})
    extra = {"gamma": [round(float(g), 3) for g in gammas if g is not None],
             "layer_weights": np.mean(np.asarray(weights, dtype=float), axis=0).round(3).tolist(),
             "per_seed": per_seed}
    return ProofResult("elmo", rows, elmo_verdict(per_seed["top"], per_seed["mix"]), "accuracy", extra)


def run_setfit(p: SetFitPreset, ctx: Any) -> ProofResult:
    """K examples per class: the frozen probe, full fine-tuning and SetFit, on the same draws."""
    from plm_core.transfer import TrainConfig, train
    from plm_core.transfer.setfit import SetFitConfig, train_setfit

    report, backbone = progress_of(ctx), ctx.backbone(p.backbone)
    scores: dict[tuple[str, str], list[float]] = {}
    total, done = p.seeds * 3, 0
    for seed in range(p.seed, p.seed + p.seeds):
        split = _split(p.data, seed, p.test_limit, per_class=p.per_class)
        for variant in SETFIT_VARIANTS:
            report(done / total, f"{variant} · seed {seed}")
            if variant == "setfit":
                config = SetFitConfig(backbone=p.backbone, seed=seed, num_iterations=p.num_iterations,
                                      max_length=p.max_length)
                acc = train_setfit(config, split.train, split.test, backbone, stop=ctx.stop,
                                   map_limit=0).test_accuracy  # no embedding map: a card shows scores
            else:
                tc = TrainConfig(backbone=p.backbone, mode=variant, epochs=p.finetune_epochs,
                                 batch_size=8, lr_body=5e-5, max_length=p.max_length, seed=seed)
                acc = train(tc, split.train, split.test, backbone=backbone).test_accuracy
            scores.setdefault((p.data, variant), []).append(100 * acc)
            done += 1
    rows = _rows(scores)
    return ProofResult("setfit", rows, setfit_verdict(_means(rows, p.data)), "accuracy")
