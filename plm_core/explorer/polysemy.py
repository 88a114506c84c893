"""One word, many sentences: the word's vector in each sentence, at every layer, from any backbone.

A static backbone (GloVe, skip-gram) gives the word one vector whatever the sentence; a contextual
backbone gives it a different vector in every sentence and at every layer. To read a word's contextual
vector we find the word in the sentence (first occurrence, case-insensitive), collect every sub-word piece
that overlaps it (character offsets; token strings as a fallback) and average their vectors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone, Tokenized
from plm_core.backbones.capabilities import require
from plm_core.errors import PLMError
from plm_core.explorer.threads import single_threaded
from plm_core.paths import ASSETS_DIR

if TYPE_CHECKING:
    from plm_core.explorer.projection import Projection

POLYSEMY_FILE = ASSETS_DIR / "polysemy.json"
MAX_SENTENCES = 60  # user sentences beyond this are dropped (with a notice)
MAX_SENTENCE_TOKENS = 128  # each sentence is cut to this many pieces
CUSTOM_SENSE = "?"  # sense of a user sentence written without "sense | "


@dataclass(frozen=True)
class Sense:
    key: str  # e.g. "river"
    names: dict[str, str]  # language -> short description
    anchors: tuple[str, ...] = ()  # unambiguous English words of this sense (to place a static vector)


@dataclass(frozen=True)
class PolysemySet:
    """An ambiguous word and sentences that use it in known senses."""

    id: str
    word: str
    language: str  # "en" | "ko"
    senses: tuple[Sense, ...]
    texts: tuple[str, ...]
    labels: tuple[str, ...]  # the sense key of each text

    def sense_name(self, key: str, lang: str = "en") -> str:
        for s in self.senses:
            if s.key == key:
                return s.names.get(lang) or s.names.get("en") or key
        return key


@lru_cache(maxsize=1)
def polysemy_sets() -> dict[str, PolysemySet]:
    """The shipped sets (assets/polysemy.json), by id, in file order."""
    raw = json.loads(POLYSEMY_FILE.read_text(encoding="utf-8"))
    out: dict[str, PolysemySet] = {}
    for item in raw["sets"]:
        senses = tuple(
            Sense(key, {k: v for k, v in info.items() if k != "anchors"}, tuple(info.get("anchors", ())))
            for key, info in item["senses"].items()
        )
        out[item["id"]] = PolysemySet(
            id=item["id"], word=item["word"], language=item["language"], senses=senses,
            texts=tuple(s["text"] for s in item["sentences"]), labels=tuple(s["sense"] for s in item["sentences"]),
        )
    return out


def custom_set(word: str, lines: str) -> tuple[PolysemySet, list[tuple[str, dict]]]:
    """The user's own set: one sentence a line, optionally 'sense | sentence'. Returns the set and notices."""
    word = word.strip()
    if not word or len(word.split()) != 1:
        raise PLMError("embeddings.err.one_word", word=word)
    texts, labels = [], []
    for line in lines.splitlines():
        sense, _, text = line.rpartition("|") if "|" in line else ("", "", line)
        if text.strip():
            texts.append(text.strip())
            labels.append(sense.strip() or CUSTOM_SENSE)
    if len(texts) < 2:
        raise PLMError("embeddings.err.too_few_sentences", n=len(texts))
    notices = []
    if len(texts) > MAX_SENTENCES:
        notices.append(("embeddings.notice.too_many_sentences", {"n": len(texts), "limit": MAX_SENTENCES}))
        texts, labels = texts[:MAX_SENTENCES], labels[:MAX_SENTENCES]
    senses = tuple(Sense(k, {"en": k, "ko": k}) for k in dict.fromkeys(labels))
    return PolysemySet("custom", word, "any", senses, tuple(texts), tuple(labels)), notices


# ---- finding the word in a sentence ----------------------------------------------------------------
def _is_hangul(text: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in text)


def find_word_span(text: str, word: str) -> tuple[int, int] | None:
    """Character span of the first whole-word occurrence of `word` (case-insensitive), or None.

    A Korean word may be followed by a particle ('배를', '눈이'): for Hangul we accept a word start.
    """
    escaped = re.escape(word.strip())
    match = re.search(rf"(?<!\w){escaped}(?!\w)", text, flags=re.IGNORECASE)
    if match is None and _is_hangul(word):
        match = re.search(rf"(?<!\w){escaped}", text)
    return (match.start(), match.end()) if match else None


def piece_offsets(backbone: Backbone, text: str, max_length: int | None = None) -> list[tuple[int, int]] | None:
    """Character span of every piece the backbone makes of `text` ((0, 0) for special tokens), if known."""
    return backbone.piece_offsets(text, max_length)


def _clean_piece(piece: str) -> str:
    return piece.replace("##", "").replace("▁", "").replace("Ġ", "").strip().lower()


