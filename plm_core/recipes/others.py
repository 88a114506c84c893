"""The recipes of SetFit, live pretraining, the proof cards and the domain fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from plm_core.pretrain import OBJECTIVES
from plm_core.recipes.base import Recipe, setting
from plm_core.recipes.transfer import BACKBONES, DATA_SETS


@dataclass(frozen=True)
class SetFitRun(Recipe):
    """SetFit on K labelled texts per class (on the Transfer and the Few-shot page: settings sf_*)."""

    kind: ClassVar[str] = "setfit"
    label: ClassVar[str] = "setfit.title"

    data: str = setting("data", "str", DATA_SETS[0], DATA_SETS, label="transfer.data")
    backbone: str = setting("sf_backbone", "str", "minilm-l6", BACKBONES, label="common.backbone")
    per_class: int = setting("sf_k", "int", 8, (2, 4, 8, 16, 32), label="setfit.k")
    iterations: int = setting("sf_iters", "int", 20, (2, 5, 10, 20), label="setfit.iterations")
    seed: int = setting("sf_seed", "int", 0, lo=0, hi=10_000, label="transfer.seed")

    def job_config(self) -> Any:
        from plm_core.jobs.refs import DataRef
        from plm_core.transfer.setfit import SetFitConfig, SetFitJob

        config = SetFitConfig(backbone=self.backbone, seed=self.seed, num_iterations=self.iterations)
        return SetFitJob(config, DataRef(self.data), per_class=self.per_class)


@dataclass(frozen=True)
class PretrainLive(Recipe):
    """A fresh tiny model pretrained live on the shipped corpus slice (the Pretraining page's live tab)."""

    kind: ClassVar[str] = "pretrain.live"
    page: ClassVar[str] = "pretraining"
    label: ClassVar[str] = "pretrain.live.start"

    objective: str = setting("objective", "str", "mlm", OBJECTIVES)
    steps: int = setting("steps", "int", 300, lo=50, hi=600, label="pretrain.live.steps")

    def job_config(self) -> Any:
        from plm_core.pretrain.studio import LivePretrainJob

        return LivePretrainJob(self.objective, steps=self.steps)


def _card_ids() -> tuple[str, ...]:
    from plm_core.evidence.cards_registry import CARDS

    return tuple(CARDS)


@dataclass(frozen=True)
class ProofCard(Recipe):
    """One proof card with its own preset (first seed `seed`; -1 = the preset's): page, lesson and `proof CARD`."""

    kind: ClassVar[str] = "proof"
    label: ClassVar[str] = "proofs.run"

    card: str = setting("card", "str", "", _card_ids())
    seed: int = setting("seed", "int", -1, lo=-1, hi=2**32 - 1)

    def job_config(self) -> Any:
        from dataclasses import replace

        from plm_core.evidence.cards import default_job

        job = default_job(self.card)
        return job if self.seed < 0 else replace(job, preset=replace(job.preset, seed=self.seed), seed=self.seed)


@dataclass(frozen=True)
class DomainFit(Recipe):
    """How well a backbone's pretraining fits a target sample set (the Domain fit lab, `domain fit`)."""

    kind: ClassVar[str] = "domain.fit"
    label: ClassVar[str] = "domain.measure"

    backbone: str = setting("backbone", "str", "tiny-bert-mlm", BACKBONES, label="domain.backbone")
    data: str = setting("data", "str", DATA_SETS[0], DATA_SETS)

    def job_config(self) -> Any:
        from plm_core.evidence.domain import FitJob
        from plm_core.jobs.refs import DataRef

        return FitJob(self.backbone, DataRef(self.data))
