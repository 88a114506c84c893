"""The Few-shot lab's job kinds: the accuracy-vs-K curves, and prompt sensitivity.

Both run in a worker through the job service; curve points and sensitivity rows arrive one by one as
the job's items, so the chart grows while the work goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from plm_core.fewshot.curves import (
    CurveConfig,
    CurveResult,
    ProgressInfo,
    run_curves,
    save_run,
    sensitivity,
)
from plm_core.fewshot.methods import make_task
from plm_core.fewshot.prompting import PromptConfig, PromptScorer
from plm_core.jobs.model import JobContext
from plm_core.jobs.refs import DataRef


@dataclass(frozen=True)
class CurveJob:
    config: CurveConfig
    data: DataRef
    seed: int = 0  # every draw inside is seeded by the curve's own seeds; this seeds the worker

    @property
    def shots(self) -> tuple[int, ...]:
        return self.config.shots


def run_curves_job(job: CurveJob, ctx: JobContext) -> CurveResult:
    task = make_task(job.data.load(), job.config.test_limit)

    def progress(info: ProgressInfo) -> None:
        ctx.update(fraction=info.fraction, eta_seconds=info.eta_seconds,
                   current=f"{info.method} K={info.k}" if info.k >= 0 else info.method)

    return run_curves(job.config, task, ctx.backbone, on_point=ctx.emit, on_progress=progress,
                      stop=ctx.stop)


def store_curves(job: CurveJob, result: CurveResult) -> list[int]:
    if not result.points:
        return []
    run_id = save_run(result)
    return [run_id] if run_id is not None else []


@dataclass(frozen=True)
class SensitivityJob:
    """Each template x several demonstration orders, on one K-shot draw."""

    data: DataRef
    backbone: str
    k: int
    templates: tuple[PromptConfig, ...]
    orders: int = 4
    test_limit: int = 100
    seed: int = 0


def run_sensitivity_job(job: SensitivityJob, ctx: JobContext) -> pd.DataFrame:
    ds = job.data.load()
    task = make_task(ds, job.test_limit)
    lm = ctx.backbone(job.backbone)
    total = max(1, len(job.templates) * job.orders)
    done = 0

    def on_row(row: dict) -> None:
        nonlocal done
        done += 1
        ctx.emit(row)
        ctx.update(fraction=done / total, current=f"{row['template']}/{row['order']}")

    return sensitivity(lambda c: PromptScorer(lm, c, ds.labels), task, job.k, job.templates, job.orders,
                       job.seed, stop=ctx.stop, on_row=on_row)
