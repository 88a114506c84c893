"""2-D pictures of high-dimensional vectors: PCA (default, instant), UMAP and t-SNE (on request).

UMAP is compiled by numba the first time it runs in a process (25-40 s on a small CPU), so the app never runs
it in the server: UMAP and t-SNE are the job kind "explorer.project" (plm_core/explorer/jobs.py), computed in
a worker and kept in the result cache. Results are also cached in-process by (method, data, seed).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from plm_core.explorer.threads import single_threaded

Method = Literal["pca", "umap", "tsne"]
METHODS: tuple[str, ...] = ("pca", "umap", "tsne")
PRE_REDUCE_DIMS = 50  # UMAP and t-SNE first reduce to this many PCA dimensions (faster, same picture)
MIN_POINTS_NONLINEAR = 6  # below this UMAP / t-SNE are meaningless: we use PCA (with a notice)
UMAP_EPOCHS = 200  # optimisation epochs (umap-learn's default is 500 for small data; 200 looks the same)
TSNE_ITER = 500  # gradient steps (sklearn's default is 1000)
CACHE_SIZE = 32


@dataclass
class Projection:
    points: np.ndarray  # (N, 2)
    method: str  # the method actually used
    seconds: float  # wall time of the computation (0 when it came from the cache)
    notices: list[tuple[str, dict]] = field(default_factory=list)
    cached: bool = False


# ---- PCA -------------------------------------------------------------------------------------------
@single_threaded
def pca(x: np.ndarray, dims: int = 2) -> np.ndarray:
    """Principal components: (N, H) -> (N, dims), signs fixed so the result is deterministic.

    Eigen-decomposition of the smaller of the covariance (H x H) and Gram (N x N) matrices: for 1,000
    points of 384 dims that is 3x faster than an SVD of the data.
    """
    x = np.asarray(x, dtype=np.float64)
    centred = x - x.mean(axis=0, keepdims=True)  # (N, H)
    out = np.zeros((x.shape[0], dims))
    if x.shape[0] < 2 or not np.any(centred):
        return out  # every point identical (a static vector): they all sit at the origin
    k = min(dims, min(centred.shape))
    if centred.shape[0] >= centred.shape[1]:
        _, vecs = np.linalg.eigh(centred.T @ centred)  # (H, H), eigenvalues ascending
        comps = vecs[:, ::-1][:, :k]  # (H, k) top directions
    else:
        vals, vecs = np.linalg.eigh(centred @ centred.T)  # (N, N)
        top = vecs[:, ::-1][:, :k] * np.sqrt(np.maximum(vals[::-1][:k], 1e-24))  # (N, k) = U S
        comps = centred.T @ top / np.maximum((top * top).sum(axis=0), 1e-24)  # (H, k), direction of each
        comps /= np.maximum(np.linalg.norm(comps, axis=0), 1e-24)
    signs = np.sign(comps[np.abs(comps).argmax(axis=0), np.arange(k)])  # (k,) largest loading positive
    out[:, :k] = centred @ (comps * signs)  # (N, k)
    return out


# ---- UMAP ------------------------------------------------------------------------------------------
def euclidean_distances(x: np.ndarray) -> np.ndarray:
    """(N, H) -> (N, N) distances with one matrix product (umap-learn would loop over pairs in Python)."""
    sq = (x * x).sum(axis=1)  # (N,)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (x @ x.T)  # (N, N)
    np.fill_diagonal(d2, 0.0)
    return np.sqrt(np.maximum(d2, 0.0))


def _umap(x: np.ndarray, seed: int) -> np.ndarray:
    import umap  # heavy: imported only here

    n_neighbors = int(min(15, x.shape[0] - 1))
    reducer = umap.UMAP(n_components=2, n_neighbors=n_neighbors, random_state=seed, n_epochs=UMAP_EPOCHS,
                        metric="precomputed", init="spectral" if x.shape[0] > n_neighbors + 2 else "random")
    return reducer.fit_transform(euclidean_distances(x.astype(np.float64)))


# ---- the public entry point ------------------------------------------------------------------------
_CACHE: OrderedDict[tuple, np.ndarray] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _key(x: np.ndarray, method: str, seed: int) -> tuple:
    data = np.ascontiguousarray(x, dtype=np.float32)
    return method, seed, data.shape, hashlib.sha1(data.tobytes()).hexdigest()


def project(x: np.ndarray, method: str = "pca", seed: int = 0) -> Projection:
    """(N, H) vectors -> (N, 2) points with the chosen method; cached; tiny inputs fall back to PCA."""
    if method not in METHODS:
        from plm_core.errors import PLMError

        raise PLMError("embeddings.err.bad_method", method=method, choices=", ".join(METHODS))
    x = np.asarray(x, dtype=np.float32)
    notices: list[tuple[str, dict]] = []
    if method != "pca" and x.shape[0] < MIN_POINTS_NONLINEAR:
        notices.append(("embeddings.notice.too_few_for", {"method": method.upper(), "n": x.shape[0]}))
        method = "pca"
    key = _key(x, method, seed)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return Projection(_CACHE[key].copy(), method, 0.0, notices, cached=True)
    start = time.perf_counter()
    points = _compute(x, method, seed, notices)
    seconds = time.perf_counter() - start
    with _CACHE_LOCK:
        _CACHE[key] = points
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return Projection(points.copy(), method, seconds, notices)


@single_threaded
def _compute(x: np.ndarray, method: str, seed: int, notices: list[tuple[str, dict]]) -> np.ndarray:
    if method == "pca" or not np.any(x - x[:1]):
        return pca(x)
    reduced = pca(x, min(PRE_REDUCE_DIMS, x.shape[0], x.shape[1])) if x.shape[1] > PRE_REDUCE_DIMS else x
    if method == "umap":
        return np.asarray(_umap(reduced, seed), dtype=np.float64)
    from sklearn.manifold import TSNE

    perplexity = float(min(30.0, (x.shape[0] - 1) / 3))
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", learning_rate="auto", random_state=seed,
                max_iter=max(250, TSNE_ITER))
    return tsne.fit_transform(reduced.astype(np.float32)).astype(np.float64)


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
