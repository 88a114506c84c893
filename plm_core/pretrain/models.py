"""The tiny model family: one config per objective (a plain dict, minGPT style) and the two plain-torch models.

    mlm   BertForMaskedLM            2 layers, hidden 128, 2 heads
    clm   GPT2LMHeadModel            2 layers, hidden 128, 2 heads
    span  T5ForConditionalGeneration 2 encoder + 2 decoder layers, hidden 128, 2 heads
    bilm  BiLM (below)               2 forward + 2 backward LSTM layers, hidden 128, shared embedding/softmax
    sgns  SkipGram (below)          20k words x 50 dims, input and output vectors
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from plm_core.pretrain import OBJECTIVES  # noqa: E402,F401  (re-exported)

# name -> architecture hyper-parameters (vocab comes from the shared tokenizer, or the skip-gram word list)
TINY_CONFIGS: dict[str, dict[str, Any]] = {
    "mlm": dict(name="tiny-bert-mlm", layers=2, hidden=128, heads=2, ffn=512, max_len=128),
    "clm": dict(name="tiny-gpt-clm", layers=2, hidden=128, heads=2, ffn=512, max_len=128),
    "span": dict(name="tiny-t5-span", layers=2, hidden=128, heads=2, ffn=512, max_len=128),
    "bilm": dict(name="tiny-elmo-bilm", layers=2, hidden=128, max_len=128),
    # window 1: paradigmatic neighbours (king ~ prince, duke), not topical ones. 50 dims, 15 negatives, subsampling
    # threshold 1e-3: the best of a gensim sweep on this corpus (dims 25-300, windows 1-3, 5-25 negatives, t 1e-5-1e-3)
    # The backbone reads the vectors with their mean and top principal direction removed (remove_directions,
    # backbones.static.all_but_the_top): raw, every cosine shares one common direction.
    "sgns": dict(name="tiny-sgns", hidden=50, vocab=20_000, min_count=5, window=1, negatives=15, sample=1e-3,
                 remove_directions=1),
}


def hf_config(objective: str, vocab_size: int, pad_id: int, eos_id: int) -> Any:
    """The transformers config of a tiny transformer (mlm / clm / span)."""
    from transformers import BertConfig, GPT2Config, T5Config

    c = TINY_CONFIGS[objective]
    if objective == "mlm":
        return BertConfig(vocab_size=vocab_size, hidden_size=c["hidden"], num_hidden_layers=c["layers"],
                          num_attention_heads=c["heads"], intermediate_size=c["ffn"],
                          max_position_embeddings=c["max_len"], pad_token_id=pad_id, type_vocab_size=1,
                          hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)  # no dropout: short training
    if objective == "clm":
        return GPT2Config(vocab_size=vocab_size, n_embd=c["hidden"], n_layer=c["layers"], n_head=c["heads"],
                          n_inner=c["ffn"], n_positions=c["max_len"], bos_token_id=eos_id, eos_token_id=eos_id,
                          pad_token_id=pad_id)
    if objective == "span":
        return T5Config(  # type: ignore[call-arg]  # T5Config's typed __init__ omits kwargs it accepts at runtime
                        vocab_size=vocab_size, d_model=c["hidden"], d_kv=c["hidden"] // c["heads"], d_ff=c["ffn"],
                        num_layers=c["layers"], num_decoder_layers=c["layers"], num_heads=c["heads"],
                        pad_token_id=pad_id, eos_token_id=eos_id, decoder_start_token_id=pad_id,
                        dropout_rate=0.0, tie_word_embeddings=True)
    raise ValueError(f"{objective!r} is not a transformer objective")


def build_hf_model(objective: str, vocab_size: int, pad_id: int, eos_id: int, seed: int = 0) -> Any:
    """A freshly initialised tiny transformer with its LM head (eager attention, so attentions can be read)."""
    from transformers import BertForMaskedLM, GPT2LMHeadModel, T5ForConditionalGeneration

    from plm_core.training.generators import init_transformer, run_generators

    cls = {"mlm": BertForMaskedLM, "clm": GPT2LMHeadModel, "span": T5ForConditionalGeneration}[objective]
    model = cls(hf_config(objective, vocab_size, pad_id, eos_id)).float()
    init_transformer(model, run_generators(seed).torch)  # weights from the seed, never from the process RNG
    return model


# ---- ELMo-style biLM -------------------------------------------------------------------------------

@dataclass
class BiLMConfig:
    vocab_size: int
    hidden: int = 128  # embedding width = LSTM width (so the softmax can share the embedding matrix)
    layers: int = 2  # LSTM layers per direction
    dropout: float = 0.1
    pad_id: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class BiLMOutput:
    forward_logits: torch.Tensor | None  # (B, T, V): forward LM at t -> token t+1
    backward_logits: torch.Tensor | None  # (B, T, V): backward LM at t -> token t-1
    states: list[torch.Tensor]  # L+1 tensors (B, T, 2H): [emb; emb], then [forward_l; backward_l]


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sequence within its length, padding stays at the end. x: (B, T, ...), lengths: (B,)."""
    T = x.shape[1]
    pos = torch.arange(T, device=x.device)[None, :]  # (1, T)
    idx = torch.where(pos < lengths[:, None], lengths[:, None] - 1 - pos, pos)  # (B, T)
    return x.gather(1, idx.view(*idx.shape, *([1] * (x.dim() - 2))).expand_as(x))


