"""Tiny job kinds for the service's own tests and the classroom benchmark (no model weights)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from plm_core.errors import PLMError
from plm_core.jobs.model import JobContext


@dataclass(frozen=True)
class SleepConfig:
    steps: int = 10
    seconds: float = 0.05  # per step
    seed: int = 0
    tag: str = ""  # makes otherwise identical configs distinct


def run_sleep(config: SleepConfig, ctx: JobContext) -> dict[str, Any]:
    """Steps of sleep + a draw from the global generators (seeded by the worker) and a per-run one."""
    import numpy as np
    import torch

    draws = []
    rng = np.random.default_rng(config.seed)
    for step in range(config.steps):
        if ctx.should_stop():
            break
        time.sleep(config.seconds)
        draws.append(float(torch.rand(1).item()) + float(rng.random()))
        ctx.emit({"step": step, "value": draws[-1]})
        ctx.update(fraction=(step + 1) / config.steps, current=f"step {step + 1}")
    return {"draws": draws, "pid": os.getpid(), "steps": len(draws)}


def run_fail(config: SleepConfig, ctx: JobContext) -> None:
    raise PLMError("jobs.err.test_failure", tag=config.tag or "-")


def run_threads(config: SleepConfig, ctx: JobContext) -> dict[str, int]:
    import torch

    time.sleep(config.seconds)
    return {"threads": torch.get_num_threads(), "pid": os.getpid()}


def run_crash(config: SleepConfig, ctx: JobContext) -> None:
    os._exit(3)  # a hard crash (segfault, OOM kill): the worker dies without a word
