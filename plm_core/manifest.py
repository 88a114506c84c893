"""Verified outputs: the size and sha256 of every file of a prepared output, recorded beside it.

`prepare` records a manifest when it builds something and checks it on every run; loaders call `check_cached`
(sizes and file structure only, cheap) and turn a damaged cache into a PLMError that names the repair command.
This module sits below the backbone registry and the data sets, which use it (and is imported by `prepare`).
"""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path

from plm_core.errors import PLMError

FOLDER_MANIFEST = "MANIFEST.json"
CHUNK = 1 << 20


def manifest_path(target: Path) -> Path:
    return target / FOLDER_MANIFEST if target.is_dir() else target.with_name(target.name + ".manifest.json")


def target_files(target: Path) -> list[Path]:
    """The files a prepared output consists of (a file, or every file in a folder but the manifest)."""
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and p.name != FOLDER_MANIFEST)
    return [target]


def file_digest(path: Path) -> dict[str, int | str]:
    """{"size": bytes, "sha256": hex digest} of one file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def record_manifest(target: Path) -> dict[str, dict]:
    """Write the size and sha256 of every file of `target` beside it; returns the entries."""
    root = target if target.is_dir() else target.parent
    entries = {str(p.relative_to(root)): file_digest(p) for p in target_files(target)}
    manifest_path(target).write_text(json.dumps({"files": entries}, indent=1), encoding="utf-8")
    return entries


def read_manifest(target: Path) -> dict[str, dict] | None:
    path = manifest_path(target)
    try:
        return json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def structure_problem(path: Path) -> str | None:
    """What is visibly wrong with one file without a checksum: a truncated safetensors, broken JSON."""
    size = path.stat().st_size
    if size == 0:
        return f"{path.name} is empty"
    if path.suffix == ".safetensors":
        try:
            with path.open("rb") as f:
                (n,) = struct.unpack("<Q", f.read(8))
                header = json.loads(f.read(n)) if n < size else None
        except (struct.error, ValueError, OSError):
            header = None
        if not isinstance(header, dict):
            return f"{path.name} has no readable safetensors header"
        end = max((v["data_offsets"][1] for k, v in header.items() if k != "__metadata__"), default=0)
        if size != 8 + n + end:
            return f"{path.name} is {size} bytes, its header needs {8 + n + end}"
    if path.suffix == ".json" and path.name != FOLDER_MANIFEST:
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return f"{path.name} is not valid JSON"
    return None


def check_target(target: Path, full: bool = True) -> str | None:
    """None if `target` matches its manifest (sizes; sha256 too if `full`), else what is wrong.

    Without a manifest (a cache prepared before manifests existed) only the file structure is checked;
    the caller records a manifest when that passes.
    """
    if not target.exists():
        return "missing"
    root = target if target.is_dir() else target.parent
    entries = read_manifest(target)
    if entries is None:
        files = target_files(target)
        if not files:
            return f"{target.name} is empty"
        return next((p for p in map(structure_problem, files) if p), None)
    for name, want in entries.items():
        path = root / name
        if not path.is_file():
            return f"{name} is missing"
        if path.stat().st_size != want["size"]:
            return f"{name} is {path.stat().st_size} bytes, {want['size']} were recorded"
        if full and file_digest(path)["sha256"] != want["sha256"]:
            return f"{name} does not match its recorded sha256"
    return None


def check_cached(target: Path, what: str) -> None:
    """Loaders: a damaged or incomplete prepared output is a PLMError naming the repair command."""
    problem = check_target(target, full=False)
    if problem is not None:
        raise PLMError("prepare.err.damaged", what=what, path=str(target), problem=problem)


def damaged(what: str, target: Path, err: BaseException) -> PLMError:
    """A load that failed on a prepared output, as the damaged-cache message (for the loaders' except)."""
    problem = str(err).splitlines()[0][:200] if str(err) else type(err).__name__
    return PLMError("prepare.err.damaged", what=what, path=str(target), problem=problem)
