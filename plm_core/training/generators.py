"""Per-run random generators: every run draws from its own seeded torch and numpy generators.

Data order, head initialisation, a scratch twin's weights, K-shot draws, masking and negative sampling
all take these, so two runs started at once in one process give the numbers each gives alone. What has
no generator argument (dropout inside a model) still draws from the process RNG: a run with dropout is
reproducible beside another run only in a process it owns (`plm_core.training.threads.own_process`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

SEED_STREAMS = 2  # the torch and numpy generators get different streams from one seed


@dataclass
class RunGenerators:
    """The random state of one run: `torch` for tensors (init, masks), `numpy` for data (order, draws)."""

    seed: int
    torch: torch.Generator
    numpy: np.random.Generator


def run_generators(seed: int) -> RunGenerators:
    """A fresh pair of generators seeded from `seed` (same seed, same draws, whatever runs beside it)."""
    gen = torch.Generator().manual_seed(int(seed))
    return RunGenerators(int(seed), gen, np.random.default_rng(int(seed)))


def init_linear(layer: nn.Linear, generator: torch.Generator) -> None:
    """nn.Linear's own default init (Kaiming-uniform weights, uniform bias in +-1/sqrt(fan_in)), seeded."""
    nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
    if layer.bias is not None:
        bound = 1 / math.sqrt(layer.in_features) if layer.in_features > 0 else 0.0
        nn.init.uniform_(layer.bias, -bound, bound, generator=generator)


def init_module(module: nn.Module, generator: torch.Generator) -> None:
    """Re-draw every Linear, Embedding and LSTM of `module` with torch's default schemes from `generator`.

    For new heads and small custom models; norms and other parameters keep their (deterministic) values.
    """
    with torch.no_grad():
        for sub in module.modules():
            if isinstance(sub, nn.Linear):
                init_linear(sub, generator)
            elif isinstance(sub, nn.Embedding):
                nn.init.normal_(sub.weight, generator=generator)
                if sub.padding_idx is not None:
                    sub.weight[sub.padding_idx].zero_()
            elif isinstance(sub, nn.LSTM):
                bound = 1 / math.sqrt(sub.hidden_size)
                for p in sub.parameters():
                    nn.init.uniform_(p, -bound, bound, generator=generator)


def transformer_std(config: object, fan_in: int) -> float:
    """The init std of a weight matrix: the config's initializer_range (BERT, GPT-2, Llama), or T5's
    fan-in scaling (factor / sqrt(fan_in)) when the config has none."""
    std = getattr(config, "initializer_range", None)
    if std is not None:
        return float(std)
    return float(getattr(config, "initializer_factor", 1.0)) / math.sqrt(max(fan_in, 1))


def embedding_std(config: object, relative_bias: bool = False) -> float:
    """initializer_range where the config has one; T5: factor (tokens) or factor / sqrt(d_model) (relative bias)."""
    std = getattr(config, "initializer_range", None)
    if std is not None:
        return float(std)
    factor = float(getattr(config, "initializer_factor", 1.0))
    return factor / math.sqrt(int(getattr(config, "d_model", 1))) if relative_bias else factor


def init_transformer(model: nn.Module, generator: torch.Generator) -> None:
    """Random-initialise a transformers model from `generator`, with the library's scheme:

    weight matrices ~ N(0, std) (GPT-2's residual projections scaled by 1/sqrt(2 n_layer), T5's queries by
    1/sqrt(d_kv)), biases 0,
    norms 1, embeddings ~ N(0, std) with their padding row 0. Tied matrices are drawn once per owner.
    """
    config = getattr(model, "config", None)
    n_layer = int(getattr(config, "n_layer", 0) or 0)
    d_kv = getattr(config, "d_kv", None)  # T5's per-head width
    owner_std: dict[int, float] = {}  # a tied matrix (T5's lm_head = its embedding) keeps its first owner's std
    with torch.no_grad():
        for name, sub in model.named_modules():
            weight = getattr(sub, "weight", None)
            bias = getattr(sub, "bias", None)
            if "Norm" in type(sub).__name__:
                if isinstance(weight, nn.Parameter):
                    weight.fill_(1.0)
                if isinstance(bias, nn.Parameter):
                    bias.zero_()
                continue
            if isinstance(sub, nn.Embedding):
                std = owner_std.setdefault(id(sub.weight), embedding_std(config, "relative_attention_bias" in name))
                nn.init.normal_(sub.weight, 0.0, std, generator=generator)
                if sub.padding_idx is not None:
                    sub.weight[sub.padding_idx].zero_()
                continue
            if isinstance(weight, nn.Parameter) and weight.dim() == 2:
                # GPT-2's Conv1D is (in, out)
                fan_in = weight.shape[1] if isinstance(sub, nn.Linear) else weight.shape[0]
                std = transformer_std(config, fan_in)
                if n_layer and name.endswith("c_proj"):
                    std /= math.sqrt(2 * n_layer)
                if d_kv and name.endswith("Attention.q"):  # T5Attention.q (self- and cross-attention)
                    # T5 has no 1/sqrt(d_kv) in its attention: its init folds it into the query matrix
                    # (std factor / sqrt(d_model * d_kv)); without it the logits start with std ~sqrt(d_kv)
                    # and a saturated softmax.
                    std /= math.sqrt(d_kv)
                std = owner_std.setdefault(id(weight), std)
                nn.init.normal_(weight, 0.0, std, generator=generator)
            if isinstance(bias, nn.Parameter):
                bias.zero_()
