"""What a backbone can do: one `Protocol` per capability, declared on its spec, checked by `require`.

    token_states      hidden_states (L+1, B, T, H) and embed (B, H)      every backbone but USE
    attention         attentions: per layer and head, rows sum to 1        transformers
    mask_swap         run_pieces: one forward pass with a mask of our choice  encoder-only / decoder-only transformers
    masked_lm         fill_mask: the pieces that fit each [MASK]          BERT-style with an MLM head
    causal_lm         next_tokens, next_token_logprobs, token_logprobs, generate
    bidirectional_lm  direction_logprobs: forward and backward LM at every piece (ELMo)
    seq2seq           span_target, fill_spans, span_candidates (T5 span filling)
    trainable         model, body, tokenizer, head, encode, copy, max_length (what fine-tuning needs)
    word_vectors      vector, nearest over a static word table
    sentence_vectors  embed: one vector per text

A spec lists its capabilities (`spec.capabilities`); code asks `spec.can(cap)` or `require(backbone, cap)`,
which returns the backbone typed as that capability's Protocol, or raises a `PLMError` that names the
backbones that have it. Nothing probes a backbone with `hasattr`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload, runtime_checkable

import numpy as np

from plm_core.errors import PLMError

if TYPE_CHECKING:
    from plm_core.backbones.base import (
        Attentions,
        Backbone,
        BackboneSpec,
        HiddenStates,
        MaskKind,
        PieceRun,
        Pooling,
        Ranked,
    )

Capability = Literal[
    "token_states", "attention", "mask_swap", "masked_lm", "causal_lm", "bidirectional_lm", "seq2seq",
    "trainable", "word_vectors", "sentence_vectors",
]
CAPABILITIES: tuple[Capability, ...] = (
    "token_states", "attention", "mask_swap", "masked_lm", "causal_lm", "bidirectional_lm", "seq2seq",
    "trainable", "word_vectors", "sentence_vectors",
)


@runtime_checkable
class TokenStates(Protocol):
    """Token vectors at every layer, and pooled text vectors."""

    spec: BackboneSpec

    def hidden_states(self, texts: Sequence[str], max_length: int | None = None) -> HiddenStates: ...

    def embed(self, texts: Sequence[str], pooling: Pooling = "mean", layer: int = -1, batch_size: int = 32,
              max_length: int | None = None) -> np.ndarray: ...


@runtime_checkable
class AttentionMaps(Protocol):
    """Attention weights of every layer and head for one text."""

    spec: BackboneSpec

    @property
    def max_length(self) -> int: ...

    def attentions(self, text: str, target: str | None = None, max_length: int | None = None) -> Attentions: ...


@runtime_checkable
class MaskSwap(Protocol):
    """One forward pass over one text with its own mask, a causal one or a full one (explorer mask swap)."""

    spec: BackboneSpec

    def run_pieces(self, text: str, masked_positions: Sequence[int] = (), mask: MaskKind = "native",
                   max_length: int | None = None) -> PieceRun: ...

    def piece(self, token_id: int) -> str: ...


@runtime_checkable
class MaskedLM(Protocol):
    """Fill in [MASK]: the k most probable pieces at every mask token."""

    spec: BackboneSpec

    @property
    def mask_token(self) -> str: ...

    def fill_mask(self, text: str, top_k: int = 5) -> list[Ranked]: ...

    def piece(self, token_id: int) -> str: ...


@runtime_checkable
class CausalLM(Protocol):
    """A left-to-right language model: next piece, per-piece log-probabilities, text scores, greedy text."""

    spec: BackboneSpec

    def next_token_logprobs(self, texts: Sequence[str]) -> np.ndarray: ...

    def next_tokens(self, text: str, top_k: int = 5) -> Ranked: ...

    def token_logprobs(self, text: str) -> tuple[list[str], np.ndarray]: ...

    def generate(self, text: str, n_new: int = 12) -> str: ...

    def piece(self, token_id: int) -> str: ...


@runtime_checkable
class BidirectionalLM(Protocol):
    """ELMo's two language models read at every piece."""

    spec: BackboneSpec

    def direction_logprobs(self, text: str) -> tuple[list[str], np.ndarray, np.ndarray]: ...

    def piece(self, token_id: int) -> str: ...


