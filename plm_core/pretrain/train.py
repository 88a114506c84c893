"""Pretraining: token streams, one `Task` per objective (batch + loss), and `PretrainTrainer`.

The trainer is a `plm_core.training.Trainer`: a page or the CLI watches it with the same `Callback`
objects as transfer (`on_step_end(trainer, step, loss)`, `on_eval(trainer, step, val_loss)`) and stops
it with a `stop` passed in (anything with `is_set()`). Batches, masking, negative sampling and the
model's initial weights come from the run's own generators (seeded with `PretrainConfig.seed`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Protocol, cast

import numpy as np
import torch
from torch.nn import functional as F

from plm_core.pretrain import examples as ex
from plm_core.pretrain.models import TINY_CONFIGS, BiLM, BiLMConfig, SkipGram, SkipGramConfig, build_hf_model
from plm_core.pretrain.tokenizer import CLS, MASK, PAD, SENTINELS, SEP, SPECIAL_TOKENS
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.training.generators import init_module, run_generators
from plm_core.training.optim import apply_rates, build_optimizer
from plm_core.training.plan import GroupPlan, NamedGroup, OptimizerKind, RateTable, numel, rate_table
from plm_core.training.schedules import warmup_cosine
from plm_core.training.trainer import Trainer


@dataclass
class PretrainConfig:
    """How long and how fast one objective trains (the defaults below are the budget the checkpoints used)."""

    steps: int  # optimizer steps
    batch_size: int  # sequences per step
    seq_len: int  # positions per sequence the model sees (skip-gram: words per run)
    lr: float  # peak learning rate, after linear warm-up; cosine decay to 10% of it
    warmup: int = 50  # warm-up steps
    # "warmup_cosine" (the transformers), or "linear": word2vec's lr * (1 - step / steps), floored at lr * 1e-4
    schedule: Literal["warmup_cosine", "linear"] = "warmup_cosine"
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    eval_every: int = 100  # steps between validation losses
    eval_batches: int = 8  # fixed validation batches per evaluation
    # span only: the first steps train the decoder to write out the whole sentence from the corrupted input
    # (a copying warm-up, SpanTask(reconstruct=True)) before span corruption proper; 0 = none
    reconstruct_steps: int = 0
    # the token embedding's learning rate, as a multiple of lr (its own optimizer group, "embeddings"), from step
    # embedding_lr_from on (before it: lr); T5's is drawn at std 1.0, so at lr alone training barely moves it
    embedding_lr_scale: float = 1.0
    embedding_lr_from: int = 0
    seed: int = 0  # seeds the run's generators: initial weights, batch windows, masking, negatives


DEFAULT_TRAIN: dict[str, PretrainConfig] = {  # one CPU thread: mlm, clm ~40-45 min; span ~25; bilm, sgns ~7-10 min
    # The encoders need far more text than GPT: a masked LM learns only from 15% of the pieces and must first
    # learn to attend to its neighbours (the MLM "unigram plateau": at 4k steps it still predicted the/of/,).
    "mlm": PretrainConfig(steps=30000, batch_size=32, seq_len=64, lr=1e-3, warmup=500, eval_every=1000),
    "clm": PretrainConfig(steps=6000, batch_size=32, seq_len=64, lr=1e-3, warmup=300, eval_every=500),
    # Span corruption alone never taught the decoder to read its encoder (12k and 24k steps: the first piece of
    # a span scored the same with another sentence's encoder states), so its encoder learned next to nothing.
    # 1,500 steps of rewriting the whole sentence first teach the decoder where to look (copying pays from the
    # first step); span corruption then reads the encoder within 1,500 steps (first-piece gap 1.0 nats at 3k).
    # Its embedding (std 1.0) then learns at 40x: at lr alone it stayed near its random draw and, frozen, read
    # movie snippets no better than the random twin; at 10x from step 0 the decoder never learned to read.
    "span": PretrainConfig(steps=6000, batch_size=32, seq_len=64, lr=1e-3, warmup=500, eval_every=1000,
                           reconstruct_steps=1500, embedding_lr_scale=40.0, embedding_lr_from=3000),
    "bilm": PretrainConfig(steps=3000, batch_size=32, seq_len=64, lr=3e-3, warmup=50),
    # Skip-gram: word2vec's own recipe, plain SGD on the summed pair losses from lr 0.025 decaying linearly,
    # ~4.6 passes over the corpus (gensim's default is 5 epochs), 2,000 words (~3,000 pairs) a step.
    # History: SparseAdam on the mean loss moved every touched row by ~lr whatever its gradient and collapsed
    # the space (king's neighbours at cosine 0.98-0.999); Adagrad gave rare words full-size first steps (king's
    # neighbours: viii, percy, gracious); SGD at lr 0.05, or on 10k-pair batches, diverges (frequent negatives
    # add up to hundred-fold steps).
    "sgns": PretrainConfig(steps=8000, batch_size=4, seq_len=500, lr=0.025, warmup=0, weight_decay=0.0,
                           eval_every=1000, schedule="linear"),
}


# ---- token streams ---------------------------------------------------------------------------------

@dataclass
class Vocab:
    """What the tasks need to know about the shared WordPiece vocabulary."""

    pieces: list[str]  # id -> piece
    pad_id: int
    cls_id: int
    sep_id: int
    mask_id: int
    sentinel_ids: list[int]
    special_ids: list[int]

    @classmethod
    def from_tokenizer(cls, tok: Any) -> Vocab:
        vocab = tok.get_vocab()
        pieces = [p for p, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
        return cls(pieces, vocab[PAD], vocab[CLS], vocab[SEP], vocab[MASK], [vocab[s] for s in SENTINELS],
                   [vocab[s] for s in SPECIAL_TOKENS])

    @property
    def size(self) -> int:
        return len(self.pieces)


def encode_stream(lines: Sequence[str], tok: Any, sep_id: int) -> np.ndarray:
    """Paragraphs -> one (N,) int32 stream of piece ids with [SEP] after each paragraph."""
    out: list[int] = []
    for enc in tok.encode_batch(list(lines), add_special_tokens=False):
        out.extend(enc.ids)
        out.append(sep_id)
    return np.asarray(out, dtype=np.int32)


def cached_stream(lines: Sequence[str], tok: Any, sep_id: int, name: str) -> np.ndarray:
    """`encode_stream`, cached in <cache>/corpus keyed by the text and the tokenizer."""
    from plm_core.paths import cache_subdir

    key = hashlib.sha1(("\n".join(lines) + tok.to_str()).encode("utf-8")).hexdigest()[:16]
    path = cache_subdir("corpus") / f"{name}.{key}.npy"
    if path.exists():
        return np.load(path)
    ids = encode_stream(lines, tok, sep_id)
    np.save(path, ids)
    return ids


def random_blocks(stream: np.ndarray, n: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """n windows of `length` ids at random offsets: (n, length) int64."""
    starts = rng.integers(0, len(stream) - length, size=n)
    return np.stack([stream[s : s + length] for s in starts]).astype(np.int64)


def fixed_blocks(stream: np.ndarray, n: int, length: int) -> np.ndarray:
    """The first n consecutive non-overlapping windows: (n, length) int64 (a fixed evaluation slice)."""
    n = min(n, len(stream) // length)
    return stream[: n * length].reshape(n, length).astype(np.int64)


# ---- one task per objective ------------------------------------------------------------------------

Batch = dict[str, np.ndarray]


class Task(Protocol):
    """Makes batches from a stream and computes the objective's loss on them."""

    def batch(self, blocks: np.ndarray, rng: np.random.Generator) -> Batch: ...
    def loss(self, model: Any, batch: Batch) -> tuple[torch.Tensor, int]: ...  # mean loss, targets counted
    block_len: int


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a))


