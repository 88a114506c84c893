"""Language-model views: fill in masked pieces (MLM), and next-token predictions along a sentence (CLM)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone, MaskKind
from plm_core.backbones.base import top_k as rank_top
from plm_core.backbones.capabilities import require
from plm_core.errors import PLMError
from plm_core.explorer.attention import MaskRun, head_average, run_with_mask

SANDBOX_MAX_TOKENS = 128  # the MLM sandbox and next-token view read at most this many pieces


def topk_table(backbone: Backbone, logprobs: np.ndarray, positions: Sequence[int], originals: Sequence[str],
               k: int) -> pd.DataFrame:
    """Top-k pieces at each position of (T, V) log-probabilities: position, original, rank, prediction, probability."""
    rows = []
    for pos, original in zip(positions, originals, strict=False):
        rows += [{"position": int(pos), "original": original, "rank": r + 1, "prediction": piece, "probability": p}
                 for r, (piece, p) in enumerate(rank_top(logprobs[pos], k, backbone.piece))]
    return pd.DataFrame(rows, columns=["position", "original", "rank", "prediction", "probability"])


# ---- masked LM -------------------------------------------------------------------------------------
@dataclass
class MLMResult:
    tokens: list[str]  # the original pieces
    masked: list[int]  # positions replaced by the mask token
    predictions: pd.DataFrame  # see topk_table
    original_rank: pd.DataFrame  # per masked position: probability and rank of the original piece
    attention_masked: np.ndarray  # (L, T, T) head-averaged, with the masks in place
    attention_original: np.ndarray  # (L, T, T) head-averaged, original text


def fill_masks(backbone: Backbone, text: str, positions: Sequence[int], top_k: int = 5,
               mask_kind: MaskKind = "native") -> MLMResult:
    """Replace the pieces at `positions` by [MASK] and ask the masked-LM head what goes there."""
    require(backbone, "masked_lm")
    if not positions:
        raise PLMError("attention.err.nothing_masked")
    original = run_with_mask(backbone, text, mask_kind, (), SANDBOX_MAX_TOKENS)
    masked = run_with_mask(backbone, text, mask_kind, positions, SANDBOX_MAX_TOKENS)
    return _mlm_result(backbone, original, masked, list(positions), top_k)


def _mlm_result(backbone: Backbone, original: MaskRun, masked: MaskRun, positions: list[int],
                top_k: int) -> MLMResult:
    assert masked.logprobs is not None  # a masked-LM spec always has its head
    probs = np.exp(masked.logprobs)  # (T, V)
    originals = [original.tokens[p] for p in positions]
    ranks = []
    for p in positions:
        true_id = int(original.ids[p])
        ranks.append({"position": p, "original": original.tokens[p], "probability": float(probs[p, true_id]),
                      "rank": int((probs[p] > probs[p, true_id]).sum()) + 1})
    return MLMResult(original.tokens, positions, topk_table(backbone, masked.logprobs, positions, originals, top_k),
                     pd.DataFrame(ranks), head_average(masked.attentions), head_average(original.attentions))


# ---- next token ------------------------------------------------------------------------------------
@dataclass
class NextTokenView:
    tokens: list[str]  # T pieces
    table: pd.DataFrame  # per position t (1..T-1): context end, actual piece, probability, rank
    # top-k after each position: position (of the last piece read), actual, rank, prediction, probability
    topk: pd.DataFrame


def next_token_stats(backbone: Backbone, run: MaskRun, top_k: int = 5) -> NextTokenView:
    """From one forward pass: P(actual next piece) at every position, its rank, and the top-k there."""
    require(backbone, "causal_lm")
    assert run.logprobs is not None  # a causal-LM spec always has its head
    probs = np.exp(run.logprobs[:-1])  # (T-1, V): prediction made after reading pieces 0..t
    actual = run.ids[1:]  # (T-1,)
    p_actual = probs[np.arange(len(actual)), actual]
    ranks = (probs > p_actual[:, None]).sum(axis=1) + 1
    table = pd.DataFrame({
        "position": np.arange(1, len(run.tokens)), "after": run.tokens[:-1], "actual": run.tokens[1:],
        "probability": p_actual, "rank": ranks,
    })
    topk = topk_table(backbone, run.logprobs[:-1], range(len(actual)), run.tokens[1:], top_k)
    topk = topk.rename(columns={"original": "actual"})
    return NextTokenView(run.tokens, table, topk)


def next_tokens(backbone: Backbone, text: str, top_k: int = 5, mask_kind: MaskKind = "native") -> NextTokenView:
    """Next-token view of a causal LM (decoder with an LM head)."""
    require(backbone, "causal_lm")
    return next_token_stats(backbone, run_with_mask(backbone, text, mask_kind, (), SANDBOX_MAX_TOKENS), top_k)
