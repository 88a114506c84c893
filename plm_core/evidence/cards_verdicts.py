"""Verdict rules: pure functions from our per-text predictions (or per-seed numbers) to one of three outcomes,
by the two-sided rules of `plm_core.evidence.stats` (each written in the catalog, `proofs.<card>.rule`, in
both languages). "Not reproduced here" and "inconclusive (within noise)" are valid outcomes, with numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from plm_core.evidence.stats import (
    Arm,
    Difference,
    Outcome,
    Rule,
    combine,
    compare,
    judged,
    percentile_ci,
)

ULMFIT_MARGIN = 2.0  # error points: the best pretrained variant under training from scratch
BERT_MARGIN = 3.0  # macro-F1 points: fine-tuning and concatenated features within +-3 of each other
ELMO_MARGIN = 0.5  # accuracy points: learned layer mix over the top layer alone
GPT3_MARGIN = 5.0  # accuracy points: the largest K over zero-shot (and the widest model's gain over the narrowest)
ETHAYARAJH_MARGIN = 0.02  # cosine: (self-similarity - anisotropy) first contextual layer minus top layer
SETFIT_MARGIN = 1.0  # accuracy points: SetFit over the frozen probe and over full fine-tuning
MATRIX_MARGIN = 1.0  # accuracy points: the best denoising objective's gain over its twin minus the causal LM's

ULMFIT_PRETRAINED: tuple[str, ...] = ("finetune", "discriminative", "gradual", "frozen")
FEATURES: tuple[str, ...] = ("embeddings", "second_last", "last", "concat4", "mix")

NAME_PARAMS = ("model", "data")  # a data set or backbone id: shown by its catalog name
VARIANT_PARAMS = ("best",)  # a variant key: shown as proofs.variant.<key>
OUTCOME_PARAMS = ("a_outcome",)  # an outcome: shown as proofs.verdict.<outcome>
SEED_BOOT = 2000


@dataclass(frozen=True)
class Verdict:
    card: str
    outcome: Outcome
    reason: str  # catalog key suffix: proofs.<card>.v.<reason>
    params: dict[str, Any] = field(default_factory=dict)  # numbers as text; (name, text) lists for per-item parts
    differences: tuple[Difference, ...] = ()

    @property
    def key(self) -> str:
        return f"proofs.{self.card}.v.{self.reason}"

    def localized(self, lang: str) -> dict[str, Any]:
        """The params with every data set / backbone / variant in the catalog's words of `lang`."""
        from plm_core.i18n import t

        out: dict[str, Any] = {}
        for k, v in self.params.items():
            if isinstance(v, list):
                out[k] = "; ".join(f"{name_label(str(n), lang)}: {text}" for n, text in v)
            elif k in NAME_PARAMS:
                out[k] = name_label(str(v), lang)
            elif k in VARIANT_PARAMS:
                out[k] = t(f"proofs.variant.{v}", lang)
            elif k in OUTCOME_PARAMS:
                out[k] = t(f"proofs.verdict.{v}", lang)
            else:
                out[k] = v
        return out

    def message(self, lang: str = "en") -> str:
        from plm_core.i18n import t

        return t(self.key, lang, **self.localized(lang))

    def rule(self, lang: str = "en") -> str:
        return rule_text(self.card, lang)


def rule_text(card: str, lang: str = "en") -> str:
    from plm_core.i18n import t

    return t(f"proofs.{card}.rule", lang, ulmfit=ULMFIT_MARGIN, bert=BERT_MARGIN, elmo=ELMO_MARGIN,
             gpt3=GPT3_MARGIN, ethayarajh=ETHAYARAJH_MARGIN, setfit=SETFIT_MARGIN, matrix=MATRIX_MARGIN)


def name_label(name: str, lang: str) -> str:
    """A data set's or backbone's catalog name in `lang` (`dataset.<name>`, `backbone.<name>.display`), else the
    spec's display name, else the id."""
    from plm_core.i18n import all_messages

    messages = all_messages()
    for key in (f"dataset.{name}", f"backbone.{name}.display"):
        if key in messages:
            return messages[key].get(lang) or messages[key]["en"]
    try:
        from plm_core.backbones import specs

        spec = specs().get(name)
    except Exception:  # noqa: BLE001 - a name that is no backbone is shown as it is
        spec = None
    return spec.display if spec is not None else name


def _mean(arm: Arm) -> float:
    return float((arm.predictions == arm.truth[None, :]).mean())


