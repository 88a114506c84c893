"""The tiny pretrained family in the backbone registry: five specs, the biLM backbone and two loaders.

    tiny-bert-mlm   encoder          hf_assets (MLM head: fill-mask)
    tiny-gpt-clm    decoder          hf_assets (causal LM head: next token, generation)
    tiny-t5-span    encoder-decoder  hf_assets (seq2seq head: span filling)
    tiny-elmo-bilm  bilm             "bilm" loader below
    tiny-sgns       static           "sgns" loader below (StaticVectors)

Each loads as its random-init twin with `load_backbone(name, random_init=True)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from plm_core.backbones.base import (
    Backbone,
    BackboneSpec,
    Family,
    HiddenStates,
    Ranked,
    Tokenized,
    hash_module,
    pad_batch,
)
from plm_core.backbones.base import top_k as rank_top
from plm_core.paths import REPO_ROOT

CORPUS = "3.4M words: Wikipedia summaries, State of the Union 1790-2021, Moby-Dick, Shakespeare"
TOKENIZER = "one lower-cased WordPiece vocabulary of 8,192 pieces"
PROJECT = "this repository (assets/checkpoints), rebuilt by `python -m plm_core pretrain`"


TRANSFORMER_CAPS = frozenset({"token_states", "attention", "trainable", "sentence_vectors"})
CAPABILITIES: dict[str, frozenset[str]] = {  # what each tiny model can do (see plm_core.backbones.capabilities)
    "tiny-bert-mlm": TRANSFORMER_CAPS | {"mask_swap", "masked_lm"},
    "tiny-gpt-clm": TRANSFORMER_CAPS | {"mask_swap", "causal_lm"},
    "tiny-t5-span": TRANSFORMER_CAPS | {"seq2seq"},
    "tiny-elmo-bilm": frozenset({"token_states", "causal_lm", "bidirectional_lm", "sentence_vectors"}),
    "tiny-sgns": frozenset({"token_states", "word_vectors", "sentence_vectors"}),
}


def _spec(name: str, display: str, family: Family, loader: str, layers: int, hidden: int, heads: int, params: int,
          objective: str, head: str = "", max_length: int = 64, notes: str = "") -> BackboneSpec:
    return BackboneSpec(
        name=name, display=display, family=family, loader=loader, source=PROJECT,
        install="python -m plm_core pretrain --objective " + objective.split(":")[0],
        license="MIT (weights); corpus CC BY-SA 4.0 + public domain",
        layers=layers, hidden_size=hidden, heads=heads, params=params, pretrained_on=CORPUS,
        objective=objective.split(":", 1)[1], location=f"assets/checkpoints/{name}", head=head,
        max_length=max_length, notes=notes, capabilities=CAPABILITIES[name],
    )


SPECS: list[BackboneSpec] = [
    _spec("tiny-bert-mlm", "Tiny BERT (masked LM, ours)", "encoder", "hf_assets", 2, 128, 2, 1_486_848,
          "mlm:masked language modelling (15% of pieces; 80% [MASK], 10% random, 10% kept)", head="mlm",
          notes=f"Pretrained here in ~8 CPU minutes on {TOKENIZER}; trained on 64-piece sequences."),
    _spec("tiny-gpt-clm", "Tiny GPT (causal LM, ours)", "decoder", "hf_assets", 2, 128, 2, 1_461_760,
          "clm:causal language modelling (next piece)", head="clm",
          notes=f"Pretrained here in ~8 CPU minutes on {TOKENIZER}; trained on 64-piece sequences."),
    _spec("tiny-t5-span", "Tiny T5 (span corruption, ours)", "encoder-decoder", "hf_assets", 2, 128, 2, 1_967_744,
          "span:T5 span corruption (15% of pieces in spans of ~3, replaced by sentinels), after a 1,500-step warm-up "
          "rewriting the whole sentence", head="seq2seq",
          max_length=128, notes=f"2 encoder + 2 decoder layers; {TOKENIZER}; hidden states are the encoder's."),
    _spec("tiny-elmo-bilm", "Tiny ELMo (biLM, ours)", "bilm", "bilm", 2, 256, 0, 1_585_152,
          "bilm:forward + backward language modelling (shared embedding and softmax)", max_length=128,
          notes="2 forward + 2 backward LSTM layers of 128; a layer's vector = [forward; backward] (256)."),
    _spec("tiny-sgns", "Tiny skip-gram (SGNS, ours)", "static", "sgns", 0, 50, 0, 1_000_000,
          "sgns:skip-gram with 15 negatives from unigram^0.75, window 1", max_length=512,
          notes="20,000 lower-cased words x 50 dimensions; one vector per word type, read with the mean and "
                "the top principal direction removed."),
]


class BiLMBackbone(Backbone):
    """The ELMo-style biLM behind the common interface.

    hidden_states: layer 0 = [token embedding; token embedding], layer l = [forward_l; backward_l].
    """

    def __init__(self, spec: BackboneSpec, model, tokenizer, random_init: bool = False):
        self.spec, self.model, self.tokenizer, self.random_init = spec, model.eval(), tokenizer, random_init
        self.pad_id = int(model.config.pad_id)

    def tokenize(self, text: str, max_length: int | None = None) -> Tokenized:
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        limit = max_length or self.spec.max_length
        return Tokenized(text=text, tokens=enc.tokens[:limit], ids=enc.ids[:limit], word_ids=enc.word_ids[:limit],
                         special=[False] * min(len(enc.ids), limit), truncated=len(enc.ids) > limit)

    def _batch(self, texts: Sequence[str], max_length: int | None = None) -> tuple[list[Tokenized], Any, Any]:
        import torch

        toks = [self.tokenize(t, max_length) for t in texts]
        ids, _ = pad_batch([t.ids for t in toks], self.pad_id)  # (B, T) right-padded
        lengths = torch.tensor([max(len(t.ids), 1) for t in toks])  # (B,)
        return toks, ids, lengths

    def run(self, texts: Sequence[str], max_length: int | None = None):
        """(tokenized texts, lengths (B,), BiLMOutput) under inference mode."""
        import torch

        toks, ids, lengths = self._batch(texts, max_length)
        with torch.inference_mode():
            out = self.model(ids, lengths)
        return toks, lengths, out

    def hidden_states(self, texts: Sequence[str], max_length: int | None = None) -> HiddenStates:
        import torch

        toks, lengths, out = self.run(texts, max_length)
        states = torch.stack(out.states, dim=0).float().numpy()  # (L+1, B, T, 2H)
        mask = (np.arange(states.shape[2])[None, :] < lengths.numpy()[:, None]).astype(np.int64)  # (B, T)
        width = states.shape[2]
        return HiddenStates(states=states, attention_mask=mask,
                            tokens=[t.tokens + [""] * (width - len(t.tokens)) for t in toks],
                            truncated=[t.truncated for t in toks])

    def direction_logprobs(self, text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Pieces, log P(next piece) from the forward LM (T, V), log P(previous piece) from the backward LM (T, V)."""
        import torch

        toks, _, out = self.run([text])
        fwd = torch.log_softmax(out.forward_logits[0].float(), dim=-1).numpy()
        bwd = torch.log_softmax(out.backward_logits[0].float(), dim=-1).numpy()
        return toks[0].tokens, fwd, bwd

    def next_token_logprobs(self, texts: Sequence[str]) -> np.ndarray:
        """log P(next piece | text) from the forward LM for each text: (B, V)."""
        import torch

        _, lengths, out = self.run(texts)
        last = out.forward_logits[torch.arange(len(texts)), lengths - 1]  # (B, V) at each last real piece
        return torch.log_softmax(last.float(), dim=-1).numpy()

    def next_tokens(self, text: str, top_k: int = 5) -> Ranked:
        """The k most probable next pieces after `text` (forward LM)."""
        return rank_top(self.next_token_logprobs([text])[0], top_k, self.piece)

    def token_logprobs(self, text: str) -> tuple[list[str], np.ndarray]:
        pieces, fwd, _ = self.direction_logprobs(text)
        ids = self.tokenize(text).ids
        return pieces, np.array([fwd[t - 1, ids[t]] for t in range(1, len(ids))], dtype=np.float32)

    def generate(self, text: str, n_new: int = 12) -> str:
        """Greedy continuation by the forward LM (a piece that would repeat a 3-gram is skipped)."""
        ids = list(self.tokenize(text).ids)
        start = len(ids)
        for _ in range(n_new):
            logp = self._next_from_ids(ids)  # (V,)
            for banned in repeated_ngram_ends(ids, 3):
                logp[banned] = -np.inf
            ids.append(int(np.argmax(logp)))
        return str(self.tokenizer.decode(ids[start:]))

    def _next_from_ids(self, ids: list[int]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            out = self.model(torch.tensor([ids], dtype=torch.long), torch.tensor([len(ids)]))
        return torch.log_softmax(out.forward_logits[0, -1].float(), dim=-1).numpy()  # (V,)

    def piece(self, token_id: int) -> str:
        return self.tokenizer.id_to_token(int(token_id)) or "?"

    def hash_weights(self, h: Any) -> None:
        hash_module(h, self.model)


def repeated_ngram_ends(ids: Sequence[int], n: int) -> list[int]:
    """Pieces that would complete an n-gram already in `ids` (what `no_repeat_ngram_size=n` blocks)."""
    if len(ids) < n - 1:
        return []
    prefix = tuple(ids[len(ids) - (n - 1):])
    return [ids[i + n - 1] for i in range(len(ids) - n + 1) if tuple(ids[i : i + n - 1]) == prefix]


def load_bilm_backbone(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    from plm_core.pretrain.checkpoints import load_bilm
    from plm_core.pretrain.tokenizer import load_raw_tokenizer

    folder = REPO_ROOT / spec.location
    model = load_bilm(folder, random_init=random_init, seed=seed)
    return BiLMBackbone(spec, model, load_raw_tokenizer(folder), random_init=random_init)


def load_sgns_backbone(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    from plm_core.backbones.static import StaticVectors, all_but_the_top
    from plm_core.pretrain.checkpoints import load_word_vectors
    from plm_core.pretrain.models import TINY_CONFIGS

    words, vectors = load_word_vectors(REPO_ROOT / spec.location, random_init=random_init, seed=seed)
    # the twin is post-processed the same way: the comparison stays about the training, not the reading
    return StaticVectors(spec, words, all_but_the_top(vectors, TINY_CONFIGS["sgns"]["remove_directions"]),
                         random_init=random_init)

