"""A job's cache key: kind + full config + data fingerprint + backbone weights + code version.

Deterministic seeds make the cache honest: the same key gives the same numbers, so an identical request
can be answered from the stored result. Anything that can change the numbers must be in the key.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from plm_core.jobs.refs import DataRef

KEY_VERSION = "2"  # bump when the key's recipe changes


def canonical(value: Any) -> Any:
    """A JSON-ready, order-independent form of a config (dataclasses, tuples, bytes, DataRefs, enums)."""
    if type(value).__name__ == "DataFrame":  # explicit examples: their content
        return "frame:" + hashlib.sha256(value.to_csv(index=False).encode("utf-8")).hexdigest()
    if isinstance(value, DataRef):
        return {"data": value.name, "fingerprint": value.fingerprint()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__type__": type(value).__name__,
                **{f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and value != value:  # NaN
        return "nan"
    return value


def backbone_names(value: Any) -> set[str]:
    """Every backbone a config names: the values of fields called `backbone` / `backbones` (any depth)."""
    found: set[str] = set()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "backbone" and isinstance(item, str) and item:
                found.add(item)
            elif key == "backbones" and isinstance(item, dict):
                found.update(v for v in item.values() if isinstance(v, str) and v)
            else:
                found |= backbone_names(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= backbone_names(item)
    return found


def cache_key(kind: str, config: Any) -> str:
    """The hex digest that identifies the computation."""
    body = {
        "v": KEY_VERSION, "kind": kind, "config": canonical(config), "code": code_version(),
        "weights": {name: weight_files_fingerprint(name) for name in sorted(backbone_names(config))},
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def recipe_key(recipe: Any) -> str:
    """The cache key of a recipe (plm_core.recipes): its job kind and the job config of its normalized form, so
    that the form (layer = the top index), a lesson (layer -1) and the CLI asking for one experiment share it."""
    return cache_key(recipe.kind, recipe.normalized().job_config())


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the core's source: a changed line of plm_core gives new keys (old results stay, unused)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "i18n" in path.parts:  # text changes cannot change numbers
            continue
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=32)
def weight_files_fingerprint(name: str) -> str:
    """What identifies a backbone's weights: a hash of its weight files (size + first/last MB), or its source."""
    from plm_core.backbones.registry import get_spec

    try:
        spec = get_spec(name)
    except Exception:  # noqa: BLE001 - an unknown name fails later, in the job, with its own message
        return f"unknown:{name}"
    h = hashlib.sha256(f"{spec.name}|{spec.source}|{spec.params}".encode())
    for path in weight_files(spec):
        h.update(_file_digest(path).encode())
    return h.hexdigest()[:16]


def weight_files(spec: Any) -> list[Path]:
    from plm_core.backbones.registry import weights_folder

    folder = weights_folder(spec)
    if folder is None or not folder.exists():
        return []
    suffixes = {".safetensors", ".bin", ".pt", ".npy", ".gguf", ".npz"}
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes)


def _file_digest(path: Path, chunk: int = 1 << 20) -> str:
    """Size + hash of the first and last MB: changes whenever a file is replaced, in milliseconds."""
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with path.open("rb") as fh:
        h.update(fh.read(chunk))
        if size > chunk:
            fh.seek(max(size - chunk, chunk))
            h.update(fh.read(chunk))
    return h.hexdigest()
