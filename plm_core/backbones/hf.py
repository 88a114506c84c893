"""Transformer backbones (encoder, decoder, encoder-decoder) through Hugging Face `transformers`.

One class serves every transformer family; what differs is which body gives the hidden states
(the encoder for T5-style models) and which head exists (MLM, causal LM, seq2seq LM, or none).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from plm_core.backbones.base import Attentions, Backbone, BackboneSpec, HiddenStates, Tokenized
from plm_core.errors import PLMError

HEAD_CLASSES = {
    "": "AutoModel",
    "mlm": "AutoModelForMaskedLM",
    "clm": "AutoModelForCausalLM",
    "seq2seq": "AutoModelForSeq2SeqLM",
}


def auto_class(head: str) -> Any:
    import transformers

    return getattr(transformers, HEAD_CLASSES[head])


class HFBackbone(Backbone):
    """A transformers model + its tokenizer behind the common interface.

    `model` is the whole network (with its LM head if any); `body` the part that yields hidden states.
    Never train `model` in place when it came from a shared cache: use `copy()` first.
    """

    def __init__(self, spec: BackboneSpec, model: Any, tokenizer: Any, head: str = "", random_init: bool = False):
        self.spec = spec
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.head = head
        self.random_init = random_init
        if tokenizer.pad_token is None:  # GPT-style tokenizers have no pad token; padding is masked anyway
            tokenizer.pad_token = tokenizer.eos_token
        tokenizer.padding_side = "right"

    # ---- structure ------------------------------------------------------------------------------
    @property
    def is_seq2seq(self) -> bool:
        return bool(getattr(self.model.config, "is_encoder_decoder", False))

    @property
    def body(self) -> Any:
        """The module whose hidden states we read: the encoder of an encoder-decoder, else the base model."""
        return self.model.get_encoder() if self.is_seq2seq else self.model.base_model

    @property
    def max_length(self) -> int:
        limit = getattr(self.model.config, "max_position_embeddings", None) or self.spec.max_length
        return int(min(limit, self.spec.max_length))

    def copy(self) -> "HFBackbone":
        """A deep copy to train on, so the shared cached model never changes."""
        import copy

        return HFBackbone(self.spec, copy.deepcopy(self.model), self.tokenizer, self.head, self.random_init)

    # ---- tokenization ---------------------------------------------------------------------------
    def piece(self, token_id: int) -> str:
        """Readable form of one piece: byte-level BPE 'Ġbank' -> '▁bank'; WordPiece '##s' stays."""
        raw = self.tokenizer.convert_ids_to_tokens(int(token_id))
        if raw is None:
            return "?"
        if "Ġ" in raw or "Ċ" in raw or any(ord(c) > 0xFF and ord(c) < 0x200 for c in raw):
            text = self.tokenizer.decode([int(token_id)])
            if "\ufffd" not in text:  # whole characters: show them (a leading space as ▁)
                return text.replace(" ", "▁").replace("\n", "\\n")
        return raw

    def encode(self, texts: Sequence[str], max_length: int | None = None) -> Any:
        limit = min(max_length or self.max_length, self.max_length)
        return self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=limit, return_tensors="pt"
        )

    def _was_truncated(self, texts: Sequence[str], limit: int) -> list[bool]:
        lengths = self.tokenizer(list(texts), truncation=False, add_special_tokens=True)["input_ids"]
        return [len(ids) > limit for ids in lengths]

    def tokenize(self, text: str, max_length: int | None = None) -> Tokenized:
        limit = min(max_length or self.max_length, self.max_length)
        enc = self.tokenizer(text, truncation=True, max_length=limit)
        ids = list(enc["input_ids"])
        special_ids = set(self.tokenizer.all_special_ids)
        return Tokenized(
            text=text,
            tokens=[self.piece(i) for i in ids],
            ids=ids,
            word_ids=list(enc.word_ids()),
            special=[i in special_ids for i in ids],
            truncated=self._was_truncated([text], limit)[0],
        )

    # ---- vectors --------------------------------------------------------------------------------
    def hidden_states(self, texts: Sequence[str], max_length: int | None = None) -> HiddenStates:
        import torch

        texts = list(texts)
        enc = self.encode(texts, max_length)
        with torch.inference_mode():
            out = self.body(
                input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], output_hidden_states=True
            )
        states = torch.stack(out.hidden_states, dim=0)  # (L+1, B, T, H)
        ids = enc["input_ids"].tolist()
        return HiddenStates(
            states=states.float().numpy(),
            attention_mask=enc["attention_mask"].numpy(),
            tokens=[[self.piece(i) for i in row] for row in ids],
            truncated=self._was_truncated(texts, enc["input_ids"].shape[1]) if texts else [],
        )

    # ---- attention ------------------------------------------------------------------------------
    def attentions(self, text: str, target: str | None = None, max_length: int | None = None) -> Attentions:
        """Self-attention of every layer and head; for encoder-decoders also decoder and cross attention.

        For an encoder-decoder the decoder reads `target` (default: the text itself) after its start token.
        """
        import torch

        enc = self.encode([text], max_length)
        tokens = [self.piece(i) for i in enc["input_ids"][0].tolist()]
        truncated = self._was_truncated([text], enc["input_ids"].shape[1])[0]
        with torch.inference_mode():
            if not self.is_seq2seq:
                out = self.body(**enc, output_attentions=True)
                weights = torch.stack(out.attentions, dim=0)[:, 0]  # (L, nh, T, T)
                kind = "decoder self" if self.spec.family == "decoder" else "encoder self"
                return Attentions(weights.float().numpy(), tokens, kind=kind, truncated=truncated)
            labels = self.encode([target if target is not None else text], max_length)["input_ids"]
            dec_in = self.model._shift_right(labels)  # (1, Td): start token, then the target shifted right
            out = self.model(**enc, decoder_input_ids=dec_in, output_attentions=True)
        return Attentions(
            weights=torch.stack(out.encoder_attentions, 0)[:, 0].float().numpy(),  # (L, nh, Te, Te)
            tokens=tokens,
            kind="encoder self",
            truncated=truncated,
            decoder_weights=torch.stack(out.decoder_attentions, 0)[:, 0].float().numpy(),  # (L, nh, Td, Td)
            cross_weights=torch.stack(out.cross_attentions, 0)[:, 0].float().numpy(),  # (L, nh, Td, Te)
            decoder_tokens=[self.piece(i) for i in dec_in[0].tolist()],
        )

    # ---- language modelling ---------------------------------------------------------------------
    def _require(self, head: str) -> None:
        if self.head != head:
            key = {"clm": "backbone.err.not_lm", "mlm": "backbone.err.no_mlm_head"}.get(head, "backbone.err.not_lm")
            raise PLMError(key, name=self.spec.display)

    def next_token_logprobs(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        self._require("clm")
        enc = self.encode(texts)
        with torch.inference_mode():
            logits = self.model(**enc).logits  # (B, T, V)
        last = enc["attention_mask"].sum(dim=1) - 1  # (B,) position of the last real token
        picked = logits[torch.arange(logits.shape[0]), last]  # (B, V)
        return torch.log_softmax(picked.float(), dim=-1).numpy()

    def token_logprobs(self, text: str) -> tuple[list[str], np.ndarray]:
        import torch

        self._require("clm")
        enc = self.encode([text])
        ids = enc["input_ids"]  # (1, T)
        with torch.inference_mode():
            logits = self.model(**enc).logits.float()  # (1, T, V)
        logp = torch.log_softmax(logits[0, :-1], dim=-1)  # (T-1, V): prediction for position t+1
        picked = logp.gather(1, ids[0, 1:, None])[:, 0]  # (T-1,)
        return [self.piece(i) for i in ids[0].tolist()], picked.numpy()

    def fill_mask(self, text: str, top_k: int = 5) -> list[list[tuple[str, float]]]:
        """For each mask token in `text`, the top-k pieces and their probabilities (MLM head needed)."""
        import torch

        self._require("mlm")
        mask_token = self.tokenizer.mask_token
        if mask_token is None or mask_token not in text:
            raise PLMError("backbone.err.no_mask_in_text", mask=str(mask_token))
        enc = self.encode([text])
        with torch.inference_mode():
            logits = self.model(**enc).logits[0].float()  # (T, V)
        positions = (enc["input_ids"][0] == self.tokenizer.mask_token_id).nonzero()[:, 0]
        probs = torch.softmax(logits[positions], dim=-1)  # (M, V)
        top = probs.topk(top_k, dim=-1)
        return [
            [(self.piece(i), float(p)) for i, p in zip(idx.tolist(), val.tolist())]
            for idx, val in zip(top.indices, top.values)
        ]


def load_hf(spec: BackboneSpec, path: str, head: str = "", random_init: bool = False, seed: int = 0,
            **model_kwargs: Any) -> HFBackbone:
    """Load a transformers model from a local folder (never a hub id), or its random-init twin."""
    import torch
    from transformers import AutoConfig, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path, **{k: v for k, v in model_kwargs.items() if k == "gguf_file"})
    cls = auto_class(head)
    if random_init:
        config = AutoConfig.from_pretrained(path, **{k: v for k, v in model_kwargs.items() if k == "gguf_file"})
        config._attn_implementation = "eager"
        torch.manual_seed(seed)
        model = cls.from_config(config, attn_implementation="eager")
    else:
        model = cls.from_pretrained(path, attn_implementation="eager", dtype=torch.float32, **model_kwargs)
    return HFBackbone(spec, model, tokenizer, head=head, random_init=random_init)
