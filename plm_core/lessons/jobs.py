"""A lesson step's job (the recipe its page's form builds from the same settings) and `prepare`: every step's
job through the job service ahead of class, so that during class each step's result is a cache hit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from plm_core.errors import PLMError
from plm_core.lessons.model import Lesson, Step
from plm_core.recipes import FewShotCurve, Recipe, TransferRace, TransferRun

STEP_RECIPES: dict[tuple[str, str], tuple[str, type[Recipe]]] = {  # (page, tab) -> (the page's job slot, recipe)
    ("transfer", "single"): ("transfer-single", TransferRun),
    ("transfer", "race"): ("transfer-race", TransferRace),
    ("fewshot", ""): ("fewshot-curves", FewShotCurve),
}


@dataclass(frozen=True)
class StepJob:
    slot: str  # the page's job slot (ui.jobs), so the page's own panel shows the step's result
    recipe: Recipe

    @property
    def kind(self) -> str:
        return self.recipe.kind

    @property
    def config(self) -> Any:
        """The job config of the normalized recipe: what the form and `jobs.run` submit for the same settings."""
        return self.recipe.normalized().job_config()


def step_recipe(step: Step, overrides: Mapping[str, str] | None = None) -> tuple[str, Recipe] | None:
    """The step's slot and recipe, parsed from its page settings (`overrides`, e.g. smaller sizes for a test,
    win over the lesson's where the recipe has them); None for a step whose page computes at once."""
    entry = STEP_RECIPES.get((step.page, str(step.settings.get("tab", "single" if step.page == "transfer" else ""))))
    if entry is None:
        return None
    slot, recipe_type = entry
    names = {p.name for p in recipe_type.params()}
    mine = {k: v for k, v in (overrides or {}).items() if k in names}
    recipe, problems = recipe_type.parse({k: str(v) for k, v in {**step.settings, **mine}.items()})
    if problems:
        raise problems[0]
    return slot, recipe


def step_job(step: Step, overrides: Mapping[str, str] | None = None) -> StepJob | None:
    """The job behind a step, or None for a page that computes at once (embeddings, attention, ...)."""
    found = step_recipe(step, overrides)
    return StepJob(*found) if found is not None else None


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


def submit_lesson(service: Any, lesson: Lesson, owner: str = "", overrides: Mapping[str, str] | None = None,
                  group: str = "", priority: int = 0) -> dict[int, str]:
    """Submit every step's job (identical ones are computed once); step index -> job id. `group` and `priority`:
    a class's code and 1 for its teacher (the class's quota; ahead of the students' jobs in the queue)."""
    from plm_core.jobs import run

    return {i: run(job.recipe, service=service, owner=owner, slot=f"lesson:{lesson.id}:{i}", group=group,
                   priority=priority) for i, job in lesson_jobs(lesson, overrides).items()}


def prepare(service: Any, lesson: Lesson, overrides: Mapping[str, str] | None = None,
            on_progress: Callable[[float], None] | None = None, timeout: float = 3600.0,
            poll: float = 0.5) -> list[Prepared]:
    """Run every step's job of `lesson` through `service` and wait for all of them."""
    from plm_core.jobs import wait_all

    job_ids = submit_lesson(service, lesson, "lesson-prepare", overrides)
    # done as soon as a result can be shown; stored a moment later: a CLI that exits at once would lose it
    snaps = wait_all(service, job_ids, "lesson-prepare", timeout, poll, on_progress, stored=True)
    if snaps is None:
        raise PLMError("lessons.err.prepare_timeout", lesson=lesson.id, seconds=round(timeout))
    return [Prepared(i, s.job_id, s.status.value, bool(s.cached), 0.0 if s.cached else float(s.compute_seconds or 0))
            for i, s in snaps.items()]
