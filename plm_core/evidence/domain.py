"""Is my domain a fit? Measures of how well a backbone fits a target text, against a reference text.

    token_fit(backbone, texts)            pieces per word, pieces per character, [UNK] rate
    vocab_overlap(backbone, texts, ...)   target word types that are one whole piece / seen in the corpus
    lm_perplexity(backbone, texts)        perplexity (causal LM) or pseudo-perplexity (masked LM, each piece
                                          masked in turn, batched)
    embedding_map(backbone, a, b)         both texts' vectors in one 2-D picture (the explorer's projection)
    run_fit(FitJob, ctx)                  the job kind "domain.fit": all of the above for one backbone

The reference is what the backbone read in pretraining where we have it (the tiny family: our corpus's
held-out split). For packaged models we do not have their pretraining text: the same held-out general-English
text stands in for it, and the report says so (`reference`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone, Tokenized
from plm_core.backbones.capabilities import backbones_with, require
from plm_core.errors import PLMError
from plm_core.jobs.refs import DataRef
from plm_core.paths import cache_subdir

MIN_TEXTS = 20  # a target needs at least this many texts (pool + held-out)
HELDOUT_SHARE = 0.2  # of an uploaded CSV's texts, held out from continued pretraining
FIT_TEXTS = 100  # texts of each side a fit report reads
MAX_PIECES = 64  # perplexities read at most this many pieces per text
LOGIT_BUDGET = 2**24  # floats of (rows, T, V) logits per masked-LM forward pass (64 MB)
TINY_FAMILY = frozenset({"tiny-bert-mlm", "tiny-gpt-clm", "tiny-t5-span", "tiny-elmo-bilm", "tiny-sgns"})
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


# ---- the target and the reference ------------------------------------------------------------------

@dataclass(frozen=True)
class TargetTexts:
    """A target's unlabelled pool (what continued pretraining reads) and held-out texts (what we measure on)."""

    name: str
    pool: list[str]
    heldout: list[str]
    labelled: bool  # a `label` column exists (the before/after transfer needs it)


def target_texts(ref: DataRef, seed: int = 0) -> TargetTexts:
    """A sample set's pool and fixed test order, or an uploaded CSV's `text` column split 80/20 (seeded)."""
    if ref.csv is None:
        from plm_core.data import fixed_test_order

        ds = ref.load()
        return TargetTexts(ref.name, ds.pool["text"].tolist(), fixed_test_order(ds.test)["text"].tolist(), True)
    return csv_texts(ref.name, ref.csv, seed)


def csv_texts(name: str, data: bytes, seed: int = 0) -> TargetTexts:
    """The texts of an uploaded CSV (labels optional); a clear error without a text column or with too few rows."""
    from plm_core.data import read_csv_bytes

    raw = read_csv_bytes(data)
    columns = {str(c).strip().lower(): c for c in raw.columns}
    if "text" not in columns:
        raise PLMError("domain.err.no_text_column", found=", ".join(map(str, raw.columns)) or "-")
    texts = [t for t in (str(x).strip() for x in raw[columns["text"]]) if t]
    if len(texts) < MIN_TEXTS:
        raise PLMError("domain.err.too_few_rows", n=len(texts), least=MIN_TEXTS)
    order = np.random.default_rng(seed).permutation(len(texts))
    n_held = max(int(round(HELDOUT_SHARE * len(texts))), 1)
    held = [texts[i] for i in order[:n_held]]
    pool = [texts[i] for i in order[n_held:]]
    return TargetTexts(name, pool, held, "label" in columns)


def sentences(paragraphs: Sequence[str], least: int = 6, most: int = 40) -> list[str]:
    """Sentences of `least`..`most` words cut from paragraphs (so both sides have snippet-like lengths)."""
    out = []
    for paragraph in paragraphs:
        out += [s for s in SENTENCE_RE.split(paragraph) if least <= len(s.split()) <= most]
    return out


@lru_cache(maxsize=1)
def _reference_pool() -> tuple[str, ...]:
    from plm_core.pretrain.corpus import read_split

    return tuple(sentences(read_split("valid", shipped=True)))


def reference_texts(n: int = FIT_TEXTS, seed: int = 0) -> list[str]:
    """n sentences of the corpus's held-out split (never trained on), drawn with `seed`."""
    pool = _reference_pool()
    idx = np.random.default_rng(seed).choice(len(pool), size=min(n, len(pool)), replace=False)
    return [pool[i] for i in sorted(idx)]


