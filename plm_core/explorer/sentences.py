"""Sentence vectors of a sample set: the picture behind "frozen features + a linear head works".

If sentences with the same label already lie together in the frozen backbone's space, a linear head on
top of those vectors separates them with few labelled examples. We show the map, the nearest neighbours
of a sentence, and the cross-validated accuracy of a logistic-regression head on the frozen vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone, Pooling
from plm_core.backbones.capabilities import require
from plm_core.data import SampleSet
from plm_core.errors import PLMError
from plm_core.explorer.threads import single_threaded

MAX_POINTS = 1000  # sentences drawn on the map at most
MAX_TEXT_TOKENS = 128  # each sentence is cut to this many pieces before embedding
PROBE_FOLDS = 5


@dataclass
class SentenceMap:
    texts: list[str]
    labels: list[str]
    vectors: np.ndarray  # (N, H)
    backbone: str
    layer: int
    pooling: str


def sample_texts(ds: SampleSet, n: int, seed: int = 0) -> pd.DataFrame:
    """n sentences of the pool, stratified by label when possible (reproducible)."""
    n = int(min(n, MAX_POINTS, len(ds.pool)))
    if n < 2:
        raise PLMError("embeddings.err.too_few_points", n=n)
    per_class = max(1, n // max(len(ds.labels), 1))
    counts = ds.pool["label"].value_counts()
    if counts.min() >= per_class and per_class * len(ds.labels) >= 2:
        return ds.sample_per_class(per_class, seed=seed)
    return ds.sample(n, seed=seed)


@single_threaded
def sentence_map(backbone: Backbone, texts: list[str], labels: list[str], pooling: Pooling = "mean",
                 layer: int = -1) -> SentenceMap:
    """Embed `texts` with a frozen backbone (pooled at `layer`)."""
    vectors = require(backbone, "sentence_vectors").embed(texts, pooling=pooling, layer=layer,
                                                          max_length=MAX_TEXT_TOKENS)
    return SentenceMap(list(texts), list(labels), np.asarray(vectors, dtype=np.float32), backbone.label, layer, pooling)


def nearest_neighbours(vectors: np.ndarray, query: np.ndarray, k: int = 5,
                       skip: int | None = None) -> list[tuple[int, float]]:
    """Indices and cosine similarities of the k rows of `vectors` closest to `query` (row `skip` left out)."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-8)  # (N, H)
    q = query / max(float(np.linalg.norm(query)), 1e-8)  # (H,)
    sims = unit @ q  # (N,)
    if skip is not None:
        sims[skip] = -np.inf
    order = np.argsort(-sims)[:k]
    return [(int(i), float(sims[i])) for i in order]


def neighbours_table(smap: SentenceMap, query: np.ndarray, k: int = 5, skip: int | None = None) -> pd.DataFrame:
    """The k nearest sentences: columns rank, cosine, label, text, index (row in the map)."""
    rows = [{"rank": r + 1, "cosine": round(sim, 3), "label": smap.labels[i], "text": smap.texts[i], "index": i}
            for r, (i, sim) in enumerate(nearest_neighbours(smap.vectors, query, k, skip))]
    return pd.DataFrame(rows, columns=["rank", "cosine", "label", "text", "index"])


@single_threaded
def linear_probe_accuracy(vectors: np.ndarray, labels: list[str], seed: int = 0) -> float:
    """Cross-validated accuracy of the one frozen probe (`fit_probe`) on these vectors (NaN if too few per class)."""
    from sklearn.model_selection import StratifiedKFold

    from plm_core.transfer.features import fit_probe

    counts = pd.Series(labels).value_counts()
    folds = int(min(PROBE_FOLDS, counts.min()))
    if folds < 2 or len(counts) < 2:
        return float("nan")
    y = np.asarray(labels)
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    folds_acc = [fit_probe(vectors[tr], y[tr], vectors[te], y[te], seed=seed)[0] for tr, te in cv.split(vectors, y)]
    return float(np.mean(folds_acc))


def majority_share(labels: list[str]) -> float:
    """Accuracy of always guessing the most frequent label (the baseline a probe must beat)."""
    return float(pd.Series(labels).value_counts(normalize=True).iloc[0]) if labels else float("nan")
