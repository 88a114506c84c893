"""Pretrain one objective from scratch (fixed seed) and write its checkpoint with a model card.

    python -m plm_core pretrain --objective mlm      # = pretrain("mlm")
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from plm_core.pretrain import corpus as corpus_mod
from plm_core.pretrain.checkpoints import checkpoint_dir, folder_size, read_word_counts, save_model, write_json
from plm_core.pretrain.models import TINY_CONFIGS, count_params
from plm_core.pretrain.tokenizer import load_raw_tokenizer
from plm_core.pretrain.train import (
    DEFAULT_TRAIN,
    Batch,
    PretrainConfig,
    PretrainResult,
    PretrainTrainer,
    Task,
    Vocab,
    build_model,
    build_task,
    cached_stream,
    encode_stream,
    evaluate,
    validation_batches,
    word_stream,
    word_vocab,
)
from plm_core.training.callbacks import Callback

Log = Callable[[str], None]


@dataclass
class Prepared:
    """Everything a training run needs: model, task, streams, fixed validation batches."""

    objective: str
    cfg: PretrainConfig
    model: torch.nn.Module
    task: Task
    train_stream: np.ndarray
    valid: list[Batch]
    tokenizer: Any = None
    words: list[str] = dataclasses.field(default_factory=list)
    counts: np.ndarray | None = None  # skip-gram word counts


def load_lines(shipped: bool) -> tuple[list[str], list[str]]:
    """(train paragraphs, validation paragraphs): the full corpus from the cache (built if missing),
    or the slice shipped in assets/corpus. Validation is always the shipped (= full) validation split."""
    if not shipped and not (corpus_mod.corpus_dir() / "train.txt").exists():
        corpus_mod.build_corpus()
    return corpus_mod.read_split("train", shipped=shipped), corpus_mod.read_split("valid", shipped=True)


def prepare(objective: str, cfg: PretrainConfig | None = None, shipped: bool = False, seed: int = 0,
            init_from: Path | None = None, lines: tuple[list[str], list[str]] | None = None) -> Prepared:
    """Build a model, its task, the training stream and the fixed validation batches.

    The model is fresh (seeded), or, with `init_from`, the weights of that checkpoint folder (continued
    pretraining; the folder is only read). `lines` = (train, validation) paragraphs replaces the corpus.
    """
    cfg = dataclasses.replace(cfg or DEFAULT_TRAIN[objective], seed=seed)
    train_lines, valid_lines = lines if lines is not None else load_lines(shipped)
    tok, counts = None, None
    words: list[str] = []
    if objective == "sgns":
        c = TINY_CONFIGS["sgns"]
        words, counts = (read_word_counts(init_from) if init_from is not None
                         else word_vocab(train_lines, c["vocab"], c["min_count"]))
        task = build_task(objective, cfg, None, counts)
        stream, valid_stream = word_stream(train_lines, words), word_stream(valid_lines, words)
        model = (load_trained_model(objective, init_from) if init_from is not None
                 else build_model(objective, None, len(words), seed))
    else:
        tok = load_raw_tokenizer()
        vocab = Vocab.from_tokenizer(tok)
        task = build_task(objective, cfg, vocab)
        if lines is not None:  # someone's own text: small, encoded afresh
            stream, valid_stream = encode_stream(train_lines, tok, vocab.sep_id), encode_stream(valid_lines, tok,
                                                                                               vocab.sep_id)
        else:
            stream = cached_stream(train_lines, tok, vocab.sep_id, "train" if not shipped else "train_slice")
            valid_stream = cached_stream(valid_lines, tok, vocab.sep_id, "valid")
        model = (load_trained_model(objective, init_from) if init_from is not None
                 else build_model(objective, vocab, seed=seed))
    valid = validation_batches(task, valid_stream, cfg.eval_batches, cfg.batch_size)
    return Prepared(objective, cfg, model, task, stream, valid, tok, words, counts if objective == "sgns" else None)


def load_trained_model(objective: str, folder: Path) -> torch.nn.Module:
    """The model of a checkpoint folder as a new float32 module in train mode (to continue its pretraining)."""
    from plm_core.pretrain.checkpoints import load_bilm, load_skipgram, require_checkpoint

    require_checkpoint(folder, folder.name)
    if objective == "bilm":
        return load_bilm(folder).train()
    if objective == "sgns":
        return load_skipgram(folder).train()
    from plm_core.backbones.hf import auto_class

    head = {"mlm": "mlm", "clm": "clm", "span": "seq2seq"}[objective]
    model = auto_class(head).from_pretrained(str(folder), attn_implementation="eager", dtype=torch.float32)
    return model.train()


def corpus_summary() -> dict:
    prov = json.loads((corpus_mod.shipped_dir() / "provenance.json").read_text(encoding="utf-8"))
    return {
        "sources": {k: f"{v['package']} ({v['license']})" for k, v in prov["sources"].items()},
        "train_words": prov["stats"]["train_words"],
        "valid_words": prov["stats"]["valid_words"],
        "train_sha256": prov["outputs"]["train.txt"],
        "excluded_test_splits_of": prov["excluded_test_splits_of"],
    }


def make_card(p: Prepared, result: PretrainResult, random_val: float) -> dict:
    c = TINY_CONFIGS[p.objective]
    return {
        "name": c["name"], "objective": p.objective,
        "architecture": {k: v for k, v in c.items() if k != "name"},
        "params": count_params(p.model),
        "corpus": corpus_summary(),
        "validation_slice": f"first {sum(len(next(iter(b.values()))) for b in p.valid)} sequences of "
                            f"{p.task.block_len} ids of assets/corpus/valid.txt (fixed masking seed 1234)",
        "tokens_seen": result.tokens_seen, "steps": result.steps, "wall_time_s": round(result.wall_s, 1),
        "final_train_loss": round(result.train_loss, 4), "final_val_loss": round(result.val_loss, 4),
        "random_init_val_loss": round(random_val, 4),
        "val_history": [(s, round(v, 4)) for s, v in result.val_history],
        "train_config": dataclasses.asdict(p.cfg), "stopped_early": result.stopped,
        "torch_threads": torch.get_num_threads(),
    }


def pretrain(objective: str, steps: int | None = None, seed: int = 0, out: Path | None = None,
             log: Log = print, log_every: int = 50) -> tuple[PretrainResult, Path]:
    """Train one tiny model from scratch with the default budget and save checkpoint + model card.

    Leaves torch threads and the global seed alone: the CLI, which owns its process, sets them first
    (`plm_core.training.own_process`); the card records the threads it ran with.
    """
    cfg = DEFAULT_TRAIN[objective]
    if steps is not None:
        cfg = dataclasses.replace(cfg, steps=steps)
    p = prepare(objective, cfg, seed=seed)
    random_val = evaluate(p.task, p.model, p.valid)
    log(f"{objective}: {count_params(p.model):,} params, random-init val loss {random_val:.3f}, {p.cfg.steps} steps")
    trainer = PretrainTrainer(p.task, p.model, p.train_stream, p.valid, p.cfg,
                              callbacks=[ProgressLogger(log, log_every, p.cfg.steps)])
    result = trainer.run()
    folder = out or checkpoint_dir(objective)
    save_model(objective, p.model, folder, p.tokenizer, p.words, p.counts if p.counts is not None else ())
    write_json(folder / "model_card.json", make_card(p, result, random_val))
    log(f"{objective}: val {result.val_loss:.3f} (random init {random_val:.3f}), {result.wall_s:.0f} s, "
        f"{folder_size(folder) / 1e6:.1f} MB -> {folder}")
    return result, folder


class ProgressLogger(Callback):
    """Logs the running loss and an ETA every `every` steps, and every validation loss."""

    def __init__(self, log: Log, every: int, total: int) -> None:
        self.log, self.every, self.total = log, every, total
        self.start = time.perf_counter()
        self.recent: list[float] = []

    def on_step_end(self, trainer: Any, step: int, loss: float) -> None:
        self.recent.append(loss)
        if step % self.every == 0 or step == self.total:
            elapsed = time.perf_counter() - self.start
            eta = elapsed / step * (self.total - step)
            self.log(f"  step {step:>5}/{self.total}  loss {np.mean(self.recent):.3f}  "
                     f"{elapsed:6.0f} s  eta {eta:5.0f} s")
            self.recent.clear()

    def on_eval(self, trainer: Any, step: int, value: float) -> None:
        self.log(f"  step {step:>5}  val loss {value:.3f}")


def shipped_validation(objective: str, n_batches: int = 2) -> tuple[Task, list[Batch]]:
    """The objective's task and the first fixed validation batches of the shipped validation split, cut with the
    shipped checkpoint's own tokenizer (or word list): what a shipped checkpoint is checked on."""
    cfg = DEFAULT_TRAIN[objective]
    valid_lines = corpus_mod.read_split("valid", shipped=True)
    folder = checkpoint_dir(objective)
    if objective == "sgns":
        words, counts = read_word_counts(folder)
        task, stream = build_task(objective, cfg, None, counts), word_stream(valid_lines, words)
    else:
        tok = load_raw_tokenizer(folder)
        vocab = Vocab.from_tokenizer(tok)
        task, stream = build_task(objective, cfg, vocab), encode_stream(valid_lines[:400], tok, vocab.sep_id)
    return task, validation_batches(task, stream, n_batches, cfg.batch_size)


