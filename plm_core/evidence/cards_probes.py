"""Runners of the cards that measure without training a classifier: GPT-3 Figure 1.2 (in-context K) with
the few-shot lab's prompting curves, Ethayarajh 2019 (self-similarity, anisotropy) with the explorer's
contextuality, and the objective matrix card (`plm_core.evidence.matrix`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from plm_core.evidence.cards import ProofResult, ProofRow, progress_of
from plm_core.evidence.cards_verdicts import ethayarajh_verdict, gpt3_verdict, matrix_verdict
from plm_core.evidence.matrix import MatrixJob, objective_of, run_matrix


@dataclass(frozen=True)
class PromptPreset:
    backbones: tuple[str, ...] = ("smollm2-135m",)  # decoders with a causal LM head
    data: str = "movie-snippets"
    shots: tuple[int, ...] = (0, 1, 4, 8)  # K demonstrations per class
    seeds: int = 2
    test_limit: int = 40
    seed: int = 0


@dataclass(frozen=True)
class ContextPreset:
    backbones: tuple[str, ...] = ("minilm-l6", "smollm2-135m")
    language: str = "en"  # the explorer's polysemy sets in this language
    seed: int = 0


def shot_variant(k: int) -> str:
    """GPT-3's names: zero-shot (K = 0), one-shot (K = 1), few-shot (K > 1)."""
    return "zero" if k == 0 else "one" if k == 1 else f"few_{k}"


def run_gpt3(p: PromptPreset, ctx: Any) -> ProofResult:
    """Accuracy vs K demonstrations, per decoder (the few-shot lab's prompt method, its seeds and test set)."""
    from plm_core.data import get_dataset
    from plm_core.fewshot.curves import CurveConfig, run_curves, summarize
    from plm_core.fewshot.methods import make_task

    report = progress_of(ctx)
    task = make_task(get_dataset(p.data), p.test_limit)
    rows, curves, majority = [], {}, 0.0
    for i, name in enumerate(p.backbones):
        config = CurveConfig(data=p.data, methods=("prompt",), shots=p.shots, seeds=p.seeds,
                             test_limit=p.test_limit, backbones={"prompt": name})

        def on_progress(info: Any, i: int = i, name: str = name) -> None:
            report((i + info.fraction) / len(p.backbones), f"{name} K={info.k}")

        result = run_curves(config, task, ctx.backbone, on_progress=on_progress, stop=ctx.stop)
        majority = 100 * result.majority
        summary = summarize(result.points)
        curve = {int(r["k"]): 100 * float(r["acc_mean"]) for _, r in summary.iterrows()}
        if curve:
            curves[name] = curve
        rows += [ProofRow(name, shot_variant(int(r["k"])), 100 * float(r["acc_mean"]), 100 * float(r["acc_std"]),
                          int(r["n"])) for _, r in summary.iterrows()]
    if not curves:
        curves = {p.backbones[0]: {0: 0.0}}
    return ProofResult("gpt3", rows, gpt3_verdict(curves), "accuracy",
                       {"curves": {n: {str(k): round(v, 2) for k, v in c.items()} for n, c in curves.items()},
                        "majority": round(majority, 2)})


def layer_profile(backbone: Any, language: str = "en") -> pd.DataFrame:
    """Per layer, averaged over the explorer's polysemy sets: self-similarity (mean cosine of one word's
    occurrences), anisotropy (mean cosine of random token pairs) and their difference."""
    from plm_core.explorer.polysemy import contextuality, polysemy_sets, word_vectors

    frames = []
    for pset in polysemy_sets().values():
        if pset.language != language:
            continue
        df = contextuality(word_vectors(backbone, pset))
        frames.append(df[["layer", "all", "baseline"]])
    out = pd.concat(frames).groupby("layer", as_index=False).mean()
    out = out.rename(columns={"all": "self_similarity", "baseline": "anisotropy"})
    out["adjusted"] = out["self_similarity"] - out["anisotropy"]
    return out


def run_ethayarajh(p: ContextPreset, ctx: Any) -> ProofResult:
    report = progress_of(ctx)
    rows, adjusted, layers = [], {}, []
    for i, name in enumerate(p.backbones):
        report(i / len(p.backbones), name)
        prof = layer_profile(ctx.backbone(name), p.language)
        adjusted[name] = prof["adjusted"].tolist()
        layers += [{"model": name, **r} for r in prof.round(4).to_dict(orient="records")]
        for where, idx in (("first", 1), ("top", len(prof) - 1)):
            for measure in ("self_similarity", "anisotropy", "adjusted"):
                rows.append(ProofRow(name, f"{measure}_{where}", float(prof[measure].iloc[idx])))
    return ProofResult("ethayarajh", rows, ethayarajh_verdict(adjusted), "similarity", {"layers": layers})


def objective_gains(summary: pd.DataFrame) -> dict[str, float]:
    """objective -> mean gain (points) of the checkpoint over its twin, over every column it has."""
    pre = summary[summary["init"] == "pretrained"].dropna(subset=["gain"])
    return {objective_of(str(m)): 100 * float(g["gain"].mean()) for m, g in pre.groupby("model", sort=False)}


def run_matrix_card(p: MatrixJob, ctx: Any) -> ProofResult:
    report = progress_of(ctx)
    result = run_matrix(p, lambda cell, done, total: report(done / total, f"{cell.model} {cell.setting}"),
                        ctx.should_stop)
    summary = result.summary()
    rows = [ProofRow(f"{r['setting']} · {r['data']}", f"{objective_of(r['model'])}_{r['init']}",
                     100 * float(r["mean"]), 100 * float(r["sd"]), int(r["n"])) for _, r in summary.iterrows()]
    gains = objective_gains(summary)
    extra = {"gains": {o: round(g, 2) for o, g in gains.items()},
             "summary": summary.round(4).replace({np.nan: None}).to_dict(orient="records")}
    return ProofResult("matrix", rows, matrix_verdict(gains), "accuracy", extra)
