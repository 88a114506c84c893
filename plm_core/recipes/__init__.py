"""Recipes: one frozen, typed dataclass per experiment kind (see `base.py`); `RECIPES` is the registry.

    recipe, problems = RECIPES["transfer.single"].parse(query)     # a page's URL, a lesson step, CLI flags
    jobs.run(recipe)                                              # recipe.kind + recipe.job_config()
"""

from plm_core.recipes.base import AUTO, Param, Recipe
from plm_core.recipes.fewshot import FewShotCurve, PromptSensitivity
from plm_core.recipes.others import DomainFit, PretrainLive, ProofCard, SetFitRun
from plm_core.recipes.transfer import TransferRace, TransferRun

RECIPES: dict[str, type[Recipe]] = {
    "transfer.single": TransferRun,
    "transfer.race": TransferRace,
    "setfit": SetFitRun,
    "fewshot.curves": FewShotCurve,
    "fewshot.sensitivity": PromptSensitivity,
    "pretrain.live": PretrainLive,
    "proof": ProofCard,
    "domain.fit": DomainFit,
}

__all__ = ["AUTO", "RECIPES", "DomainFit", "FewShotCurve", "Param", "PretrainLive", "PromptSensitivity", "ProofCard",
           "Recipe", "SetFitRun", "TransferRace", "TransferRun"]