def reference_kind(backbone_name: str) -> str:
    """"own": the held-out split of the text it was pretrained on; "proxy": general English standing in."""
    return "own" if backbone_name in TINY_FAMILY else "proxy"


@lru_cache(maxsize=1)
def corpus_word_counts() -> tuple[Counter[str], str]:
    """Word counts of the tiny family's pretraining text, and which text it is: "full" (the corpus the
    checkpoints were trained on, if built here) or "slice" (the shipped slice of it)."""
    from plm_core.backbones.static import split_words
    from plm_core.pretrain import corpus as corpus_mod

    full = (corpus_mod.corpus_dir() / "train.txt").exists()
    which = "full" if full else "slice"
    source = corpus_mod.corpus_dir() / "train.txt" if full else corpus_mod.shipped_dir() / "train_slice.txt"
    stat = source.stat()
    cached = cache_subdir("domain") / f"word_counts.{which}.{stat.st_size}.{int(stat.st_mtime)}.json"
    if cached.exists():  # counting 3.4M words takes ~10 s: done once per corpus file
        return Counter(json.loads(cached.read_text(encoding="utf-8"))), which
    counts: Counter[str] = Counter()
    for line in corpus_mod.read_split("train", shipped=not full):
        counts.update(split_words(line))
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
    tmp.replace(cached)
    return counts, which


# ---- tokenizer fit ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TokenFit:
    """How a tokenizer cuts a set of texts."""

    texts: int
    words: int  # whitespace-separated words
    chars: int  # characters that are not spaces
    pieces: int  # pieces the model reads (special tokens not counted)
    unknown: int  # pieces that are the unknown piece ([UNK], <unk>, an out-of-vocabulary word)

    @property
    def pieces_per_word(self) -> float:
        return self.pieces / max(self.words, 1)

    @property
    def pieces_per_char(self) -> float:
        return self.pieces / max(self.chars, 1)

    @property
    def unk_rate(self) -> float:
        return self.unknown / max(self.pieces, 1)

    def as_row(self) -> dict[str, float]:
        return {"pieces_per_word": round(self.pieces_per_word, 3), "pieces_per_char": round(self.pieces_per_char, 3),
                "unk_rate": round(self.unk_rate, 4), "texts": self.texts, "words": self.words}


def is_unknown(backbone: Backbone, token_id: int) -> bool:
    return token_id == -1 or (backbone.unknown_id is not None and token_id == backbone.unknown_id)


def real_ids(backbone: Backbone, tok: Tokenized) -> list[int]:
    """The ids the text became: special tokens ([CLS], <s>, padding) left out, unknown pieces kept."""
    return [i for i, special in zip(tok.ids, tok.special, strict=True) if not special or is_unknown(backbone, i)]


def token_fit(backbone: Backbone, texts: Sequence[str]) -> TokenFit:
    """Pieces per word and per character, and the share of [UNK] pieces, over `texts`."""
    words = chars = pieces = unknown = 0
    for text in texts:
        tok = tokenize_whole(backbone, text)
        real = real_ids(backbone, tok)
        words += len(text.split())
        chars += sum(1 for c in text if not c.isspace())
        pieces += len(real)
        unknown += sum(1 for i in real if is_unknown(backbone, i))
    return TokenFit(len(texts), words, chars, pieces, unknown)


def tokenize_whole(backbone: Backbone, text: str, words: int = 24) -> Tokenized:
    """The whole text's pieces, never cut at the model's length limit: tokenized `words` words at a time."""
    split = text.split()
    parts = [backbone.tokenize(" ".join(split[i : i + words])) for i in range(0, max(len(split), 1), words)]
    ids = [i for part in parts for i in part.ids]
    return Tokenized(text, [t for part in parts for t in part.tokens], ids, [None] * len(ids),
                     [s for part in parts for s in part.special])


@dataclass(frozen=True)
class Example:
    """One sentence as the tokenizer cuts it (what the page shows for the Korean case)."""

    text: str
    pieces: list[str]
    unknown: list[bool]
    pieces_per_char: float


def tokenize_example(backbone: Backbone, text: str) -> Example:
    from plm_core.explorer.tokens import readable_tokens

    tok = readable_tokens(backbone, text)
    keep = [i for i, (token_id, special) in enumerate(zip(tok.ids, tok.special, strict=True))
            if not special or is_unknown(backbone, token_id)]
    chars = max(sum(1 for c in text if not c.isspace()), 1)
    return Example(text, [tok.tokens[i] for i in keep], [is_unknown(backbone, tok.ids[i]) for i in keep],
                   len(keep) / chars)


