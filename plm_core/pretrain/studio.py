"""What the "Pretraining" page needs, as plain data: a sentence's training example, the shipped models'
predictions as tables, and a live pretraining run as a job kind (the job service runs it in a worker).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from plm_core.errors import PLMError
from plm_core.pretrain import examples as ex
from plm_core.pretrain.models import OBJECTIVES, TINY_CONFIGS
from plm_core.training import Callback

MAX_PIECES = 64  # sentences are cut to this many pieces (the models were trained on 64)
BACKBONE_NAMES: dict[str, str] = {obj: TINY_CONFIGS[obj]["name"] for obj in OBJECTIVES}


# ---- a sentence's training example -----------------------------------------------------------------

@lru_cache(maxsize=1)
def shared_vocab() -> Any:
    """(raw tokenizer, Vocab) of the shared WordPiece vocabulary."""
    from plm_core.pretrain.tokenizer import load_raw_tokenizer
    from plm_core.pretrain.train import Vocab

    tok = load_raw_tokenizer()
    return tok, Vocab.from_tokenizer(tok)


@lru_cache(maxsize=1)
def sgns_vocab() -> tuple[list[str], np.ndarray, dict[str, int]]:
    """(words, noise distribution, word -> id) of the shipped skip-gram checkpoint."""
    from plm_core.pretrain.checkpoints import checkpoint_dir, read_word_counts, require_checkpoint

    folder = checkpoint_dir("sgns")
    require_checkpoint(folder, BACKBONE_NAMES["sgns"])
    words, counts = read_word_counts(folder)
    return words, ex.noise_distribution(counts), {w: i for i, w in enumerate(words)}


def sentence_example(objective: str, text: str, seed: int = 0, window: int | None = None,
                     k: int | None = None) -> ex.Example:
    """The training example `objective` makes from `text` (the same builders the trainer uses; the skip-gram's
    window and negatives per pair default to the shipped model's, TINY_CONFIGS["sgns"])."""
    if objective not in OBJECTIVES:
        raise PLMError("pretrain.err.unknown_objective", objective=objective, choices=", ".join(OBJECTIVES))
    if not text.strip():
        raise PLMError("pretrain.err.empty_text")
    rng = np.random.default_rng(seed)
    if objective == "sgns":
        c = TINY_CONFIGS["sgns"]
        return sgns_sentence_example(text, rng, c["window"] if window is None else window,
                                     c["negatives"] if k is None else k)
    tok, vocab = shared_vocab()
    enc = tok.encode(text, add_special_tokens=False)
    ids, pieces = enc.ids[:MAX_PIECES], enc.tokens[:MAX_PIECES]
    if len(ids) < 2:
        raise PLMError("pretrain.err.too_short", n=len(ids))
    if objective == "mlm":
        ids, pieces = [vocab.cls_id, *ids, vocab.sep_id], ["[CLS]", *pieces, "[SEP]"]
        return ex.mlm_example(ids, pieces, vocab.pieces, rng, vocab.mask_id, vocab.special_ids,
                              first_normal_id=len(vocab.special_ids))
    if objective == "clm":
        return ex.clm_example(ids, pieces)
    if objective == "span":
        return ex.span_example(ids, vocab.pieces, rng, vocab.sentinel_ids, vocab.sep_id, vocab.pad_id)
    return ex.bilm_example(ids, pieces)


def sgns_sentence_example(text: str, rng: np.random.Generator, window: int, k: int) -> ex.Example:
    from plm_core.backbones.static import split_words

    words, probs, index = sgns_vocab()
    tokens = split_words(text)
    known = [w for w in tokens if w in index]
    if len(known) < 2:
        raise PLMError("pretrain.err.too_short", n=len(known))
    e = ex.sgns_example([index[w] for w in known], known, words, probs, rng, window, k)
    e.detail["unknown"] = [w for w in tokens if w not in index]
    return e


def example_table(e: ex.Example) -> pd.DataFrame:
    """One row per prediction the example asks for (what the page shows under the sentence)."""
    if e.objective == "mlm":
        return pd.DataFrame({"position": e.positions, "input": [e.inputs[p] for p in e.positions],
                             "target": e.targets, "corruption": e.detail["kinds"]})
    if e.objective == "clm":
        return pd.DataFrame({"position": e.positions, "reads up to": e.inputs, "target (next)": e.targets})
    if e.objective == "bilm":
        return pd.DataFrame({"position": e.positions, "piece": e.inputs, "forward target (next)": e.targets,
                             "backward target (previous)": e.detail["backward_targets"]})
    if e.objective == "sgns":
        return pd.DataFrame({"centre": [c for c, _ in e.detail["pairs"]],
                             "context (+)": [x for _, x in e.detail["pairs"]],
                             "negatives (-)": [", ".join(n) for n in e.detail["negatives"]]})
    return pd.DataFrame({"input (encoder)": [" ".join(e.inputs)], "target (decoder)": [" ".join(e.targets)]})


# ---- the shipped models' predictions ---------------------------------------------------------------

def bilm_table(preds: list[Any]) -> pd.DataFrame:
    """One row per piece: the backward LM's guess for the piece before it, the forward LM's for the one after."""
    def fmt(r: list[tuple[str, float]]) -> str:
        return ", ".join(f"{w} {p:.2f}" for w, p in r)

    return pd.DataFrame({"piece": [p.piece for p in preds],
                         "previous? (backward LM)": [fmt(p.previous_top) for p in preds],
                         "next? (forward LM)": [fmt(p.next_top) for p in preds]})


# ---- live pretraining ------------------------------------------------------------------------------

LIVE_TRAIN: dict[str, dict[str, Any]] = {  # small batches so a few hundred steps take about a minute
    "mlm": dict(steps=300, batch_size=16, seq_len=64, lr=2e-3, warmup=30, eval_every=50, eval_batches=2),
    "clm": dict(steps=300, batch_size=8, seq_len=64, lr=3e-3, warmup=30, eval_every=50, eval_batches=2),
    "span": dict(steps=300, batch_size=16, seq_len=64, lr=3e-3, warmup=30, eval_every=50, eval_batches=2),
    "bilm": dict(steps=200, batch_size=8, seq_len=64, lr=3e-3, warmup=20, eval_every=50, eval_batches=2),
    "sgns": dict(steps=400, batch_size=4, seq_len=500, lr=1e-2, warmup=0, eval_every=50, eval_batches=2,
                 weight_decay=0.0),
}
LIVE_PROBES: dict[str, str] = {
    "mlm": "the united [MASK] of america .", "clm": "the united states of",
    "span": "the united <extra_id_0> of america .",
    "bilm": "the united states of", "sgns": "king",
}


@dataclass
class LiveState:
    """What a page draws of a live run (the job's live view; its final value is the job's result)."""

    objective: str = "mlm"
    status: str = "starting"  # starting | running | done | stopped
    steps_total: int = 0
    history: list[tuple[int, float]] = field(default_factory=list)  # (step, train loss)
    val_history: list[tuple[int, float]] = field(default_factory=list)  # (step, validation loss)
    probes: list[tuple[int, str]] = field(default_factory=list)  # (step, what the probe answered)

    @property
    def step(self) -> int:
        return self.history[-1][0] if self.history else 0


@dataclass(frozen=True)
class LivePretrainJob:
    """A fresh tiny model pretrained on the shipped corpus slice, watched live (a job kind's config)."""

    objective: str
    steps: int = 0  # 0: the objective's live default (LIVE_TRAIN)
    seed: int = 0
    probe_every: int = 50
    init_from: str = ""  # "" = fresh random weights; "shipped" = continue the shipped checkpoint (never overwritten)

    def train_config(self) -> Any:
        from plm_core.pretrain.train import PretrainConfig

        if self.objective not in OBJECTIVES:
            raise PLMError("pretrain.err.unknown_objective", objective=self.objective, choices=", ".join(OBJECTIVES))
        params = dict(LIVE_TRAIN[self.objective], **({"steps": self.steps} if self.steps else {}))
        return PretrainConfig(seed=self.seed, **params)


class LiveCallback(Callback):
    """Trainer callbacks -> the live view: losses every step, the probe every `every` steps."""

    def __init__(self, ctx: Any, state: LiveState, p: Any, every: int) -> None:
        self.ctx, self.state, self.p, self.every = ctx, state, p, every

    def push(self) -> None:
        step, total = self.state.step, self.state.steps_total
        self.ctx.update(fraction=step / max(total, 1), current=f"{step}/{total}", state=self.state)

    def on_step_end(self, trainer: Any, step: int, loss: float) -> None:
        self.state.history.append((step, loss))
        if step % self.every == 0 and step < self.state.steps_total:
            self.state.probes.append((step, probe_live(self.p, LIVE_PROBES[self.p.objective])))
        self.push()

    def on_eval(self, trainer: Any, step: int, value: float) -> None:
        self.state.val_history.append((step, value))


def run_live_pretraining(job: LivePretrainJob, ctx: Any) -> LiveState:
    """The job kind "pretrain.live": train, report every step, probe every `probe_every` steps."""
    from plm_core.pretrain.pipeline import prepare
    from plm_core.pretrain.train import PretrainTrainer

    cfg = job.train_config()
    state = LiveState(objective=job.objective, steps_total=cfg.steps)
    p = prepare(job.objective, cfg, shipped=True, seed=cfg.seed, init_from=init_folder(job.objective, job.init_from))
    live = LiveCallback(ctx, state, p, job.probe_every)
    trainer = PretrainTrainer(p.task, p.model, p.train_stream, p.valid, p.cfg, callbacks=[live], stop=ctx.stop)
    state.val_history.append((0, trainer.evaluate()))
    state.probes.append((0, probe_live(p, LIVE_PROBES[job.objective])))
    state.status = "running"
    live.push()
    result = trainer.run()
    state.probes.append((result.steps, probe_live(p, LIVE_PROBES[job.objective])))
    state.status = "stopped" if result.stopped else "done"
    live.push()
    return state


def init_folder(objective: str, init_from: str) -> Any:
    """The checkpoint folder a run starts from (None: fresh weights)."""
    if not init_from:
        return None
    if init_from != "shipped":
        raise PLMError("pretrain.err.bad_init_from", init_from=init_from)
    from plm_core.pretrain.checkpoints import checkpoint_dir

    return checkpoint_dir(objective)


def probe_live(p: Any, text: str, k: int = 3) -> str:
    """The in-training model's answer to its probe, as one line (the model goes back to train() after)."""
    from plm_core.pretrain import probes

    bb = live_backbone(p)
    try:
        if p.objective == "mlm":
            ranked = probes.fill_mask(bb, text, k)[0]
        elif p.objective in ("clm", "bilm"):
            ranked = probes.next_tokens(bb, text, k)
        elif p.objective == "span":
            return probes.fill_spans(bb, text, max_new=8).get("<extra_id_0>", "")
        else:
            ranked = probes.neighbours(bb, text, k)
        return ", ".join(f"{w} {s:.2f}" for w, s in ranked)
    finally:
        p.model.train()


def live_backbone(p: Any) -> Any:
    """Wrap the model being trained in the common interface (no copy: it is only read, between steps)."""
    from plm_core.backbones.registry import get_spec

    spec = get_spec(BACKBONE_NAMES[p.objective])
    if p.objective in ("mlm", "clm", "span"):
        from plm_core.backbones.hf import HFBackbone
        from plm_core.pretrain.checkpoints import TEMPLATES
        from plm_core.pretrain.tokenizer import to_transformers

        head = {"mlm": "mlm", "clm": "clm", "span": "seq2seq"}[p.objective]
        return HFBackbone(spec, p.model, to_transformers(p.tokenizer, TEMPLATES[p.objective]), head=head)
    if p.objective == "bilm":
        from plm_core.pretrain.family import BiLMBackbone

        return BiLMBackbone(spec, p.model, p.tokenizer)
    from plm_core.backbones.static import StaticVectors

    return StaticVectors(spec, p.words, p.model.centre.weight.detach().numpy().copy())


def sgns_window(e: ex.Example, window: int) -> tuple[list[str], int, list[str]]:
    """What the SGNS diagram draws for a skip-gram example: (words, centre position, that centre's first
    pair's negatives). The middle word is the centre; pairs run by centre position (skipgram_pairs)."""
    words = list(e.tokens)
    centre = len(words) // 2
    before = sum(min(i, window) + min(len(words) - 1 - i, window) for i in range(centre))
    negatives = e.detail["negatives"][before] if before < len(e.detail["negatives"]) else []
    return words, centre, list(negatives)
