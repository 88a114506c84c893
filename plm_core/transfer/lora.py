"""LoRA through `peft`: rank-r adapters on a layer's attention projections, merged for inference.

    W x  ->  W x + (alpha / r) * B A x      A: (r, in), B: (out, r) = 0 at the start, W frozen

Adapters go on the private copy of the body only (never on a shared cached model); their parameters
are named `...lora_A...` / `...lora_B...`, so they fall into their layer's named group.
"""

from __future__ import annotations

import re

from torch import nn

from plm_core.transfer.groups import layer_index

ATTENTION_PROJECTIONS = ("query", "key", "value", "q_proj", "k_proj", "v_proj", "o_proj", "c_attn", "q", "k", "v", "o")
ALPHA_PER_RANK = 2.0  # lora_alpha = 2 r: the update is scaled by 2 whatever the rank


def attention_modules(body: nn.Module, ranks: dict[int, int]) -> dict[str, int]:
    """Full module name -> rank for every attention projection inside the layers that get adapters."""
    found: dict[str, int] = {}
    for name, module in body.named_modules():
        idx = layer_index(name + ".")
        if idx is None or idx not in ranks or name.split(".")[-1] not in ATTENTION_PROJECTIONS:
            continue
        if isinstance(module, nn.Linear) or type(module).__name__ == "Conv1D":  # GPT-2's fused projection
            found[name] = ranks[idx]
    return found


def attach_lora(body: nn.Module, ranks: dict[int, int], seed: int = 0) -> int:
    """Put LoRA adapters (rank per layer index) on `body` in place; the number of adapted projections.

    A is initialised by peft (Kaiming-uniform, from the process RNG, so it is re-drawn here from a
    generator seeded with `seed`), B starts at zero: the adapted model equals the base at step 0.
    """
    import torch
    from peft import LoraConfig, inject_adapter_in_model

    targets = attention_modules(body, ranks)
    if not targets:
        return 0
    first = next(iter(targets.values()))
    escaped = {re.escape(name): rank for name, rank in targets.items()}
    config = LoraConfig(r=first, lora_alpha=int(ALPHA_PER_RANK * first), lora_dropout=0.0,
                        target_modules="|".join(escaped),  # a string: peft matches it as one regex
                        rank_pattern=dict(escaped), alpha_pattern={n: ALPHA_PER_RANK * r for n, r in escaped.items()},
                        fan_in_fan_out=type(body.get_submodule(next(iter(targets)))).__name__ == "Conv1D")
    inject_adapter_in_model(config, body)
    gen = torch.Generator().manual_seed(int(seed))
    with torch.no_grad():
        for name, param in body.named_parameters():
            if "lora_A" in name:
                nn.init.kaiming_uniform_(param, a=5 ** 0.5, generator=gen)  # (r, in)
            elif "lora_B" in name:
                param.zero_()  # (out, r): no change at step 0
    return len(targets)


def merge_lora(body: nn.Module) -> int:
    """Fold every adapter into its base weight (W <- W + scale * B A) for inference; how many merged."""
    from peft.tuners.lora import LoraLayer

    merged = 0
    for module in body.modules():
        if isinstance(module, LoraLayer) and not module.merged:
            module.merge()
            merged += 1
    return merged
