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


@dataclass(frozen=True)
class TinyTrainConfig:
    """A tiny random transformer trained for a few steps (bench/soak.py: many small real jobs)."""

    steps: int = 5
    width: int = 32  # model width d
    seed: int = 0
    payload: bytes = b""  # stands in for an uploaded CSV: memory the server must free once the job is done
    tag: str = ""


def run_tiny_train(config: TinyTrainConfig, ctx: JobContext) -> dict[str, Any]:
    """Embedding → one encoder layer → mean pool → linear head, on random tokens; the losses and the head."""
    import torch

    d, vocab = config.width, 100
    gen = torch.Generator().manual_seed(config.seed)
    embed = torch.nn.Embedding(vocab, d)
    layer = torch.nn.TransformerEncoderLayer(d, nhead=2, dim_feedforward=2 * d, dropout=0.0, batch_first=True)
    head = torch.nn.Linear(d, 2)
    params = [*embed.parameters(), *layer.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=1e-2)
    x = torch.randint(0, vocab, (8, 12), generator=gen)  # (B, T) token ids
    y = torch.randint(0, 2, (8,), generator=gen)  # (B,) labels
    losses = []
    for step in range(config.steps):
        if ctx.should_stop():
            break
        logits = head(layer(embed(x)).mean(dim=1))  # (B, T, d) -> (B, d) -> (B, 2)
        loss = torch.nn.functional.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        ctx.emit({"step": step, "loss": losses[-1]})
        ctx.update(fraction=(step + 1) / config.steps, current=f"step {step + 1}")
    return {"losses": losses, "payload_bytes": len(config.payload), "head": head.weight.detach().numpy().copy(),
            "pid": os.getpid()}
