"""Runners of the cards that measure without training a classifier: GPT-3 Figure 1.2 (in-context K) with
the few-shot lab's prompt method, Ethayarajh 2019 (self-similarity, anisotropy) with the explorer's
contextuality, and the objective matrix card (`plm_core.evidence.matrix`, frozen read-out only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from plm_core.evidence.cards import ProofResult, ProofRow, progress_of
from plm_core.evidence.cards_verdicts import (
    ETHAYARAJH_MARGIN,
    ethayarajh_verdict,
    gpt3_verdict,
    matrix_verdict,
    shot_name,
)
from plm_core.evidence.matrix import MatrixJob, objective_of, run_matrix
from plm_core.evidence.stats import BOOT_SEED, BOOTSTRAP, Arm, Difference, judged, percentile_ci, text_weights

BASE_DECODER = "gemma3-270m"  # a base (not instruction-tuned) decoder: part (a) of the GPT-3 card
SWEEP_FILE = Path(__file__).resolve().parents[2] / "assets" / "checkpoints" / "icl_width_sweep.json"


@dataclass(frozen=True)
class PromptPreset:
    base: str = BASE_DECODER  # the decoder whose curve the verdict reads (part a)
    also: tuple[str, ...] = ()  # other decoders drawn beside it (no verdict), e.g. ("smollm2-135m",)
    data: str = "movie-snippets"
    shots: tuple[int, ...] = (0, 1, 4)  # K demonstrations per class
    seeds: int = 3
    test_limit: int = 200  # the budget (<= 3 min on a busy 2-core CPU) allows no more for a 270M decoder
    seed: int = 0


@dataclass(frozen=True)
class ContextPreset:
    backbones: tuple[str, ...] = ("minilm-l6", "smollm2-135m")
    language: str = "en"  # the explorer's polysemy sets in this language
    seeds: int = 3  # draws of the random token pairs behind the anisotropy baseline
    seed: int = 0


shot_variant = shot_name


def prompt_curve(name: str, backbone: Any, task: Any, p: PromptPreset, report: Any) -> tuple[dict[int, Arm], float]:
    """K -> Arm (seeds x test texts) of the few-shot lab's prompt method with one decoder; the majority rate."""
    from plm_core.fewshot.curves import majority_rate
    from plm_core.fewshot.methods import build_method, default_prompt

    method = build_method("prompt", backbone, prompt=default_prompt(task.task))
    index = {lab: i for i, lab in enumerate(task.labels)}
    truth = np.array([index[str(lab)] for lab in task.test["label"]], dtype=np.int64)
    arms: dict[int, Arm] = {}
    for j, k in enumerate(p.shots):
        per_seed: list[np.ndarray] = []
        for seed in range(p.seed, p.seed + p.seeds):
            report(j / len(p.shots), f"{name} K={k} · seed {seed}")
            if k == 0 and per_seed:  # no demonstrations: every seed scores the same prompt
                per_seed.append(per_seed[0])
                continue
            out = method.run(task.draw(k, seed), task, seed)
            per_seed.append(np.array([index[str(lab)] for lab in out.predictions], dtype=np.int64))
        arms[k] = Arm(np.stack(per_seed), truth, name)
    return arms, 100 * majority_rate(task.test["label"])