def word_positions(
    backbone: Backbone, text: str, word: str, max_length: int | None = None, tok: Tokenized | None = None,
) -> list[int]:
    """Positions of every piece of the first occurrence of `word` in `text` ([] when it is not there).

    A word cut into several pieces ('flibbertigibbet' -> 'fl', '##ib', ...) gives several positions.
    """
    span = find_word_span(text, word)
    if span is None:
        return []
    offsets = piece_offsets(backbone, text, max_length)
    if offsets is not None:
        start, end = span
        return [i for i, (a, b) in enumerate(offsets) if b > a and a < end and b > start]
    tok = tok or backbone.tokenize(text, max_length)
    return _positions_from_word_ids(tok, word)


def _positions_from_word_ids(tok: Tokenized, word: str) -> list[int]:
    """Fallback without offsets: the first word whose joined pieces spell `word` (or start with it)."""
    groups: dict[int, list[int]] = {}
    for i, (w, special) in enumerate(zip(tok.word_ids, tok.special, strict=True)):
        if w is not None and not special:
            groups.setdefault(w, []).append(i)
    target = word.strip().lower()
    for exact in (True, False):
        for positions in groups.values():
            joined = "".join(_clean_piece(tok.tokens[i]) for i in positions)
            if joined == target or (not exact and joined.startswith(target)):
                return positions
    return []


# ---- a word's vectors ------------------------------------------------------------------------------
@dataclass
class WordVectors:
    """The vector of one word in each sentence where it was found, at every layer."""

    word: str
    backbone: str  # display name
    family: str
    vectors: np.ndarray  # (L+1, N, H): N = sentences where the word was found; L+1 = 1 for static vectors
    texts: list[str]  # N sentences (found only)
    labels: list[str]  # N sense keys
    pieces: list[list[str]]  # N lists: the pieces that were averaged
    missing: list[str] = field(default_factory=list)  # sentences without the word
    baseline: np.ndarray | None = None  # (L+1,) mean cosine between unrelated tokens (anisotropy)
    notices: list[tuple[str, dict]] = field(default_factory=list)
    sentence_level: bool = False  # True when each vector is the whole sentence (sentence encoders)

    @property
    def n_layers(self) -> int:
        return self.vectors.shape[0] - 1


@single_threaded
def word_vectors(backbone: Backbone, pset: PolysemySet, max_length: int = MAX_SENTENCE_TOKENS) -> WordVectors:
    """The word's vector in every sentence of the set, at every layer of `backbone`."""
    family = backbone.spec.family
    if backbone.spec.can("word_vectors"):
        return _static_word_vectors(backbone, pset)
    if not backbone.spec.can("token_states"):
        return _sentence_vectors(backbone, pset)
    hs = require(backbone, "token_states").hidden_states(list(pset.texts), max_length=max_length)  # (L+1, B, T, H)
    keep, pieces, rows, missing = [], [], [], []
    for b, text in enumerate(pset.texts):
        tok = backbone.tokenize(text, max_length)
        positions = word_positions(backbone, text, pset.word, max_length, tok)
        if not positions:
            missing.append(text)
            continue
        keep.append(b)
        pieces.append([tok.tokens[p] for p in positions])
        rows.append(hs.states[:, b, positions, :].mean(axis=1))  # (L+1, H)
    notices = [("embeddings.notice.missing", {"n": len(missing), "word": pset.word})] if missing else []
    if not rows:
        raise PLMError("embeddings.err.word_nowhere", word=pset.word, name=backbone.spec.display)
    return WordVectors(
        word=pset.word, backbone=backbone.label, family=family, vectors=np.stack(rows, axis=1),
        texts=[pset.texts[b] for b in keep], labels=[pset.labels[b] for b in keep], pieces=pieces,
        missing=missing, baseline=token_baseline(hs.states, hs.attention_mask), notices=notices,
    )


def _static_word_vectors(backbone: Backbone, pset: PolysemySet) -> WordVectors:
    vec = require(backbone, "word_vectors").vector(pset.word)  # (H,), raises PLMError when OOV
    n = len(pset.texts)
    return WordVectors(
        word=pset.word, backbone=backbone.label, family="static",
        vectors=np.broadcast_to(vec, (1, n, vec.shape[0])).copy(),  # (1, N, H): the same vector N times
        texts=list(pset.texts), labels=list(pset.labels), pieces=[[pset.word.lower()]] * n,
    )


def _sentence_vectors(backbone: Backbone, pset: PolysemySet) -> WordVectors:
    vecs = require(backbone, "sentence_vectors").embed(list(pset.texts))  # (N, H)
    return WordVectors(
        word=pset.word, backbone=backbone.label, family="sentence", vectors=vecs[None],
        texts=list(pset.texts), labels=list(pset.labels), pieces=[[]] * len(pset.texts),
        notices=[("embeddings.notice.sentence_level", {"name": backbone.spec.display})], sentence_level=True,
    )


