"""The skip-gram check against the reference implementation: gensim's Word2Vec on the same corpus.

    gensim_vectors(lines, words)   same words (OOV dropped as our stream drops them), window, negatives,
                                   dimension and subsampling threshold as TINY_CONFIGS["sgns"]
    neighbours(vectors, words, w)  the k nearest words by cosine
    compare(ours, theirs, words)   neighbour overlap @k for the probe words + each model's similarity spread
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

PROBE_WORDS: tuple[str, ...] = ("king", "war", "whale", "congress", "ship", "love", "god", "sea")


@dataclass(frozen=True)
class ReferenceConfig:
    """gensim's settings; the defaults are TINY_CONFIGS["sgns"]'s (a test keeps them equal)."""

    dim: int = 50
    window: int = 1
    negatives: int = 15
    sample: float = 1e-3  # subsampling threshold t, as examples.subsample
    epochs: int = 5
    seed: int = 0
    workers: int = 1  # one thread: deterministic for a seed, gentle on a busy machine


def gensim_vectors(lines: Sequence[str], words: Sequence[str], cfg: ReferenceConfig | None = None) -> np.ndarray:
    """(V, dim) float32 gensim skip-gram vectors, row i for words[i] (zeros for a word gensim never saw)."""
    from gensim.models import Word2Vec  # an optional dependency: only this check needs it

    from plm_core.backbones.static import split_words

    cfg = cfg or ReferenceConfig()
    known = set(words)
    sentences = [[w for w in split_words(line) if w in known] for line in lines]
    model = Word2Vec(sentences=[s for s in sentences if len(s) > 1], vector_size=cfg.dim, window=cfg.window,
                     negative=cfg.negatives, sample=cfg.sample, min_count=1, sg=1, epochs=cfg.epochs,
                     seed=cfg.seed, workers=cfg.workers)
    out = np.zeros((len(words), cfg.dim), dtype=np.float32)
    for i, w in enumerate(words):
        if w in model.wv.key_to_index:
            out[i] = model.wv[w]
    return out


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """(V, D) -> (V, D) rows of length 1 (post-process first, e.g. backbones.static.all_but_the_top)."""
    x = vectors.astype(np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-8)


def neighbours(vectors: np.ndarray, words: Sequence[str], word: str, k: int = 10) -> list[tuple[str, float]]:
    """The k nearest other words to `word` by cosine, best first."""
    x = unit_rows(vectors)
    sims = x @ x[list(words).index(word)]  # (V,)
    order = [i for i in np.argsort(-sims) if words[i] != word][:k]
    return [(words[i], round(float(sims[i]), 4)) for i in order]


@dataclass(frozen=True)
class Comparison:
    k: int
    overlap: dict[str, int]  # probe word -> shared neighbours among the k nearest
    mean_overlap: float
    ours_spread: dict[str, float]  # probe word -> cosine of neighbour 1 minus cosine of neighbour k
    gensim_spread: dict[str, float]
    ours_king: list[tuple[str, float]]
    gensim_king: list[tuple[str, float]]

    def to_dict(self) -> dict:
        return asdict(self)


def compare(ours: np.ndarray, theirs: np.ndarray, words: Sequence[str], probes: Sequence[str] = PROBE_WORDS,
            k: int = 10) -> Comparison:
    """Neighbour overlap @k and similarity spread of two vector tables over the same words."""
    probes = [p for p in probes if p in set(words)]
    ours_n = {p: neighbours(ours, words, p, k) for p in probes}
    their_n = {p: neighbours(theirs, words, p, k) for p in probes}
    overlap = {p: len({w for w, _ in ours_n[p]} & {w for w, _ in their_n[p]}) for p in probes}
    spread = lambda n: {p: round(n[p][0][1] - n[p][-1][1], 4) for p in probes}  # noqa: E731
    return Comparison(k, overlap, round(float(np.mean(list(overlap.values()))), 2), spread(ours_n), spread(their_n),
                      ours_n.get("king", []), their_n.get("king", []))
