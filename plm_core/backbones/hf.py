"""Transformer backbones (encoder, decoder, encoder-decoder) through Hugging Face `transformers`.

One class serves every transformer family; what differs is which body gives the hidden states
(the encoder for T5-style models) and which head exists (MLM, causal LM, seq2seq LM, or none).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from plm_core.backbones.base import (
    Attentions,
    Backbone,
    BackboneSpec,
    HiddenStates,
    MaskKind,
    PieceRun,
    Ranked,
    Tokenized,
    hash_module,
)
from plm_core.backbones.base import top_k as rank_top
from plm_core.backbones.capabilities import Capability, missing
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
        return bool(self.model.config.is_encoder_decoder)  # every transformers config has this flag

    @property
    def body(self) -> Any:
        """The module whose hidden states we read: the encoder of an encoder-decoder, else the base model."""
        return self.model.get_encoder() if self.is_seq2seq else self.model.base_model

    @property
    def max_length(self) -> int:
        # config fields differ per architecture: T5 (relative positions) has no max_position_embeddings
        limit = getattr(self.model.config, "max_position_embeddings", None) or self.spec.max_length
        return int(min(limit, self.spec.max_length))

    def copy(self) -> HFBackbone:
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

    def piece_offsets(self, text: str, max_length: int | None = None) -> list[tuple[int, int]] | None:
        if not self.tokenizer.is_fast:
            return None
        limit = min(max_length or self.max_length, self.max_length)
        enc = self.tokenizer(text, truncation=True, max_length=limit, return_offsets_mapping=True)
        return [(int(a), int(b)) for a, b in enc["offset_mapping"]]

    def raw_pieces(self, ids: Sequence[int]) -> list[str] | None:
        return [str(p) for p in self.tokenizer.convert_ids_to_tokens([int(i) for i in ids])]

    @property
    def byte_level(self) -> bool:
        backend = self.tokenizer.backend_tokenizer if self.tokenizer.is_fast else None
        return backend is not None and "ByteLevel" in repr(backend.pre_tokenizer)

    @property
    def unknown_id(self) -> int | None:
        unk = self.tokenizer.unk_token_id
        return None if unk is None else int(unk)

    def hash_weights(self, h: Any) -> None:
        hash_module(h, self.body)

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

    # ---- one forward pass with a mask of our choice (explorer; masked and causal LM scoring) --------
    def run_pieces(self, text: str, masked_positions: Sequence[int] = (), mask: MaskKind = "native",
                   max_length: int | None = None) -> PieceRun:
        """Run an encoder or decoder on `text` once: every layer's attention and states, and the LM head's
        log-probabilities at every position when there is a head.

        `masked_positions` are replaced by the mask token first. `mask` "causal" or "bidirectional" replaces
        the model's own mask through a 4-D additive mask, so the shared model is never changed.
        """
        import torch

        self._require("mask_swap")
        enc = self.encode([text], max_length)
        ids = enc["input_ids"].clone()  # (1, T)
        if masked_positions:
            ids[0, list(masked_positions)] = self.mask_id()
        n = ids.shape[1]
        allowed = {"native": None, "causal": np.tril(np.ones((n, n), dtype=bool)),
                   "bidirectional": np.ones((n, n), dtype=bool)}[mask]  # (T, T): may query i read key j?
        attn_mask = enc["attention_mask"] if allowed is None else torch.from_numpy(additive_mask(allowed))
        extra = {k: v for k, v in enc.items() if k not in ("input_ids", "attention_mask")}  # e.g. token_type_ids
        with torch.inference_mode():
            out = self.model(input_ids=ids, attention_mask=attn_mask, output_attentions=True,
                             output_hidden_states=True, **extra)
        logprobs = torch.log_softmax(out.logits[0].float(), dim=-1).numpy() if self.head else None  # (T, V)
        return PieceRun(
            mask=mask,
            tokens=[self.piece(i) for i in ids[0].tolist()],
            ids=ids[0].numpy(),
            attentions=torch.stack(out.attentions, 0)[:, 0].float().numpy(),  # (L, nh, T, T)
            hidden=torch.stack(out.hidden_states, 0)[:, 0].float().numpy(),  # (L+1, T, H)
            logprobs=logprobs,
        )

    def _head_logprobs(self, text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Pieces, ids (T,) and the LM head's log-probabilities (T, V) of one text (no attention kept)."""
        import torch

        enc = self.encode([text])
        with torch.inference_mode():
            logits = self.model(**enc).logits[0].float()  # (T, V)
        ids = enc["input_ids"][0]  # (T,)
        return [self.piece(i) for i in ids.tolist()], ids.numpy(), torch.log_softmax(logits, dim=-1).numpy()

    def _require(self, cap: Capability) -> None:
        if not self.spec.can(cap):
            raise missing(self.spec, cap)

    # ---- masked LM ------------------------------------------------------------------------------

    @property
    def mask_token(self) -> str:
        return str(self.tokenizer.mask_token)

    def mask_id(self) -> int:
        """Id of the mask token ([MASK]); a PLMError for a tokenizer without one."""
        if self.tokenizer.mask_token_id is None:
            raise missing(self.spec, "masked_lm")
        return int(self.tokenizer.mask_token_id)

    def fill_mask(self, text: str, top_k: int = 5) -> list[Ranked]:
        """For each mask token in `text`, the top-k pieces and their probabilities (MLM head needed)."""
        self._require("masked_lm")
        if self.mask_token not in text:
            raise PLMError("backbone.err.no_mask_in_text", mask=self.mask_token)
        _, ids, logprobs = self._head_logprobs(text)
        positions = np.flatnonzero(ids == self.mask_id())  # (M,)
        return [rank_top(logprobs[p], top_k, self.piece) for p in positions]

    # ---- causal LM ------------------------------------------------------------------------------
    def next_token_logprobs(self, texts: Sequence[str]) -> np.ndarray:
        """log P(next token | text) over the vocabulary for each text: (B, V)."""
        import torch

        self._require("causal_lm")
        enc = self.encode(texts)
        with torch.inference_mode():
            logits = self.model(**enc).logits  # (B, T, V)
        last = enc["attention_mask"].sum(dim=1) - 1  # (B,) position of the last real token
        picked = logits[torch.arange(logits.shape[0]), last]  # (B, V)
        return torch.log_softmax(picked.float(), dim=-1).numpy()

    def next_tokens(self, text: str, top_k: int = 5) -> Ranked:
        """The k most probable next pieces after `text`."""
        return rank_top(self.next_token_logprobs([text])[0], top_k, self.piece)

    def token_logprobs(self, text: str) -> tuple[list[str], np.ndarray]:
        """Pieces of `text` and log P(piece | pieces before it) for each piece after the first: (T-1,)."""
        self._require("causal_lm")
        pieces, ids, logprobs = self._head_logprobs(text)
        picked = logprobs[np.arange(len(ids) - 1), ids[1:]]  # (T-1,): prediction for position t+1
        return pieces, picked.astype(np.float32)

    def generate(self, text: str, n_new: int = 12) -> str:
        """Greedy continuation of `text` (repeated 3-grams blocked), as plain text."""
        import torch

        self._require("causal_lm")
        enc = self.tokenizer([text], return_tensors="pt")
        with torch.inference_mode():
            out = self.model.generate(**enc, max_new_tokens=n_new, do_sample=False, no_repeat_ngram_size=3,
                                      pad_token_id=self.tokenizer.pad_token_id)
        return str(self.tokenizer.decode(out[0, enc["input_ids"].shape[1]:], skip_special_tokens=True))

    # ---- seq2seq (T5 span filling) --------------------------------------------------------------
    def span_target(self, text: str, max_new: int = 16) -> list[str]:
        """T5: the target sequence the model writes for `text` (greedy), as pieces, [PAD]/[SEP] dropped."""
        import torch

        self._require("seq2seq")
        if not SENTINEL_RE.search(text):
            raise PLMError("pretrain.err.no_sentinel")
        enc = self._encoder_inputs(text)
        with torch.inference_mode():
            out = self.model.generate(**enc, max_new_tokens=max_new, do_sample=False)
        return [p for p in self.tokenizer.convert_ids_to_tokens(out[0].tolist()) if p not in ("[PAD]", "[SEP]")]

    def fill_spans(self, text: str, max_new: int = 16) -> dict[str, str]:
        """T5: {sentinel: the text the model puts there} for the sentinels in `text` (greedy decoding)."""
        spans: dict[str, list[str]] = {}
        current: str | None = None
        for p in self.span_target(text, max_new):
            if SENTINEL_RE.fullmatch(p):
                current = p
                spans.setdefault(p, [])
            elif current is not None:
                spans[current].append(p)
        return {f"<extra_id_{i}>": join_pieces(spans.get(f"<extra_id_{i}>", [])) for i in SENTINEL_RE.findall(text)}

    def _encoder_inputs(self, text: str) -> dict[str, Any]:
        """input_ids and attention_mask (1, T) of one text (T5 has no token_type_ids, a BERT vocabulary gives them)."""
        enc = self.tokenizer([text], return_tensors="pt")
        return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"]}

    def span_candidates(self, text: str, k: int = 5, sentinel: str = "<extra_id_0>") -> Ranked:
        """T5: the top-k first pieces of the span behind `sentinel` (decoder reads [PAD] <extra_id_0> ... so far)."""
        import torch

        self._require("seq2seq")
        if sentinel not in text:
            raise PLMError("pretrain.err.no_sentinel")
        enc = self._encoder_inputs(text)
        start = self.model.config.decoder_start_token_id
        dec = torch.tensor([[start, self.tokenizer.convert_tokens_to_ids(sentinel)]])  # (1, 2)
        with torch.inference_mode():
            logits = self.model(**enc, decoder_input_ids=dec).logits[0, -1].float()  # (V,)
        return rank_top(torch.log_softmax(logits, -1).numpy(), k, self.piece)


