"""Accuracy-vs-K curves: run every method at every K over several seeds, aggregate, find crossovers.

Seed s draws the K-per-class sample `task.draw(K, s)` (the same examples for every method, so the
comparison is fair) and, for prompting, the order of the demonstrations. Points are reported one by one
through `on_point` so a page can fill its chart while the run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from plm_core.errors import PLMError
from plm_core.fewshot.defaults import (  # noqa: F401 - the lab's K values, read here too
    CURVE_TEST_LIMIT,
    DEFAULT_SHOTS,
    PROMPT_K_CHOICES,
    PROMPT_MAX_K,
    SHOT_CHOICES,
)
from plm_core.fewshot.methods import (
    KINDS,
    METHODS,
    TEST_LIMIT,
    ClozeConfig,
    FewShotTask,
    FinetuneSettings,
    Method,
    build_method,
    default_backbone,
    default_descriptions,
    default_prompt,
)
from plm_core.fewshot.prompting import PromptConfig
from plm_core.training.callbacks import StopSignal

TRAINING_METHODS = ("frozen", "finetune")
SLOW_METHODS = ("prompt", "finetune")  # run after the quick ones, so the chart has every quick curve at once


@dataclass
class CurveConfig:
    """One few-shot experiment: which methods, which K, how many seeds, on which data."""

    data: str = "movie-snippets"  # sample-set name or CSV path
    methods: tuple[str, ...] = ("similarity", "prompt", "frozen")
    shots: tuple[int, ...] = DEFAULT_SHOTS  # K = examples per class (in the prompt, or to train on)
    seeds: int = 3  # different K-shot draws and demonstration orders
    test_limit: int = TEST_LIMIT  # first N examples of the fixed test set
    prompt_max_k: int | None = None  # prompting stops at this K (None: every K in shots)
    backbones: dict[str, str] = field(default_factory=dict)  # method -> backbone name ("" = the default)
    prompt: PromptConfig | None = None  # None = the default template for the data's task
    descriptions: dict[str, str] = field(default_factory=dict)  # label -> description (similarity; prompting
    # reads the ones that differ from the data set's defaults, i.e. what a user wrote)
    cloze: ClozeConfig | None = None
    finetune: FinetuneSettings = field(default_factory=FinetuneSettings)

    language: str = "en"  # language of the data ("ko" picks USE-multilingual for similarity)

    def backbone_for(self, method: str) -> str:
        return self.backbones.get(method) or default_backbone(method, self.language)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["backbones"] = {m: self.backbone_for(m) for m in self.methods}
        return out


def validate(config: CurveConfig) -> None:
    bad = [m for m in config.methods if m not in METHODS]
    if bad or not config.methods:
        raise PLMError("fewshot.err.method_unavailable", method=", ".join(bad) or "-", choices=", ".join(METHODS))
    if not config.shots or any(k < 0 for k in config.shots):
        raise PLMError("fewshot.err.bad_shots", shots=", ".join(map(str, config.shots)))
    if not 1 <= config.seeds <= 20:
        raise PLMError("fewshot.err.bad_seeds", seeds=config.seeds)
    if config.prompt_max_k is not None and config.prompt_max_k < 0:
        raise PLMError("fewshot.err.bad_shots", shots=str(config.prompt_max_k))


@dataclass
class CurvePoint:
    """One method at one K for one seed."""

    method: str
    k: int
    seed: int
    accuracy: float
    macro_f1: float
    seconds: float  # wall time of this point (0 for a copy of a deterministic K = 0 point)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Skipped:
    method: str
    k: int
    key: str  # message-catalog key of the reason
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class CurveResult:
    config: CurveConfig
    labels: list[str]
    n_test: int
    majority: float  # accuracy of always predicting the most frequent test label (the chance line)
    points: list[CurvePoint] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: prepare_<method>, run_<method>, total
    stopped: bool = False
    run_id: int | None = None

    def frame(self) -> pd.DataFrame:
        return points_frame(self.points)


@dataclass
class Unit:
    """A planned piece of work: one (method, K, seed), or the method's one-time preparation (k = -1)."""

    method: str
    k: int
    seed: int
    weight: float  # rough relative cost, for the time-left estimate


def unit_weight(method: str, k: int, n_labels: int) -> float:
    """Relative cost guess: prompting grows with the prefix, fine-tuning with the examples."""
    if k < 0:
        return 3.0
    if method == "prompt":
        return 1.0 + 0.05 * k * n_labels
    if method == "finetune":
        return 2.0 + 0.2 * k * n_labels
    return 0.3


