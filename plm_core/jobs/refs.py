"""A reference to a job's data that travels to a worker: a sample-set name, or the bytes of an uploaded CSV."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class DataRef:
    name: str  # sample-set name (plm_core.data.DATASETS) or the uploaded file's name
    csv: bytes | None = None  # the uploaded CSV itself (None: a sample set)

    def load(self) -> Any:
        """The SampleSet (cached per process by content)."""
        return _load(self.name, self.csv)

    def fingerprint(self) -> str:
        """Content hash: of the CSV bytes, or of the sample set's texts and labels."""
        if self.csv is not None:
            return "csv:" + hashlib.sha256(self.csv).hexdigest()
        return _sample_fingerprint(self.name)

    def __repr__(self) -> str:  # never print a whole CSV in a log
        return f"DataRef({self.name!r}, csv={f'{len(self.csv)} bytes' if self.csv is not None else None})"


def data_ref(name: str) -> DataRef:
    """A command line's --data: a sample-set name, or a CSV file's path (its bytes travel with the job)."""
    from pathlib import Path

    from plm_core.data import DATASETS, read_file_bytes

    return DataRef(name) if name in DATASETS else DataRef(Path(name).name, read_file_bytes(Path(name)))


@lru_cache(maxsize=8)
def _load(name: str, csv: bytes | None) -> Any:
    if csv is not None:
        from plm_core.data import load_csv

        return load_csv(csv, name=name)
    from plm_core.data import get_dataset

    return get_dataset(name)


@lru_cache(maxsize=16)
def _sample_fingerprint(name: str) -> str:
    ds = _load(name, None)
    h = hashlib.sha256()
    for part in (ds.pool, ds.test):
        for column in ("text", "label"):
            h.update("\x1f".join(map(str, part[column].tolist())).encode("utf-8"))
            h.update(b"\x1e")
    return f"set:{name}:" + h.hexdigest()[:32]