class BiLM(nn.Module):
    """Token embedding -> forward LSTM stack and backward LSTM stack -> one shared softmax.

    The softmax weights are tied to the embedding (one matrix serves input and output, both directions).
    Layers above the first add a residual connection, as in ELMo.
    """

    def __init__(self, config: BiLMConfig):
        super().__init__()
        self.config = config
        H = config.hidden
        self.embed = nn.Embedding(config.vocab_size, H, padding_idx=config.pad_id)
        self.forward_layers = nn.ModuleList([nn.LSTM(H, H, batch_first=True) for _ in range(config.layers)])
        self.backward_layers = nn.ModuleList([nn.LSTM(H, H, batch_first=True) for _ in range(config.layers)])
        self.output_bias = nn.Parameter(torch.zeros(config.vocab_size))
        self.drop = nn.Dropout(config.dropout)
        nn.init.normal_(self.embed.weight, std=0.05)

    def run_stack(self, layers: nn.ModuleList, x: torch.Tensor) -> list[torch.Tensor]:
        """x: (B, T, H) -> the output of every layer, each (B, T, H)."""
        outs = []
        for i, lstm in enumerate(layers):
            h, _ = lstm(self.drop(x))  # (B, T, H)
            x = h + x if i > 0 else h  # residual from layer 2 on
            outs.append(x)
        return outs

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        """(..., H) -> (..., V) through the shared (tied) softmax."""
        return F.linear(self.drop(h), self.embed.weight, self.output_bias)

    def forward(self, input_ids: torch.Tensor, lengths: torch.Tensor | None = None,
                with_logits: bool = True) -> BiLMOutput:
        """input_ids: (B, T), right-padded to `lengths` (B,). with_logits=False skips the softmax (training
        computes it on a subset of positions)."""
        B, T = input_ids.shape
        lengths = lengths if lengths is not None else torch.full((B,), T, dtype=torch.long)
        emb = self.embed(input_ids)  # (B, T, H)
        fwd = self.run_stack(self.forward_layers, emb)  # L x (B, T, H), state t has read tokens 0..t
        bwd_rev = self.run_stack(self.backward_layers, reverse_padded(emb, lengths))
        bwd = [reverse_padded(h, lengths) for h in bwd_rev]  # L x (B, T, H), state t has read tokens t..end
        states = [torch.cat([emb, emb], dim=-1)] + [torch.cat([f, b], dim=-1) for f, b in zip(fwd, bwd, strict=True)]
        if not with_logits:
            return BiLMOutput(None, None, states)
        return BiLMOutput(self.logits(fwd[-1]), self.logits(bwd[-1]), states)


# ---- skip-gram with negative sampling --------------------------------------------------------------

@dataclass
class SkipGramConfig:
    vocab_size: int
    dim: int = 100

    def to_dict(self) -> dict:
        return asdict(self)


class SkipGram(nn.Module):
    """Two tables: `centre` vectors (the word vectors we keep) and `context` vectors (used in training only)."""

    def __init__(self, config: SkipGramConfig):
        super().__init__()
        self.config = config
        self.centre = nn.Embedding(config.vocab_size, config.dim, sparse=True)
        self.context = nn.Embedding(config.vocab_size, config.dim, sparse=True)
        nn.init.uniform_(self.centre.weight, -0.5 / config.dim, 0.5 / config.dim)
        nn.init.zeros_(self.context.weight)

    def forward(self, centres: torch.Tensor, contexts: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
        """Mean SGNS loss: -log s(u.v) - sum_k log s(-u.n_k). centres, contexts: (P,), negatives: (P, k)."""
        u = self.centre(centres)  # (P, D)
        v = self.context(contexts)  # (P, D)
        n = self.context(negatives)  # (P, k, D)
        pos = F.logsigmoid((u * v).sum(-1))  # (P,)
        neg = F.logsigmoid(-torch.einsum("pd,pkd->pk", u, n)).sum(-1)  # (P,)
        return -(pos + neg).mean()


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