def run_order(methods: Sequence[str]) -> list[str]:
    """The quick methods first (their whole curves appear within seconds), then prompting and fine-tuning."""
    return sorted(methods, key=lambda m: m in SLOW_METHODS)


def plan(config: CurveConfig, methods: dict[str, Method], task: FewShotTask) -> tuple[list[Unit], list[Skipped]]:
    """Every unit of work in run order (quick methods first, then method by method, K ascending, seeds
    inside), and what is skipped."""
    units: list[Unit] = []
    skipped: list[Skipped] = []
    n_labels = len(task.labels)
    most = task.max_k()
    for name in run_order(config.methods):
        method = methods[name]
        shots = sorted(set(config.shots))
        if not any(method.supports(k) for k in shots):  # e.g. similarity (K = 0 only) with K = 1, 2: say so
            skipped.append(Skipped(name, shots[0], f"fewshot.skip.no_k.{method.kind}",
                                   {"shots": ", ".join(map(str, shots))}))
            continue
        units.append(Unit(name, -1, 0, unit_weight(name, -1, n_labels)))
        for k in shots:
            if not method.supports(k):
                continue
            if k > most:
                skipped.append(Skipped(name, k, "fewshot.skip.too_few", {"k": k, "most": most}))
                continue
            if name == "prompt" and config.prompt_max_k is not None and k > config.prompt_max_k:
                skipped.append(Skipped(name, k, "fewshot.skip.prompt_k", {"k": k, "most": config.prompt_max_k}))
                continue
            seeds = [0] if method.deterministic(k) else list(range(config.seeds))
            units.extend(Unit(name, k, s, unit_weight(name, k, n_labels)) for s in seeds)
    return units, skipped


# ---- an honest time estimate, before starting ------------------------------------------------------
# Calibrated with bench/lessons.py on the shared 2-core CPU (one torch thread per job, load average ~4.5:
# 60 snippets scored in 8.5-9 s at K = 0, 10 s at K = 1, 10.7 s at K = 2, 12.5 s at K = 4):
LM_TOKENS_PER_S = 200.0  # SmolLM2-135M forward, query tokens per second
LM_PREFIX_TOKENS = 700.0  # every this many prefix tokens add one more query's worth of work (attention, cache copies)
ENCODER_TEXTS_PER_S = 60.0  # MiniLM forward over a ~30-token text (embedding, probe features, evaluation)
PROBE_SECONDS = 0.05  # one logistic-regression fit on K-per-class vectors
TEXT_TOKENS = 30.0  # a movie-review snippet in the prompt template, in SmolLM2 pieces
DEMO_TOKENS = 35.0  # one demonstration (text cut to 40 words, label word, separator)
FINETUNE_SETUP_S = 1.0  # copy the body, build the head and optimizer (per K, seed)
FINETUNE_EPOCH_S = 0.5  # per-epoch overhead beyond the examples (small batches, the held-out pass's setup)


def prompt_unit_seconds(k: int, n_labels: int, n_test: int, text_tokens: float = TEXT_TOKENS) -> float:
    """One (K, seed) of prompting: the prefix once, then every test text read after it."""
    prefix = k * n_labels * DEMO_TOKENS
    slow = 1.0 + prefix / LM_PREFIX_TOKENS  # attention over the prefix (and its cache copies) per query token
    return (prefix + n_test * text_tokens) * slow / LM_TOKENS_PER_S


def unit_seconds(unit: Unit, config: CurveConfig, n_labels: int, n_test: int) -> float:
    """About how long one planned unit takes on this machine."""
    if unit.method == "prompt":
        return 0.0 if unit.k < 0 else prompt_unit_seconds(unit.k, n_labels, n_test)
    if unit.method in ("similarity", "cloze"):
        return n_test / ENCODER_TEXTS_PER_S if unit.k <= 0 else 0.0
    if unit.method == "frozen":
        return n_test / ENCODER_TEXTS_PER_S if unit.k < 0 else PROBE_SECONDS + unit.k * n_labels / ENCODER_TEXTS_PER_S
    if unit.method == "finetune" and unit.k > 0:
        epochs = config.finetune.epochs  # every epoch trains on the C*K examples, then scores the test set
        return FINETUNE_SETUP_S + epochs * (FINETUNE_EPOCH_S + (3 * unit.k * n_labels + n_test) / ENCODER_TEXTS_PER_S)
    return 0.0


