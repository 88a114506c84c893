"""Saving and loading the tiny checkpoints (fp16 safetensors + config + tokenizer + model card).

    assets/checkpoints/<name>/
        model.safetensors | vectors.safetensors   weights, stored in float16 (loaded back as float32)
        config.json                               architecture
        tokenizer.json, tokenizer_config.json     the shared WordPiece vocabulary (transformer/biLM models)
        vocab.txt                                  the skip-gram word list
        model_card.json, README.md                corpus, tokens seen, steps, wall time, losses, probes
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from plm_core.errors import PLMError
from plm_core.paths import ASSETS_DIR
from plm_core.pretrain.models import TINY_CONFIGS, BiLM, BiLMConfig, SkipGram
from plm_core.pretrain.tokenizer import Template, save_tokenizer

TEMPLATES: dict[str, Template] = {"mlm": "bert", "clm": "gpt", "span": "t5", "bilm": "gpt"}


def checkpoints_root() -> Path:
    return ASSETS_DIR / "checkpoints"


def checkpoint_dir(objective: str) -> Path:
    return checkpoints_root() / TINY_CONFIGS[objective]["name"]


def save_model(objective: str, model: torch.nn.Module, folder: Path, tokenizer: Any = None,
               words: Sequence[str] = (), counts: Sequence[int] | np.ndarray = ()) -> None:
    """Write weights (fp16) + config (+ tokenizer or word list) for one objective into `folder`."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    if objective in ("mlm", "clm", "span"):
        import copy

        from transformers import PreTrainedModel

        assert isinstance(model, PreTrainedModel)  # the transformer objectives train transformers models
        half = copy.deepcopy(model).half()
        half.save_pretrained(str(folder))
        mark_float32(folder)
    elif objective == "bilm":
        assert isinstance(model, BiLM)  # the bilm objective trains a BiLM
        state = {k: v.detach().half().contiguous() for k, v in model.state_dict().items()}
        save_file(state, str(folder / "model.safetensors"))
        write_json(folder / "config.json", {"architecture": "BiLM", **model.config.to_dict()})
    else:
        assert isinstance(model, SkipGram)  # the remaining objective, skip-gram
        vectors = model.centre.weight.detach().half().contiguous()  # (V, D): the word vectors we keep
        context = model.context.weight.detach().half().contiguous()  # (V, D): kept to recompute the loss
        save_file({"vectors": vectors, "context": context}, str(folder / "vectors.safetensors"))
        write_word_counts(folder / "vocab.txt", words, counts)
        write_json(folder / "config.json", {"architecture": "SkipGram", **model.config.to_dict()})
    if tokenizer is not None and objective in TEMPLATES:
        save_tokenizer(tokenizer, folder, TEMPLATES[objective])


def mark_float32(folder: Path) -> None:
    """Weights are stored in fp16, but the config must say float32: a random-init twin built with
    `from_config` would otherwise be an fp16 model (slow and imprecise on CPU)."""
    config = read_json(folder / "config.json")
    config["dtype"] = "float32"
    write_json(folder / "config.json", config)


def write_word_counts(path: Path, words: Sequence[str], counts: Sequence[int] | np.ndarray) -> None:
    """The skip-gram vocabulary, one `word<TAB>corpus count` a line, most frequent first."""
    counts = list(counts) or [1] * len(words)
    path.write_text("".join(f"{w}\t{int(n)}\n" for w, n in zip(words, counts, strict=False)), encoding="utf-8")


def read_word_counts(folder: Path) -> tuple[list[str], np.ndarray]:
    """(words, counts (V,)) of a skip-gram checkpoint (counts are 1 where an old file has none)."""
    rows = [line.split("\t") for line in (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()]
    return [r[0] for r in rows], np.asarray([int(r[1]) if len(r) > 1 else 1 for r in rows], dtype=np.int64)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def require_checkpoint(folder: Path, name: str) -> None:
    if not (folder / "config.json").exists():
        raise PLMError("backbone.err.missing_checkpoint", name=name, folder=str(folder))


def load_bilm(folder: Path, random_init: bool = False, seed: int = 0) -> BiLM:
    """The biLM of a checkpoint folder (float32, eval mode), or a fresh random one with the same config."""
    from safetensors.torch import load_file

    require_checkpoint(folder, folder.name)
    cfg = {k: v for k, v in read_json(folder / "config.json").items() if k != "architecture"}
    torch.manual_seed(seed)
    model = BiLM(BiLMConfig(**cfg))
    if not random_init:
        model.load_state_dict({k: v.float() for k, v in load_file(str(folder / "model.safetensors")).items()})
    return model.eval()


def load_word_vectors(folder: Path, random_init: bool = False, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """(words, vectors (V, D) float32) of the skip-gram checkpoint, or random vectors of the same scale."""
    from safetensors.numpy import load_file

    require_checkpoint(folder, folder.name)
    words, _ = read_word_counts(folder)
    vectors = load_file(str(folder / "vectors.safetensors"))["vectors"].astype(np.float32)
    if random_init:
        rng = np.random.default_rng(seed)
        vectors = rng.normal(0.0, float(vectors.std()), size=vectors.shape).astype(np.float32)
    return words, vectors


def load_skipgram(folder: Path, random_init: bool = False, seed: int = 0) -> SkipGram:
    """The whole skip-gram model (centre + context tables) of a checkpoint, or a fresh one of the same size."""
    from safetensors.torch import load_file

    from plm_core.pretrain.models import SkipGramConfig

    require_checkpoint(folder, folder.name)
    cfg = {k: v for k, v in read_json(folder / "config.json").items() if k != "architecture"}
    torch.manual_seed(seed)
    model = SkipGram(SkipGramConfig(**cfg))
    if not random_init:
        tensors = load_file(str(folder / "vectors.safetensors"))
        model.centre.weight.data.copy_(tensors["vectors"].float())
        model.context.weight.data.copy_(tensors["context"].float())
    return model.eval()


def model_card(folder: Path) -> dict:
    """The checkpoint's model_card.json ({} when there is none)."""
    path = folder / "model_card.json"
    return read_json(path) if path.exists() else {}


def all_cards() -> dict[str, dict]:
    """Model cards of every shipped checkpoint, by objective."""
    return {obj: model_card(checkpoint_dir(obj)) for obj in TINY_CONFIGS
            if (checkpoint_dir(obj) / "model_card.json").exists()}


def card_fingerprints() -> dict[str, str]:
    """Shipped checkpoint name -> the first 12 hex digits of its model card's sha256 (it changes with every retraining:
    figures computed from a checkpoint keep this to tell when they are out of date)."""
    import hashlib

    out = {}
    for obj in TINY_CONFIGS:
        card = checkpoint_dir(obj) / "model_card.json"
        if card.exists():
            out[TINY_CONFIGS[obj]["name"]] = hashlib.sha256(card.read_bytes()).hexdigest()[:12]
    return out


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