@dataclass
class MLMTask:
    vocab: Vocab
    block_len: int = 126  # + [CLS] and [SEP] = 128 positions

    def batch(self, blocks: np.ndarray, rng: np.random.Generator) -> Batch:
        B = blocks.shape[0]
        ids = np.concatenate([np.full((B, 1), self.vocab.cls_id), blocks, np.full((B, 1), self.vocab.sep_id)], 1)
        b = ex.mlm_batch(ids, rng, self.vocab.mask_id, self.vocab.size, self.vocab.special_ids,
                         first_normal_id=len(SPECIAL_TOKENS))
        return {"input_ids": b.input_ids, "labels": b.labels}

    def loss(self, model: Any, batch: Batch) -> tuple[torch.Tensor, int]:
        labels = _t(batch["labels"])  # (B, T)
        hidden = model.bert(input_ids=_t(batch["input_ids"])).last_hidden_state  # (B, T, H)
        picked = labels != ex.IGNORE  # (B, T): only the ~15% chosen positions go through the softmax
        logits = model.cls(hidden[picked])  # (M, V)
        return F.cross_entropy(logits, labels[picked]), int(picked.sum())


@dataclass
class CLMTask:
    vocab: Vocab
    block_len: int = 129  # 128 inputs + the one token after them

    def batch(self, blocks: np.ndarray, rng: np.random.Generator) -> Batch:
        b = ex.clm_batch(blocks)
        return {"input_ids": b.input_ids, "labels": b.labels}

    def loss(self, model: Any, batch: Batch) -> tuple[torch.Tensor, int]:
        logits = model(input_ids=_t(batch["input_ids"])).logits  # (B, T, V)
        labels = _t(batch["labels"])  # (B, T) already shifted
        return F.cross_entropy(logits.flatten(0, 1), labels.flatten()), labels.numel()


