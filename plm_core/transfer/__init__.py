"""Transfer learning: five modes as operations on named parameter groups, a small trainer, features.

    from plm_core.transfer import TrainConfig, train
    result = train(TrainConfig.of(backbone="minilm-l6", mode="discriminative"), train_df, test_df)

Names are imported on first use, so `import plm_core.transfer.cli` (the CLI's parser) stays light:
torch and transformers load only when training or features are asked for.
"""

from __future__ import annotations

from typing import Any

EXPORTS: dict[str, str] = {
    "TrainResult": "api", "train": "api", "param_groups": "api", "describe_head_surgery": "api",
    "random_twin": "api",
    "HEADS": "config", "MODES": "config", "POOLINGS": "config", "TrainConfig": "config",
    "applicable_modes": "config", "applicable_poolings": "config", "default_pooling": "config",
    "validate_config": "config",
    "extract_features": "features", "extract_layer_features": "features", "fit_probe": "features",
    "GroupInfo": "groups",
    "Split": "split", "make_split": "split", "split_from_frames": "split",
    "Callback": "trainer",  # = plm_core.training.Callback
}

__all__ = sorted(EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in EXPORTS:
        raise AttributeError(f"module 'plm_core.transfer' has no attribute {name!r}")
    from plm_core.transfer import api, config, features, groups, split, trainer  # on first use (torch loads)

    modules = {"api": api, "config": config, "features": features, "groups": groups, "split": split,
               "trainer": trainer}
    value = getattr(modules[EXPORTS[name]], name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(EXPORTS))
