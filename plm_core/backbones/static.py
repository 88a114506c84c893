"""Static word vectors: one vector per word type, whatever the sentence (GloVe, skip-gram).

A sentence vector is the mean of its in-vocabulary word vectors. `hidden_states` has a single
"layer" (index 0): the looked-up vectors, with out-of-vocabulary words masked out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from plm_core.backbones.base import Backbone, BackboneSpec, HiddenStates, Tokenized, hash_table
from plm_core.errors import PLMError

WORD_RE = re.compile(r"[\w]+(?:'[\w]+)?|[^\w\s]", re.UNICODE)


def split_words(text: str) -> list[str]:
    """Lower-cased words and punctuation, as GloVe's tokenizer roughly cut them."""
    return WORD_RE.findall(text.lower())


def all_but_the_top(vectors: np.ndarray, directions: int = 1) -> np.ndarray:
    """(V, D) -> (V, D): the mean vector and the top `directions` principal directions removed.

    Mu & Viswanath (2018), "All-but-the-Top": raw skip-gram vectors share a common mean and a few dominant
    directions (mostly word frequency), so every cosine comes out high and neighbour lists crowd together.
    Removing them (their rule of thumb: about dim / 100 directions) leaves the directions that tell words apart.
    """
    x = np.asarray(vectors, dtype=np.float32)
    x = x - x.mean(axis=0, keepdims=True)  # (V, D)
    if directions > 0:
        _, _, vt = np.linalg.svd(x, full_matrices=False)  # vt: (D, D), rows = principal directions
        top = vt[:directions]  # (d, D)
        x = x - (x @ top.T) @ top
    return x.astype(np.float32)


class StaticVectors(Backbone):
    """A word -> vector table. `vectors` may be a memory-mapped array (GloVe: 400k x 50)."""

    def __init__(self, spec: BackboneSpec, words: Sequence[str], vectors: np.ndarray, random_init: bool = False):
        self.spec = spec
        self.words = list(words)
        self.vectors = vectors  # (V, H)
        self.index = {w: i for i, w in enumerate(self.words)}
        self.random_init = random_init
        self._unit: np.ndarray | None = None

    def tokenize(self, text: str, max_length: int | None = None) -> Tokenized:
        words = split_words(text)
        limit = max_length or self.spec.max_length
        ids = [self.index.get(w, -1) for w in words[:limit]]
        return Tokenized(
            text=text,
            tokens=[w if i >= 0 else f"{w} (?)" for w, i in zip(words, ids, strict=False)],
            ids=ids,
            word_ids=list(range(len(ids))),
            special=[False] * len(ids),
            truncated=len(words) > limit,
        )

    def vector(self, word: str) -> np.ndarray:
        i = self.index.get(word.lower())
        if i is None:
            raise PLMError("backbone.err.oov", word=word, name=self.spec.display)
        return np.asarray(self.vectors[i], dtype=np.float32)

    def hidden_states(self, texts: Sequence[str], max_length: int | None = None) -> HiddenStates:
        toks = [self.tokenize(t, max_length) for t in texts]
        width = max([len(t.ids) for t in toks] + [1])
        states = np.zeros((1, len(toks), width, self.hidden_size), dtype=np.float32)  # (1, B, T, H)
        mask = np.zeros((len(toks), width), dtype=np.int64)
        for b, tok in enumerate(toks):
            for j, i in enumerate(tok.ids):
                if i >= 0:
                    states[0, b, j] = self.vectors[i]
                    mask[b, j] = 1
        return HiddenStates(
            states=states,
            attention_mask=mask,
            tokens=[t.tokens + [""] * (width - len(t.tokens)) for t in toks],
            truncated=[t.truncated for t in toks],
        )

    def embed(self, texts: Sequence[str], pooling="mean", layer: int = -1, batch_size: int = 256,
              max_length: int | None = None) -> np.ndarray:
        """Mean of the word vectors (the only pooling a bag of static vectors has)."""
        return super().embed(texts, "mean", 0, batch_size, max_length)

    def hash_weights(self, h: Any) -> None:
        hash_table(h, self.vectors)

    def unit_vectors(self) -> np.ndarray:
        if self._unit is None:
            mat = np.asarray(self.vectors, dtype=np.float32)
            self._unit = mat / np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-8)
        return self._unit

    def nearest(self, query: str | np.ndarray, k: int = 10, exclude: Sequence[str] = ()) -> list[tuple[str, float]]:
        """The k words with the highest cosine similarity to a word or a vector."""
        vec = self.vector(query) if isinstance(query, str) else np.asarray(query, dtype=np.float32)
        skip = {w.lower() for w in exclude} | ({query.lower()} if isinstance(query, str) else set())
        sims = self.unit_vectors() @ (vec / max(float(np.linalg.norm(vec)), 1e-8))  # (V,)
        best = np.argpartition(-sims, min(k + len(skip), len(sims) - 1))[: k + len(skip)]
        ranked = sorted(best, key=lambda i: -sims[i])
        return [(self.words[i], float(sims[i])) for i in ranked if self.words[i] not in skip][:k]


def load_glove(spec: BackboneSpec, folder, random_init: bool = False, seed: int = 0) -> StaticVectors:
    import pandas as pd

    words = pd.read_parquet(folder / "glove_6B_index.parquet")["index"].astype(str).tolist()
    vectors = np.load(folder / "glove_6B_50d_emb.npy", mmap_mode="r")
    if random_init:
        rng = np.random.default_rng(seed)
        vectors = rng.normal(0, float(np.std(vectors[:1000])), size=vectors.shape).astype(np.float32)
    return StaticVectors(spec, words, vectors, random_init=random_init)
