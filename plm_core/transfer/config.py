"""The one typed config of a transfer run, its checks, and which modes a backbone allows.

Modes (what is trainable, starting from where):
    frozen          feature extraction: the body is frozen, a new head is trained on its features
    finetune        everything trainable from the pretrained start, one learning rate
    discriminative  body and head learning rates apart, layer l gets lr_body * xi^(L - l)
    gradual         ULMFiT gradual unfreezing: the head first, then one more group from the top each epoch
    scratch         the random-init twin, everything trainable: what pretraining buys
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal, get_args

from plm_core.backbones.base import POOLINGS as TOKEN_POOLINGS
from plm_core.backbones.base import BackboneSpec
from plm_core.errors import PLMError

Mode = Literal["frozen", "finetune", "discriminative", "gradual", "scratch"]
MODES: tuple[Mode, ...] = get_args(Mode)  # ("frozen", "finetune", "discriminative", "gradual", "scratch")
TRAINABLE_MODES: tuple[Mode, ...] = ("finetune", "discriminative", "gradual", "scratch")
POOLINGS: tuple[str, ...] = (*TOKEN_POOLINGS, "mix")  # the token poolings + "mix" = ELMo scalar mix over every layer
HEADS: tuple[str, ...] = ("logreg", "mlp")

MAX_LR = 1.0  # anything above this is a typo, not a setting
MAX_EPOCHS = 50
MAX_BATCH = 256


@dataclass
class TrainConfig:
    """Everything that defines a transfer run (together with the data and the seed)."""

    backbone: str  # registry name, e.g. "minilm-l6"
    mode: Mode = "frozen"  # one of MODES (validate_config rejects anything else coming from outside)
    pooling: str = "mean"  # "first" | "mean" | "last" (GPT-style) | "mix" (ELMo scalar mix over layers)
    layer: int = -1  # hidden-state index to read: 0 = embeddings, -1 = top (ignored for "mix")
    head: str = "logreg"  # "logreg" (one linear layer) | "mlp" (one hidden layer)
    epochs: int = 3  # passes over the training examples
    lr_body: float = 1e-4  # learning rate of the pretrained body (top layer, before decay)
    lr_head: float = 2e-3  # learning rate of the new head (discriminative and gradual)
    layer_decay: float = 0.8  # xi: layer l gets lr_body * xi^(L - l) (discriminative, gradual)
    batch_size: int = 16  # examples per optimizer step
    max_length: int = 0  # tokens per text; longer texts are cut. 0 = auto: cover >= 95% of the training texts
    length_budget: int = 256  # CPU budget for auto max_length (tokens); the backbone's own limit also caps it
    seed: int = 0  # seeds the run's own generators: head init, batch order, the random twin (dropout: see training)
    weight_decay: float = 0.01  # AdamW decoupled weight decay
    dropout: float = 0.1  # on the pooled vector before the head (end-to-end modes)
    mlp_hidden: int = 256  # width of the MLP head's hidden layer
    frozen_iters: int = 75  # frozen mode: L-BFGS iterations of its one solve on the cached features (no epochs)
    l2: float = 1.0  # frozen mode: L2 penalty (sklearn's 1/C), summed over examples
    grad_clip: float = 1.0  # max global gradient norm (0 = no clipping)
    threads: int = 1  # torch CPU threads, set only by a process that owns the run (training.own_process)
    strategy: str = ""  # a preset of plm_core.transfer.strategies.STRATEGIES ("" = the mode's own preset)
    groups: str = ""  # edits on top of the preset, e.g. "layer.0-2:frozen,head:x10" (see strategies.apply_edits)
    k: int = 2  # freeze_bottom: embeddings + the bottom k layers frozen; top_k: only the top k layers train
    lora_rank: int = 8  # LoRA preset: the adapters' rank r on every layer's attention projections
    schedule: str = "constant"  # learning-rate schedule: constant | linear | cosine | slanted_triangular
    warmup: float = 0.1  # share of the steps spent warming up (slanted triangular: its cut_frac)

    def __post_init__(self) -> None:
        if self.strategy:  # the strategy picks the training path: feature cache, pretrained copy or random twin
            from plm_core.transfer.strategies import STRATEGIES, strategy_mode

            if self.strategy in STRATEGIES:
                self.mode = strategy_mode(self.strategy)  # type: ignore[assignment]  # one of MODES

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def with_(self, **changes: Any) -> TrainConfig:
        return replace(self, **changes)

    @property
    def label(self) -> str:
        """Short name for legends and tables, e.g. 'minilm-l6 · discriminative'."""
        return f"{self.backbone} · {self.preset}"

    @property
    def preset(self) -> str:
        """The strategy preset this run uses (the mode's own one unless `strategy` says otherwise)."""
        return self.strategy or self.mode

    @property
    def strategy_label(self) -> str:
        """'lora r=8', 'freeze_bottom k=2', 'bitfit', with '+ edits' when the table changed the preset."""
        label = self.preset
        if label == "lora":
            label += f" r={self.lora_rank}"
        elif label in ("freeze_bottom", "top_k"):
            label += f" k={self.k}"
        return label + (" + edits" if self.groups else "")


def applicable_modes(spec: BackboneSpec) -> tuple[Mode, ...]:
    """Static vectors, sentence-only encoders and non-transformer backbones can only be used frozen."""
    return MODES if spec.transformer else ("frozen",)


def applicable_strategies(spec: BackboneSpec) -> tuple[str, ...]:
    """Every preset for a trainable transformer; feature extraction only for fixed bodies."""
    from plm_core.transfer.strategies import STRATEGIES

    return STRATEGIES if spec.transformer else ("frozen",)


def applicable_poolings(spec: BackboneSpec) -> tuple[str, ...]:
    """Static vectors and sentence encoders give one (mean) vector per text; layered models allow all."""
    return ("mean",) if spec.family in ("static", "sentence") else POOLINGS


MIX_BY_DEFAULT = ("bilm", "encoder-decoder")  # families whose frozen top layer alone transfers no better than chance


def default_pooling(spec: BackboneSpec) -> str:
    """Decoders classify from the last real token (GPT-1 style); the ELMo biLM (and our tiny T5 encoder) from the
    learned scalar mix of all layers, as ELMo does (their top layer alone transfers no better than random
    weights: assets/checkpoints/README.md); others average their tokens."""
    if spec.family in MIX_BY_DEFAULT:
        return "mix"
    return "last" if spec.family == "decoder" else "mean"


def token_pooling(config: TrainConfig, family: str) -> str:
    """How tokens are pooled inside each layer: for "mix", the family's default pooling."""
    if config.pooling != "mix":
        return config.pooling
    return "last" if family == "decoder" else "mean"


def _check_range(key: str, value: float, low: float, high: float, **extra: Any) -> None:
    if not (low <= value <= high):
        raise PLMError(key, value=value, low=low, high=high, **extra)


def validate_config(config: TrainConfig, spec: BackboneSpec | None = None) -> None:
    """Raise a PLMError that says what to change for any setting that cannot work."""
    if config.mode not in MODES:
        raise PLMError("transfer.err.bad_mode", mode=config.mode, choices=", ".join(MODES))
    if config.pooling not in POOLINGS:
        raise PLMError("transfer.err.bad_pooling", pooling=config.pooling, choices=", ".join(POOLINGS))
    if config.head not in HEADS:
        raise PLMError("transfer.err.bad_head", head=config.head, choices=", ".join(HEADS))
    if int(config.epochs) < 1 or config.epochs > MAX_EPOCHS:
        raise PLMError("transfer.err.bad_epochs", epochs=config.epochs, high=MAX_EPOCHS)
    for name in ("lr_body", "lr_head"):
        value = float(getattr(config, name))
        if not (0 < value <= MAX_LR):
            raise PLMError("transfer.err.bad_lr", name=name, value=value, high=MAX_LR)
    _check_range("transfer.err.bad_decay", config.layer_decay, 0.05, 1.0)
    _check_range("transfer.err.bad_batch", config.batch_size, 1, MAX_BATCH)
    if config.max_length != 0:  # 0 = auto
        _check_range("transfer.err.bad_max_length", config.max_length, 4, 512)
    _check_range("transfer.err.bad_max_length", config.length_budget, 8, 512)
    _check_range("transfer.err.bad_dropout", config.dropout, 0.0, 0.9)
    _check_range("transfer.err.bad_threads", config.threads, 1, 64)
    validate_strategy(config)
    if spec is not None:
        validate_for_backbone(config, spec)


SCHEDULES: tuple[str, ...] = ("constant", "linear", "cosine", "slanted_triangular")


def validate_strategy(config: TrainConfig) -> None:
    from plm_core.transfer.strategies import STRATEGIES

    if config.strategy and config.strategy not in STRATEGIES:
        raise PLMError("transfer.err.bad_strategy", strategy=config.strategy, choices=", ".join(STRATEGIES))
    if config.schedule not in SCHEDULES:
        raise PLMError("transfer.err.bad_schedule", schedule=config.schedule, choices=", ".join(SCHEDULES))
    _check_range("transfer.err.bad_warmup", config.warmup, 0.0, 0.5)
    _check_range("transfer.err.bad_k", config.k, 0, 64)
    _check_range("transfer.err.bad_lora_rank", config.lora_rank, 1, 256, group="layers", rank=config.lora_rank)


def validate_for_backbone(config: TrainConfig, spec: BackboneSpec) -> None:
    modes = applicable_modes(spec)
    if config.mode not in modes:
        raise PLMError("transfer.err.mode_not_applicable", mode=config.mode, name=spec.display,
                       family=spec.family, choices=", ".join(modes))
    poolings = applicable_poolings(spec)
    if config.pooling not in poolings:
        raise PLMError("transfer.err.pooling_not_applicable", pooling=config.pooling, name=spec.display,
                       choices=", ".join(poolings))
    n_states = spec.layers + 1 if spec.family not in ("static", "sentence") else 1
    if config.pooling != "mix" and not (-n_states <= config.layer < n_states):
        raise PLMError("transfer.err.bad_layer", layer=config.layer, name=spec.display, top=n_states - 1)
    if config.preset in ("freeze_bottom", "top_k") and config.k > spec.layers:
        raise PLMError("transfer.err.k_too_big", k=config.k, name=spec.display, layers=spec.layers)