SENTINEL_RE = re.compile(r"<extra_id_(\d+)>")


def join_pieces(pieces: list[str]) -> str:
    """WordPiece pieces -> text ('un', '##like' -> 'unlike')."""
    return " ".join(pieces).replace(" ##", "")


def additive_mask(allowed: np.ndarray) -> np.ndarray:
    """(T, T) bool -> (1, 1, T, T) float32: 0 where a query may attend, a large negative number elsewhere."""
    return np.where(allowed, 0.0, np.finfo(np.float32).min).astype(np.float32)[None, None]


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


def save_gguf_as_hf(folder: Path, gguf_file: str, target: Path) -> Path:
    """De-quantise `folder/gguf_file` once and save it at `target` as a normal transformers folder (fp32
    safetensors); written beside it first and moved in place, so two processes converting at once leave one."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=gguf_file)
    gguf_model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf_file, dtype=torch.float32)
    config = gguf_model.config
    if "quantization_config" in vars(config):
        del config.quantization_config  # the GGUF-loaded model refuses save_pretrained otherwise
    model = AutoModelForCausalLM.from_config(config)
    model.load_state_dict(gguf_model.state_dict())
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    if target.exists():  # another process converted it meanwhile
        shutil.rmtree(partial, ignore_errors=True)
    else:
        partial.replace(target)
    return target


def load_converted(spec: BackboneSpec, folder: Path, what: str, convert: Callable[[Path], Path],
                   random_init: bool, seed: int) -> Backbone:
    """A causal LM converted from GGUF into `folder` (by `convert` here first when `prepare` was not run)."""
    from plm_core.manifest import check_cached, damaged

    if not (folder / "config.json").exists():
        convert(folder)
    check_cached(folder, what)  # a truncated or missing file: a message naming the repair
    try:
        return load_hf(spec, str(folder), head="clm", random_init=random_init, seed=seed)
    except (OSError, ValueError, RuntimeError, KeyError) as err:
        raise damaged(what, folder, err) from err
