"""Attention masks of every architecture, as matrices you can draw (rows = queries, columns = keys).

    bidirectional   encoder (BERT): every token sees every token
    causal          decoder (GPT): token i sees tokens 0..i only (lower-triangular)
    prefix-LM       bidirectional inside the prefix, causal after it (UniLM, T5 prefix-LM)
    cross           encoder-decoder: every decoder position sees every encoder position

Padding: a batch pads short texts to the longest one; padded keys are masked out for every query, and
padded query rows are ignored. `MaskMatrix.codes` keeps the reason of each cell for drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ALLOWED, BLOCKED, PADDING = 1, 0, 2  # codes: may attend, blocked by the architecture, blocked by padding
PAD_TOKEN = "[PAD]"
KINDS: tuple[str, ...] = ("bidirectional", "causal", "prefix", "cross")


@dataclass
class MaskMatrix:
    """One mask: `allowed[i, j]` = query i may attend to key j."""

    kind: str  # "bidirectional" | "causal" | "prefix" | "cross"
    role: str  # what it is used for, e.g. "encoder self", "decoder self", "decoder -> encoder"
    allowed: np.ndarray  # (Tq, Tk) bool
    codes: np.ndarray  # (Tq, Tk) int: ALLOWED / BLOCKED / PADDING
    query_tokens: list[str]
    key_tokens: list[str]

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.allowed.shape  # a 2-D array
        return int(rows), int(cols)


def _valid(n: int, valid: Sequence[bool] | np.ndarray | None) -> np.ndarray:
    return np.ones(n, dtype=bool) if valid is None else np.asarray(valid, dtype=bool)


def bidirectional(n: int, valid: Sequence[bool] | np.ndarray | None = None) -> np.ndarray:
    """(n, n) all True, except padded keys and padded query rows."""
    v = _valid(n, valid)
    return v[:, None] & v[None, :]


def causal(n: int, valid: Sequence[bool] | np.ndarray | None = None) -> np.ndarray:
    """(n, n) lower-triangular: query i sees keys j <= i (and no padding)."""
    return np.tril(np.ones((n, n), dtype=bool)) & bidirectional(n, valid)


def prefix_lm(n: int, prefix: int, valid: Sequence[bool] | np.ndarray | None = None) -> np.ndarray:
    """(n, n): the first `prefix` tokens see each other fully; later tokens are causal."""
    base = np.tril(np.ones((n, n), dtype=bool))
    p = int(np.clip(prefix, 0, n))
    base[:p, :p] = True  # the prefix block is bidirectional
    return base & bidirectional(n, valid)


def cross(n_query: int, n_key: int, query_valid: Sequence[bool] | np.ndarray | None = None,
          key_valid: Sequence[bool] | np.ndarray | None = None) -> np.ndarray:
    """(n_query, n_key): every decoder position sees every (real) encoder position."""
    return _valid(n_query, query_valid)[:, None] & _valid(n_key, key_valid)[None, :]


def codes_for(allowed: np.ndarray, query_valid: np.ndarray, key_valid: np.ndarray) -> np.ndarray:
    """Why each cell is what it is: PADDING where a padded query or key is involved, else ALLOWED/BLOCKED."""
    codes = np.where(allowed, ALLOWED, BLOCKED)
    pad = ~query_valid[:, None] | ~key_valid[None, :]  # (Tq, Tk)
    codes[pad] = PADDING
    return codes


def pad_tokens(tokens: Sequence[str], n_pad: int) -> tuple[list[str], np.ndarray]:
    """Tokens followed by `n_pad` padding tokens, and the validity vector (True = real token)."""
    padded = list(tokens) + [PAD_TOKEN] * max(0, n_pad)
    return padded, np.array([True] * len(tokens) + [False] * max(0, n_pad))


def self_mask(kind: str, role: str, tokens: Sequence[str], n_pad: int = 0, prefix: int = 0) -> MaskMatrix:
    """A self-attention mask of the given kind over `tokens` padded with `n_pad` padding tokens."""
    toks, valid = pad_tokens(tokens, n_pad)
    n = len(toks)
    allowed = {"bidirectional": lambda: bidirectional(n, valid), "causal": lambda: causal(n, valid),
               "prefix": lambda: prefix_lm(n, prefix, valid)}[kind]()
    return MaskMatrix(kind, role, allowed, codes_for(allowed, valid, valid), toks, toks)


def cross_mask(decoder_tokens: Sequence[str], encoder_tokens: Sequence[str], decoder_pad: int = 0,
               encoder_pad: int = 0) -> MaskMatrix:
    """Decoder -> encoder cross-attention mask: shape (decoder length, encoder length)."""
    dec, dvalid = pad_tokens(decoder_tokens, decoder_pad)
    enc, evalid = pad_tokens(encoder_tokens, encoder_pad)
    allowed = cross(len(dec), len(enc), dvalid, evalid)
    return MaskMatrix("cross", "decoder -> encoder", allowed, codes_for(allowed, dvalid, evalid), dec, enc)


def architecture_masks(tokens: Sequence[str], target_tokens: Sequence[str] | None = None, n_pad: int = 0,
                       prefix: int | None = None) -> dict[str, list[MaskMatrix]]:
    """Every architecture's masks for one text: encoder, decoder, prefix-LM, and the three of an encoder-decoder.

    `target_tokens` is what the decoder of an encoder-decoder reads (default: the text itself).
    """
    tokens = list(tokens)
    target = list(target_tokens) if target_tokens is not None else tokens
    prefix = len(tokens) // 2 if prefix is None else prefix
    return {
        "encoder": [self_mask("bidirectional", "encoder self", tokens, n_pad)],
        "decoder": [self_mask("causal", "decoder self", tokens, n_pad)],
        "prefix": [self_mask("prefix", "prefix-LM self", tokens, n_pad, prefix)],
        "encoder-decoder": [
            self_mask("bidirectional", "encoder self", tokens, n_pad),
            self_mask("causal", "decoder self", target, n_pad),
            cross_mask(target, tokens, n_pad, n_pad),
        ],
    }
