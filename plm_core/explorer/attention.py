"""Real attention weights: which ones to show, head averages, rollout, downsampling, and the mask swap.

Weights come from `Backbone.attentions` (eager attention, rows sum to 1). Long texts are cut to
`MAX_TOKENS` pieces with a notice; the layer x head grid shows every map pooled to at most
`GRID_SIDE` x `GRID_SIDE` cells so that a 512-piece text stays light in the browser.

The mask swap runs a model with a mask it was not trained with (an encoder with a causal mask, a decoder
with a full bidirectional mask) by passing a 4-D additive mask as input: the shared model is not changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from plm_core.backbones.base import Attentions, Backbone, MaskKind, PieceRun
from plm_core.backbones.capabilities import require
from plm_core.errors import PLMError
from plm_core.explorer.threads import single_threaded

MAX_TOKENS = 512  # attention is computed for at most this many pieces (longer texts are cut, with a notice)
GRID_SIDE = 24  # each small map of the layer x head grid is pooled to at most this many cells a side
GRID_CELLS = 60_000  # ... and to fewer when there are many maps (SmolLM2: 30 x 9), so the grid stays light
LARGE_SIDE = 160  # the large single-head map is pooled beyond this many pieces (labels would be unreadable)
HALF_PRECISION_ABOVE = 64 * 2**20  # bytes: bigger attention arrays are kept as float16 (plenty for pictures)
WHICH: tuple[str, ...] = ("encoder self", "decoder self", "cross")


@dataclass
class AttentionView:
    """Attention of one text plus what the user should be told about it."""

    att: Attentions
    backbone: str
    family: str
    notices: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def available(self) -> list[str]:
        """Which attentions this model has: encoder self / decoder self / cross."""
        if self.att.cross_weights is not None:
            return list(WHICH)
        return ["decoder self" if self.family == "decoder" else "encoder self"]

    def select(self, which: str) -> tuple[np.ndarray, list[str], list[str]]:
        """(L, nh, Tq, Tk) weights, query tokens, key tokens of one kind of attention."""
        att = self.att
        if which == "cross" and att.cross_weights is not None:
            return att.cross_weights, att.decoder_tokens or [], att.tokens
        if which == "decoder self" and att.decoder_weights is not None:
            return att.decoder_weights, att.decoder_tokens or [], att.decoder_tokens or []
        return att.weights, att.tokens, att.tokens


@single_threaded
def compute_attentions(backbone: Backbone, text: str, target: str | None = None,
                       max_tokens: int = MAX_TOKENS) -> AttentionView:
    """Every layer's and head's attention for `text` (cut to `max_tokens` pieces, with a notice)."""
    if not text.strip():
        raise PLMError("attention.err.empty_text")
    model = require(backbone, "attention")
    limit = int(min(max_tokens, model.max_length))
    att = model.attentions(text, target=target or None, max_length=limit)
    if att.weights.nbytes > HALF_PRECISION_ABOVE:  # e.g. SmolLM2 at 512 pieces: 283 MB -> 142 MB per session
        att.weights = att.weights.astype(np.float16)
    notices = [("attention.notice.truncated", {"limit": limit})] if att.truncated else []
    return AttentionView(att, backbone.label, backbone.spec.family, notices)


def hide_first_token(weights: np.ndarray) -> np.ndarray:
    """(..., Tq, Tk) attention without the first key (the "sink"), each row renormalised over the other keys.

    Many trained transformers park most attention on the first token when a head has nothing useful to
    look at (softmax must put its mass somewhere); hiding it lets the remaining pattern show. A row that
    attended only to the first token (the first query of a causal model) stays all zero.
    """
    out = np.array(weights, dtype=np.float32, copy=True)
    out[..., 0] = 0.0
    total = out.sum(axis=-1, keepdims=True)  # (..., Tq, 1)
    return np.divide(out, total, out=np.zeros_like(out), where=total > 0)


def head_average(weights: np.ndarray) -> np.ndarray:
    """(L, nh, Tq, Tk) -> (L, Tq, Tk): the mean over heads (float32, also for float16 input)."""
    return weights.mean(axis=1, dtype=np.float32)


@single_threaded
def rollout(weights: np.ndarray, residual: float = 0.5) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema, 2020): how much each input token flows into each position.

    Each layer's head-averaged attention is mixed with the identity (the residual connection) and
    re-normalised; the layers are then multiplied bottom-up. (L, nh, T, T) -> (L, T, T), rows sum to 1.
    """
    avg = head_average(weights)  # (L, T, T) float32
    eye = np.eye(avg.shape[-1], dtype=np.float32)
    out = np.zeros_like(avg)
    flow = eye
    for layer in range(avg.shape[0]):
        mixed = residual * eye + (1 - residual) * avg[layer]  # (T, T)
        mixed = mixed / mixed.sum(axis=-1, keepdims=True)
        flow = mixed @ flow  # (T, T): row i = share of each input token in position i after this layer
        out[layer] = flow
    return out


def pool_matrix(m: np.ndarray, max_side: int) -> np.ndarray:
    """Average-pool a (Tq, Tk) map into at most (max_side, max_side) blocks (unchanged if already small)."""
    rows = _bins(m.shape[0], max_side)
    cols = _bins(m.shape[1], max_side)
    pooled = np.add.reduceat(np.add.reduceat(m, rows, axis=0), cols, axis=1)
    sizes = np.diff(np.append(rows, m.shape[0]))[:, None] * np.diff(np.append(cols, m.shape[1]))[None, :]
    return pooled / sizes


