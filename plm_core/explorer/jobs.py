"""The explorer's long computations as job kinds, so the server neither embeds 1,000 texts nor compiles UMAP:

    "explorer.sentences"  a sample set's texts embedded by one frozen backbone, and a linear probe on them
    "explorer.project"    UMAP or t-SNE of given vectors (PCA is instant: the page computes it itself)

Both are answered from the result cache when asked again (the same backbone, data, size and pooling).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from plm_core.explorer.projection import Projection, project
from plm_core.explorer.sentences import SentenceMap, linear_probe_accuracy, sample_texts, sentence_map
from plm_core.jobs.refs import DataRef


@dataclass(frozen=True)
class SentenceMapJob:
    backbone: str
    data: DataRef
    n: int  # sentences drawn from the pool (stratified by label)
    pooling: str = "mean"
    seed: int = 0


@dataclass
class SentenceMapResult:
    map: SentenceMap
    probe_accuracy: float  # cross-validated logistic regression on the frozen vectors


def run_sentence_map(job: SentenceMapJob, ctx: Any) -> SentenceMapResult:
    sample = sample_texts(job.data.load(), job.n, job.seed)
    ctx.update(fraction=0.05, current=job.backbone)
    smap = sentence_map(ctx.backbone(job.backbone), sample["text"].tolist(), sample["label"].tolist(),
                        job.pooling)  # type: ignore[arg-type]  # a Pooling name, checked by the form
    ctx.update(fraction=0.9, current="probe")
    return SentenceMapResult(smap, linear_probe_accuracy(smap.vectors, smap.labels))


@dataclass(frozen=True)
class ProjectionJob:
    vectors: bytes  # float32, C order: the cache key hashes the bytes
    shape: tuple[int, int]  # (N, H)
    method: str
    seed: int = 0

    @classmethod
    def of(cls, x: np.ndarray, method: str, seed: int = 0) -> ProjectionJob:
        data = np.ascontiguousarray(x, dtype=np.float32)  # (N, H)
        return cls(data.tobytes(), (int(data.shape[0]), int(data.shape[1])), method, seed)

    def array(self) -> np.ndarray:
        return np.frombuffer(self.vectors, dtype=np.float32).reshape(self.shape)  # (N, H)


def run_projection(job: ProjectionJob, ctx: Any) -> Projection:
    ctx.update(fraction=0.1, current=job.method)
    return project(job.array(), job.method, job.seed)
