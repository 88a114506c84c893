"""Learning-rate schedules as pure functions of the step.

`transformers.get_cosine_with_min_lr_schedule_with_warmup` is close but not the same numbers: its warm-up
gives step / warmup (0 at step 0, a wasted step), ours (step + 1) / warmup, which the shipped checkpoints
were trained with; so the formula is kept here and tested.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def warmup_cosine(step: int, peak: float, warmup: int, total: int, floor: float = 0.1) -> float:
    """Linear warm-up to `peak` over `warmup` steps, then cosine decay to floor * peak at step `total`."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


SCHEDULES: tuple[str, ...] = ("constant", "linear", "cosine", "slanted_triangular")


def slanted_triangular(step: int, total: int, cut_frac: float = 0.1, ratio: float = 32.0) -> float:
    """ULMFiT's slanted triangular multiplier (Howard & Ruder 2018, eq. 3), in (0, 1].

    cut = floor(T * cut_frac); p = t / cut before the cut, else 1 - (t - cut) / (cut * (1 / cut_frac - 1));
    lr_t = lr_max * (1 + p * (ratio - 1)) / ratio.
    """
    cut = max(1, math.floor(total * cut_frac))
    if step < cut:
        p = step / cut
    else:
        p = 1 - (step - cut) / max(cut * (1 / cut_frac - 1), 1e-12)
    return (1 + max(p, 0.0) * (ratio - 1)) / ratio


def lr_multiplier(name: str, total: int, warmup: float = 0.1) -> Callable[[int], float]:
    """Step -> multiplier of every group's base learning rate.

    constant, linear (warm-up then linear decay to 0) and cosine (warm-up then half a cosine to 0) are
    `transformers.get_scheduler`'s own lambdas; slanted_triangular is ULMFiT's, with cut_frac = warmup.
    """
    if name == "slanted_triangular":
        return lambda step: slanted_triangular(step, total, warmup or 0.1)
    import torch
    from transformers import get_scheduler

    dummy = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    warm = 0 if name == "constant" else int(round(warmup * total))
    scheduler = get_scheduler(name, dummy, num_warmup_steps=warm, num_training_steps=max(total, 1))
    return scheduler.lr_lambdas[0]