def estimate_seconds(config: CurveConfig, n_labels: int, most: int = 10**6) -> float:
    """About how long the curve takes live (not counting model loading), from calibrated per-unit times.

    `most` is the largest K every class can give (larger K are skipped); the backbones are not loaded.
    """
    validate(config)
    total = 0.0
    for name in config.methods:
        method_kind = KINDS.get(name, "zero")
        total += unit_seconds(Unit(name, -1, 0, 0.0), config, n_labels, config.test_limit)
        for k in sorted(set(config.shots)):
            supported = k == 0 if method_kind == "zero" else (k >= 0 if method_kind == "demo" else k >= 1)
            capped = name == "prompt" and config.prompt_max_k is not None and k > config.prompt_max_k
            if not supported or k > most or capped:
                continue
            seeds = 1 if k == 0 else config.seeds
            total += seeds * unit_seconds(Unit(name, k, 0, 0.0), config, n_labels, config.test_limit)
    return total


def samples_for(units: Sequence[Unit], task: FewShotTask, method: str) -> list[pd.DataFrame]:
    return [task.draw(u.k, u.seed) for u in units if u.method == method and u.k > 0]


@dataclass
class ProgressInfo:
    """What the runner tells its caller after every unit."""

    done: int  # units finished
    total: int
    fraction: float  # of the estimated work
    eta_seconds: float | None  # None until there is something to extrapolate from
    method: str
    k: int


BackboneLoader = Callable[[str], Any]


def run_curves(config: CurveConfig, task: FewShotTask, load: BackboneLoader,
               on_point: Callable[[CurvePoint], None] | None = None,
               on_progress: Callable[[ProgressInfo], None] | None = None,
               stop: StopSignal | None = None) -> CurveResult:
    """Run the whole grid. `load(name)` gives a backbone (shared is fine: nothing here trains it in place)."""
    validate(config)
    result = CurveResult(config, task.labels, len(task.test), majority_rate(task.test["label"]))
    prompt = prompt_with_descriptions(config.prompt or default_prompt(task.task), config.descriptions, task.labels,
                                      task.task)
    methods = {m: build_method(m, load(config.backbone_for(m)), prompt=prompt,
                               descriptions=config.descriptions, cloze=config.cloze, finetune=config.finetune,
                               stop=stop) for m in config.methods}
    units, result.skipped = plan(config, methods, task)
    total_weight, done_weight, start = sum(u.weight for u in units), 0.0, time.perf_counter()
    skip_method: set[str] = set()
    for i, unit in enumerate(units):
        if stop is not None and stop.is_set():
            result.stopped = True
            break
        t0 = time.perf_counter()
        if unit.method not in skip_method:
            skip = run_unit(unit, methods[unit.method], task, config, units, result, on_point)
            if skip is not None:
                result.skipped.append(skip)
                if unit.k < 0:
                    skip_method.add(unit.method)
        phase = "prepare_" if unit.k < 0 else "run_"
        result.timings[phase + unit.method] = result.timings.get(phase + unit.method, 0.0) + time.perf_counter() - t0
        done_weight += unit.weight
        if on_progress is not None:
            elapsed = time.perf_counter() - start
            eta = elapsed / done_weight * (total_weight - done_weight) if done_weight else None
            on_progress(ProgressInfo(i + 1, len(units), done_weight / total_weight, eta, unit.method, unit.k))
    result.timings["total"] = time.perf_counter() - start
    return result


def prompt_with_descriptions(prompt: PromptConfig, descriptions: dict[str, str], labels: Sequence[str],
                             task: str) -> PromptConfig:
    """The prompt with the user's label descriptions (those that differ from the data set's defaults, which
    only restate the label: 'a positive movie review'); a prompt that has its own keeps them."""
    defaults = default_descriptions(labels, task)
    written = {lab: " ".join(str(text).split()) for lab, text in descriptions.items()
               if lab in defaults and str(text).strip() and " ".join(str(text).split()) != defaults[lab]}
    if prompt.descriptions or not written:
        return prompt
    return replace(prompt, descriptions=written)


