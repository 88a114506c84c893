"""A lesson step's job (the config its page builds from the same settings) and `prepare`: every step's job
through the job service ahead of class, so that during class each step's result is a cache hit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from plm_core.errors import PLMError
from plm_core.lessons.model import Lesson, Step


@dataclass(frozen=True)
class StepJob:
    slot: str  # the page's job slot (ui.jobs), so the page's own panel shows the step's result
    kind: str
    config: Any


def step_values(step: Step, overrides: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The step's page settings, parsed (`overrides`, e.g. smaller sizes for a test, win over the lesson's)."""
    from plm_core import urlparams

    names = {p.name for p in urlparams.params(step.page)}
    mine = {k: v for k, v in (overrides or {}).items() if k in names}  # an override only where the page has it
    values, problems = urlparams.parse(step.page, {**step.settings, **mine})
    if problems:
        raise problems[0]
    return values


def transfer_config(values: Mapping[str, Any], strategy: str) -> Any:
    """One TrainConfig from the Transfer lab's settings (as its form builds it)."""
    from plm_core.backbones import specs
    from plm_core.transfer.config import TrainConfig, default_pooling
    from plm_core.transfer.strategies import strategy_mode

    spec = specs()[str(values["backbone"])]
    pooling = default_pooling(spec) if values["pooling"] == "auto" else str(values["pooling"])
    layer = int(values["layer"]) if spec.layers else -1
    return TrainConfig(backbone=spec.name, pooling=pooling, layer=layer, head=str(values["head"]),
                       epochs=int(values["epochs"]), lr_body=float(values["lr_body"]), lr_head=float(values["lr_head"]),
                       layer_decay=float(values["decay"]), batch_size=int(values["batch"]),
                       max_length=int(values["max_len"]), length_budget=int(values["budget"]), seed=int(values["seed"]),
                       k=int(values["k"]), lora_rank=int(values["rank"]), schedule=str(values["schedule"]),
                       warmup=float(values["warmup"]), strategy=strategy, mode=strategy_mode(strategy))  # type: ignore[arg-type]


def transfer_job(values: Mapping[str, Any]) -> StepJob:
    """The Transfer lab's single run (tab=single, `mode`) or race (tab=race, `modes`) from its settings."""
    from plm_core.jobs import DataRef
    from plm_core.transfer.jobs import TransferJob

    race = values["tab"] == "race"
    strategies = tuple(values["modes"]) if race else (str(values["mode"]),)
    size = int(values["n"])
    job = TransferJob(tuple(transfer_config(values, s) for s in strategies), DataRef(str(values["data"])),
                      n=size if values["sizing"] == "n" else None, per_class=size if values["sizing"] == "k" else None,
                      test_limit=int(values["race_test"] if race else values["test"]), race=race,
                      seeds=int(values["seeds"]) if race else 1)
    return StepJob("transfer-race" if race else "transfer-single", "transfer", job)


def curve_config(values: Mapping[str, Any]) -> Any:
    """The Few-shot lab's curve config from its settings, with the data set's default prompt and words."""
    from plm_core.fewshot.curves import CurveConfig, FinetuneSettings
    from plm_core.fewshot.methods import default_descriptions, default_prompt
    from plm_core.fewshot.prompting import PromptConfig, verbalizers_for
    from plm_core.fewshot.settings import spaced_words
    from plm_core.jobs import DataRef

    ds = DataRef(str(values["data"])).load()
    language = ds.info.language or "en"
    base = default_prompt(ds.info.task)
    words = {k: v.strip() for k, v in verbalizers_for(base, ds.labels).items()}
    prompt = PromptConfig(template=base.template, verbalizers=spaced_words(words, base.template),
                          calibrate=bool(values["calibrate"]))
    methods = tuple(values["methods"])
    auto = CurveConfig(language=language)
    backbones = {m: auto.backbone_for(m) if values[f"bb_{m}"] == "auto" else str(values[f"bb_{m}"]) for m in methods}
    descriptions = {k: v.strip() for k, v in default_descriptions(ds.labels, ds.info.task).items()}
    return CurveConfig(data=ds.name, methods=methods, shots=tuple(sorted(int(k) for k in values["shots"])),
                       seeds=int(values["seeds"]), test_limit=int(values["test"]), backbones=backbones, prompt=prompt,
                       language=language, descriptions=descriptions,
                       finetune=FinetuneSettings(epochs=int(values["epochs"])), prompt_max_k=int(values["prompt_k"]))


def fewshot_job(values: Mapping[str, Any]) -> StepJob:
    """The Few-shot lab's accuracy-vs-K curve from its settings."""
    from plm_core.fewshot.jobs import CurveJob
    from plm_core.jobs import DataRef

    config = curve_config(values)
    return StepJob("fewshot-curves", "fewshot.curves", CurveJob(config, DataRef(config.data)))