# ---- vocabulary overlap ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Overlap:
    """Which of the target's word types the backbone knows."""

    types: int  # distinct lower-cased words of the target
    one_piece: float  # share of types the tokenizer keeps as one known piece (a word of its vocabulary)
    in_corpus: float | None  # share of types seen in the pretraining text (None: that text is not ours)
    tokens_in_corpus: float | None  # share of running words seen in the pretraining text
    unseen: list[str] = field(default_factory=list)  # the most frequent types the corpus never had


def word_types(texts: Sequence[str]) -> Counter[str]:
    from plm_core.backbones.static import split_words

    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in split_words(text) if any(c.isalnum() for c in w))
    return counts


def one_piece(backbone: Backbone, word: str) -> bool:
    """Does the tokenizer read `word` (after a space, as inside a sentence) as one known piece?"""
    tok = backbone.tokenize(f" {word}" if backbone.byte_level else word)
    real = real_ids(backbone, tok)
    return len(real) == 1 and not is_unknown(backbone, real[0])


def vocab_overlap(backbone: Backbone, texts: Sequence[str], corpus: Mapping[str, int] | None = None,
                  n_unseen: int = 12) -> Overlap:
    """Target word types covered by the tokenizer's vocabulary and, when given, by the pretraining corpus."""
    counts = word_types(texts)
    if not counts:
        return Overlap(0, 0.0, None, None)
    types = list(counts)
    whole = sum(1 for w in types if one_piece(backbone, w)) / len(types)
    if corpus is None:
        return Overlap(len(types), whole, None, None)
    seen = [w for w in types if corpus.get(w, 0) > 0]
    running = sum(counts[w] for w in seen) / sum(counts.values())
    unseen = [w for w, _ in counts.most_common() if corpus.get(w, 0) == 0][:n_unseen]
    return Overlap(len(types), whole, len(seen) / len(types), running, unseen)


# ---- (pseudo-)perplexity ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Perplexity:
    kind: str  # "causal" (next piece) | "pseudo" (each piece masked in turn)
    value: float  # exp(mean negative log-likelihood per piece)
    pieces: int  # pieces scored


def lm_kind(backbone: Backbone) -> str:
    """Which perplexity this backbone can give, or a PLMError naming the backbones that give one."""
    spec = backbone.spec
    if spec.can("masked_lm") and spec.can("trainable"):
        return "pseudo"
    if spec.can("causal_lm"):
        return "causal"
    have = [s.display for s in backbones_with("masked_lm") + backbones_with("causal_lm")]
    raise PLMError("domain.err.no_lm", name=spec.display, have=", ".join(dict.fromkeys(have)) or "-")


def lm_perplexity(backbone: Backbone, texts: Sequence[str], max_pieces: int = MAX_PIECES) -> Perplexity:
    """Perplexity per piece of `texts` (causal LM), or pseudo-perplexity (masked LM)."""
    kind = lm_kind(backbone)
    nll = pseudo_nll(backbone, texts, max_pieces) if kind == "pseudo" else causal_nll(backbone, texts, max_pieces)
    if nll.size == 0:
        raise PLMError("domain.err.nothing_to_score")
    return Perplexity(kind, float(math.exp(float(nll.mean()))), int(nll.size))


def causal_nll(backbone: Backbone, texts: Sequence[str], max_pieces: int = MAX_PIECES) -> np.ndarray:
    """-log P(piece | pieces before it) for every piece after the first of each text: (N,)."""
    lm = require(backbone, "causal_lm")
    out = [-lm.token_logprobs(" ".join(text.split()[:max_pieces]))[1][: max_pieces - 1] for text in texts]
    return np.concatenate(out) if out else np.zeros(0)


def masked_rows(ids: Sequence[Sequence[int]], special: set[int], mask_id: int) -> list[tuple[list[int], int, int]]:
    """One row per (text, real piece): the text's ids with that piece masked, its position, the true id."""
    rows = []
    for seq in ids:
        for pos, true_id in enumerate(seq):
            if true_id not in special:
                rows.append(([*seq[:pos], mask_id, *seq[pos + 1:]], pos, int(true_id)))
    return rows