@runtime_checkable
class Seq2SeqLM(Protocol):
    """T5 span filling: the decoder writes what each sentinel stands for."""

    spec: BackboneSpec

    def span_target(self, text: str, max_new: int = 16) -> list[str]: ...

    def fill_spans(self, text: str, max_new: int = 16) -> dict[str, str]: ...

    def span_candidates(self, text: str, k: int = 5, sentinel: str = "<extra_id_0>") -> Ranked: ...


@runtime_checkable
class Trainable(Protocol):
    """A torch body that fine-tuning can copy, wrap and train (transformers models)."""

    spec: BackboneSpec
    random_init: bool
    model: Any  # the whole transformers model (with its LM head, if any)
    tokenizer: Any  # its transformers tokenizer
    head: str  # "" | "mlm" | "clm" | "seq2seq"

    @property
    def body(self) -> Any: ...

    @property
    def max_length(self) -> int: ...

    @property
    def n_layers(self) -> int: ...

    @property
    def hidden_size(self) -> int: ...

    def encode(self, texts: Sequence[str], max_length: int | None = None) -> Any: ...

    def copy(self) -> Trainable: ...

    def piece(self, token_id: int) -> str: ...


@runtime_checkable
class WordVectors(Protocol):
    """A static word -> vector table."""

    spec: BackboneSpec
    words: list[str]
    vectors: np.ndarray  # (V, H)

    def vector(self, word: str) -> np.ndarray: ...

    def nearest(self, query: str | np.ndarray, k: int = 10, exclude: Sequence[str] = ()) -> list[tuple[str, float]]: ...


@runtime_checkable
class SentenceVectors(Protocol):
    """One vector per text."""

    spec: BackboneSpec

    def embed(self, texts: Sequence[str], pooling: Pooling = "mean", layer: int = -1, batch_size: int = 32,
              max_length: int | None = None) -> np.ndarray: ...


PROTOCOLS: dict[Capability, type] = {
    "token_states": TokenStates, "attention": AttentionMaps, "mask_swap": MaskSwap, "masked_lm": MaskedLM,
    "causal_lm": CausalLM, "bidirectional_lm": BidirectionalLM, "seq2seq": Seq2SeqLM, "trainable": Trainable,
    "word_vectors": WordVectors, "sentence_vectors": SentenceVectors,
}


def backbones_with(cap: Capability) -> list[BackboneSpec]:
    """Registered specs that declare `cap`, in registry order."""
    from plm_core.backbones.registry import specs

    return [s for s in specs().values() if s.can(cap)]


def missing(spec: BackboneSpec, cap: Capability) -> PLMError:
    """The error for a backbone that lacks `cap`: what it cannot do and which backbones can."""
    if cap not in PROTOCOLS:
        raise ValueError(f"unknown capability {cap!r}; known: {', '.join(CAPABILITIES)}")
    have = ", ".join(s.display for s in backbones_with(cap)) or "-"
    return PLMError(f"backbone.err.lacks.{cap}", name=spec.display, family=spec.family, have=have)


@overload
def require(backbone: Backbone, cap: Literal["token_states"]) -> TokenStates: ...
@overload
def require(backbone: Backbone, cap: Literal["attention"]) -> AttentionMaps: ...
@overload
def require(backbone: Backbone, cap: Literal["mask_swap"]) -> MaskSwap: ...
@overload
def require(backbone: Backbone, cap: Literal["masked_lm"]) -> MaskedLM: ...
@overload
def require(backbone: Backbone, cap: Literal["causal_lm"]) -> CausalLM: ...
@overload
def require(backbone: Backbone, cap: Literal["bidirectional_lm"]) -> BidirectionalLM: ...
@overload
def require(backbone: Backbone, cap: Literal["seq2seq"]) -> Seq2SeqLM: ...
@overload
def require(backbone: Backbone, cap: Literal["trainable"]) -> Trainable: ...
@overload
def require(backbone: Backbone, cap: Literal["word_vectors"]) -> WordVectors: ...
@overload
def require(backbone: Backbone, cap: Literal["sentence_vectors"]) -> SentenceVectors: ...
def require(backbone: Backbone, cap: Capability) -> Any:
    """`backbone` typed as the Protocol of `cap` when its spec declares it; else a PLMError naming who has it."""
    if not backbone.spec.can(cap):
        raise missing(backbone.spec, cap)
    return backbone  # the same object: the Protocol only tells the type checker what it can do
