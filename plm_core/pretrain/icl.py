"""A synthetic in-context task and the width sweep of the tiny GPT on it (GPT-3 card, part b: "steeper with size").

Each sequence draws its own random one-to-one mapping of `symbols` input letters (a, b, ...) onto as many output
letters (A, B, ...) and shows pairs x -> y of it, each query x followed by its answered pair as one token "x=y":

    <bos> x1 [x1=y1] x2 [x2=y2] ... xP [xP=yP]     (x_i drawn with replacement; y_i = mapping(x_i))

At each x_i the model names y_i (scored over the output letters A, B, ... only); the pair token that follows
shows the answer. One token per demonstration keeps the lookup within one attention hop (match x_i with the
pair that holds it, read its y). Measured while choosing the task (d_model 32, 2 layers, batch 32): with x and y
as two tokens, 10 letters, the loss stayed at chance for 1,000 steps; with pair tokens, 10 letters, for 1,500
steps; with 6 letters the model reached the ideal reader within 1,500 steps. The shipped task uses 8.

The mapping is new in every sequence, so y_{K+1} can only be read from the K pairs before it: with no pairs
(K = 0) any model is at chance (1 / symbols), with K pairs the best possible accuracy is the `ideal` lookup
(1 when x_{K+1} was shown, else a guess among the outputs not yet used). Training scores every y; the evaluation
reads the y after exactly K pairs, on held-out sequences drawn from generators the training never uses.

    tiny-gpt-icl-<d_model>   GPT2LMHeadModel, 2 layers, 2 heads, d_model 16 / 32 / 64, its own vocabulary of
                             2 + 2n + n^2 tokens (no shared WordPiece: the task has no words)
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from plm_core.pretrain.checkpoints import checkpoints_root, mark_float32, read_json, require_checkpoint, write_json

PAD, BOS = 0, 1  # token ids; inputs 2 .. 2+n-1, outputs 2+n .. 2+2n-1, pairs 2+2n + x*n + y
TRAIN_STREAM, EVAL_STREAM = 101, 202  # numpy seed-sequence keys: training and evaluation never share a draw
SWEEP_NAME = "icl_width_sweep.json"
# 128 was planned too: ~0.07 CPU s a step (~3.5 CPU min for 3,000 steps) fits the CPU budget, but on the shared
# 2-core machine one process got ~7 % of a core (~45 min wall), so the shipped sweep is 16 / 32 / 64.
WIDTHS = (16, 32, 64)
SWEEP_KS = (0, 1, 2, 4, 8)


@dataclass(frozen=True)
class IclTask:
    symbols: int = 8  # input letters, each mapped to one of as many output letters (chance = 1 / symbols)
    pairs: int = 12  # x -> y pairs per training sequence (K = 0 .. pairs - 1 demonstrations before a y)

    @property
    def vocab_size(self) -> int:
        return 2 + 2 * self.symbols + self.symbols ** 2

    @property
    def seq_len(self) -> int:
        return 1 + 2 * self.pairs

    def vocab(self) -> list[str]:
        """Token id -> its text (the model card keeps it)."""
        letters = [chr(ord("a") + i) for i in range(self.symbols)]
        return ["<pad>", "<bos>", *letters, *(c.upper() for c in letters),
                *(f"{a}={b.upper()}" for a in letters for b in letters)]


@dataclass(frozen=True)
class IclTrainConfig:
    d_model: int = 64
    layers: int = 2
    heads: int = 2
    steps: int = 3000
    batch_size: int = 32
    lr: float = 2e-3
    warmup: int = 200
    weight_decay: float = 0.01
    seed: int = 0

    @property
    def name(self) -> str:
        return f"tiny-gpt-icl-{self.d_model}"


@dataclass(frozen=True)
class IclBatch:
    ids: torch.Tensor  # (N, 1 + 2P) token ids
    xs: np.ndarray  # (N, P) input letter of each pair (0 .. n-1)
    ys: np.ndarray  # (N, P) output letter of each pair (0 .. n-1)


def draw_sequences(task: IclTask, n: int, rng: np.random.Generator, pairs: int | None = None) -> IclBatch:
    """n sequences, each with its own random mapping (a permutation of the output letters)."""
    P = pairs or task.pairs
    mapping = np.argsort(rng.random((n, task.symbols)), axis=1)  # (N, n): a random permutation per sequence
    xs = rng.integers(0, task.symbols, size=(n, P))  # (N, P)
    ys = np.take_along_axis(mapping, xs, axis=1)  # (N, P)
    ids = np.full((n, 1 + 2 * P), BOS, dtype=np.int64)  # (N, T)
    ids[:, 1::2] = 2 + xs
    ids[:, 2::2] = 2 + 2 * task.symbols + xs * task.symbols + ys  # the answered pair x=y
    return IclBatch(torch.from_numpy(ids), xs, ys)


def train_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([TRAIN_STREAM, int(seed)])


def eval_rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([EVAL_STREAM, int(seed)])


def build_icl_model(task: IclTask, cfg: IclTrainConfig) -> Any:
    """A fresh tiny GPT-2 (no dropout) whose weights come from cfg.seed only."""
    from transformers import GPT2Config, GPT2LMHeadModel

    from plm_core.training.generators import init_transformer, run_generators

    config = GPT2Config(vocab_size=task.vocab_size, n_embd=cfg.d_model, n_layer=cfg.layers, n_head=cfg.heads,
                        n_inner=4 * cfg.d_model, n_positions=max(64, task.seq_len), bos_token_id=BOS,
                        eos_token_id=BOS, pad_token_id=PAD, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    model = GPT2LMHeadModel(config).float()
    init_transformer(model, run_generators(cfg.seed).torch)
    return model


def output_logits(model: Any, task: IclTask, ids: torch.Tensor) -> torch.Tensor:
    """ids (N, 1 + 2P) -> (N, P, n): at each x, the scores of the n output letters for the y that follows."""
    logits = model(input_ids=ids).logits  # (N, T, V)
    at_x = logits[:, 1::2, :]  # (N, P, V): position 1 + 2i holds x_i and names y_i
    return at_x[:, :, 2 + task.symbols:2 + 2 * task.symbols]  # (N, P, n)


def batch_loss(model: Any, task: IclTask, batch: IclBatch) -> torch.Tensor:
    scores = output_logits(model, task, batch.ids)  # (N, P, n)
    target = torch.from_numpy(batch.ys)  # (N, P)
    return F.cross_entropy(scores.reshape(-1, task.symbols), target.reshape(-1))


def lr_at(step: int, cfg: IclTrainConfig) -> float:
    """Linear warm-up, then cosine decay to a tenth of the peak."""
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    t = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return cfg.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


@dataclass(frozen=True)
class IclTrainResult:
    model: Any
    losses: tuple[tuple[int, float], ...]  # (step, mean training loss over the last interval)
    cpu_s: float  # CPU time of this process (one thread)
    wall_s: float


def train_icl(task: IclTask, cfg: IclTrainConfig, log: Any = None, every: int = 250) -> IclTrainResult:
    """Train one width from scratch on fresh sequences (every step draws new mappings from the run's generator)."""
    model = build_icl_model(task, cfg).train()
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    rng = train_rng(cfg.seed)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    losses: list[tuple[int, float]] = []
    running: list[float] = []
    for step in range(cfg.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, cfg)
        loss = batch_loss(model, task, draw_sequences(task, cfg.batch_size, rng))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running.append(loss.item())
        if (step + 1) % every == 0 or step + 1 == cfg.steps:
            losses.append((step + 1, round(float(np.mean(running)), 4)))
            running = []
            if log is not None:
                log(f"{cfg.name} step {step + 1}/{cfg.steps} loss {losses[-1][1]:.4f} "
                    f"cpu {time.process_time() - cpu0:.0f}s wall {time.perf_counter() - wall0:.0f}s")
    return IclTrainResult(model.eval(), tuple(losses), time.process_time() - cpu0, time.perf_counter() - wall0)


# ---- evaluation ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IclCurve:
    ks: tuple[int, ...]
    accuracy: np.ndarray  # (S, len(ks)): fraction correct per evaluation seed and K
    ideal: np.ndarray  # (S, len(ks)): the best possible (lookup of the shown pairs) on the same sequences
    chance: float


def ideal_accuracy(task: IclTask, batch: IclBatch, k: int) -> np.ndarray:
    """(N,) expected accuracy of the perfect reader after k pairs: 1 if x_{k+1} was shown, else 1 / unused outputs."""
    x = batch.xs[:, k]  # (N,)
    seen = (batch.xs[:, :k] == x[:, None]).any(axis=1)  # (N,)
    used = np.array([len(set(row)) for row in batch.ys[:, :k]], dtype=float)  # (N,) distinct outputs shown
    return np.where(seen, 1.0, 1.0 / np.maximum(task.symbols - used, 1))  # all used: x was shown


@torch.no_grad()
def icl_curve(model: Any, task: IclTask, ks: tuple[int, ...] = SWEEP_KS, seeds: tuple[int, ...] = (0, 1, 2),
              sequences: int = 1000, chunk: int = 250) -> IclCurve:
    """Accuracy of the output letter after exactly K pairs, per evaluation seed (seed = the held-out draw of
    sequences, each with its own mapping). Only output letters compete (as a prompt's label words do)."""
    model.eval()
    P = max(ks) + 1
    acc = np.zeros((len(seeds), len(ks)))
    ideal = np.zeros((len(seeds), len(ks)))
    for i, seed in enumerate(seeds):
        batch = draw_sequences(task, sequences, eval_rng(seed), pairs=P)
        preds = torch.cat([output_logits(model, task, batch.ids[j:j + chunk]).argmax(-1)  # (c, P)
                           for j in range(0, sequences, chunk)]).numpy()  # (N, P)
        for j, k in enumerate(ks):
            acc[i, j] = float((preds[:, k] == batch.ys[:, k]).mean())
            ideal[i, j] = float(ideal_accuracy(task, batch, k).mean())
    return IclCurve(tuple(ks), acc, ideal, 1.0 / task.symbols)


# ---- checkpoints and the sweep file -----------------------------------------------------------------

def icl_dir(d_model: int) -> Path:
    return checkpoints_root() / f"tiny-gpt-icl-{d_model}"


def sweep_path() -> Path:
    return checkpoints_root() / SWEEP_NAME


def save_icl(result: IclTrainResult, task: IclTask, cfg: IclTrainConfig, folder: Path, threads: int) -> dict:
    """Weights (fp16 safetensors, config says float32) and model_card.json; returns the card."""
    import copy

    folder.mkdir(parents=True, exist_ok=True)
    copy.deepcopy(result.model).half().save_pretrained(str(folder))
    mark_float32(folder)
    check = icl_curve(result.model, task, seeds=(999,), sequences=500)
    card = {
        "name": cfg.name,
        "objective": "icl",
        "task": {**asdict(task), "description": "per sequence a random one-to-one mapping of input letters "
                 "onto output letters; each query x is followed by its answered pair as one token x=Y; at x "
                 "the model names Y (only the pairs before it tell the mapping)", "vocab": task.vocab()},
        "architecture": {"layers": cfg.layers, "hidden": cfg.d_model, "heads": cfg.heads, "ffn": 4 * cfg.d_model,
                         "max_len": max(64, task.seq_len)},
        "params": sum(p.numel() for p in result.model.parameters()),
        "train": asdict(cfg),
        "sequences_seen": cfg.steps * cfg.batch_size,
        "tokens_seen": cfg.steps * cfg.batch_size * task.seq_len,
        "threads": threads,
        "cpu_time_s": round(result.cpu_s, 1),
        "wall_time_s": round(result.wall_s, 1),
        "loss_history": [list(x) for x in result.losses],
        "final_train_loss": result.losses[-1][1] if result.losses else None,
        "chance_loss": round(math.log(task.symbols), 4),
        "check": {"seed": 999, "sequences": 500,
                  "accuracy": {str(k): round(float(a), 4) for k, a in zip(check.ks, check.accuracy[0], strict=True)},
                  "ideal": {str(k): round(float(a), 4) for k, a in zip(check.ks, check.ideal[0], strict=True)}},
        "rebuild": f"python scripts/icl_widths.py train --width {cfg.d_model} --steps {cfg.steps} --seed {cfg.seed}",
    }
    write_json(folder / "model_card.json", card)
    return card


def load_icl(folder: Path) -> tuple[Any, IclTask]:
    """A shipped width (float32, eval mode) and its task."""
    from transformers import GPT2LMHeadModel

    require_checkpoint(folder, folder.name)
    card = read_json(folder / "model_card.json")
    task = IclTask(symbols=int(card["task"]["symbols"]), pairs=int(card["task"]["pairs"]))
    model = GPT2LMHeadModel.from_pretrained(str(folder), dtype=torch.float32)
    return model.eval(), task


def sweep_record(curves: dict[int, IclCurve], cards: dict[int, dict], seeds: tuple[int, ...], sequences: int,
                 task: IclTask) -> dict:
    """The sweep file's layout (read by the GPT-3 card, plm_core.evidence.cards_probes.read_sweep):
    {"widths": [{name, d_model, params, accuracy: {K: [fraction per seed]}, mean, sd, ...}, ...] narrowest first,
     "ideal": {K: [per seed]}, "chance", "ks", "seeds", "sequences_per_seed", "task"}."""
    widths = []
    ideal = next(iter(curves.values())).ideal
    ks = next(iter(curves.values())).ks
    for d in sorted(curves):
        c = curves[d]
        card = cards.get(d, {})
        widths.append({
            "name": f"tiny-gpt-icl-{d}", "d_model": d, "params": card.get("params"),
            "train_steps": card.get("train", {}).get("steps"), "train_cpu_s": card.get("cpu_time_s"),
            "train_wall_s": card.get("wall_time_s"),
            "accuracy": {str(k): [round(float(x), 4) for x in c.accuracy[:, j]] for j, k in enumerate(c.ks)},
            "mean": {str(k): round(float(c.accuracy[:, j].mean()), 4) for j, k in enumerate(c.ks)},
            "sd": {str(k): round(float(c.accuracy[:, j].std(ddof=1)), 4) if len(seeds) > 1 else 0.0
                   for j, k in enumerate(c.ks)},
        })
    return {"task": asdict(task), "ks": list(ks), "seeds": list(seeds), "sequences_per_seed": sequences,
            "chance": round(1.0 / task.symbols, 4), "unit": "fraction correct",
            "ideal": {str(k): [round(float(x), 4) for x in ideal[:, j]] for j, k in enumerate(ks)},
            "widths": widths}


def run_sweep(widths: tuple[int, ...] = WIDTHS, seeds: tuple[int, ...] = (0, 1, 2), sequences: int = 1000,
              out: Path | None = None, root: Path | None = None) -> dict:
    """Evaluate every width (shipped, or under `root`) on the same held-out draws and write the sweep file
    (shipped: the sweep file and each width's README); returns its record."""
    curves: dict[int, IclCurve] = {}
    cards: dict[int, dict] = {}
    task = IclTask()
    folders = {d: (root / f"tiny-gpt-icl-{d}") if root else icl_dir(d) for d in widths}
    for d in widths:
        model, task = load_icl(folders[d])
        curves[d] = icl_curve(model, task, SWEEP_KS, seeds, sequences)
        cards[d] = read_json(folders[d] / "model_card.json")
    record = sweep_record(curves, cards, seeds, sequences, task)
    target = out or (root / SWEEP_NAME if root else sweep_path())
    write_json(target, record)
    if out is None and root is None:
        for entry in record["widths"]:
            write_icl_readme(icl_dir(int(entry["d_model"])), entry)
    return record


def sweep_table(record: dict) -> list[str]:
    """One line per width: accuracy (%) mean ± sample sd over the seeds at each K."""
    lines = ["width   " + "  ".join(f"K={k:<12}" for k in record["ks"]) + "  train cpu s"]
    for w in record["widths"]:
        cells = [f"{100 * w['mean'][str(k)]:5.1f} ± {100 * w['sd'][str(k)]:4.1f}" for k in record["ks"]]
        lines.append(f"{w['d_model']:<7} " + "  ".join(f"{c:<14}" for c in cells) + f"  {w['train_cpu_s']}")
    ideal = [100 * float(np.mean(record["ideal"][str(k)])) for k in record["ks"]]
    lines.append("ideal   " + "  ".join(f"{v:5.1f}{'':9}" for v in ideal))
    return lines


def write_icl_readme(folder: Path, entry: dict | None = None) -> Path:
    """README.md of one width from its model card (and its row of the sweep, when given)."""
    card = read_json(folder / "model_card.json")
    arch, t = card["architecture"], card["task"]
    lines = [f"# {card['name']}", "",
             f"A tiny GPT-2 ({arch['layers']} layers, d_model {arch['hidden']}, {arch['heads']} heads, "
             f"{card['params']:,} parameters) trained from scratch on a synthetic in-context task: {t['description']} "
             f"({t['symbols']} letters, {t['pairs']} pairs a sequence, chance {100 / t['symbols']:.1f} %).", "",
             f"- steps {card['train']['steps']:,} x batch {card['train']['batch_size']} "
             f"({card['sequences_seen']:,} sequences, {card['tokens_seen']:,} tokens), AdamW lr {card['train']['lr']}, "
             f"seed {card['train']['seed']}",
             f"- {card['threads']} thread: {card['cpu_time_s']} CPU s, {card['wall_time_s']} s wall on a shared "
             "2-core machine",
             f"- training loss {card['final_train_loss']} (chance {card['chance_loss']})",
             f"- rebuild: `{card['rebuild']}`"]
    if entry is not None:
        ks = list(entry["mean"])
        lines += ["", "Accuracy (%) after K demonstrations, mean ± sd over the held-out seeds (icl_width_sweep.json):",
                  "",
                  "| K | " + " | ".join(ks) + " |", "|---|" + "---|" * len(ks),
                  "| accuracy | " + " | ".join(f"{100 * entry['mean'][k]:.1f} ± {100 * entry['sd'][k]:.1f}"
                                              for k in ks) + " |"]
    path = folder / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
