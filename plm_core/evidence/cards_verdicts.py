"""Verdict rules: pure functions from our numbers to an outcome (the rule itself is written in the catalog,
`proofs.<card>.rule`, in both languages). "Not reproduced here" is a valid outcome, with its reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

Outcome = Literal["reproduced", "partly", "not_reproduced"]

ULMFIT_GAIN = 10.0  # points: pretrained fine-tuning over training from scratch
BERT_GAP = 3.0  # points of macro-F1: concatenated last four layers vs fine-tuning
ELMO_GAIN = 0.5  # points: learned layer mix over the top layer alone
GPT3_GAIN = 5.0  # points: accuracy at the largest K over zero-shot
SETFIT_MARGIN = 0.0  # points: SetFit over the frozen probe and over full fine-tuning


@dataclass(frozen=True)
class Verdict:
    card: str
    outcome: Outcome
    reason: str  # catalog key suffix: proofs.<card>.v.<reason>
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"proofs.{self.card}.v.{self.reason}"

    def message(self, lang: str = "en") -> str:
        from plm_core.i18n import t

        return t(self.key, lang, **self.params)

    def rule(self, lang: str = "en") -> str:
        from plm_core.i18n import t

        return t(f"proofs.{self.card}.rule", lang, gain=ULMFIT_GAIN, gap=BERT_GAP, elmo=ELMO_GAIN, gpt3=GPT3_GAIN)


def _r(x: float) -> float:
    return round(float(x), 1)


def ulmfit_verdict(scores: Mapping[str, float]) -> Verdict:
    """scores: variant -> accuracy points. Full fine-tuning of the pretrained model must beat training from
    scratch by >= ULMFIT_GAIN; ULMFiT's tricks (discriminative, gradual) must match plain fine-tuning."""
    gain = scores["finetune"] - scores["scratch"]
    tricks = max(scores["discriminative"], scores["gradual"]) - scores["finetune"]
    params = {"gain": _r(gain), "tricks": _r(tricks)}
    if gain >= ULMFIT_GAIN and tricks >= 0:
        return Verdict("ulmfit", "reproduced", "yes", params)
    if gain >= ULMFIT_GAIN:
        return Verdict("ulmfit", "partly", "no_tricks", params)
    return Verdict("ulmfit", "not_reproduced", "no_gain", params)


def bert_verdict(scores: Mapping[str, Mapping[str, float]]) -> Verdict:
    """scores: data set -> variant -> macro-F1 points. The concatenation of the last four layers must be
    within BERT_GAP of fine-tuning on every data set."""
    gaps = {data: v["finetune"] - v["concat4"] for data, v in scores.items()}
    close = [d for d, g in gaps.items() if g <= BERT_GAP]
    params = {"gaps": ", ".join(f"{d}: {_r(g)}" for d, g in gaps.items())}
    if len(close) == len(gaps):
        return Verdict("bert", "reproduced", "yes", params)
    if close:
        return Verdict("bert", "partly", "some", params)
    return Verdict("bert", "not_reproduced", "far", params)


def elmo_verdict(top: Sequence[float], mix: Sequence[float]) -> Verdict:
    """Accuracy points per seed of the top layer alone and of the learned scalar mix."""
    diff = float(np.mean(mix) - np.mean(top))
    params = {"diff": _r(diff)}
    if diff >= ELMO_GAIN:
        return Verdict("elmo", "reproduced", "yes", params)
    if diff > -ELMO_GAIN:
        return Verdict("elmo", "not_reproduced", "tie", params)
    return Verdict("elmo", "not_reproduced", "top_better", params)


def gpt3_verdict(curves: Mapping[str, Mapping[int, float]]) -> Verdict:
    """curves: decoder -> K -> accuracy points. In-context learning must gain >= GPT3_GAIN points from
    K = 0 to the largest K for some decoder."""
    gains = {name: c[max(c)] - c[min(c)] for name, c in curves.items()}
    best = max(gains, key=lambda n: gains[n])
    params = {"model": best, "gain": _r(gains[best]),
              "gains": ", ".join(f"{n}: {_r(g)}" for n, g in gains.items())}
    if gains[best] >= GPT3_GAIN:
        return Verdict("gpt3", "reproduced", "yes", params)
    return Verdict("gpt3", "not_reproduced", "flat", params)


def ethayarajh_verdict(adjusted: Mapping[str, Sequence[float]]) -> Verdict:
    """adjusted: model -> per layer (0 = embeddings) self-similarity minus the anisotropy baseline.
    Upper layers must be more context-specific: the top layer's value below the first contextual layer's."""
    falls = {name: float(v[-1]) < float(v[1]) for name, v in adjusted.items()}
    params = {"models": ", ".join(n for n, ok in falls.items() if ok) or "-",
              "drops": ", ".join(f"{n}: {float(v[1]) - float(v[-1]):.3f}" for n, v in adjusted.items())}
    if all(falls.values()):
        return Verdict("ethayarajh", "reproduced", "yes", params)
    if any(falls.values()):
        return Verdict("ethayarajh", "partly", "some", params)
    return Verdict("ethayarajh", "not_reproduced", "flat", params)


def setfit_verdict(scores: Mapping[str, float]) -> Verdict:
    """scores: method -> accuracy points at K = 8 (mean over seeds): SetFit must beat both others."""
    over_probe = scores["setfit"] - scores["frozen"]
    over_ft = scores["setfit"] - scores["finetune"]
    params = {"probe": _r(over_probe), "ft": _r(over_ft)}
    if over_probe > SETFIT_MARGIN and over_ft > SETFIT_MARGIN:
        return Verdict("setfit", "reproduced", "yes", params)
    if over_probe > SETFIT_MARGIN or over_ft > SETFIT_MARGIN:
        return Verdict("setfit", "partly", "one", params)
    return Verdict("setfit", "not_reproduced", "no", params)


def matrix_verdict(gains: Mapping[str, float]) -> Verdict:
    """gains: objective -> mean accuracy gain (points) of the checkpoint over its random twin, over every
    column it has. Denoising (mlm or span) must transfer better than causal LM (clm)."""
    denoise = max(gains.get("mlm", -np.inf), gains.get("span", -np.inf))
    best = max(gains, key=lambda o: gains[o])
    params = {"best": best, "gains": ", ".join(f"{o}: {_r(g)}" for o, g in gains.items())}
    if denoise > gains["clm"]:
        return Verdict("matrix", "reproduced", "yes", params)
    return Verdict("matrix", "not_reproduced", "clm", params)