def read_sweep(path: Path = SWEEP_FILE) -> dict[str, dict[int, list[float]]] | None:
    """The width sweep (tiny GPTs of three widths on an in-context task): width name -> K -> accuracy points per
    seed, narrowest first; None when the file is not there. Accepts `widths` as a list of
    {name, d_model | width | params, accuracy: {K: [per seed]}} or as a {name: {...}} mapping."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    entries = raw.get("widths", raw)
    items = list(entries.items()) if isinstance(entries, dict) else [(e.get("name", str(i)), e)
                                                                      for i, e in enumerate(entries)]
    out: list[tuple[float, str, dict[int, list[float]]]] = []
    for i, (name, e) in enumerate(items):
        curve = e.get("accuracy") or e.get("acc") or e.get("curves") or {}
        per_k: dict[int, list[float]] = {}
        for k, v in curve.items():
            vals = (v.get("per_seed") or v.get("seeds") or v.get("values") or []) if isinstance(v, dict) else v
            per_k[int(k)] = [float(x) for x in vals]
        size = float(e.get("d_model") or e.get("width") or e.get("params") or i)
        out.append((size, str(e.get("name", name)), per_k))
    values = [x for _, _, c in out for v in c.values() for x in v]
    scale = 100.0 if values and max(values) <= 1.0 else 1.0
    return {name: {k: [scale * x for x in v] for k, v in sorted(c.items())} for _, name, c in sorted(out)} \
        if out else None


CEILING_POINTS = 2.0  # a width within this many points of the ideal reader at every K is at the task's ceiling


def sweep_at_ceiling(path: Path = SWEEP_FILE) -> bool:
    """Whether every width of the sweep scores within CEILING_POINTS of the ideal reader (who answers from the
    demonstrations perfectly) at every K: then the task is too easy to tell widths apart."""
    if not path.exists():
        return False
    raw = json.loads(path.read_text(encoding="utf-8"))
    ideal = {int(k): float(np.mean(v)) for k, v in (raw.get("ideal") or {}).items()}
    widths = read_sweep(path) or {}
    scale = 100.0 if ideal and max(ideal.values()) <= 1.0 else 1.0
    return bool(ideal) and all(abs(float(np.mean(v)) - scale * ideal[k]) <= CEILING_POINTS
                               for curve in widths.values() for k, v in curve.items() if k in ideal)


def run_gpt3(p: PromptPreset, ctx: Any) -> ProofResult:
    """(a) accuracy vs K demonstrations with a base decoder (and any `also` beside it); (b) the width sweep file."""
    from plm_core.data import get_dataset
    from plm_core.fewshot.methods import make_task

    report = progress_of(ctx)
    task = make_task(get_dataset(p.data), p.test_limit)
    rows: list[ProofRow] = []
    curves: dict[str, dict[str, float]] = {}
    base_arms: dict[int, Arm] = {}
    majority = 0.0
    names = (p.base, *p.also)
    for i, name in enumerate(names):
        arms, majority = prompt_curve(name, ctx.backbone(name), task, p,
                                      lambda f, what, i=i: report((i + f) / len(names), what))
        if name == p.base:
            base_arms = arms
        curves[name] = {}
        for k, arm in arms.items():
            acc = 100 * (arm.predictions == arm.truth[None, :]).mean(axis=1)  # (S,)
            rows.append(ProofRow.over_seeds(name, shot_variant(k), acc.tolist()))
            curves[name][str(k)] = round(float(acc.mean()), 2)
    sweep = read_sweep()
    extra = {"curves": curves, "majority": round(majority, 2), "base": p.base, "test": len(task.test),
             "sweep": {w: {str(k): [round(x, 2) for x in v] for k, v in c.items()} for w, c in sweep.items()}
             if sweep else None}
    return ProofResult("gpt3", rows, gpt3_verdict(p.base, base_arms, sweep, sweep_at_ceiling()), "accuracy", extra)


# ---- Ethayarajh -------------------------------------------------------------------------------------

@dataclass
class WordLayers:
    """One word of one model: per layer the cosine matrix of its occurrences, and the anisotropy per seed."""

    cos: np.ndarray  # (L+1, N, N)
    baseline: np.ndarray  # (S, L+1)


def word_layers(backbone: Any, pset: Any, seeds: range) -> WordLayers:
    from plm_core.backbones.capabilities import require
    from plm_core.explorer.polysemy import MAX_SENTENCE_TOKENS, cosine_matrix, token_baseline, word_vectors

    wv = word_vectors(backbone, pset)
    hs = require(backbone, "token_states").hidden_states(list(pset.texts), max_length=MAX_SENTENCE_TOKENS)
    cos = np.stack([cosine_matrix(wv.vectors[layer]) for layer in range(wv.vectors.shape[0])])  # (L+1, N, N)
    base = np.stack([token_baseline(hs.states, hs.attention_mask, seed=s) for s in seeds])  # (S, L+1)
    return WordLayers(cos, base)


def self_similarity(cos: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(L+1, N, N) cosines, (B, N) sentence weights -> (B, L+1) weighted mean over pairs i != j."""
    off = cos * (1 - np.eye(cos.shape[-1]))[None]  # the diagonal out
    num = np.einsum("bi,lij,bj->bl", weights, off, weights)
    den = weights.sum(axis=1) ** 2 - (weights ** 2).sum(axis=1)  # (B,)
    return num / np.maximum(den, 1e-12)[:, None]


def contextual_drop(name: str, words: list[WordLayers], n_seeds: int, draws: int = BOOTSTRAP) -> Difference:
    """(self-similarity - anisotropy) at the first contextual layer minus at the top layer, averaged over words;
    CI by resampling each word's sentences and the anisotropy seeds."""
    rng = np.random.default_rng(BOOT_SEED)
    seed_idx = rng.integers(0, n_seeds, size=(draws, n_seeds))
    est, boot = 0.0, np.zeros(draws)
    for w in words:
        n = w.cos.shape[-1]
        ss = self_similarity(w.cos, np.ones((1, n)))[0]  # (L+1,)
        base = w.baseline.mean(axis=0)
        est += ((ss[1] - base[1]) - (ss[-1] - base[-1])) / len(words)
        ss_b = self_similarity(w.cos, text_weights(rng, n, draws))  # (B, L+1)
        base_b = w.baseline[seed_idx].mean(axis=1)  # (B, L+1)
        boot += ((ss_b[:, 1] - base_b[:, 1]) - (ss_b[:, -1] - base_b[:, -1])) / len(words)
    low, high = percentile_ci(boot)
    return judged(f"{name}: first - top", est, low, high, "similarity", "superiority", ETHAYARAJH_MARGIN, n_seeds,
                  sum(w.cos.shape[-1] for w in words), (name, "adjusted_first", "adjusted_top"))