def pseudo_nll(backbone: Backbone, texts: Sequence[str], max_pieces: int = MAX_PIECES) -> np.ndarray:
    """Pseudo-log-likelihood (Salazar et al. 2020): mask each piece in turn, -log P(true piece): (N,)."""
    import torch

    require(backbone, "masked_lm")
    body = require(backbone, "trainable")
    tok = body.tokenizer
    ids = tok(list(texts), truncation=True, max_length=max_pieces)["input_ids"]
    special = set(tok.all_special_ids) - {tok.unk_token_id}  # an [UNK] is a piece the model reads: scored
    rows = sorted(masked_rows(ids, special, int(tok.mask_token_id)), key=lambda r: len(r[0]))
    head = masked_lm_head(body.model)
    vocab = int(body.model.config.vocab_size)
    out: list[np.ndarray] = []
    start = 0
    was_training = body.model.training
    body.model.eval()
    with torch.inference_mode():
        per_row = vocab if head is not None else len(rows[-1][0]) * vocab if rows else 1
        size = max(1, min(512, LOGIT_BUDGET // per_row))
        while start < len(rows):
            chunk = rows[start : start + size]
            width = max(len(r[0]) for r in chunk)
            input_ids = torch.full((len(chunk), width), int(tok.pad_token_id))  # (B, T) right-padded
            attention = torch.zeros((len(chunk), width), dtype=torch.long)  # (B, T)
            for b, (seq, _, _) in enumerate(chunk):
                input_ids[b, : len(seq)] = torch.tensor(seq)
                attention[b, : len(seq)] = 1
            pos = torch.tensor([r[1] for r in chunk])  # (B,)
            true = torch.tensor([r[2] for r in chunk])  # (B,)
            rows_idx = torch.arange(len(chunk))
            if head is not None:  # the vocabulary projection only at the masked piece: T times less work
                hidden = body.body(input_ids=input_ids, attention_mask=attention).last_hidden_state  # (B, T, H)
                logits_at = head(hidden[rows_idx, pos])  # (B, V)
            else:
                logits_at = body.model(input_ids=input_ids, attention_mask=attention).logits[rows_idx, pos]  # (B, V)
            logp = torch.log_softmax(logits_at.float(), dim=-1)  # (B, V)
            out.append(-logp[rows_idx, true].numpy())
            start += size
    body.model.train(was_training)
    return np.concatenate(out) if out else np.zeros(0)


def masked_lm_head(model: Any) -> Any:
    """The MLM head as a module from hidden states (..., H) to logits (..., V), where we know it; else None."""
    from transformers import BertForMaskedLM

    return model.cls if isinstance(model, BertForMaskedLM) else None


# ---- embedding map ---------------------------------------------------------------------------------

def embedding_map(backbone: Backbone, target: Sequence[str], reference: Sequence[str],
                  method: str = "pca", seed: int = 0) -> tuple[pd.DataFrame, float]:
    """Both sides' text vectors projected together: (frame x, y, side, text), and how separable the two
    sides are (share of texts whose nearest neighbour, by cosine in the full space, is from their own side)."""
    from plm_core.explorer.projection import project

    vecs = require(backbone, "sentence_vectors").embed([*target, *reference])  # (N, H)
    sides = np.array(["target"] * len(target) + ["reference"] * len(reference))
    points = project(vecs, method, seed).points  # (N, 2)
    frame = pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "side": sides, "text": [*target, *reference]})
    return frame, nearest_same_side(vecs, sides)


def nearest_same_side(vecs: np.ndarray, sides: np.ndarray) -> float:
    """Share of points whose cosine nearest neighbour (itself excluded) has the same side: 0.5 = mixed, 1 = apart."""
    unit = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)  # (N, H)
    sims = unit @ unit.T  # (N, N)
    np.fill_diagonal(sims, -np.inf)
    return float((sides[sims.argmax(axis=1)] == sides).mean())


# ---- the job kind ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FitJob:
    """How well `backbone` fits the target `data` (a sample set or an uploaded CSV)."""

    backbone: str
    data: DataRef
    n_texts: int = FIT_TEXTS  # held-out target texts and reference sentences read
    map_method: str = "pca"
    seed: int = 0