def checkpoint_val_loss(objective: str, random_init: bool = False, n_batches: int = 2, seed: int = 0) -> float:
    """Validation loss of a shipped checkpoint (or its random-init twin) on the first fixed validation batches."""
    from plm_core.pretrain.checkpoints import load_bilm, load_skipgram

    task, batches = shipped_validation(objective, n_batches)
    folder = checkpoint_dir(objective)
    if objective == "sgns":
        model: torch.nn.Module = load_skipgram(folder, random_init, seed)
    elif objective == "bilm":
        model = load_bilm(folder, random_init, seed)
    else:
        from plm_core.backbones.capabilities import require
        from plm_core.backbones.registry import load_backbone

        backbone = load_backbone(TINY_CONFIGS[objective]["name"], random_init=random_init, seed=seed)
        model = require(backbone, "trainable").model
    return evaluate(task, model, batches)


@dataclass(frozen=True)
class PretrainJob:
    """The job kind "pretrain.checkpoint" (the CLI's `pretrain`): one tiny model trained and saved to `out`."""

    objective: str
    steps: int | None = None  # None: the shipped budget
    seed: int = 0
    out: str = ""  # output folder ("" = assets/checkpoints/<name>)


def run_pretrain_job(job: PretrainJob, ctx: Any) -> tuple[PretrainResult, str]:
    """`pretrain` as a job: every log line is an item (the CLI prints them as they come)."""
    result, folder = pretrain(job.objective, steps=job.steps, seed=job.seed, out=Path(job.out) if job.out else None,
                              log=ctx.emit)
    return result, str(folder)
