"""The torch pieces of a transfer model: token pooling, the ELMo scalar mix, the new heads.

    body (pretrained, or its random twin) -> hidden states (L+1, B, T, H)
        -> token pooling per layer (first / mean / last real token) -> (B, H) or (B, L+1, H)
        -> scalar mix  gamma * sum_j softmax(lambda)_j h_j  (only for pooling="mix")  -> (B, H)
        -> head: linear (logistic regression) or a one-hidden-layer MLP  -> logits (B, C)
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from plm_core.backbones.base import pool_tokens

__all__ = ["pool_tokens", "ScalarMix", "make_head", "FeatureClassifier", "TransferClassifier", "top_as_last"]


class ScalarMix(nn.Module):
    """ELMo's task-specific layer mix: gamma * sum_j softmax(lambda)_j h_j over L+1 layers."""

    def __init__(self, n_layers: int) -> None:
        super().__init__()
        self.scalars = nn.Parameter(torch.zeros(n_layers))  # lambda: (L+1,), uniform mix at the start
        self.gamma = nn.Parameter(torch.ones(()))  # overall scale

    def forward(self, layers: torch.Tensor) -> torch.Tensor:
        """layers (B, L+1, H) -> (B, H)."""
        weights = torch.softmax(self.scalars, dim=0)  # (L+1,)
        return self.gamma * torch.einsum("l,blh->bh", weights, layers)

    def layer_weights(self) -> list[float]:
        return torch.softmax(self.scalars.detach(), dim=0).tolist()


def make_head(hidden: int, n_classes: int, kind: str, mlp_hidden: int = 256, dropout: float = 0.0) -> nn.Module:
    """A fresh classification head: logistic regression (one linear layer) or a small MLP."""
    drop = [nn.Dropout(dropout)] if dropout > 0 else []
    if kind == "mlp":
        return nn.Sequential(*drop, nn.Linear(hidden, mlp_hidden), nn.GELU(), *drop, nn.Linear(mlp_hidden, n_classes))
    return nn.Sequential(*drop, nn.Linear(hidden, n_classes))


class FeatureClassifier(nn.Module):
    """Frozen mode: a head (with an optional scalar mix) over cached features, no body at all."""

    def __init__(self, hidden: int, n_classes: int, head: str, n_mix: int = 0, mlp_hidden: int = 256) -> None:
        super().__init__()
        self.mix = ScalarMix(n_mix) if n_mix else None
        self.head = make_head(hidden, n_classes, head, mlp_hidden)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """features (B, H), or (B, L+1, H) with a scalar mix -> logits (B, C)."""
        pooled = self.mix(features) if self.mix is not None else features  # (B, H)
        return self.head(pooled)


class TransferClassifier(nn.Module):
    """End-to-end modes: a transformer body + token pooling (+ scalar mix) + a new head."""

    def __init__(self, body: nn.Module, hidden: int, n_classes: int, head: str, pooling: str, layer: int,
                 token_pooling: str, n_states: int, mlp_hidden: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.body = body
        self.pooling = pooling  # "first" | "mean" | "last" | "mix"
        self.token_pooling = token_pooling  # how tokens are pooled inside a layer
        self.layer = layer  # hidden-state index; -1 = top
        self.n_states = n_states  # L+1
        self.mix = ScalarMix(n_states) if pooling == "mix" else None
        self.head = make_head(hidden, n_classes, head, mlp_hidden, dropout)

    @property
    def reads_top(self) -> bool:
        return self.mix is None and self.layer in (-1, self.n_states - 1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """input_ids, attention_mask (B, T) -> logits (B, C)."""
        out: Any = self.body(input_ids=input_ids, attention_mask=attention_mask,
                             output_hidden_states=not self.reads_top)
        if self.reads_top:
            pooled = pool_tokens(out.last_hidden_state, attention_mask, self.token_pooling)  # (B, H)
        elif self.mix is not None:
            states = torch.stack(top_as_last(out), dim=1)  # (B, L+1, T, H)
            per_layer = pool_tokens(states.transpose(0, 1), attention_mask, self.token_pooling)  # (L+1, B, H)
            pooled = self.mix(per_layer.transpose(0, 1))  # (B, H)
        else:
            pooled = pool_tokens(out.hidden_states[self.layer], attention_mask, self.token_pooling)  # (B, H)
        return self.head(pooled)


def top_as_last(out: Any) -> list[torch.Tensor]:
    """The hidden states (L+1 of (B, T, H)) with the top one taken from `last_hidden_state`.

    Some decoders apply their final norm only to `last_hidden_state`; this keeps "top layer" the same
    vector whether it is read alone or inside a stack.
    """
    states = list(out.hidden_states)
    states[-1] = out.last_hidden_state
    return states