@dataclass
class SpanTask:
    vocab: Vocab
    block_len: int = 120  # after corruption: ~105 kept + ~6 sentinels + EOS <= 128
    # the warm-up variant: same corrupted input, but the decoder writes out the whole original sentence + EOS
    # (as the T5 paper's "BERT-style" objective rebuilds the whole original text). Copying the kept pieces teaches
    # cross-attention to find a piece in the encoder, which span corruption needs to find its sentinel and did
    # not learn on its own.
    reconstruct: bool = False

    def batch(self, blocks: np.ndarray, rng: np.random.Generator) -> Batch:
        b = ex.span_batch(blocks, rng, self.vocab.sentinel_ids, self.vocab.sep_id, self.vocab.pad_id)
        if self.reconstruct:  # (B, T + 1): every piece of the block, then EOS
            whole = np.concatenate([blocks, np.full((len(blocks), 1), self.vocab.sep_id)], 1).astype(np.int64)
            return {"input_ids": b.input_ids, "labels": whole}
        return {"input_ids": b.input_ids, "labels": b.labels}

    def loss(self, model: Any, batch: Batch) -> tuple[torch.Tensor, int]:
        inputs, labels = _t(batch["input_ids"]), _t(batch["labels"])  # (B, Ti), (B, Tt)
        out = model(input_ids=inputs, attention_mask=(inputs != self.vocab.pad_id).long(),
                    decoder_input_ids=model._shift_right(labels))  # decoder reads [PAD] + labels[:-1]
        mask = labels != ex.IGNORE
        return F.cross_entropy(out.logits[mask], labels[mask]), int(mask.sum())  # logits (B, Tt, V)


@dataclass
class BiLMTask:
    vocab: Vocab
    block_len: int = 64

    train_share: float = 0.25  # share of positions whose softmax is computed in training (the CPU bottleneck)

    def batch(self, blocks: np.ndarray, rng: np.random.Generator) -> Batch:
        b = ex.bilm_batch(blocks)
        keep = rng.random(b.forward_labels.shape) < self.train_share  # (B, T): positions trained this step
        return {"input_ids": b.input_ids, "forward_labels": b.forward_labels, "backward_labels": b.backward_labels,
                "keep": keep}

    def loss(self, model: Any, batch: Batch) -> tuple[torch.Tensor, int]:
        out = model(_t(batch["input_ids"]), with_logits=False)
        fwd_h, bwd_h = out.states[-1].chunk(2, dim=-1)  # (B, T, H) each: top forward / backward layer
        fwd_y, bwd_y = _t(batch["forward_labels"]), _t(batch["backward_labels"])  # (B, T)
        keep = torch.ones_like(fwd_y, dtype=torch.bool)
        if model.training:  # a random subset of positions per step: 4x less softmax work, same LSTMs
            keep = _t(batch["keep"])
        fwd = F.cross_entropy(model.logits(fwd_h[keep]), fwd_y[keep], ignore_index=ex.IGNORE)  # (M, V) logits
        bwd = F.cross_entropy(model.logits(bwd_h[keep]), bwd_y[keep], ignore_index=ex.IGNORE)
        return (fwd + bwd) / 2, int((fwd_y[keep] != ex.IGNORE).sum())


