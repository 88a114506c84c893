"""Data-driven max_length: cover >= 95% of the texts in tokens, capped by the backbone and a CPU budget.

A fixed 64 tokens silently cut long texts (a frozen probe lost 4-5 points against 256 on a long-text
CSV). With `max_length = 0` ("auto") the run measures its training texts in the backbone's tokens and
takes the 95th percentile (rounded up to a multiple of 8), never above the model's limit nor the CPU
budget the user sees; whatever is still cut is counted and reported on screen and in the CLI's JSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

COVERAGE = 0.95  # share of training texts that must fit
ROUND_TO = 8  # lengths are rounded up to a multiple of 8 tokens
FALLBACK = 128  # "auto" on a backbone without a tokenizer to measure with


@dataclass
class LengthReport:
    """How the run's max_length was chosen and how many texts it cut."""

    max_length: int  # tokens per text used by the run
    auto: bool  # chosen from the data (config.max_length == 0)
    covered: float  # share of training texts that fit whole
    cut: int  # texts (train + test) longer than max_length, cut
    n: int  # texts measured (train + test)
    budget: int  # the CPU token budget (config.length_budget)
    limit: int  # the backbone's own limit
    p95: int  # 95th percentile of training lengths in tokens

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def token_lengths(tokenizer: Any, texts: Sequence[str]) -> list[int]:
    """Length of every text in the tokenizer's pieces, special tokens included, without cutting."""
    if not texts:
        return []
    ids = tokenizer(list(texts), truncation=False, add_special_tokens=True)["input_ids"]
    return [len(x) for x in ids]


def choose_max_length(lengths: Sequence[int], limit: int, budget: int, coverage: float = COVERAGE) -> int:
    """The smallest multiple of 8 covering `coverage` of `lengths`, within [8, min(limit, budget)]."""
    cap = max(ROUND_TO, min(int(limit), int(budget)))
    if not len(lengths):
        return min(FALLBACK, cap)
    need = int(math.ceil(float(np.quantile(np.asarray(lengths), coverage))))
    return int(min(cap, max(ROUND_TO, ROUND_TO * math.ceil(need / ROUND_TO))))


def length_report(train_lengths: Sequence[int], test_lengths: Sequence[int], max_length: int, auto: bool,
                  budget: int, limit: int) -> LengthReport:
    """Count what `max_length` cuts (texts longer than it) in the training and test texts."""
    train = np.asarray(train_lengths, dtype=int)
    every = np.concatenate([train, np.asarray(test_lengths, dtype=int)])
    covered = float((train <= max_length).mean()) if len(train) else 1.0
    p95 = int(math.ceil(float(np.quantile(train, COVERAGE)))) if len(train) else 0
    return LengthReport(int(max_length), auto, covered, int((every > max_length).sum()), int(len(every)),
                        int(budget), int(limit), p95)
