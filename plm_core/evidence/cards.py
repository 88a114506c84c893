"""Paper-proof cards: a claim from the literature, the paper's numbers, a job preset, and a verdict rule.

    Card (plain data) --ProofJob(card, preset)--> job kind "proof" --run_proof--> ProofResult
        ProofResult.rows: our numbers (mean +- sample sd over >= 3 seeds, in the paper's unit) beside
                          Card.paper_numbers (as printed: "5.00" stays "5.00")
        ProofResult.verdict: reproduced / not reproduced / inconclusive, computed by the card's pure rule
                          (plm_core.evidence.cards_verdicts) from the paired bootstrap CI of each compared
                          difference (plm_core.evidence.stats)

Each card's runner re-uses the lab that computes it (transfer runs, cached layer features, the ELMo scalar
mix, few-shot prompting, the explorer's contextuality, SetFit, the objective matrix). The job kind
is cached like every other: the second press of "run" is answered from the result cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from plm_core.errors import PLMError
from plm_core.evidence.cards_verdicts import Verdict


@dataclass(frozen=True)
class Paper:
    """Where the claim comes from."""

    authors: str  # e.g. "Howard & Ruder"
    year: int
    where: str  # "Table 7", "Figure 1.2"
    citation: str  # one line: authors, year, title, venue


@dataclass(frozen=True)
class PaperNumber:
    """A number as printed in the paper (only those we are sure of)."""

    group: str  # the paper's data set / task, e.g. "IMDb"
    variant: str  # our variant key it corresponds to, e.g. "scratch"
    printed: str  # exactly as printed, e.g. "5.00" (its precision is the paper's)
    unit: str  # "error_pct", "f1", "accuracy_pct", "glue" (catalog: proofs.unit.<unit>)

    @property
    def value(self) -> float:
        return float(self.printed)

    def as_json(self) -> dict[str, Any]:
        return {"group": self.group, "variant": self.variant, "value": self.value, "printed": self.printed,
                "unit": self.unit}


@dataclass(frozen=True)
class Card:
    id: str
    paper: Paper
    paper_numbers: tuple[PaperNumber, ...]  # may be empty: then the claim is qualitative (see the catalog)
    preset: Any  # the typed preset its runner reads (a frozen dataclass with a seed)
    runner: Callable[[Any, Any], Any]  # run(preset, ctx) -> ProofResult
    metric: str  # what our numbers are: "accuracy" | "error_pct" | "macro_f1" | "similarity"


@dataclass
class ProofRow:
    """One of our numbers: a variant in a group (data set or backbone), mean and sample sd over seeds."""

    group: str  # data set or backbone name
    variant: str  # variant key (translated by the page: proofs.variant.<key>)
    value: float  # in points (0..100) for scores (error % where the paper reports error), raw for similarities
    sd: float | None = None  # sample sd (n - 1); None for one seed
    n: int = 1  # seeds

    @classmethod
    def over_seeds(cls, group: str, variant: str, values: Sequence[float]) -> ProofRow:
        from plm_core.evidence.stats import mean_sd

        spread = mean_sd(values)
        return cls(group, variant, spread.mean, spread.sd, spread.n)


@dataclass
class ProofResult:
    card: str
    rows: list[ProofRow]
    verdict: Verdict
    metric: str
    extra: dict[str, Any] = field(default_factory=dict)  # card-specific detail (curves, per-layer frames, gamma)
    seconds: float = 0.0

    def value(self, group: str, variant: str) -> float:
        for row in self.rows:
            if row.group == group and row.variant == variant:
                return row.value
        raise KeyError((group, variant))

    @property
    def seeds(self) -> int:
        """The fewest seeds behind any of our numbers."""
        return min((r.n for r in self.rows), default=0)

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """The CLI's JSON object: our numbers, the paper's, each compared difference with its 95 % CI, the verdict."""
        from plm_core.i18n import t

        card = get_card(self.card)
        return {
            "card": self.card, "paper": {"citation": card.paper.citation, "where": card.paper.where},
            "claim": t(f"proofs.{self.card}.claim", lang),
            "paper_numbers": [p.as_json() for p in card.paper_numbers], "metric": self.metric,
            "seeds": self.seeds, "ours": [vars(r) for r in self.rows],
            "differences": [d.as_json() for d in self.verdict.differences], "verdict": self.verdict.outcome,
            "verdict_text": self.verdict.message(lang), "rule": self.verdict.rule(lang),
            "seconds": round(self.seconds, 1), "extra": self.extra,
        }


@dataclass(frozen=True)
class ProofJob:
    """The job kind "proof": which card, with which preset (the card's own, or a smaller one for tests)."""

    card: str
    preset: Any
    seed: int = 0


def run_proof(job: ProofJob, ctx: Any) -> ProofResult:
    """Dispatch by card id to its runner; time it."""
    card = get_card(job.card)
    start = time.perf_counter()
    result: ProofResult = card.runner(job.preset, ctx)
    result.seconds = time.perf_counter() - start
    return result


def default_job(card_id: str) -> ProofJob:
    card = get_card(card_id)
    return ProofJob(card.id, card.preset, getattr(card.preset, "seed", 0))


def get_card(card_id: str) -> Card:
    from plm_core.evidence.cards_registry import CARDS

    if card_id not in CARDS:
        raise PLMError("proofs.err.unknown_card", card=card_id, choices=", ".join(CARDS))
    return CARDS[card_id]


def card_ids() -> list[str]:
    from plm_core.evidence.cards_registry import CARDS

    return list(CARDS)


Progress = Callable[[float, str], None]


def progress_of(ctx: Any) -> Progress:
    """(fraction, what runs now) -> the job's progress line."""
    def report(fraction: float, current: str) -> None:
        ctx.update(fraction=fraction, current=current)
    return report
