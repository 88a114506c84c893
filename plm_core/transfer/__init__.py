"""Transfer learning: five modes as operations on named parameter groups, a small trainer, features.

    from plm_core.transfer import TrainConfig, train
    result = train(TrainConfig(backbone="minilm-l6", mode="discriminative"), train_df, test_df)
"""

from plm_core.transfer.api import TrainResult, describe_head_surgery, param_groups, random_twin, train
from plm_core.transfer.config import (
    HEADS, MODES, POOLINGS, TrainConfig, applicable_modes, applicable_poolings, default_pooling, validate_config,
)
from plm_core.transfer.features import extract_features, extract_layer_features, fit_probe
from plm_core.transfer.groups import GroupInfo
from plm_core.transfer.split import Split, make_split, split_from_frames
from plm_core.transfer.trainer import Callback

__all__ = [
    "Callback", "GroupInfo", "HEADS", "MODES", "POOLINGS", "Split", "TrainConfig", "TrainResult",
    "applicable_modes", "applicable_poolings", "default_pooling", "describe_head_surgery", "extract_features",
    "extract_layer_features", "fit_probe", "make_split", "param_groups", "random_twin", "split_from_frames",
    "train", "validate_config",
]
