"""Learning-rate schedules as pure functions of the step.

`transformers.get_cosine_with_min_lr_schedule_with_warmup` is close but not the same numbers: its warm-up
gives step / warmup (0 at step 0, a wasted step), ours (step + 1) / warmup, which the shipped checkpoints
were trained with; so the formula is kept here and tested.
"""

from __future__ import annotations

import math


def warmup_cosine(step: int, peak: float, warmup: int, total: int, floor: float = 0.1) -> float:
    """Linear warm-up to `peak` over `warmup` steps, then cosine decay to floor * peak at step `total`."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))