def run_unit(unit: Unit, method: Method, task: FewShotTask, config: CurveConfig, units: Sequence[Unit],
             result: CurveResult, on_point: Callable[[CurvePoint], None] | None) -> Skipped | None:
    """Prepare a method (k < 0) or score one (K, seed); a user-fixable problem skips the point."""
    try:
        if unit.k < 0:
            method.prepare(task, samples_for(units, task, unit.method))
            return None
        t0 = time.perf_counter()
        out = method.run(task.draw(unit.k, unit.seed), task, unit.seed)
        seconds = time.perf_counter() - t0
    except PLMError as err:
        return Skipped(unit.method, unit.k, err.key, dict(err.params))
    seeds = range(config.seeds) if method.deterministic(unit.k) else [unit.seed]
    extra = dict(out.extra)
    if len(out.predictions) == len(task.test):  # which test texts it got right: paired noise bands (`change`)
        extra["correct"] = "".join("1" if str(p) == str(y) else "0"
                                   for p, y in zip(out.predictions, task.test["label"], strict=True))
    for s in seeds:
        point = CurvePoint(unit.method, unit.k, s, out.accuracy, out.macro_f1, seconds if s == unit.seed else 0.0,
                           extra)
        result.points.append(point)
        if on_point is not None:
            on_point(point)
    return None


# ---- aggregation ------------------------------------------------------------------------------

def majority_rate(labels: pd.Series) -> float:
    return float(labels.value_counts(normalize=True).max()) if len(labels) else 0.0


def points_frame(points: Sequence[CurvePoint]) -> pd.DataFrame:
    cols = ["method", "k", "seed", "accuracy", "macro_f1", "seconds"]
    return pd.DataFrame([{c: getattr(p, c) for c in cols} for p in points], columns=cols)


