"""Feature extraction for frozen mode, cached on disk, and a fast logistic-regression probe.

Features are pooled per layer once, for every layer, and stored as (N, L+1, H) float32 under
`cache_subdir("features")`, keyed by backbone (name, random-init flag, a fingerprint of its weights),
a hash of the texts, the token pooling and the max length. Any layer selection (one layer, or the
ELMo scalar mix over all of them) re-uses the same file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import numpy as np

from plm_core.backbones.base import (
    Backbone,
    Pooling,
    batches_by_length,
    pad_batch,
    pool,
    pool_tokens,
    weights_fingerprint,
)
from plm_core.backbones.capabilities import Trainable, require
from plm_core.errors import PLMError
from plm_core.paths import cache_subdir

Progress = Callable[[int, int], None]  # (texts done, texts total)
EXTRACT_BATCH = 64  # texts per forward pass; batches are bucketed by token length


def is_hf(backbone: Backbone) -> bool:
    """Does the backbone have a transformers body to run in batches (and to fine-tune)?"""
    return backbone.spec.can("trainable")


def texts_digest(texts: Sequence[str]) -> str:
    h = hashlib.sha1()
    for text in texts:
        h.update(text.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:16]


def features_dir() -> Path:
    """Folder of the feature cache: `PLM_LAB_FEATURES_DIR`, else <cache>/features."""
    env = os.environ.get("PLM_LAB_FEATURES_DIR")
    return Path(env).expanduser() if env else cache_subdir("features")


def cache_path(backbone: Backbone, texts: Sequence[str], pooling: str, max_length: int,
               cache_key: str | None = None) -> Path:
    """Where the (N, L+1, H) features of these texts live; `cache_key` only makes the name readable."""
    key = f"{weights_fingerprint(backbone)}|{texts_digest(texts)}|{len(texts)}|{pooling}|{max_length}"
    digest = hashlib.sha1(key.encode()).hexdigest()[:20]
    folder = backbone.spec.name + ("-random" if backbone.random_init else "")
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", cache_key or "texts")[:60]
    return features_dir() / folder / f"{label}-{pooling}-{max_length}-{digest}.npy"


def _save_atomic(path: Path, array: np.ndarray) -> None:
    """Write to a private temp file, then rename: concurrent sessions never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{id(array)}.tmp.npy")
    np.save(tmp, array)
    os.replace(tmp, path)


def _hf_layer_features(backbone: Trainable, texts: Sequence[str], pooling: str, max_length: int,
                       progress: Progress | None) -> np.ndarray:
    """Transformer fast path: tokenize once, sort by token length, pad each batch to its own longest."""
    import torch

    from plm_core.transfer.modules import top_as_last

    limit = min(max_length, backbone.max_length)
    ids = backbone.tokenizer(list(texts), truncation=True, max_length=limit)["input_ids"]
    order = np.argsort([len(x) for x in ids], kind="stable")
    out: np.ndarray | None = None
    pad_id = backbone.tokenizer.pad_token_id
    with torch.inference_mode():
        for start in range(0, len(order), EXTRACT_BATCH):
            batch = order[start : start + EXTRACT_BATCH]
            input_ids, mask = pad_batch([ids[i] for i in batch], pad_id)  # (B, T) each
            result = backbone.body(input_ids=input_ids, attention_mask=mask, output_hidden_states=True)
            states = torch.stack(top_as_last(result), dim=0)  # (L+1, B, T, H)
            pooled = pool_tokens(states, mask, pooling).transpose(0, 1)  # (B, L+1, H)
            if out is None:
                out = np.empty((len(texts), pooled.shape[1], pooled.shape[2]), dtype=np.float32)
            out[batch] = pooled.float().numpy()
            if progress:
                progress(min(start + EXTRACT_BATCH, len(texts)), len(texts))
    return out if out is not None else np.zeros((0, 1, backbone.hidden_size), dtype=np.float32)


