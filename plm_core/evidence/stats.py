"""The statistics every proof card signs with: mean +- sample sd over seeds, a paired bootstrap 95 % CI of a
difference, and the three-way verdict rules.

    per arm: predictions (S seeds, N test texts) on the SAME N texts (the cards' fixed test set)
      -> bootstrap b = 1..B: seeds drawn with replacement (S of them), text weights ~ Multinomial(N, 1/N),
         the same draw for every arm of a block (paired per text and per seed)
      -> the contrast sum_k c_k * metric(arm_k) per draw -> 2.5 / 97.5 percentiles = the 95 % CI

Verdicts (written beside each card's verdict, `proofs.<card>.rule`):
    superiority (claim: A beats B by a meaningful margin m):
        reproduced      the CI's lower bound > 0 and the estimate >= m
        not reproduced  the CI's upper bound < m (a gain of m is ruled out)
        inconclusive    otherwise (within noise)
    equivalence (claim: A and B are within +-m of each other):
        reproduced      the whole CI inside (-m, m)
        not reproduced  the whole CI outside [-m, m] (above m or below -m)
        inconclusive    otherwise
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Outcome = Literal["reproduced", "not_reproduced", "inconclusive"]
OUTCOMES: tuple[Outcome, ...] = ("reproduced", "not_reproduced", "inconclusive")
Rule = Literal["superiority", "equivalence"]
Metric = Literal["accuracy", "macro_f1"]

BOOTSTRAP = 2000  # resamples
LEVEL = 0.95
BOOT_SEED = 20_250  # the bootstrap's own generator (fixed: a card's CI is reproducible from its predictions)


@dataclass(frozen=True)
class Spread:
    """Mean and sample sd (n - 1) over seeds; sd is None for a single seed (never "sd 0 / 1 seed")."""

    mean: float
    sd: float | None
    n: int


def mean_sd(values: Sequence[float] | np.ndarray) -> Spread:
    x = np.asarray(values, dtype=float)
    return Spread(float(x.mean()), float(x.std(ddof=1)) if len(x) > 1 else None, int(len(x)))


@dataclass(frozen=True)
class Arm:
    """One variant's test predictions: (S, N) class indices per seed on the block's N test texts."""

    predictions: np.ndarray  # (S, N) int
    truth: np.ndarray  # (N,) int
    block: str = ""  # arms of one block share their test texts, so their resampled text weights


@dataclass(frozen=True)
class Difference:
    """A compared difference with its paired bootstrap CI and the outcome of its rule."""

    name: str  # what minus what, e.g. "gradual - scratch"
    estimate: float
    low: float
    high: float
    unit: str  # the unit of the numbers: "error_pct", "accuracy", "macro_f1", "similarity"
    rule: Rule
    margin: float
    outcome: Outcome
    seeds: int
    texts: int  # test texts per arm (0 where the unit is not a text)
    label: tuple[str, str, str] = ("", "", "")  # (group, a, b) for "a - b" in the page's words: ids and variant keys

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "estimate": round(self.estimate, 4), "ci95": [round(self.low, 4),
                round(self.high, 4)], "unit": self.unit, "rule": self.rule, "margin": self.margin,
                "outcome": self.outcome, "seeds": self.seeds, "texts": self.texts}

    def text(self, decimals: int = 1) -> str:
        """'+4.2 (95 % CI 1.3 to 7.0)' in numbers only (the words around it come from the catalog)."""
        return f"{self.estimate:+.{decimals}f} [{self.low:+.{decimals}f}, {self.high:+.{decimals}f}]"


# ---- the rules -----------------------------------------------------------------------------------

def superiority(estimate: float, low: float, high: float, margin: float) -> Outcome:
    if low > 0 and estimate >= margin:
        return "reproduced"
    if high < margin:
        return "not_reproduced"
    return "inconclusive"


def equivalence(estimate: float, low: float, high: float, margin: float) -> Outcome:
    if -margin < low and high < margin:
        return "reproduced"
    if low > margin or high < -margin:
        return "not_reproduced"
    return "inconclusive"


RULES = {"superiority": superiority, "equivalence": equivalence}


def combine(outcomes: Sequence[Outcome]) -> Outcome:
    """All parts reproduced -> reproduced; any part not reproduced -> not reproduced; else inconclusive."""
    if outcomes and all(o == "reproduced" for o in outcomes):
        return "reproduced"
    if any(o == "not_reproduced" for o in outcomes):
        return "not_reproduced"
    return "inconclusive"


def judged(name: str, estimate: float, low: float, high: float, unit: str, rule: Rule, margin: float,
           seeds: int, texts: int, label: tuple[str, str, str] = ("", "", "")) -> Difference:
    return Difference(name, float(estimate), float(low), float(high), unit, rule, margin,
                      RULES[rule](estimate, low, high, margin), seeds, texts, label)


# ---- the paired bootstrap ------------------------------------------------------------------------

def text_weights(rng: np.random.Generator, n: int, draws: int) -> np.ndarray:
    """(draws, N) multiplicities of a resample of N texts with replacement (each row sums to N)."""
    return rng.multinomial(n, np.full(n, 1.0 / n), size=draws).astype(float)


def weighted_metric(predictions: np.ndarray, truth: np.ndarray, weights: np.ndarray, metric: Metric) -> np.ndarray:
    """(S, N) predictions, (N,) truth, (B, N) text weights -> (B, S) accuracy or macro-F1 (over the classes
    seen in truth or predictions, as the trainer scores it)."""
    pred = np.asarray(predictions)
    y = np.asarray(truth)
    if metric == "accuracy":
        return weights @ (pred == y[None, :]).T.astype(float) / weights.sum(axis=1, keepdims=True)  # (B, S)
    classes = np.union1d(np.unique(pred), np.unique(y))
    f1_sum = np.zeros((weights.shape[0], pred.shape[0]))
    present = np.zeros_like(f1_sum)
    for c in classes:
        is_pred, is_true = (pred == c).astype(float), (y == c).astype(float)  # (S, N), (N,)
        tp = weights @ (is_pred * is_true[None, :]).T  # (B, S)
        denom = weights @ is_pred.T + (weights @ is_true)[:, None]  # 2TP + FP + FN
        seen = denom > 0
        f1_sum += np.where(seen, 2 * tp / np.maximum(denom, 1e-12), 0.0)
        present += seen
    return f1_sum / np.maximum(present, 1)


def paired_ci(arms: Mapping[str, Arm], contrast: Mapping[str, float], metric: Metric = "accuracy",
              draws: int = BOOTSTRAP, seed: int = BOOT_SEED, scale: float = 100.0) -> tuple[float, float, float]:
    """(estimate, low, high) of sum_k contrast[k] * metric(arm k), in `scale` units (points by default).

    Paired: one resample of seeds for all arms, one resample of texts per block shared by its arms."""
    rng = np.random.default_rng(seed)
    used = {k: arms[k] for k in contrast}
    n_seeds = {a.predictions.shape[0] for a in used.values()}
    if len(n_seeds) != 1:
        raise ValueError(f"arms with different seed counts: {sorted(n_seeds)}")
    s = n_seeds.pop()
    seed_idx = rng.integers(0, s, size=(draws, s))  # (B, S)
    blocks = {a.block: a.truth.shape[0] for a in used.values()}
    weights = {b: text_weights(rng, n, draws) for b, n in blocks.items()}
    estimate, boot = 0.0, np.zeros(draws)
    for key, coef in contrast.items():
        arm = used[key]
        ones = np.ones((1, arm.truth.shape[0]))
        estimate += coef * float(weighted_metric(arm.predictions, arm.truth, ones, metric).mean())
        per_seed = weighted_metric(arm.predictions, arm.truth, weights[arm.block], metric)  # (B, S)
        boot += coef * np.take_along_axis(per_seed, seed_idx, axis=1).mean(axis=1)
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(boot, [tail, 100 - tail])
    return scale * estimate, scale * float(low), scale * float(high)


def percentile_ci(samples: np.ndarray) -> tuple[float, float]:
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(np.asarray(samples, dtype=float), [tail, 100 - tail])
    return float(low), float(high)


def compare(label: tuple[str, str, str], arms: Mapping[str, Arm], contrast: Mapping[str, float], rule: Rule,
            margin: float, unit: str, metric: Metric = "accuracy") -> Difference:
    """The paired CI of a contrast, judged by its rule; label = (group, a, b) names it "group: a - b"."""
    estimate, low, high = paired_ci(arms, contrast, metric)
    first = arms[next(iter(contrast))]
    name = f"{label[0] + ': ' if label[0] else ''}{label[1]} - {label[2]}"
    return judged(name, estimate, low, high, unit, rule, margin, int(first.predictions.shape[0]),
                  int(first.truth.shape[0]), label)