def summarize(points: Sequence[CurvePoint] | pd.DataFrame) -> pd.DataFrame:
    """Per (method, K): mean and standard deviation (over seeds) of accuracy and macro-F1, and n seeds."""
    from plm_core.figures import frame_sd

    df = points if isinstance(points, pd.DataFrame) else points_frame(points)
    cols = ["method", "k", "acc_mean", "acc_std", "f1_mean", "f1_std", "n"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    g = df.groupby(["method", "k"], sort=False)
    out = pd.DataFrame({
        "acc_mean": g["accuracy"].mean(), "acc_std": frame_sd(g["accuracy"]),  # sample sd, as every "± sd"
        "f1_mean": g["macro_f1"].mean(), "f1_std": frame_sd(g["macro_f1"]), "n": g["accuracy"].size(),
    }).reset_index()
    order = {m: i for i, m in enumerate(METHODS)}
    return out.sort_values(["method", "k"], key=lambda s: s.map(order) if s.name == "method" else s)[cols] \
        .reset_index(drop=True)


@dataclass
class Crossover:
    """The first K where a training method's mean beats prompting's."""

    method: str
    k: int
    accuracy: float  # the training method's mean at K
    reference: float  # prompting's mean at K (or at its largest K, where prompting stops earlier)


def reference_at(ref: pd.Series, k: int) -> float:
    """Prompting's mean at K; where prompting stopped earlier, its value at the largest K below."""
    if k in ref.index:
        return float(ref[k])
    below = ref[ref.index <= k]
    return float(below.iloc[-1]) if len(below) else float(ref.iloc[0])


def crossovers(summary: pd.DataFrame, reference: str = "prompt", metric: str = "acc_mean") -> list[Crossover]:
    """For each training method, the smallest K at which its mean exceeds the prompting curve's."""
    ref = summary[summary["method"] == reference].set_index("k")[metric].sort_index()
    if ref.empty:
        return []
    found = []
    for method in TRAINING_METHODS:
        rows = summary[summary["method"] == method].sort_values("k")
        for k, value in zip(rows["k"], rows[metric], strict=True):
            target = reference_at(ref, int(k))
            if value > target:
                found.append(Crossover(method, int(k), float(value), target))
                break
    return found


# ---- what a curve shows, as numbers a sentence can be generated from --------------------------------
NOISE_Z = 1.96  # a difference counts when it is beyond 1.96 standard errors (a two-sided 95 % rule)


@dataclass(frozen=True)
class Change:
    """One mean accuracy against another, in points, with the noise band a difference must leave to count."""

    method: str
    k_from: int
    acc_from: float  # mean accuracy at k_from, 0..1
    k_to: int
    acc_to: float
    other: str = ""  # for a comparison of two methods: the method `acc_from` belongs to
    noise: float = 0.0  # NOISE_Z standard errors of the difference, in accuracy points

    @property
    def points(self) -> float:
        return round(100 * (self.acc_to - self.acc_from), 1)

    @property
    def verdict(self) -> str:
        """"up" / "down" beyond the noise band, "flat" inside it (within noise)."""
        if abs(self.points) <= self.noise:
            return "flat"
        return "up" if self.points > 0 else "down"


def draw_var(values: Sequence[float]) -> float:
    """Variance of a mean over seeds from the spread between the seeds' draws (sample variance / seeds)."""
    return float(np.var(values, ddof=1)) / len(values) if len(values) > 1 else 0.0


def mean_noise(values: Sequence[float], n_test: int) -> float:
    """Variance of a mean accuracy: the test texts' binomial sampling (p(1-p)/n; every seed reads the same texts,
    so this part does not shrink with seeds) plus the spread between seeds' draws."""
    p = float(np.mean(values))
    return p * (1 - p) / max(1, n_test) + draw_var(values)


def paired_text_var(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Variance of the mean difference from per-text right/wrong strings ('0110…', one per seed) of two points
    on the same test texts: var over texts of (b's mean correctness - a's) / n. None if they cannot be paired."""
    if not a or not b or len({len(x) for x in (*a, *b)}) != 1 or not a[0]:
        return None
    rate = [np.frombuffer(x.encode(), dtype=np.uint8) - ord("0") for x in (*a, *b)]  # each (N,) of 0/1
    diff = np.mean(rate[len(a):], axis=0) - np.mean(rate[: len(a)], axis=0)  # (N,) per text
    return float(np.var(diff, ddof=1)) / len(diff) if len(diff) > 1 else None


def change(points: pd.DataFrame, n_test: int, method: str, k_from: int, k_to: int, other: str = "",
           correct: pd.Series | None = None) -> Change:
    """The mean accuracy of `method` at k_to against `other` (default: the same method) at k_from, with a noise
    band of NOISE_Z standard errors. Both read the same test texts: with each point's per-text right/wrong
    (`correct`, aligned with `points`) the text part of the error is paired (the variance of the per-text
    difference); without, the two means count as independent (wider). The seeds' spread is added either way."""
    pick_a = (points["method"] == (other or method)) & (points["k"] == k_from)
    pick_b = (points["method"] == method) & (points["k"] == k_to)
    a, b = points[pick_a]["accuracy"].tolist(), points[pick_b]["accuracy"].tolist()
    if not a or not b:
        raise PLMError("fewshot.err.no_points", reasons=f"{other or method} K={k_from} / {method} K={k_to}")
    paired = None if correct is None else paired_text_var(correct[pick_a].tolist(), correct[pick_b].tolist())
    var = mean_noise(a, n_test) + mean_noise(b, n_test) if paired is None else paired + draw_var(a) + draw_var(b)
    return Change(method, k_from, float(np.mean(a)), k_to, float(np.mean(b)), other,
                  round(100 * NOISE_Z * float(np.sqrt(var)), 1))


def correct_column(result: CurveResult) -> pd.Series:
    """Each point's per-text right/wrong string ('' where the method does not report predictions)."""
    return pd.Series([str(p.extra.get("correct", "")) for p in result.points], dtype=object)


def prompt_trend(result: CurveResult, method: str = "prompt") -> Change:
    """Prompting's accuracy at its largest K against K = 0 (or its smallest K): did demonstrations help?"""
    df = result.frame()
    ks = sorted(int(k) for k in df[df["method"] == method]["k"].unique())
    if len(ks) < 2:
        raise PLMError("fewshot.err.no_points", reasons=f"{method}: one K")
    return change(df, result.n_test, method, ks[0], ks[-1], correct=correct_column(result))


def cross_margin(result: CurveResult, reference: str = "prompt") -> Change | None:
    """The first K where a training method's mean beats prompting's (see `crossovers`), with its margin and
    noise band; None where it never does."""
    found = crossovers(summarize(result.points), reference)
    if not found:
        return None
    first = min(found, key=lambda c: c.k)
    df = result.frame()
    ref_ks = sorted(int(k) for k in df[df["method"] == reference]["k"].unique())
    k_ref = max([k for k in ref_ks if k <= first.k] or ref_ks[:1])  # prompting's own K (it may stop earlier)
    return change(df, result.n_test, first.method, k_ref, first.k, other=reference, correct=correct_column(result))


def trends_json(result: CurveResult) -> dict[str, Any]:
    """Per method with two K or more: its smallest K against its largest, in points, with the noise band."""
    out: dict[str, Any] = {}
    df = result.frame()
    for name in result.config.methods:
        ks = sorted(int(k) for k in df[df["method"] == name]["k"].unique())
        if len(ks) >= 2:
            c = change(df, result.n_test, name, ks[0], ks[-1], correct=correct_column(result))
            out[name] = {"k_from": c.k_from, "k_to": c.k_to, "points": c.points, "noise_points": c.noise,
                         "verdict": c.verdict}
    return out


def to_json(result: CurveResult) -> dict[str, Any]:
    """The CLI's JSON object: per method and K, mean and std of test accuracy plus the per-seed values."""
    df = result.frame()
    summary = summarize(df)
    methods: dict[str, Any] = {}
    for name in result.config.methods:
        rows = summary[summary["method"] == name]
        per_k = {}
        for _, row in rows.iterrows():
            seeds = df[(df["method"] == name) & (df["k"] == row["k"])].sort_values("seed")
            per_k[str(int(row["k"]))] = {
                "mean": round(float(row["acc_mean"]), 4), "std": round(float(row["acc_std"]), 4),
                "values": [round(float(v), 4) for v in seeds["accuracy"]],
                "macro_f1_mean": round(float(row["f1_mean"]), 4), "macro_f1_std": round(float(row["f1_std"]), 4),
                "macro_f1_values": [round(float(v), 4) for v in seeds["macro_f1"]],
                "seeds": [int(s) for s in seeds["seed"]],
            }
        methods[name] = {"backbone": result.config.backbone_for(name), "kind": KINDS[name], "points": per_k}
    return {
        "data": result.config.data, "labels": result.labels, "n_test": result.n_test,
        "majority_baseline": round(result.majority, 4), "shots": sorted(set(result.config.shots)),
        "seeds": result.config.seeds, "methods": methods,
        "crossovers": [asdict(c) for c in crossovers(summary)],
        "trends": trends_json(result),
        "skipped": [asdict(s) for s in result.skipped], "stopped": result.stopped,
        "timings": {k: round(v, 2) for k, v in result.timings.items()}, "run_id": result.run_id,
    }


def save_run(result: CurveResult, store: Any = None) -> int | None:
    """Store the curves in the runs store; the run id. A failed write raises `plm_core.runs.RunNotSaved`."""
    from plm_core.runs import save_run as store_run

    payload = to_json(result)
    config = result.config.as_dict()
    metrics = {f"{m}@{k}": v["mean"] for m, d in payload["methods"].items() for k, v in d["points"].items()}
    curves = {"methods": payload["methods"], "crossovers": payload["crossovers"], "labels": payload["labels"],
              "majority_baseline": payload["majority_baseline"], "n_test": payload["n_test"]}
    result.run_id = int(store_run("fewshot", config, metrics, curves, dict(result.timings), store=store))
    return result.run_id


def sensitivity(load_scorer: Callable[[PromptConfig], Any], task: FewShotTask, k: int,
                templates: Sequence[PromptConfig], orders: int = 4, seed: int = 0,
                stop: StopSignal | None = None,
                on_row: Callable[[dict], None] | None = None) -> pd.DataFrame:
    """Prompt sensitivity: one K-shot draw, each template x several demonstration orders -> accuracy rows."""
    from plm_core.fewshot.methods import outcome

    demos = task.draw(k, seed)
    rows: list[dict[str, Any]] = []
    rng = np.random.default_rng(seed)
    perms = [np.arange(len(demos))] + [rng.permutation(len(demos)) for _ in range(max(0, orders - 1))]
    for t_index, config in enumerate(templates):
        scorer = load_scorer(config)
        for o_index, perm in enumerate(perms):
            if stop is not None and stop.is_set():
                return pd.DataFrame(rows)
            ordered = list(demos.iloc[perm][["text", "label"]].itertuples(index=False, name=None))
            pred = scorer.score(ordered, task.test["text"].tolist()).predictions(calibrate=config.calibrate)
            out = outcome(task.test["label"], pred, task.labels)
            row = {"template": t_index + 1, "template_text": config.template, "order": o_index + 1,
                   "accuracy": out.accuracy, "macro_f1": out.macro_f1}
            rows.append(row)
            if on_row is not None:
                on_row(row)
    return pd.DataFrame(rows)