@dataclass
class FitReport:
    """Everything the page draws of one fit measurement (each side: target, reference)."""

    backbone: str
    data: str
    reference: str  # "own" (its pretraining text, held out) | "proxy" (general English standing in)
    tokens: dict[str, TokenFit]
    overlap: Overlap
    corpus_text: str  # "full" | "slice" | "" (overlap with the corpus is not measured)
    perplexity: dict[str, Perplexity] = field(default_factory=dict)  # empty when the backbone has no LM
    map: pd.DataFrame | None = None
    separability: float | None = None
    example: Example | None = None
    notices: list[tuple[str, dict]] = field(default_factory=list)

    def fit_table(self) -> pd.DataFrame:
        """One row per side: pieces per word and character, [UNK] rate, (pseudo-)perplexity."""
        rows = []
        for side in ("target", "reference"):
            ppl = self.perplexity.get(side)
            rows.append({"side": side, **self.tokens[side].as_row(),
                         "perplexity": round(ppl.value, 2) if ppl else None})
        return pd.DataFrame(rows)

    def summary(self) -> dict[str, Any]:
        """The CLI's JSON object."""
        ov = self.overlap
        return {"backbone": self.backbone, "data": self.data, "reference": self.reference,
                "fit": self.fit_table().to_dict(orient="records"),
                "perplexity_kind": next(iter(self.perplexity.values())).kind if self.perplexity else None,
                "overlap": {"types": ov.types, "one_piece": ov.one_piece, "in_corpus": ov.in_corpus,
                            "tokens_in_corpus": ov.tokens_in_corpus, "unseen": ov.unseen,
                            "corpus_text": self.corpus_text},
                "separability": self.separability, "notices": self.notices}


def run_fit(job: FitJob, ctx: Any) -> FitReport:
    """The job kind "domain.fit" (runs in a worker): `fit_report` on the worker's warm backbone."""
    return fit_report(ctx.backbone(job.backbone), job, ctx.update)


def _no_progress(**_: Any) -> None:
    return None


def fit_report(backbone: Backbone, job: FitJob, progress: Callable[..., None] = _no_progress) -> FitReport:
    """Tokenizer fit, vocabulary overlap, (pseudo-)perplexity and the embedding map, target vs reference."""
    target = target_texts(job.data, job.seed).heldout[: job.n_texts]
    reference = reference_texts(job.n_texts, job.seed)
    progress(fraction=0.05, current="tokens")
    tokens = {"target": token_fit(backbone, target), "reference": token_fit(backbone, reference)}
    kind = reference_kind(job.backbone)
    corpus, which = corpus_word_counts() if kind == "own" else (None, "")
    report = FitReport(job.backbone, job.data.name, kind, tokens, vocab_overlap(backbone, target, corpus), which,
                       example=tokenize_example(backbone, target[0]))
    progress(fraction=0.3, current="perplexity")
    try:
        report.perplexity = {"target": lm_perplexity(backbone, target), "reference": lm_perplexity(backbone, reference)}
    except PLMError as err:
        if err.key != "domain.err.no_lm":
            raise
        report.notices.append((err.key, dict(err.params)))
    progress(fraction=0.7, current="map")
    if backbone.spec.can("sentence_vectors"):
        report.map, report.separability = embedding_map(backbone, target, reference, job.map_method, job.seed)
    progress(fraction=1.0, current="done")
    return report


# ---- the Korean case: several tokenizers on one target ----------------------------------------------

KOREAN_BACKBONES: tuple[str, ...] = ("tiny-bert-mlm", "minilm-l6", "use-multilingual")
KOREAN_EXAMPLE = "인공지능은 공학 및 과학을 통해 생각하는 기계를 만든 것 입니다."


@dataclass(frozen=True)
class CompareJob:
    """How each backbone's tokenizer cuts one target (the Korean case: English-only vs multilingual)."""

    data: DataRef = DataRef("korean-intents")
    backbones: tuple[str, ...] = KOREAN_BACKBONES
    example: str = KOREAN_EXAMPLE
    n_texts: int = FIT_TEXTS
    seed: int = 0


@dataclass
class CompareReport:
    rows: list[dict[str, Any]]  # per backbone: name, languages, pieces per word / character, [UNK] rate, one piece
    examples: dict[str, Example]  # backbone name -> the example sentence as it cuts it


def compare_row(backbone: Backbone, texts: Sequence[str]) -> dict[str, Any]:
    fit = token_fit(backbone, texts)
    overlap = vocab_overlap(backbone, texts)
    return {"backbone": backbone.spec.name, "display": backbone.spec.display,
            "languages": len(backbone.spec.languages), **fit.as_row(), "one_piece": round(overlap.one_piece, 4)}


def run_compare(job: CompareJob, ctx: Any) -> CompareReport:
    """The job kind "domain.compare": tokenizer fit of every backbone on the same held-out target texts."""
    if not job.example.strip():
        raise PLMError("domain.err.empty_example")
    texts = target_texts(job.data, job.seed).heldout[: job.n_texts]
    report = CompareReport([], {})
    for i, name in enumerate(job.backbones):
        ctx.update(fraction=i / max(len(job.backbones), 1), current=name)
        backbone = ctx.backbone(name)
        report.rows.append(compare_row(backbone, texts))
        report.examples[name] = tokenize_example(backbone, job.example)
    ctx.update(fraction=1.0, current="done")
    return report
