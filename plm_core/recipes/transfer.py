"""The Transfer lab's recipes: one run (a strategy) and a race (2-5 strategies on the identical split)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from plm_core.backbones import specs
from plm_core.backbones.base import POOLINGS as TOKEN_POOLINGS
from plm_core.data import DATASETS
from plm_core.recipes.base import AUTO, Recipe, setting
from plm_core.transfer.config import HEADS, SCHEDULES
from plm_core.transfer.defaults import RACE_EPOCHS, RACE_N, RACE_TEST
from plm_core.transfer.strategies import STRATEGIES

BACKBONES = tuple(specs())  # registry names of the installed backbones
DATA_SETS = tuple(DATASETS)
LRS = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1)  # the learning-rate sliders
RANKS = (1, 2, 4, 8, 16, 32)
MAX_LENGTHS = (0, 16, 32, 64, 128, 256)  # 0 = auto: cover >= 95% of the training texts
BUDGETS = (64, 128, 256, 512)
BATCHES = (4, 8, 16, 32, 64)
K_STRATEGIES = ("freeze_bottom", "top_k")  # the strategies that read k


@dataclass(frozen=True)
class TransferSettings(Recipe):
    """What a single run and a race share: backbone, data, sizes and the optimisation settings."""

    kind: ClassVar[str] = "transfer"
    page: ClassVar[str] = "transfer"

    backbone: str = setting("backbone", "str", "minilm-l6", BACKBONES, label="common.backbone")
    data: str = setting("data", "str", DATA_SETS[0], DATA_SETS, label="transfer.data")
    k: int = setting("k", "int", 2, lo=0, hi=64, label="transfer.k")  # capped at the backbone's layers
    lora_rank: int = setting("rank", "int", 8, RANKS, label="transfer.lora_rank")
    sizing: str = setting("sizing", "str", "n", ("n", "k"), label="transfer.size_kind")  # N in all / K per class
    n: int = setting("n", "int", RACE_N, lo=1, hi=1000, label="transfer.size")
    epochs: int = setting("epochs", "int", RACE_EPOCHS, lo=1, hi=20, label="transfer.epochs")
    pooling: str = setting("pooling", "str", AUTO, (AUTO, *TOKEN_POOLINGS, "mix"), label="transfer.pooling")
    head: str = setting("head", "str", "logreg", HEADS, label="transfer.head")
    layer: int = setting("layer", "int", -1, lo=-1, hi=64, label="transfer.layer")  # -1 = the top layer
    lr_body: float = setting("lr_body", "float", 1e-4, LRS, label="transfer.lr_body")
    lr_head: float = setting("lr_head", "float", 2e-3, LRS, label="transfer.lr_head")
    layer_decay: float = setting("decay", "float", 0.8, lo=0.5, hi=1.0, label="transfer.layer_decay")
    schedule: str = setting("schedule", "str", "constant", SCHEDULES, label="transfer.schedule")
    warmup: float = setting("warmup", "float", 0.1, lo=0.0, hi=0.5, label="transfer.warmup")
    seed: int = setting("seed", "int", 0, lo=0, hi=10_000, label="transfer.seed")
    max_length: int = setting("max_len", "int", 0, MAX_LENGTHS, label="transfer.max_length")
    length_budget: int = setting("budget", "int", 256, BUDGETS, label="transfer.length_budget")
    batch_size: int = setting("batch", "int", 16, BATCHES, label="transfer.batch_size")

    def strategies(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def test_limit(self) -> int:
        raise NotImplementedError

    def resolved(self, strategies: tuple[str, ...]) -> Any:
        """The canonical settings for this backbone: "auto" pooling and the top layer's -1 resolved, k / rank at
        their defaults where no strategy reads them, lists sorted. What cannot work is kept, for the core's
        checks to name (the page's widgets never offer it)."""
        from plm_core.backbones import get_spec
        from plm_core.backbones.base import default_pooling

        spec, base = get_spec(self.backbone), type(self)()
        top = max(spec.layers, 0)
        pooling = default_pooling(spec) if self.pooling == AUTO else self.pooling
        top_read = pooling == "mix" or self.layer == -1 or (not top and self.layer == 0)  # the mix reads them all
        return dataclasses.replace(
            Recipe.normalized(self), pooling=pooling, layer=(top or -1) if top_read else self.layer,
            k=self.k if any(s in K_STRATEGIES for s in strategies) else base.k,
            lora_rank=self.lora_rank if "lora" in strategies else base.lora_rank)

    def train_config(self, strategy: str, groups: str = "") -> Any:
        """The TrainConfig of one strategy (the caller normalizes first): its three parts from the recipe's fields,
        one way (the recipe calls nothing of the plan)."""
        from plm_core.transfer.config import DataPart, OptimPart, StrategyPart, TrainConfig

        return TrainConfig(self.backbone, StrategyPart(preset=strategy, groups=groups, k=self.k,
                                                       lora_rank=self.lora_rank, pooling=self.pooling,
                                                       layer=self.layer, head=self.head),
                           OptimPart(epochs=self.epochs, lr_body=self.lr_body, lr_head=self.lr_head,
                                     layer_decay=self.layer_decay, batch_size=self.batch_size,
                                     schedule=self.schedule, warmup=self.warmup),
                           DataPart(max_length=self.max_length, length_budget=self.length_budget, seed=self.seed))

    def job(self, configs: tuple, race: bool, seeds: int) -> Any:
        from plm_core.jobs.refs import DataRef
        from plm_core.transfer.jobs import TransferJob

        size = self.n
        return TransferJob(configs, DataRef(self.data), n=size if self.sizing == "n" else None,
                           per_class=size if self.sizing == "k" else None, test_limit=self.test_limit, race=race,
                           seeds=seeds)


@dataclass(frozen=True)
class TransferRun(TransferSettings):
    """One transfer run: a strategy preset (with the group table's edits) on N examples."""

    label: ClassVar[str] = "transfer.tab.single"

    mode: str = setting("mode", "str", "frozen", STRATEGIES, label="transfer.strategy")  # the strategy preset
    test: int = setting("test", "int", 500, lo=10, hi=2000, label="transfer.test_limit")  # test texts scored
    groups: str = setting("groups", "str", "", hi=500)  # the group table's edits on top of the preset

    def strategies(self) -> tuple[str, ...]:
        return (self.mode,)

    @property
    def test_limit(self) -> int:
        return self.test

    def normalized(self) -> TransferRun:
        return self.resolved((self.mode,))

    def job_config(self) -> Any:
        r = self.normalized()
        return r.job((r.train_config(r.mode, r.groups),), race=False, seeds=1)


@dataclass(frozen=True)
class TransferRace(TransferSettings):
    """2-5 strategies on the identical split and seeds (mean ± sd over `seeds`)."""

    label: ClassVar[str] = "transfer.tab.race"

    modes: tuple[str, ...] = setting("modes", "list", ("frozen", "finetune", "lora"), STRATEGIES,
                                     label="transfer.strategies", sort=False)  # the racers, in the chosen order
    seeds: int = setting("seeds", "int", 1, (1, 2, 3, 4, 5), label="transfer.seeds")
    race_test: int = setting("race_test", "int", RACE_TEST, lo=10, hi=2000, label="transfer.test_limit")

    def strategies(self) -> tuple[str, ...]:
        return self.modes

    @property
    def test_limit(self) -> int:
        return self.race_test

    def normalized(self) -> TransferRace:
        return self.resolved(self.modes)

    def job_config(self) -> Any:
        r = self.normalized()
        return r.job(tuple(r.train_config(s) for s in r.modes), race=True, seeds=r.seeds)