BUILDERS: dict[str, Callable[[Mapping[str, Any]], StepJob]] = {"transfer": transfer_job, "fewshot": fewshot_job}


def step_job(step: Step, overrides: Mapping[str, str] | None = None) -> StepJob | None:
    """The job behind a step, or None for a page that computes at once (embeddings, attention, ...)."""
    builder = BUILDERS.get(step.page)
    if builder is None:
        return None
    values = step_values(step, overrides)
    if step.page == "transfer" and values.get("tab") not in ("single", "race"):
        return None
    return builder(values)


def lesson_jobs(lesson: Lesson, overrides: Mapping[str, str] | None = None) -> dict[int, StepJob]:
    """Step index -> its job, for the steps that have one."""
    jobs = {i: step_job(step, overrides) for i, step in enumerate(lesson.steps)}
    return {i: job for i, job in jobs.items() if job is not None}


@dataclass(frozen=True)
class Prepared:
    step: int
    job_id: str
    status: str  # the job's final JobStatus value ("done", "error", ...)
    cached: bool  # it was in the cache already
    seconds: float  # how long it took to compute (0 when it was cached)


def submit_lesson(service: Any, lesson: Lesson, owner: str = "", overrides: Mapping[str, str] | None = None
                  ) -> dict[int, str]:
    """Submit every step's job (identical ones are computed once); step index -> job id."""
    return {i: service.submit(job.kind, job.config, owner=owner, slot=f"lesson:{lesson.id}:{i}")
            for i, job in lesson_jobs(lesson, overrides).items()}


def overall_fraction(service: Any, job_ids: Mapping[int, str], owner: str = "") -> float:
    """One progress bar for all of a lesson's jobs: the mean of their fractions (a finished job counts 1)."""
    if not job_ids:
        return 1.0
    snaps = [service.snapshot(job_id, owner) for job_id in job_ids.values()]
    return sum(1.0 if s.finished else min(max(s.fraction, 0.0), 1.0) for s in snaps) / len(snaps)


def prepare(service: Any, lesson: Lesson, overrides: Mapping[str, str] | None = None,
            on_progress: Callable[[float], None] | None = None, timeout: float = 3600.0,
            poll: float = 0.5) -> list[Prepared]:
    """Run every step's job of `lesson` through `service` and wait for all of them."""
    job_ids = submit_lesson(service, lesson, "lesson-prepare", overrides)
    deadline = time.monotonic() + timeout
    while True:
        fraction = overall_fraction(service, job_ids, "lesson-prepare")
        if on_progress:
            on_progress(fraction)
        snaps = {i: service.snapshot(j, "lesson-prepare") for i, j in job_ids.items()}
        if all(s.finished for s in snaps.values()):
            break
        if time.monotonic() > deadline:
            raise PLMError("lessons.err.prepare_timeout", lesson=lesson.id, seconds=round(timeout))
        time.sleep(poll)  # each snapshot above is also this owner's heartbeat
    wait_stored(service, lesson, snaps, overrides, deadline, poll)
    return [Prepared(i, s.job_id, s.status.value, bool(s.cached), 0.0 if s.cached else float(s.compute_seconds or 0))
            for i, s in snaps.items()]


def wait_stored(service: Any, lesson: Lesson, snaps: Mapping[int, Any], overrides: Mapping[str, str] | None,
                deadline: float, poll: float) -> None:
    """A job is DONE as soon as its result can be shown; it reaches the result cache a moment later. Wait for
    that (a CLI that exits at once would lose it)."""
    from plm_core.jobs.keys import cache_key

    jobs = lesson_jobs(lesson, overrides)
    waiting = {s.job_id: cache_key(jobs[i].kind, jobs[i].config) for i, s in snaps.items()
               if s.status.value == "done" and not s.cached}
    while waiting and time.monotonic() < deadline:
        for job_id, key in list(waiting.items()):
            if service.snapshot(job_id).save_error is not None or service.cache.get(key) is not None:
                del waiting[job_id]  # stored (or its store failed: the service reports that)
        if waiting:
            time.sleep(poll)


def cached_result(lesson: Lesson, index: int, overrides: Mapping[str, str] | None = None,
                  cache: Any = None) -> Any | None:
    """The prepared result of one step from the result cache (None: not prepared, or no job)."""
    from plm_core.jobs.cache import ResultCache
    from plm_core.jobs.keys import cache_key

    job = step_job(lesson.steps[index], overrides)
    if job is None:
        return None
    hit = (cache or ResultCache()).get(cache_key(job.kind, job.config))
    return hit.result if hit is not None else None