def run_ethayarajh(p: ContextPreset, ctx: Any) -> ProofResult:
    from plm_core.explorer.polysemy import polysemy_sets

    report = progress_of(ctx)
    seeds = range(p.seed, p.seed + p.seeds)
    psets = [s for s in polysemy_sets().values() if s.language == p.language]
    rows, drops, layers = [], {}, []
    for i, name in enumerate(p.backbones):
        report(i / len(p.backbones), name)
        backbone = ctx.backbone(name)
        words = [word_layers(backbone, pset, seeds) for pset in psets]
        ss = np.mean([self_similarity(w.cos, np.ones((1, w.cos.shape[-1])))[0] for w in words], axis=0)  # (L+1,)
        base = np.mean([w.baseline for w in words], axis=0)  # (S, L+1)
        for layer in range(len(ss)):
            layers.append({"model": name, "layer": layer, "self_similarity": round(float(ss[layer]), 4),
                           "anisotropy": round(float(base[:, layer].mean()), 4),
                           "adjusted": round(float(ss[layer] - base[:, layer].mean()), 4)})
        for where, idx in (("first", 1), ("top", len(ss) - 1)):
            rows.append(ProofRow.over_seeds(name, f"self_similarity_{where}", [float(ss[idx])] * p.seeds))
            rows.append(ProofRow.over_seeds(name, f"anisotropy_{where}", base[:, idx].tolist()))
            rows.append(ProofRow.over_seeds(name, f"adjusted_{where}", (ss[idx] - base[:, idx]).tolist()))
        drops[name] = contextual_drop(name, words, p.seeds)
    return ProofResult("ethayarajh", rows, ethayarajh_verdict(drops), "similarity", {"layers": layers})


# ---- the objective matrix (frozen read-out) ------------------------------------------------------------

def objective_gains(summary: pd.DataFrame) -> dict[str, float]:
    """objective -> mean gain (points) of the checkpoint over its twin, over every column it has."""
    pre = summary[summary["init"] == "pretrained"].dropna(subset=["gain"])
    return {objective_of(str(m)): 100 * float(g["gain"].mean()) for m, g in pre.groupby("model", sort=False)}


def matrix_arms(cells: list[Any]) -> tuple[dict[str, Arm], list[str]]:
    """"<model>|<init>|<setting · data>" -> Arm over seeds (cells carry their test predictions and truth)."""
    grouped: dict[str, list[Any]] = {}
    for c in cells:
        grouped.setdefault(f"{c.model}|{c.init}|{c.setting} · {c.data}", []).append(c)
    arms = {key: Arm(np.stack([np.asarray(c.predictions) for c in sorted(cs, key=lambda c: c.seed)]),
                     np.asarray(cs[0].truth), key.rsplit("|", 1)[1]) for key, cs in grouped.items()}
    columns = list(dict.fromkeys(key.rsplit("|", 1)[1] for key in arms))
    return arms, columns


def run_matrix_card(p: MatrixJob, ctx: Any) -> ProofResult:
    from plm_core.evidence.matrix import budget_rows

    report = progress_of(ctx)
    result = run_matrix(p, lambda cell, done, total: report(done / total, f"{cell.model} {cell.setting}"),
                        ctx.should_stop, keep_predictions=True)
    summary = result.summary()
    rows = [ProofRow(f"{r['setting']} · {r['data']}", f"{objective_of(r['model'])}_{r['init']}",
                     100 * float(r["mean"]), None if int(r["n"]) < 2 else 100 * float(r["sd"]), int(r["n"]))
            for _, r in summary.iterrows()]
    arms, columns = matrix_arms(result.cells)
    objectives = {m: objective_of(m) for m in p.models}
    extra = {"gains": {o: round(g, 2) for o, g in objective_gains(summary).items()},
             "budgets": budget_rows(p.models),
             "summary": summary.round(4).replace({np.nan: None}).to_dict(orient="records")}
    return ProofResult("matrix", rows, matrix_verdict(arms, objectives, columns), "accuracy", extra)