@dataclass
class SGNSTask:
    counts: np.ndarray  # (V,) word counts of the skip-gram vocabulary
    window: int = 5
    negatives: int = 5
    block_len: int = 500  # words per run (before subsampling)
    sample: float = 1e-4  # subsampling threshold t: word w is kept with probability sqrt(t / f(w))
    probs: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.probs = ex.noise_distribution(self.counts)

    def batch(self, blocks: np.ndarray, rng: np.random.Generator) -> Batch:
        words = ex.subsample(blocks.reshape(-1), self.counts, rng, self.sample)  # frequent words thinned out
        b = ex.sgns_batch(words, rng, self.probs, self.window, self.negatives)
        return {"centres": b.centres, "contexts": b.contexts, "negatives": b.negatives}

    def loss(self, model: Any, batch: Batch) -> tuple[torch.Tensor, int]:
        return model(_t(batch["centres"]), _t(batch["contexts"]), _t(batch["negatives"])), len(batch["centres"])


# ---- the trainer -----------------------------------------------------------------------------------

@dataclass
class PretrainResult:
    steps: int  # optimizer steps actually taken
    tokens_seen: int  # tokens (words for skip-gram) read from the corpus
    wall_s: float
    train_loss: float  # mean of the last 50 step losses
    val_loss: float
    stopped: bool  # True when stopped early through `stop`
    history: list[tuple[int, float]] = field(default_factory=list)  # (step, train loss)
    val_history: list[tuple[int, float]] = field(default_factory=list)  # (step, validation loss)
    stop_reason: str = ""  # "" (finished), "user" (stop) or "nan" (diverged)
    notices: list[tuple[str, dict]] = field(default_factory=list)  # (message key, params) to show

    def to_dict(self) -> dict:
        return asdict(self)


def lr_at(step: int, cfg: PretrainConfig) -> float:
    """Linear warm-up to cfg.lr, then cosine decay to 10% of it at cfg.steps; or word2vec's linear decay."""
    if cfg.schedule == "linear":
        return cfg.lr * max(1e-4, 1.0 - step / cfg.steps)
    return warmup_cosine(step, cfg.lr, cfg.warmup, cfg.steps)


def pretrain_plans(model: torch.nn.Module, cfg: PretrainConfig) -> list[GroupPlan]:
    """The pretraining optimizer as a group plan, rates as multiples of the schedule's lr (`lr_at`): matrices
    decay, biases and norms do not; a transformers model's token table may learn at its own rate from a step on
    (`embedding_lr_scale` from `embedding_lr_from`). The skip-gram's tables are one group (word2vec's SGD)."""
    params = [p for p in model.parameters() if p.requires_grad]
    if isinstance(model, SkipGram):
        return [GroupPlan(NamedGroup("tables", params, "random", 0, numel(params)), True, 1.0)]
    from transformers import PreTrainedModel

    own: list[torch.nn.Parameter] = []  # the token table of a transformers model, when it learns at its own rate
    if cfg.embedding_lr_scale != 1.0 and isinstance(model, PreTrainedModel):
        table = model.get_input_embeddings()
        assert isinstance(table, torch.nn.Embedding)  # the transformers declare it an nn.Module
        own = [cast(torch.nn.Parameter, table.weight)]
    decay = [p for p in params if p.dim() >= 2 and not any(p is e for e in own)]
    rest = [p for p in params if p.dim() < 2]
    plans = [GroupPlan(NamedGroup("matrices", decay, "random", 1, numel(decay)), True, 1.0,
                       weight_decay=cfg.weight_decay),
             GroupPlan(NamedGroup("biases and norms", rest, "random", 1, numel(rest)), True, 1.0, weight_decay=0.0)]
    if own:
        plans.append(GroupPlan(NamedGroup("embeddings", own, "random", 0, numel(own)), True, cfg.embedding_lr_scale,
                               weight_decay=cfg.weight_decay, lr_from=cfg.embedding_lr_from, lr_before=1.0))
    return plans