def _generic_layer_features(backbone: Backbone, texts: Sequence[str], pooling: str, max_length: int,
                            progress: Progress | None) -> np.ndarray:
    """Any other backbone: sentence encoders and static vectors give one 'layer'; others all layers."""
    if backbone.spec.family in ("static", "sentence"):
        vecs = require(backbone, "sentence_vectors").embed(texts, "mean", -1, max_length=max_length)  # (N, H)
        if progress:
            progress(len(texts), len(texts))
        return np.asarray(vecs, dtype=np.float32)[:, None, :]  # (N, 1, H)
    model = require(backbone, "token_states")
    chunks = []
    done = 0
    how = cast(Pooling, pooling)  # a config string; pool() checks it against POOLINGS
    for idx in batches_by_length(texts, EXTRACT_BATCH):
        hs = model.hidden_states([texts[i] for i in idx], max_length=max_length)
        per_layer = np.stack([pool(s, hs.attention_mask, how) for s in hs.states], axis=1)  # (B, L+1, H)
        chunks.append((idx, per_layer))
        done += len(idx)
        if progress:
            progress(done, len(texts))
    out = np.empty((len(texts),) + chunks[0][1].shape[1:], dtype=np.float32)
    for idx, per_layer in chunks:
        out[idx] = per_layer
    return out


def extract_layer_features(backbone: Backbone, texts: Sequence[str], pooling: str = "mean", max_length: int = 128,
                           cache_key: str | None = None, use_cache: bool = True,
                           progress: Progress | None = None) -> tuple[np.ndarray, bool]:
    """Pooled features of every layer, (N, L+1, H), and whether they came from the disk cache."""
    texts = [str(t) for t in texts]
    if not texts:
        raise PLMError("transfer.err.no_texts")
    path = cache_path(backbone, texts, pooling, max_length, cache_key)
    if use_cache and path.exists():
        try:
            array = np.load(path)
            if array.shape[0] == len(texts):
                if progress:
                    progress(len(texts), len(texts))
                return array, True
        except (OSError, ValueError):
            pass  # a damaged file: extract again and overwrite it
    if is_hf(backbone):
        array = _hf_layer_features(require(backbone, "trainable"), texts, pooling, max_length, progress)
    else:
        array = _generic_layer_features(backbone, texts, pooling, max_length, progress)
    if use_cache:
        _save_atomic(path, array)
    return array, False


def extract_features(backbone: Backbone, texts: Sequence[str], pooling: str = "mean", layer: int | str = -1,
                     max_length: int = 128, cache_key: str | None = None) -> np.ndarray:
    """One vector per text, (N, H), from hidden state `layer` (0 = embeddings, -1 = top); cached on disk.

    `layer="all"` returns every layer, (N, L+1, H) (what the ELMo scalar mix reads).
    """
    array, _ = extract_layer_features(backbone, texts, pooling, max_length, cache_key)
    if layer == "all":
        return array
    n_states = array.shape[1]
    if not (-n_states <= int(layer) < n_states):
        raise PLMError("transfer.err.bad_layer", layer=layer, name=backbone.spec.display, top=n_states - 1)
    return array[:, int(layer), :]


def standardise(X_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both sets scaled with the training set's mean and sd only (per feature; any leading shape)."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-6
    return (X_train - mean) / std, (X_test - mean) / std


def fit_probe(X_train: np.ndarray, y_train: Sequence | np.ndarray, X_test: np.ndarray, y_test: Sequence | np.ndarray,
              head: str = "logreg", seed: int = 0, C: float = 1.0) -> tuple[float, float, np.ndarray]:
    """The one frozen probe on given features: (accuracy, macro-F1, predicted labels).

    The Transfer lab's frozen mode itself (`FeatureTrainer`): standardised features, a seeded head, one
    full-batch L-BFGS solve of cross-entropy + L2 (sklearn's C = 1/l2). Labels may be any values; a class seen
    only in the test set is never predicted (its logit only learns to lose). Figures: bench/probe.py.
    """
    from plm_core.transfer.config import TrainConfig
    from plm_core.transfer.trainer import FeatureTrainer

    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    if len(set(y_train.tolist())) < 2:
        raise PLMError("transfer.err.one_class_drawn", n=len(y_train), label=str(y_train[0]))
    classes = np.unique(np.concatenate([y_train, y_test]))
    trainer = FeatureTrainer(TrainConfig.of(backbone="", head=head, l2=1.0 / C, seed=seed),
                             np.asarray(X_train, dtype=np.float32), np.searchsorted(classes, y_train),
                             np.asarray(X_test, dtype=np.float32), np.searchsorted(classes, y_test), len(classes))
    trainer.fit()
    ev = trainer.last_eval
    if ev is None:  # the loss diverged (features with inf / NaN): nothing was predicted
        raise PLMError("transfer.err.nan_loss", epoch=1, step=1, lr="1")
    return ev.accuracy, ev.macro_f1, classes[ev.predictions]
