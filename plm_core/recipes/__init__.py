"""Recipes: one frozen, typed dataclass per experiment kind (see `base.py`); `RECIPES` is the registry."""

from plm_core.recipes.base import AUTO, Param, Recipe

__all__ = ["AUTO", "Param", "Recipe"]