def _f1(arm: Arm) -> float:
    from plm_core.evidence.stats import weighted_metric

    return float(weighted_metric(arm.predictions, arm.truth, np.ones((1, arm.truth.shape[0])), "macro_f1").mean())


def ulmfit_verdict(arms: Mapping[str, Arm]) -> Verdict:
    """arms: variant -> test predictions. The best pretrained variant (by mean accuracy) must cut the error of
    training from scratch (superiority, ULMFIT_MARGIN error points). Full vs Last is shown beside it."""
    best = max((v for v in ULMFIT_PRETRAINED if v in arms), key=lambda v: _mean(arms[v]))
    group = next(iter(arms.values())).block
    gain = compare((group, "scratch", best), arms, {best: 1.0, "scratch": -1.0}, "superiority", ULMFIT_MARGIN,
                   "error_pct")
    parts = [gain]
    if "finetune" in arms and "frozen" in arms:
        parts.append(compare((group, "frozen", "finetune"), arms, {"finetune": 1.0, "frozen": -1.0}, "superiority",
                             0.0, "error_pct"))
    params: dict[str, Any] = {"best": best, "gain": gain.text(), "last": parts[-1].text() if len(parts) > 1 else "-"}
    return Verdict("ulmfit", gain.outcome, gain.outcome, params, tuple(parts))


def bert_verdict(arms: Mapping[str, Mapping[str, Arm]]) -> Verdict:
    """arms: data set -> variant -> test predictions (macro-F1). Fine-tuning and the concatenated features must be
    within +-BERT_MARGIN (equivalence) on every data set, and the embedding layer must rank lowest of the features;
    an embedding layer above the concatenation beyond noise is "not reproduced"."""
    gaps = [compare((data, "finetune", "concat4"), by, {"finetune": 1.0, "concat4": -1.0}, "equivalence",
                    BERT_MARGIN, "macro_f1", "macro_f1") for data, by in arms.items()]
    emb = [compare((data, "embeddings", "concat4"), by, {"embeddings": 1.0, "concat4": -1.0}, "superiority", 0.0,
                   "macro_f1", "macro_f1") for data, by in arms.items()]
    lowest = {data: all(_f1(by["embeddings"]) < _f1(by[v]) for v in FEATURES if v != "embeddings" and v in by)
              for data, by in arms.items()}
    outcome = combine([g.outcome for g in gaps])
    reason: str = outcome
    if not all(lowest.values()):
        reason = "embeddings"
        outcome = "not_reproduced" if any(e.low > 0 for e in emb) or outcome == "not_reproduced" \
            else "inconclusive"
    names = list(arms)
    params = {"gaps": [(d, g.text()) for d, g in zip(names, gaps, strict=True)],
              "emb": [(d, e.text()) for d, e in zip(names, emb, strict=True)]}
    return Verdict("bert", outcome, reason, params, tuple(gaps + emb))


def elmo_verdict(arms: Mapping[str, Arm]) -> Verdict:
    """arms: "top", "mix" -> test predictions. The learned mix must beat the top layer (superiority)."""
    diff = compare(("", "mix", "top"), arms, {"mix": 1.0, "top": -1.0}, "superiority", ELMO_MARGIN, "accuracy")
    return Verdict("elmo", diff.outcome, diff.outcome, {"diff": diff.text()}, (diff,))


def shot_name(k: int) -> str:
    """GPT-3's names: zero-shot (K = 0), one-shot (K = 1), few-shot (K > 1) (variant keys of the catalog)."""
    return "zero" if k == 0 else "one" if k == 1 else f"few_{k}"


def seed_difference(label: tuple[str, str, str], a: Sequence[float], b: Sequence[float], rule: Rule, margin: float,
                    unit: str, seed: int = 0) -> Difference:
    """A difference known only per seed (mean a - mean b, paired by seed): CI by resampling the seeds."""
    x = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    rng = np.random.default_rng(seed)
    boot = x[rng.integers(0, len(x), size=(SEED_BOOT, len(x)))].mean(axis=1)
    low, high = percentile_ci(boot)
    name = f"gain {label[1]} - gain {label[2]}"
    return judged(name, float(x.mean()), low, high, unit, rule, margin, len(x), 0, label)