def pretrain_rates(model: torch.nn.Module, cfg: PretrainConfig) -> RateTable:
    """Every group's rate at every step of the run, computed once: its plan's multiple of lr_at(step)."""
    return rate_table(pretrain_plans(model, cfg), [lr_at(step, cfg) for step in range(cfg.steps)])


def make_optimizer(model: torch.nn.Module, cfg: PretrainConfig) -> torch.optim.Optimizer:
    """AdamW (betas 0.9, 0.98; the per-tensor loop the checkpoints were trained with), or SGD for the skip-gram."""
    kind: OptimizerKind = "sgd" if isinstance(model, SkipGram) else "adamw"
    return build_optimizer(pretrain_plans(model, cfg), kind=kind, betas=(0.9, 0.98), fused=False)


class PretrainTrainer(Trainer):
    """Trains `model` on `task` batches drawn from `stream`: one step after another, validation every
    cfg.eval_every steps (on_eval). Work for progress: optimizer steps."""

    def __init__(self, task: Task, model: torch.nn.Module, stream: np.ndarray, valid: Sequence[Batch],
                 cfg: PretrainConfig, callbacks: Sequence[Callback] = (), stop: StopSignal | None = None) -> None:
        super().__init__(callbacks, stop)
        self.task, self.model, self.stream, self.valid, self.cfg = task, model, stream, list(valid), cfg
        self.rng = np.random.default_rng(cfg.seed)  # the run's draws: windows, masking, negatives
        self.optimizer: torch.optim.Optimizer | None = None
        self.global_step = 0
        self.history: list[tuple[int, float]] = []  # (step, train loss)
        self.val_history: list[tuple[int, float]] = []  # (step, validation loss)
        self.work_total = cfg.steps
        self.warmup_task = warmup_task(task, cfg)  # trains the first cfg.reconstruct_steps steps, if any
        self.rates = pretrain_rates(model, cfg)  # the plan's rate of every group at every step

    def task_at(self, step: int) -> Task:
        """The task step `step` (0-based) trains on: the warm-up task first, then the objective's own."""
        return self.warmup_task if self.warmup_task is not None and step < self.cfg.reconstruct_steps else self.task

    def evaluate(self) -> float:
        """Mean loss over the fixed validation batches (eval mode, no gradients), weighted by targets."""
        return evaluate(self.task, self.model, self.valid)

    def train_step(self, step: int) -> float:
        """One optimizer step at learning rate lr_at(step); returns the loss before the update."""
        assert self.optimizer is not None
        apply_rates(self.optimizer, self.rates, step)  # each group's planned rate x the schedule, from the table
        task = self.task_at(step)
        blocks = random_blocks(self.stream, self.cfg.batch_size, task.block_len, self.rng)
        loss, n = task.loss(self.model, task.batch(blocks, self.rng))
        value = loss.item()
        if not self.check_loss(value, "pretrain.err.nan_loss", step=step + 1, lr=f"{lr_at(step, self.cfg):g}"):
            return value
        self.optimizer.zero_grad(set_to_none=True)
        (loss * n if isinstance(self.model, SkipGram) else loss).backward()  # skip-gram: each pair's own gradient
        if not isinstance(self.model, SkipGram):
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
        self.optimizer.step()
        return value

    def loop(self) -> None:
        cfg = self.cfg
        self.optimizer = make_optimizer(self.model, cfg)
        self.model.train()
        while self.global_step < cfg.steps and not self.should_stop():
            loss = self.train_step(self.global_step)
            if self.stop_reason == "nan":
                break
            self.global_step += 1
            step = self.global_step
            self.history.append((step, loss))
            self.add_work(1, "train")
            self.finish_step(step, loss)
            if step % cfg.eval_every == 0 or step == cfg.steps:
                self.val_history.append((step, self.evaluate()))
                self.trigger("on_eval", step, self.val_history[-1][1])

    def run(self) -> PretrainResult:
        """fit(), then the result: the last validation loss is taken at the final step."""
        start = time.perf_counter()
        self.fit()
        wall = time.perf_counter() - start
        step, vh = self.global_step, self.val_history
        val = vh[-1][1] if vh and vh[-1][0] == step else self.evaluate()
        tail = [loss for _, loss in self.history[-50:]]
        return PretrainResult(step, step * self.cfg.batch_size * self.task.block_len, wall,
                              float(np.mean(tail)) if tail else float("nan"), val, self.stop_reason == "user",
                              list(self.history), list(vh), self.stop_reason, list(self.notices))


