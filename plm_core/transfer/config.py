"""The one typed config of a transfer run, its checks, and which modes a backbone allows.

Modes (what is trainable, starting from where):
    frozen          feature extraction: the body is frozen, a new head is trained on its features
    finetune        everything trainable from the pretrained start, one learning rate
    discriminative  body and head learning rates apart, layer l gets lr_body * xi^(L - l)
    gradual         ULMFiT gradual unfreezing: the head first, then one more group from the top each epoch
    scratch         the random-init twin, everything trainable: what pretraining buys
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, cast, get_args

from plm_core.backbones.base import POOLINGS as TOKEN_POOLINGS
from plm_core.backbones.base import BackboneSpec
from plm_core.backbones.base import default_pooling as default_pooling  # a fact of the backbone's family
from plm_core.errors import PLMError
from plm_core.training.schedules import SCHEDULES
from plm_core.transfer.strategies import STRATEGIES, strategy_mode

Mode = Literal["frozen", "finetune", "discriminative", "gradual", "scratch"]
MODES: tuple[Mode, ...] = get_args(Mode)  # ("frozen", "finetune", "discriminative", "gradual", "scratch")
POOLINGS: tuple[str, ...] = (*TOKEN_POOLINGS, "mix")  # the token poolings + "mix" = ELMo scalar mix over every layer
HEADS: tuple[str, ...] = ("logreg", "mlp")

MAX_LR = 1.0  # anything above this is a typo, not a setting
MAX_EPOCHS = 50
MAX_BATCH = 256


@dataclass(frozen=True)
class StrategyPart:
    """What learns: the strategy preset, the group table's edits on top of it, what the head reads and is."""

    preset: str = "frozen"  # one of plm_core.transfer.strategies.STRATEGIES; it decides the mode
    groups: str = ""  # edits on top of the preset, e.g. "layer.0-2:frozen,head:x10" (see strategies.apply_edits)
    k: int = 2  # freeze_bottom: embeddings + the bottom k layers frozen; top_k: only the top k layers train
    lora_rank: int = 8  # LoRA preset: the adapters' rank r on every layer's attention projections
    pooling: str = "mean"  # "first" | "mean" | "last" (GPT-style) | "mix" (ELMo scalar mix over layers)
    layer: int = -1  # hidden-state index to read: 0 = embeddings, -1 = top (ignored for "mix")
    head: str = "logreg"  # "logreg" (one linear layer) | "mlp" (one hidden layer)
    mlp_hidden: int = 256  # width of the MLP head's hidden layer
    dropout: float = 0.1  # on the pooled vector before the head (end-to-end modes)

    @property
    def adapters(self) -> bool:
        """Whether LoRA adapters may be attached (they change the body's modules: train or preview a copy)."""
        return self.preset == "lora" or "lora=" in self.groups


@dataclass(frozen=True)
class OptimPart:
    """How it learns: epochs, rates, batches, the schedule; frozen mode's one L-BFGS solve."""

    epochs: int = 3  # passes over the training examples
    lr_body: float = 1e-4  # learning rate of the pretrained body (top layer, before decay)
    lr_head: float = 2e-3  # learning rate of the new head (discriminative and gradual)
    layer_decay: float = 0.8  # xi: layer l gets lr_body * xi^(L - l) (discriminative, gradual)
    batch_size: int = 16  # examples per optimizer step
    weight_decay: float = 0.01  # AdamW decoupled weight decay
    grad_clip: float = 1.0  # max global gradient norm (0 = no clipping)
    schedule: str = "constant"  # learning-rate schedule: constant | linear | cosine | slanted_triangular
    warmup: float = 0.1  # share of the steps spent warming up (slanted triangular: its cut_frac)
    frozen_iters: int = 75  # frozen mode: L-BFGS iterations of its one solve on the cached features (no epochs)
    l2: float = 1.0  # frozen mode: L2 penalty (sklearn's 1/C), summed over examples


@dataclass(frozen=True)
class DataPart:
    """What it reads: tokens per text, the run's seed, the CPU threads of a process that owns the run."""

    max_length: int = 0  # tokens per text; longer texts are cut. 0 = auto: cover >= 95% of the training texts
    length_budget: int = 256  # CPU budget for auto max_length (tokens); the backbone's own limit also caps it
    seed: int = 0  # seeds the run's own generators: head init, batch order, the random twin (dropout: see training)
    threads: int = 1  # torch CPU threads, set only by a process that owns the run (training.own_process)


PARTS: dict[str, type] = {"strategy": StrategyPart, "optim": OptimPart, "data": DataPart}
FLAT = {f.name: part for part, cls in PARTS.items() for f in fields(cls)}  # flat setting name -> its part


@dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a transfer run (with the data): the backbone and three parts. `mode`, the
    training path (feature cache, pretrained copy or random twin), is derived from the strategy preset."""

    backbone: str  # registry name, e.g. "minilm-l6"
    strategy: StrategyPart = StrategyPart()
    optim: OptimPart = OptimPart()
    data: DataPart = DataPart()

    @classmethod
    def of(cls, backbone: str, mode: str = "", **flat: Any) -> TrainConfig:
        """From flat settings (a recipe, the dict form, a test): `strategy` names the preset ("" or absent: `mode`,
        the old name for the five basic presets; neither: frozen). Unknown names raise."""
        flat["preset"] = flat.pop("strategy", "") or mode or "frozen"
        unknown = set(flat) - set(FLAT)
        if unknown:
            raise TypeError(f"TrainConfig has no settings {sorted(unknown)}")
        return cls(backbone, **{part: kind(**{k: v for k, v in flat.items() if FLAT[k] == part})
                                for part, kind in PARTS.items()})

    @property
    def mode(self) -> Mode:
        return cast(Mode, strategy_mode(self.strategy.preset))

    def as_dict(self) -> dict[str, Any]:
        """The flat form stored with a result: every setting by its name, the preset as `strategy`, the mode."""
        flat = {"backbone": self.backbone, **asdict(self.strategy), **asdict(self.optim), **asdict(self.data)}
        flat["strategy"] = flat.pop("preset")
        return flat | {"mode": self.mode}

    def with_(self, **changes: Any) -> TrainConfig:
        """A copy with flat settings changed; `mode=` or `strategy=` picks another preset."""
        preset = changes.pop("strategy", "") or changes.pop("mode", "") or self.preset
        return TrainConfig.of(**(self.as_dict() | changes | {"mode": "", "strategy": preset}))

    @property
    def preset(self) -> str:
        return self.strategy.preset

    @property
    def strategy_label(self) -> str:
        """'lora r=8', 'freeze_bottom k=2', 'bitfit', with '+ edits' when the table changed the preset."""
        s = self.strategy
        label = s.preset + (f" r={s.lora_rank}" if s.preset == "lora" else
                            f" k={s.k}" if s.preset in ("freeze_bottom", "top_k") else "")
        return label + (" + edits" if s.groups else "")


def applicable_modes(spec: BackboneSpec) -> tuple[Mode, ...]:
    """Static vectors, sentence-only encoders and non-transformer backbones can only be used frozen."""
    return MODES if spec.transformer else ("frozen",)


def applicable_strategies(spec: BackboneSpec) -> tuple[str, ...]:
    """Every preset for a trainable transformer; feature extraction only for fixed bodies."""
    return STRATEGIES if spec.transformer else ("frozen",)


def applicable_poolings(spec: BackboneSpec) -> tuple[str, ...]:
    """Static vectors and sentence encoders give one (mean) vector per text; layered models allow all."""
    return ("mean",) if spec.family in ("static", "sentence") else POOLINGS


def token_pooling(config: TrainConfig, family: str) -> str:
    """How tokens are pooled inside each layer: for "mix", the family's default pooling."""
    if config.strategy.pooling != "mix":
        return config.strategy.pooling
    return "last" if family == "decoder" else "mean"


def _check_range(key: str, value: float, low: float, high: float, **extra: Any) -> None:
    if not (low <= value <= high):
        raise PLMError(key, value=value, low=low, high=high, **extra)


def validate_config(config: TrainConfig, spec: BackboneSpec | None = None) -> None:
    """Raise a PLMError that says what to change for any setting that cannot work."""
    s, o, d = config.strategy, config.optim, config.data
    if s.preset not in STRATEGIES:
        raise PLMError("transfer.err.bad_strategy", strategy=s.preset, choices=", ".join(STRATEGIES))
    if s.pooling not in POOLINGS:
        raise PLMError("transfer.err.bad_pooling", pooling=s.pooling, choices=", ".join(POOLINGS))
    if s.head not in HEADS:
        raise PLMError("transfer.err.bad_head", head=s.head, choices=", ".join(HEADS))
    if int(o.epochs) < 1 or o.epochs > MAX_EPOCHS:
        raise PLMError("transfer.err.bad_epochs", epochs=o.epochs, high=MAX_EPOCHS)
    for name, value in (("lr_body", float(o.lr_body)), ("lr_head", float(o.lr_head))):
        if not (0 < value <= MAX_LR):
            raise PLMError("transfer.err.bad_lr", name=name, value=value, high=MAX_LR)
    _check_range("transfer.err.bad_decay", o.layer_decay, 0.05, 1.0)
    _check_range("transfer.err.bad_batch", o.batch_size, 1, MAX_BATCH)
    if d.max_length != 0:  # 0 = auto
        _check_range("transfer.err.bad_max_length", d.max_length, 4, 512)
    _check_range("transfer.err.bad_max_length", d.length_budget, 8, 512)
    _check_range("transfer.err.bad_dropout", s.dropout, 0.0, 0.9)
    _check_range("transfer.err.bad_threads", d.threads, 1, 64)
    if o.schedule not in SCHEDULES:
        raise PLMError("transfer.err.bad_schedule", schedule=o.schedule, choices=", ".join(SCHEDULES))
    _check_range("transfer.err.bad_warmup", o.warmup, 0.0, 0.5)
    _check_range("transfer.err.bad_k", s.k, 0, 64)
    _check_range("transfer.err.bad_lora_rank", s.lora_rank, 1, 256, group="layers", rank=s.lora_rank)
    if spec is not None:
        validate_for_backbone(config, spec)


def validate_for_backbone(config: TrainConfig, spec: BackboneSpec) -> None:
    s, modes = config.strategy, applicable_modes(spec)
    if config.mode not in modes:
        raise PLMError("transfer.err.mode_not_applicable", mode=config.mode, name=spec.display,
                       family=spec.family, choices=", ".join(modes))
    poolings = applicable_poolings(spec)
    if s.pooling not in poolings:
        raise PLMError("transfer.err.pooling_not_applicable", pooling=s.pooling, name=spec.display,
                       choices=", ".join(poolings))
    n_states = spec.layers + 1 if spec.family not in ("static", "sentence") else 1
    if s.pooling != "mix" and not (-n_states <= s.layer < n_states):
        raise PLMError("transfer.err.bad_layer", layer=s.layer, name=spec.display, top=n_states - 1)
    if s.preset in ("freeze_bottom", "top_k") and s.k > spec.layers:
        raise PLMError("transfer.err.k_too_big", k=s.k, name=spec.display, layers=spec.layers)