def gpt3_verdict(model: str, by_k: Mapping[int, Arm], sweep: Mapping[str, Mapping[int, Sequence[float]]] | None,
                 ceiling: bool = False) -> Verdict:
    """(a) demonstrations help a base model: accuracy at the largest K minus zero-shot (superiority, paired per text
    and seed); (b) steeper with size, from the width sweep (width -> K -> accuracy per seed, narrowest first): the
    widest model's gain from K = 0 to the largest K minus the narrowest model's. Missing (b), or (b) with every width
    at the ideal reader's ceiling (`ceiling`), is inconclusive."""
    k_max = max(by_k)
    arms = {str(k): a for k, a in by_k.items()}
    a = compare((model, shot_name(k_max), "zero"), arms, {str(k_max): 1.0, "0": -1.0}, "superiority", GPT3_MARGIN,
                "accuracy")
    parts = [a]
    params: dict[str, Any] = {"model": model, "k": k_max, "a": a.text(), "b": "-", "a_outcome": a.outcome}
    if sweep:
        widths = list(sweep)
        ks = sorted(set.intersection(*(set(c) for c in sweep.values())))
        gains = {w: np.asarray(sweep[w][ks[-1]], dtype=float) - np.asarray(sweep[w][ks[0]], dtype=float)
                 for w in widths}
        b = seed_difference(("", widths[-1], widths[0]), gains[widths[-1]], gains[widths[0]], "superiority",
                            GPT3_MARGIN, "accuracy")
        parts.append(b)
        params["b"] = b.text()
        # every width at the ideal reader's ceiling: the task cannot tell the widths apart, so (b) says nothing
        outcome = combine([a.outcome, "inconclusive" if ceiling else b.outcome])
    else:
        outcome = combine([a.outcome, "inconclusive"])
    reason = f"{outcome}{'_ceiling' if sweep and ceiling else '' if sweep else '_no_sweep'}"
    return Verdict("gpt3", outcome, reason, params, tuple(parts))


def ethayarajh_verdict(drops: Mapping[str, Difference]) -> Verdict:
    """drops: model -> (self-similarity - anisotropy) first contextual layer minus top layer, with its CI (judged
    by superiority with ETHAYARAJH_MARGIN). Every model must have upper layers more context-specific."""
    outcome = combine([d.outcome for d in drops.values()])
    params = {"drops": [(m, d.text(3)) for m, d in drops.items()]}
    return Verdict("ethayarajh", outcome, outcome, params, tuple(drops.values()))


def setfit_verdict(arms: Mapping[str, Arm]) -> Verdict:
    """arms: "setfit", "frozen", "finetune" -> test predictions at K per class. SetFit must beat both."""
    probe = compare(("", "setfit", "frozen"), arms, {"setfit": 1.0, "frozen": -1.0}, "superiority", SETFIT_MARGIN,
                    "accuracy")
    ft = compare(("", "setfit", "finetune"), arms, {"setfit": 1.0, "finetune": -1.0}, "superiority", SETFIT_MARGIN,
                 "accuracy")
    outcome = combine([probe.outcome, ft.outcome])
    return Verdict("setfit", outcome, outcome, {"probe": probe.text(), "ft": ft.text()}, (probe, ft))


DENOISING = ("mlm", "span")


def matrix_verdict(arms: Mapping[str, Arm], objectives: Mapping[str, str], columns: Sequence[str]) -> Verdict:
    """arms: "<model>|<init>|<column>" -> test predictions (frozen read-out); objectives: model -> objective.
    The best denoising checkpoint's gain over its twin (mean over the columns) minus the causal LM's gain
    (superiority, MATRIX_MARGIN points), paired per text and seed within each column."""
    by_objective = {o: m for m, o in objectives.items()}

    def gain_contrast(model: str, sign: float) -> dict[str, float]:
        out: dict[str, float] = {}
        for col in columns:
            out[f"{model}|pretrained|{col}"] = sign / len(columns)
            out[f"{model}|random|{col}"] = -sign / len(columns)
        return out

    def mean_gain(model: str) -> float:
        return float(np.mean([_mean(arms[f"{model}|pretrained|{c}"]) - _mean(arms[f"{model}|random|{c}"])
                              for c in columns]))

    denoisers = [by_objective[o] for o in DENOISING if o in by_objective]
    best = max(denoisers, key=mean_gain)
    clm = by_objective["clm"]
    contrast = gain_contrast(best, 1.0) | gain_contrast(clm, -1.0)
    diff = compare(("", f"gain_{objectives[best]}", "gain_clm"), arms, contrast, "superiority", MATRIX_MARGIN,
                   "accuracy")
    gains = [(m, f"{100 * mean_gain(m):+.1f}") for m in objectives]
    params = {"objective": objectives[best], "diff": diff.text(), "gains": gains}
    return Verdict("matrix", diff.outcome, diff.outcome, params, (diff,))