def warmup_task(task: Task, cfg: PretrainConfig) -> Task | None:
    """The task of the first cfg.reconstruct_steps steps: span corruption's whole-sentence variant; else None."""
    if cfg.reconstruct_steps <= 0:
        return None
    if not isinstance(task, SpanTask):
        raise ValueError("reconstruct_steps is a span-corruption warm-up; this objective has none")
    return replace(task, reconstruct=True)


def evaluate(task: Task, model: torch.nn.Module, batches: Sequence[Batch]) -> float:
    """Target-weighted mean loss of `model` on fixed batches, under eval() + inference_mode()."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    with torch.inference_mode():
        for batch in batches:
            loss, n = task.loss(model, batch)
            total += float(loss) * n
            count += n
    model.train(was_training)
    return total / max(count, 1)


READS_INPUT_GAP = 0.1  # nats: a first-piece loss this much lower with the sentence's own encoder = reads its input


@dataclass
class EncoderReliance:
    """Does a T5 decoder read its encoder? Loss on the first piece of each span (the one piece only the
    sentence can tell) with the sentence's own encoder states, and with the next sentence's in the batch."""

    own: float
    shuffled: float
    spans: int  # first pieces scored

    @property
    def gap(self) -> float:  # ~0: the decoder fills spans from its own statistics, whatever the input
        return self.shuffled - self.own


def reads_input(own: float, shuffled: float) -> bool:
    """The verdict on an EncoderReliance (or a model card's copy of it): does the decoder read the sentence?"""
    return shuffled - own >= READS_INPUT_GAP


def encoder_reliance(task: SpanTask, model: Any, batches: Sequence[Batch]) -> EncoderReliance:
    """EncoderReliance of a span-corruption model on fixed batches (each batch needs two or more sentences)."""
    sentinels = torch.tensor(sorted(task.vocab.sentinel_ids))
    was_training = model.training
    model.eval()
    totals, count = [0.0, 0.0], 0
    with torch.inference_mode():
        for batch in batches:
            inputs, labels = _t(batch["input_ids"]), _t(batch["labels"])  # (B, Ti), (B, Tt)
            mask = (inputs != task.vocab.pad_id).long()
            states = model.encoder(input_ids=inputs, attention_mask=mask).last_hidden_state  # (B, Ti, H)
            previous = torch.cat([torch.full_like(labels[:, :1], ex.IGNORE), labels[:, :-1]], 1)
            first = torch.isin(previous, sentinels) & (labels != ex.IGNORE)  # (B, Tt): right after a sentinel
            other = torch.roll(torch.arange(len(inputs)), 1)  # sentence i reads sentence i-1's encoder
            for k, (enc, m) in enumerate(((states, mask), (states[other], mask[other]))):
                logits = model(encoder_outputs=(enc,), attention_mask=m,
                               decoder_input_ids=model._shift_right(labels)).logits  # (B, Tt, V)
                totals[k] += float(F.cross_entropy(logits[first], labels[first], reduction="sum"))
            count += int(first.sum())
    model.train(was_training)
    return EncoderReliance(totals[0] / max(count, 1), totals[1] / max(count, 1), count)


def validation_batches(task: Task, stream: np.ndarray, n_batches: int, batch_size: int,
                       seed: int = 1234) -> list[Batch]:
    """Fixed validation batches: the first consecutive windows of the validation stream, corrupted with a fixed seed."""
    blocks = fixed_blocks(stream, n_batches * batch_size, task.block_len)
    rng = np.random.default_rng(seed)
    return [task.batch(blocks[i : i + batch_size], rng) for i in range(0, len(blocks), batch_size)]


# ---- building a model + task for an objective --------------------------------------------------------

def build_model(objective: str, vocab: Vocab | None, n_words: int = 0, seed: int = 0) -> torch.nn.Module:
    """A freshly initialised tiny model for the objective, its weights drawn from a generator seeded
    with `seed` (never from the process RNG): the same seed gives the same model beside any other run."""
    gen = run_generators(seed).torch
    if objective in ("mlm", "clm", "span"):
        assert vocab is not None
        return build_hf_model(objective, vocab.size, vocab.pad_id, vocab.sep_id, seed)
    if objective == "bilm":
        assert vocab is not None
        c = TINY_CONFIGS["bilm"]
        bilm = BiLM(BiLMConfig(vocab.size, hidden=c["hidden"], layers=c["layers"], pad_id=vocab.pad_id))
        init_module(bilm, gen)  # LSTMs: torch's uniform init
        with torch.no_grad():
            torch.nn.init.normal_(bilm.embed.weight, std=0.05, generator=gen)  # as BiLM.__init__ does
        return bilm
    sgns = SkipGram(SkipGramConfig(n_words, TINY_CONFIGS["sgns"]["hidden"]))
    dim = sgns.config.dim
    with torch.no_grad():  # word2vec's init, as SkipGram.__init__ does
        torch.nn.init.uniform_(sgns.centre.weight, -0.5 / dim, 0.5 / dim, generator=gen)
        torch.nn.init.zeros_(sgns.context.weight)
    return sgns


def block_len_for(objective: str, seq_len: int) -> int:
    """Raw corpus ids per sequence so that the model sees `seq_len` positions."""
    return {"mlm": seq_len - 2, "clm": seq_len + 1, "span": seq_len - 8}.get(objective, seq_len)


def build_task(objective: str, cfg: PretrainConfig, vocab: Vocab | None, counts: np.ndarray | None = None) -> Task:
    """The objective's batch maker + loss, cutting sequences of cfg.seq_len positions."""
    block = block_len_for(objective, cfg.seq_len)
    if objective == "sgns":
        assert counts is not None  # the skip-gram task samples from the word counts
        c = TINY_CONFIGS["sgns"]
        return SGNSTask(counts, c["window"], c["negatives"], block, c["sample"])
    assert vocab is not None  # the other objectives cut WordPiece ids
    tasks: dict[str, Callable[[Vocab, int], Task]] = {"mlm": MLMTask, "clm": CLMTask, "span": SpanTask,
                                                       "bilm": BiLMTask}
    return tasks[objective](vocab, block)


# ---- the skip-gram word vocabulary ------------------------------------------------------------------

def word_vocab(lines: Sequence[str], size: int, min_count: int) -> tuple[list[str], np.ndarray]:
    """The `size` most frequent words (count >= min_count; ties by spelling) and their counts."""
    from collections import Counter

    from plm_core.backbones.static import split_words

    counts = Counter(w for line in lines for w in split_words(line))
    ranked = sorted(((w, n) for w, n in counts.items() if n >= min_count), key=lambda wn: (-wn[1], wn[0]))[:size]
    return [w for w, _ in ranked], np.asarray([n for _, n in ranked], dtype=np.int64)


def word_stream(lines: Sequence[str], words: Sequence[str]) -> np.ndarray:
    """Paragraphs -> (N,) int32 ids of in-vocabulary words (out-of-vocabulary words are skipped)."""
    from plm_core.backbones.static import split_words

    index = {w: i for i, w in enumerate(words)}
    return np.asarray([index[w] for line in lines for w in split_words(line) if w in index], dtype=np.int32)
