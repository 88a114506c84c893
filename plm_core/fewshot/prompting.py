"""In-context classification with a causal LM: templates, demonstrations, label scoring, calibration.

A prompt is  [instruction] demo_1 SEP demo_2 SEP ... demo_n SEP query,  where each demo is the template
filled with a training text and its label word (the *verbalizer*), and the query is the template filled
with the test text up to the label slot. The model's score for a label is log P(label word | prompt).

Everything before the query (the *demonstration prefix*) is the same for every test example, so it is
run through the model once; its key/value cache (`past_key_values`) is re-used for each batch of queries.
`score(..., use_cache=False)` re-encodes the whole prompt instead: same numbers, much slower.

Label descriptions (`PromptConfig.descriptions`, what the user says each label means) go into the prefix
as one line per label ("ham: an ordinary personal email") after the instruction: a jargon label word then
comes with its meaning, at no cost per test text (the prefix is cached).

A tokenizer that starts every text with a beginning-of-sequence piece (Gemma's <bos>) gets it at the very
start of the prompt, as the model saw text in pretraining; SmolLM2's adds none, so its prompts are unchanged.

Contextual calibration (Zhao et al. 2021, "Calibrate before use"): the label probabilities the model gives
a *content-free* query ("N/A", "", "[MASK]") show its bias toward some label words; dividing every
prediction by them (p / p_cf, renormalised) removes that bias.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from plm_core.backbones.base import pad_batch
from plm_core.backbones.capabilities import require
from plm_core.errors import PLMError

CONTENT_FREE = ("N/A", "", "[MASK]")
CACHE_BUDGET_TOKENS = 8192  # batch rows x prefix tokens held in the expanded key/value cache at once
DEFAULT_TEMPLATE = "Review: {text}\nSentiment:{label}"
GENERIC_TEMPLATE = "Text: {text}\nLabel:{label}"


@dataclass
class PromptConfig:
    """How a test text becomes a prompt, and how label words are scored."""

    template: str = DEFAULT_TEMPLATE  # must contain {text} and end with {label}
    verbalizers: dict[str, str] = field(default_factory=dict)  # label -> word the LM should say; "" = " " + label
    instruction: str = ""  # optional first line(s) before the demonstrations
    descriptions: dict[str, str] = field(default_factory=dict)  # label -> what it means (a line each in the prefix)
    separator: str = "\n\n"  # between demonstrations and before the query
    calibrate: bool = False  # contextual calibration with content-free inputs
    max_demo_words: int = 40  # demonstration texts are cut to this many words (keeps the prefix short)
    max_prompt_tokens: int = 2048  # prompts longer than this are refused (K too large for the context)
    batch_size: int = 16  # test queries scored together on top of one copy of the prefix cache


def check_template(template: str) -> None:
    if "{text}" not in template or not template.endswith("{label}"):
        raise PLMError("fewshot.err.bad_template", template=template)


def default_verbalizers(labels: Sequence[str]) -> dict[str, str]:
    """' ' + label for every label (' positive', ' negative'): a word the LM can say after the template."""
    return {lab: " " + str(lab).replace("_", " ") for lab in labels}


def verbalizers_for(config: PromptConfig, labels: Sequence[str]) -> dict[str, str]:
    words = default_verbalizers(labels)
    words.update({k: v for k, v in config.verbalizers.items() if k in words and v})
    return words


def shorten(text: str, max_words: int) -> str:
    words = str(text).split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


DESCRIPTIONS_HEAD = "Labels and what they mean:"


def description_lines(config: PromptConfig, labels: Sequence[str]) -> str:
    """'Labels and what they mean:' + one 'word: description' line per described label ("" if none is)."""
    words = verbalizers_for(config, labels)
    lines = [f"{words[lab].strip()}: {' '.join(str(config.descriptions[lab]).split())}" for lab in labels
             if str(config.descriptions.get(lab) or "").strip()]
    return "\n".join([DESCRIPTIONS_HEAD, *lines]) if lines else ""


def demo_prefix(config: PromptConfig, demos: Sequence[tuple[str, str]], labels: Sequence[str]) -> str:
    """The text before the query: instruction, label descriptions, then the filled demonstrations, each part
    followed by the separator."""
    check_template(config.template)
    words = verbalizers_for(config, labels)
    parts = [config.template.format(text=shorten(text, config.max_demo_words), label=words[lab])
             for text, lab in demos]
    heads = [h for h in (config.instruction.strip(), description_lines(config, labels)) if h]
    return "".join(h + config.separator for h in heads) + "".join(p + config.separator for p in parts)


def query_text(config: PromptConfig, text: str) -> str:
    """The test text in the template, up to (not including) the label slot."""
    check_template(config.template)
    return config.template[: -len("{label}")].format(text=text)


def full_prompt(config: PromptConfig, demos: Sequence[tuple[str, str]], labels: Sequence[str], text: str) -> str:
    """The prompt exactly as the model reads it for one test text (label word not included)."""
    return demo_prefix(config, demos, labels) + query_text(config, text)


@dataclass
class PromptScores:
    """Label scores for a batch of test texts."""

    logprobs: np.ndarray  # (N, C) log P(label word | prompt), summed over the word's pieces
    labels: list[str]  # C labels, column order
    prefix_tokens: int  # length of the demonstration prefix in tokens
    cf_probs: np.ndarray | None = None  # (C,) mean label probabilities for content-free queries

    def probs(self, calibrate: bool = False) -> np.ndarray:
        """(N, C) label probabilities (renormalised over the labels), optionally calibrated."""
        p = softmax_rows(self.logprobs)
        if calibrate and self.cf_probs is not None:
            p = p / np.maximum(self.cf_probs, 1e-12)[None, :]  # W = diag(p_cf)^-1
            p = p / p.sum(axis=1, keepdims=True)
        return p

    def predictions(self, calibrate: bool = False) -> list[str]:
        return [self.labels[i] for i in self.probs(calibrate).argmax(axis=1)]


def softmax_rows(x: np.ndarray) -> np.ndarray:
    z = x - x.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class PromptScorer:
    """Scores label words after a prompt with a causal LM (an `HFBackbone` with head "clm")."""

    def __init__(self, backbone: Any, config: PromptConfig, labels: Sequence[str]):
        require(backbone, "causal_lm")
        check_template(config.template)
        self.backbone = require(backbone, "trainable")  # it reads the transformers model, body and tokenizer
        self.model = backbone.model
        self.lm_head = backbone.model.get_output_embeddings()  # hidden -> vocabulary logits
        self.tok = backbone.tokenizer
        self.config = config
        self.labels = list(labels)
        words = verbalizers_for(config, self.labels)
        self.label_ids = [self.ids(words[lab]) for lab in self.labels]  # C lists of piece ids
        for lab, ids in zip(self.labels, self.label_ids, strict=True):
            if not ids:
                raise PLMError("fewshot.err.empty_verbalizer", label=lab)
        self.single_piece = all(len(ids) == 1 for ids in self.label_ids)
        self.start_ids = leading_special_ids(self.tok)  # [<bos>] for Gemma, [] for SmolLM2

    def ids(self, text: str) -> list[int]:
        return list(self.tok(text, add_special_tokens=False)["input_ids"]) if text else []

    # ---- the prefix cache -------------------------------------------------------------------------
    def encode_prefix(self, prefix_ids: list[int]) -> Any:
        """Run the demonstration prefix once; return its key/value cache (None for an empty prefix).

        The cache keeps every position in every layer, also in a sliding-window layer (Gemma 3: 512 positions):
        a model's own cache would keep only the last window there, and queries read after a longer prefix would
        get wrong positions. The window is applied by the attention mask instead, as in a full forward pass.
        """
        import torch
        from transformers import DynamicCache

        if not prefix_ids:
            return None
        with torch.inference_mode():
            out = self.backbone.body(input_ids=torch.tensor([prefix_ids]), past_key_values=DynamicCache(),
                                     use_cache=True)  # cache: L x (1, nh, P, hd)
        return out.past_key_values

    def expand_cache(self, cache: Any, batch: int) -> Any:
        """A fresh cache holding the prefix for `batch` rows (the stored prefix cache is never modified)."""
        from transformers import DynamicCache

        if cache is None:
            return None
        data = [(layer.keys.expand(batch, -1, -1, -1), layer.values.expand(batch, -1, -1, -1))
                for layer in cache.layers]  # each (B, nh, P, hd), a view: the concat in update() copies
        return DynamicCache(ddp_cache_data=data)  # full layers only (see encode_prefix)

    # ---- scoring ---------------------------------------------------------------------------------
    def rows_for(self, query_ids: list[int]) -> list[tuple[list[int], list[tuple[int, int, int]]]]:
        """Rows to run for one query: (input ids, [(position, target id, label index), ...]).

        Single-piece label words: one row, every label read at the last position. Otherwise one row per
        label: query + label pieces but the last, each piece read at the position before it.
        """
        last = len(query_ids) - 1
        if self.single_piece:
            return [(query_ids, [(last, ids[0], c) for c, ids in enumerate(self.label_ids)])]
        return [(query_ids + ids[:-1], [(last + j, t, c) for j, t in enumerate(ids)])
                for c, ids in enumerate(self.label_ids)]

    def score_ids(self, prefix_ids: list[int], queries: list[list[int]], use_cache: bool = True) -> np.ndarray:
        """(N, C) label log-probabilities for N tokenised queries after one prefix."""
        import torch

        rows: list[tuple[int, list[int], list[tuple[int, int, int]]]] = []
        for n, q in enumerate(queries):
            rows.extend((n, ids, reads) for ids, reads in self.rows_for(q))
        rows.sort(key=lambda row: len(row[1]))  # batch similar lengths together: less padding
        out = np.zeros((len(queries), len(self.labels)), dtype=np.float64)
        cache = self.encode_prefix(prefix_ids) if use_cache else None
        # every row gets its own copy of the prefix cache: cap rows x prefix length to bound memory
        bs = max(1, min(self.config.batch_size, CACHE_BUDGET_TOKENS // max(1, len(prefix_ids))))
        for start in range(0, len(rows), bs):
            chunk = rows[start : start + bs]
            seqs = [ids if use_cache else prefix_ids + ids for _, ids, _ in chunk]
            input_ids, mask = pad_batch(seqs, self.tok.pad_token_id or 0)  # (B, T) each, right-padded
            past = self.expand_cache(cache, len(chunk)) if use_cache else None
            if past is not None:
                mask = torch.cat([torch.ones(len(chunk), len(prefix_ids), dtype=mask.dtype), mask], dim=1)
            shift = 0 if use_cache else len(prefix_ids)  # where the query starts inside each row
            reads = [(b, pos + shift, target, n, c) for b, (n, _, row) in enumerate(chunk) for pos, target, c in row]
            rows_i = torch.tensor([r[0] for r in reads])
            cols_i = torch.tensor([r[1] for r in reads])
            with torch.inference_mode():
                hidden = self.backbone.body(input_ids=input_ids, attention_mask=mask, past_key_values=past,
                                            use_cache=past is not None).last_hidden_state  # (B, T, H)
                picked = hidden[rows_i, cols_i]  # (R, H): only the positions whose next piece we score
                logp = torch.log_softmax(self.lm_head(picked).float(), dim=-1)  # (R, V)
            for r, (_, _, target, n, c) in enumerate(reads):
                out[n, c] += float(logp[r, target])
        return out

    def score(self, demos: Sequence[tuple[str, str]], texts: Sequence[str], use_cache: bool = True) -> PromptScores:
        """Label log-probabilities for each test text after the same demonstrations."""
        prefix_ids = self.start_ids + self.ids(demo_prefix(self.config, demos, self.labels))
        queries = [self.ids(query_text(self.config, t)) for t in texts]
        longest = len(prefix_ids) + max((len(q) for q in queries), default=0) + max(len(i) for i in self.label_ids)
        limit = min(self.config.max_prompt_tokens, context_length(self.model))
        if longest > limit:
            raise PLMError("fewshot.err.prompt_too_long", tokens=longest, limit=limit, demos=len(demos))
        logprobs = self.score_ids(prefix_ids, queries, use_cache=use_cache)
        cf = None
        if self.config.calibrate:
            cf_queries = [self.ids(query_text(self.config, t)) for t in CONTENT_FREE]
            cf = softmax_rows(self.score_ids(prefix_ids, cf_queries, use_cache=use_cache)).mean(axis=0)  # (C,)
        return PromptScores(logprobs=logprobs, labels=list(self.labels), prefix_tokens=len(prefix_ids), cf_probs=cf)


def leading_special_ids(tok: Any) -> list[int]:
    """The beginning-of-sequence piece a tokenizer puts before every text ([] when it adds none)."""
    ids = list(tok("", add_special_tokens=True)["input_ids"])
    return ids[:1] if ids and tok.bos_token_id is not None and ids[0] == tok.bos_token_id else []


def context_length(model: Any) -> int:
    """Longest input the model's position embeddings allow."""
    cfg = model.config
    return int(getattr(cfg, "max_position_embeddings", None) or getattr(cfg, "n_positions", None) or 512)