def _bins(n: int, max_side: int) -> np.ndarray:
    if n <= max_side:
        return np.arange(n)
    return np.unique(np.linspace(0, n, max_side + 1).astype(int)[:-1])


def grid_side(n_maps: int) -> int:
    """Cells a side for each small map so that the whole grid has about GRID_CELLS cells (8..GRID_SIDE)."""
    return int(np.clip(np.sqrt(GRID_CELLS / max(n_maps, 1)), 8, GRID_SIDE))


def mosaic(weights: np.ndarray, max_side: int | None = None, gap: int = 1) -> tuple[np.ndarray, int]:
    """All (L, nh) maps side by side in one float32 matrix (layers as rows, top layer first), NaN between maps.

    Drawn as a single heatmap it is far lighter than L x nh subplots. Returns the mosaic and the cell side.
    """
    n_layers, n_heads = weights.shape[:2]
    max_side = max_side or grid_side(n_layers * n_heads)
    first = pool_matrix(weights[0, 0].astype(np.float32), max_side)
    sq, sk = first.shape
    out = np.full((n_layers * (sq + gap) - gap, n_heads * (sk + gap) - gap), np.nan, dtype=np.float32)
    for li in range(n_layers):
        r = (n_layers - 1 - li) * (sq + gap)  # top layer drawn first
        for h in range(n_heads):
            c = h * (sk + gap)
            out[r : r + sq, c : c + sk] = pool_matrix(weights[li, h].astype(np.float32), max_side)
    return out, max(sq, sk)


@dataclass
class AttentionDigest:
    """What the page draws from one kind of attention, computed once (slider moves only slice it)."""

    average: np.ndarray  # (L, Tq, Tk) mean over heads
    rollout: np.ndarray | None  # (L, T, T) for self-attention, None for cross-attention
    mosaic: np.ndarray  # the layer x head grid as one matrix (see `mosaic`)
    cell: int  # cells a side of each small map in the grid


@single_threaded
def digest(weights: np.ndarray, self_attention: bool = True) -> AttentionDigest:
    grid, cell = mosaic(weights)
    return AttentionDigest(head_average(weights), rollout(weights) if self_attention else None, grid, cell)


def row_sum_error(weights: np.ndarray) -> float:
    """Largest |row sum - 1| over every layer, head and query (should be ~1e-6)."""
    return float(np.abs(weights.sum(axis=-1) - 1.0).max())


# ---- running a model with a mask of our choice -----------------------------------------------------
MaskRun = PieceRun  # one forward pass with a chosen mask (the backbone's `run_pieces` computes it)


@single_threaded
def run_with_mask(backbone: Backbone, text: str, mask: MaskKind = "native", masked_positions: Sequence[int] = (),
                  max_tokens: int = MAX_TOKENS) -> MaskRun:
    """Run an encoder or decoder on `text` with its own mask, a causal one or a full bidirectional one.

    `masked_positions` are replaced by the tokenizer's mask token first (MLM sandbox).
    """
    return require(backbone, "mask_swap").run_pieces(text, masked_positions, mask, max_tokens)


def swapped_mask(family: str) -> MaskKind:
    """The mask the model was NOT trained with: causal for an encoder, bidirectional for a decoder."""
    return "causal" if family == "encoder" else "bidirectional"


@dataclass
class MaskSwap:
    native: MaskRun
    swapped: MaskRun
    drift: pd.DataFrame  # per layer: cosine(native, swapped) of the token vectors, mean over tokens
    future_share: pd.DataFrame  # per layer: share of attention on later tokens, native vs swapped


def mask_swap(backbone: Backbone, text: str, masked_positions: Sequence[int] = (),
              max_tokens: int = 128) -> MaskSwap:
    """Run the model with its own mask and with the swapped one; compare representations and attention."""
    native = run_with_mask(backbone, text, "native", masked_positions, max_tokens)
    swapped = run_with_mask(backbone, text, swapped_mask(backbone.spec.family), masked_positions, max_tokens)
    return MaskSwap(native, swapped, representation_drift(native.hidden, swapped.hidden),
                    future_attention(native.attentions, swapped.attentions))


def representation_drift(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """(L+1, T, H) x 2 -> per layer mean and minimum cosine similarity of the same token's vectors."""
    ua = a / np.maximum(np.linalg.norm(a, axis=-1, keepdims=True), 1e-8)
    ub = b / np.maximum(np.linalg.norm(b, axis=-1, keepdims=True), 1e-8)
    cos = (ua * ub).sum(-1)  # (L+1, T)
    return pd.DataFrame({"layer": np.arange(a.shape[0]), "mean_cosine": cos.mean(1), "min_cosine": cos.min(1)})


def future_attention(native: np.ndarray, swapped: np.ndarray) -> pd.DataFrame:
    """Per layer: mean share of each query's attention that lands on tokens to its right."""
    future = np.triu(np.ones(native.shape[-2:], dtype=bool), k=1)  # (T, T) j > i
    share = lambda w: (w * future).sum(-1).mean(axis=(1, 2))  # noqa: E731  (L,)
    return pd.DataFrame({"layer": np.arange(1, native.shape[0] + 1), "native": share(native),
                         "swapped": share(swapped)})