def token_baseline(states: np.ndarray, mask: np.ndarray, max_pairs: int = 4000, seed: int = 0) -> np.ndarray:
    """Mean cosine similarity between random pairs of real tokens, per layer: (L+1,).

    Upper layers of many models are anisotropic (all vectors point one way), so a high similarity between
    two occurrences of a word means little unless it beats this baseline.
    """
    layer_states = states[:, mask.astype(bool), :]  # (L+1, N_tokens, H)
    n = layer_states.shape[1]
    if n < 2:
        return np.zeros(states.shape[0], dtype=np.float32)
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, size=(2, max_pairs))
    a, b = a[a != b], b[a != b]
    unit = layer_states / np.maximum(np.linalg.norm(layer_states, axis=-1, keepdims=True), 1e-8)
    return (unit[:, a] * unit[:, b]).sum(-1).mean(axis=1)  # (L+1,)


# ---- similarity and contextuality ------------------------------------------------------------------
def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """(N, H) -> (N, N) cosine similarities."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-8)
    return unit @ unit.T


def contextuality(wv: WordVectors) -> pd.DataFrame:
    """Per layer: mean similarity of the word's occurrences (all, same sense, different sense) and baseline.

    1.0 for every pair = not contextual at all (a static vector). Columns: layer, all, same_sense,
    different_sense, baseline, sense_gap (= same - different: how well the layer tells senses apart).
    """
    labels = np.asarray(wv.labels)
    same = labels[:, None] == labels[None, :]  # (N, N)
    off = ~np.eye(len(labels), dtype=bool)
    rows = []
    for layer in range(wv.vectors.shape[0]):
        sim = cosine_matrix(wv.vectors[layer])
        rows.append({
            "layer": layer,
            "all": _mean(sim[off]),
            "same_sense": _mean(sim[same & off]),
            "different_sense": _mean(sim[~same]),
            "baseline": float(wv.baseline[layer]) if wv.baseline is not None else np.nan,
        })
    df = pd.DataFrame(rows)
    df["sense_gap"] = df["same_sense"] - df["different_sense"]
    return df


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def static_anchor_vectors(backbone: Backbone, pset: PolysemySet) -> tuple[np.ndarray, list[str], list[str]]:
    """The static vector of the word plus its sense anchors' vectors: (1+A, H), names, sense of each."""
    table = require(backbone, "word_vectors")
    vecs, names, senses = [table.vector(pset.word)], [pset.word], [""]
    for sense in pset.senses:
        for anchor in sense.anchors:
            try:
                vecs.append(table.vector(anchor))
            except PLMError:
                continue
            names.append(anchor)
            senses.append(sense.key)
    return np.stack(vecs), names, senses


def occurrence_table(wv: WordVectors, pset: PolysemySet, lang: str = "en") -> pd.DataFrame:
    """One row per sentence: sense, the pieces averaged for the word, and whether it was found."""
    rows = [{"sense": pset.sense_name(lab, lang), "text": text, "pieces": " ".join(p), "found": True}
            for text, lab, p in zip(wv.texts, wv.labels, wv.pieces, strict=True)]
    rows += [{"sense": "", "text": text, "pieces": "", "found": False} for text in wv.missing]
    return pd.DataFrame(rows, columns=["sense", "text", "pieces", "found"])


# ---- points to draw --------------------------------------------------------------------------------
def unit_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1: distances between them then depend on cosine similarity only."""
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-8)


def layer_points(wv: WordVectors, layer: int, method: str = "pca", projection: Projection | None = None,
                 seed: int = 0) -> tuple[pd.DataFrame, Projection]:
    """The occurrences of the word at one layer, projected to 2-D: columns x, y, sense, text, pieces.

    Vectors are scaled to unit length first, so with PCA the spread of the points is comparable across
    layers and backbones (occurrences with cosine 0.97 sit close together; with cosine 0.6 far apart).
    """
    from plm_core.explorer.projection import project

    layer = int(np.clip(layer, 0, wv.vectors.shape[0] - 1))
    proj = projection or project(unit_rows(wv.vectors[layer]), method, seed)  # (a job's, for UMAP in the app)
    df = pd.DataFrame({"x": proj.points[:, 0], "y": proj.points[:, 1], "sense": wv.labels, "text": wv.texts,
                       "pieces": [" ".join(p) for p in wv.pieces]})
    return df, proj


def static_points(backbone: Backbone, pset: PolysemySet, hover: str = "") -> pd.DataFrame:
    """The static word vector among its sense anchors (unit length, PCA to 2-D): columns x, y, name, sense, hover."""
    from plm_core.explorer.projection import pca

    vecs, names, senses = static_anchor_vectors(backbone, pset)
    points = pca(unit_rows(vecs))  # (1+A, 2)
    return pd.DataFrame({"x": points[:, 0], "y": points[:, 1], "name": names, "sense": senses,
                         "hover": [hover or names[0]] + names[1:]})


def default_backbone(language: str, names: Sequence[str], readers: dict[str, tuple[str, ...]]) -> str:
    """The first of `names` whose spec reads `language` (readers: name -> spec.languages), else the first."""
    return next((n for n in names if language in readers.get(n, ("en",))), names[0])
