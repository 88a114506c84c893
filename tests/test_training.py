"""The one trainer: callback order, stop within a step, NaN notices, frozen groups, schedules, generators."""

from __future__ import annotations

import math
import random
import threading

import numpy as np
import pandas as pd
import pytest
import torch

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.pretrain.train import (
    MLMTask,
    PretrainConfig,
    PretrainTrainer,
    SGNSTask,
    Vocab,
    build_model,
    lr_at,
    validation_batches,
)
from plm_core.training import (
    Callback,
    Trainer,
    init_module,
    init_transformer,
    own_process,
    run_generators,
    torch_threads,
    warmup_cosine,
)
from plm_core.transfer import TrainConfig, train

pytestmark = pytest.mark.usefixtures("private_stores", "one_torch_thread")

V = 60
POS = ["a good and lovely film", "great acting, a joy", "wonderful, moving and funny", "superb and warm"]
NEG = ["a bad and dull film", "terrible acting, a bore", "awful, tedious and long", "boring and cold"]


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = [f"{t} {i}" for i in range(4) for t in POS] + [f"{t} {i}" for i in range(4) for t in NEG]
    df = pd.DataFrame({"text": texts, "label": ["pos"] * 16 + ["neg"] * 16}).sample(frac=1.0, random_state=0)
    return df.iloc[:24], df.iloc[24:]


@pytest.fixture(scope="module")
def encoder():
    return tiny_random_backbone("encoder", seed=1)


def vocab() -> Vocab:
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"<extra_id_{i}>" for i in range(32)]
    pieces += [f"w{i}" for i in range(V - len(pieces))]
    return Vocab(pieces, 0, 2, 3, 4, list(range(5, 37)), list(range(37)))


def stream(n: int = 3000) -> np.ndarray:
    return np.tile(np.arange(37, V), n // (V - 37) + 1)[:n].astype(np.int32)


def mlm_trainer(cfg: PretrainConfig, callbacks=(), stop=None) -> PretrainTrainer:
    v = vocab()
    task = MLMTask(v, cfg.seq_len - 2)
    model = build_model("mlm", v, seed=cfg.seed)
    return PretrainTrainer(task, model, stream(), validation_batches(task, stream(), 1, cfg.batch_size), cfg,
                           callbacks, stop)


def sgns_trainer(cfg: PretrainConfig) -> PretrainTrainer:
    task = SGNSTask(np.ones(V, dtype=np.int64), window=2, negatives=3, block_len=cfg.seq_len)
    model = build_model("sgns", None, n_words=V, seed=cfg.seed)
    return PretrainTrainer(task, model, stream(), validation_batches(task, stream(), 1, cfg.batch_size), cfg)


SMALL = PretrainConfig(steps=6, batch_size=4, seq_len=16, lr=1e-2, warmup=2, eval_every=3, eval_batches=1, seed=4)


class Recorder(Callback):
    """Every hook, in the order it fired (on_phase only when the phase changes)."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def on_train_begin(self, trainer) -> None:
        self.events.append(("train_begin",))

    def on_epoch_begin(self, trainer, epoch) -> None:
        self.events.append(("epoch_begin", epoch))

    def on_step_end(self, trainer, step, loss) -> None:
        assert math.isfinite(loss)
        self.events.append(("step", step))

    def on_eval(self, trainer, step, value) -> None:
        self.events.append(("eval", step))

    def on_epoch_end(self, trainer, record) -> None:
        self.events.append(("epoch_end", record["epoch"]))

    def on_phase(self, trainer, phase, done, total) -> None:
        if trainer is not None:
            assert 0 < done <= total
        if not self.events or self.events[-1] != ("phase", phase):
            self.events.append(("phase", phase))

    def on_train_end(self, trainer) -> None:
        self.events.append(("train_end",))


class Flag:
    """Not a threading.Event: anything with is_set() stops a run."""

    def __init__(self) -> None:
        self.value = False

    def is_set(self) -> bool:
        return self.value


# ---- callbacks and stop ---------------------------------------------------------------------------

def test_transfer_callbacks_fire_in_order(encoder, frames):
    rec = Recorder()
    cfg = TrainConfig.of(backbone="tiny", mode="finetune", epochs=2, batch_size=8, max_length=16)
    train(cfg, *frames, backbone=encoder, callbacks=[rec])
    per_epoch = [("phase", "train"), ("step", None), ("phase", "train"), ("step", None), ("phase", "train"),
                 ("step", None), ("phase", "evaluate")]
    expected = [("train_begin",)]
    step = 0
    for epoch in (1, 2):
        expected.append(("epoch_begin", epoch))
        for event in per_epoch:
            if event[0] == "step":
                step += 1
                event = ("step", step)
            expected.append(event)
        expected.append(("epoch_end", epoch))
    expected.append(("train_end",))
    assert rec.events == expected


def test_pretraining_uses_the_same_callbacks_with_on_eval():
    rec = Recorder()
    result = mlm_trainer(SMALL, [rec]).run()
    steps = [e for e in rec.events if e[0] in ("step", "eval")]
    assert steps == [("step", 1), ("step", 2), ("step", 3), ("eval", 3), ("step", 4), ("step", 5), ("step", 6),
                     ("eval", 6)]
    assert rec.events[0] == ("train_begin",) and rec.events[-1] == ("train_end",)
    assert result.steps == 6 and [s for s, _ in result.val_history] == [3, 6]


def test_stop_takes_effect_within_one_step(encoder, frames):
    flag = Flag()

    class StopAt(Callback):
        def __init__(self, at: int) -> None:
            self.at = at

        def on_step_end(self, trainer, step, loss) -> None:
            if step == self.at:
                flag.value = True

    cfg = TrainConfig.of(backbone="tiny", mode="finetune", epochs=4, batch_size=4, max_length=16)
    result = train(cfg, *frames, backbone=encoder, callbacks=[StopAt(3)], stop=flag)
    assert result.stop_reason == "user" and len(result.steps) == 3
    flag.value = False
    pre = mlm_trainer(PretrainConfig(steps=50, batch_size=4, seq_len=16, lr=1e-3, eval_every=1000, eval_batches=1),
                      [StopAt(2)], flag).run()
    assert pre.stopped and pre.stop_reason == "user" and pre.steps == 2


def test_a_stop_set_before_the_start_runs_no_step():
    flag = Flag()
    flag.value = True
    rec = Recorder()
    result = mlm_trainer(SMALL, [rec], flag).run()
    assert result.steps == 0 and result.stopped
    assert rec.events == [("train_begin",), ("train_end",)]  # train_end fires after a stop too


def test_nan_loss_stops_pretraining_with_a_notice():
    trainer = mlm_trainer(SMALL)
    with torch.no_grad():
        trainer.model.bert.embeddings.word_embeddings.weight.fill_(float("nan"))
    result = trainer.run()
    assert result.stop_reason == "nan" and result.steps == 0 and not result.stopped
    key, params = result.notices[0]
    assert key == "pretrain.err.nan_loss" and params["step"] == 1
    for lang in ("en", "ko"):
        text = PLMError(key, **params).message(lang)
        assert "{" not in text and "1" in text and "0.005" in text  # lr_at(0): half the peak after 1 of 2 warm-up steps


def test_base_trainer_loop_skeleton():
    """A subclass only writes loop(); the base counts work, records steps and checks the loss."""
    flag = Flag()

    class Toy(Trainer):
        def loop(self) -> None:
            for step, loss in enumerate([1.0, 0.5, float("inf"), 0.1], start=1):
                if self.should_stop() or not self.check_loss(loss, "transfer.err.nan_loss", epoch=1, step=step, lr="1"):
                    break
                self.add_work(1, "train")
                self.finish_step(step, loss)

    rec = Recorder()
    toy = Toy([rec], flag)
    toy.work_total = 4
    toy.fit()
    assert [s["step"] for s in toy.steps] == [1, 2] and toy.stop_reason == "nan" and toy.work_done == 2
    assert toy.notices == [("transfer.err.nan_loss", {"epoch": 1, "step": 3, "lr": "1"})]
    assert toy.memory.peak > 0 and rec.events[-1] == ("train_end",)


# ---- frozen groups --------------------------------------------------------------------------------

def test_frozen_mode_leaves_the_body_bit_identical(encoder, frames):
    before = {k: v.detach().clone() for k, v in encoder.model.state_dict().items()}
    result = train(TrainConfig.of(backbone="tiny", mode="frozen", epochs=2, max_length=16), *frames, backbone=encoder)
    after = encoder.model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert all(v == 0.0 for k, v in result.drift.items() if k != "head") and result.drift["head"] > 0


# ---- schedules --------------------------------------------------------------------------------------

def test_warmup_cosine_numbers():
    assert [warmup_cosine(s, 1.0, 4, 12) for s in range(4)] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert warmup_cosine(8, 1.0, 4, 12) == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)))
    assert warmup_cosine(12, 1.0, 4, 12) == pytest.approx(0.1) and warmup_cosine(99, 1.0, 4, 12) == pytest.approx(0.1)
    assert warmup_cosine(0, 2e-3, 0, 10) == pytest.approx(2e-3)  # no warm-up: the peak at once
    cfg = PretrainConfig(steps=12, batch_size=1, seq_len=8, lr=1.0, warmup=4)
    assert [lr_at(s, cfg) for s in range(13)] == [warmup_cosine(s, 1.0, 4, 12) for s in range(13)]


def test_transformers_cosine_schedule_differs_only_in_the_warm_up():
    """Why pretraining keeps its own formula: transformers' schedule starts at 0 (one wasted step)."""
    from transformers import get_scheduler

    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    sched = get_scheduler("cosine_with_min_lr", opt, num_warmup_steps=4, num_training_steps=12,
                          scheduler_specific_kwargs={"min_lr_rate": 0.1})
    theirs = []
    for _ in range(13):
        theirs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    ours = [warmup_cosine(s, 1.0, 4, 12) for s in range(13)]
    assert theirs[4:] == pytest.approx(ours[4:]) and theirs[0] == 0.0 and ours[0] == pytest.approx(0.25)


# ---- generators and process settings ----------------------------------------------------------------

def test_run_generators_ignore_the_process_rng():
    torch.manual_seed(123)
    np.random.seed(123)
    a = run_generators(7)
    first = (torch.rand(3, generator=a.torch), a.numpy.random(3))
    torch.manual_seed(999)
    np.random.seed(999)
    b = run_generators(7)
    assert torch.equal(first[0], torch.rand(3, generator=b.torch)) and np.array_equal(first[1], b.numpy.random(3))


def test_init_is_drawn_from_the_run_generator():
    head = torch.nn.Sequential(torch.nn.Linear(12, 8), torch.nn.GELU(), torch.nn.Linear(8, 2))
    twin = torch.nn.Sequential(torch.nn.Linear(12, 8), torch.nn.GELU(), torch.nn.Linear(8, 2))
    init_module(head, run_generators(3).torch)
    torch.manual_seed(42)  # the process RNG plays no part
    init_module(twin, run_generators(3).torch)
    assert all(torch.equal(p, q) for p, q in zip(head.parameters(), twin.parameters(), strict=True))
    bound = 1 / math.sqrt(12)
    assert head[0].weight.abs().max() <= bound and head[0].bias.abs().max() <= bound  # nn.Linear's own scheme

    bb = tiny_random_backbone("encoder", seed=0)
    other = tiny_random_backbone("encoder", seed=5)  # different weights before re-initialising
    init_transformer(bb.model, run_generators(11).torch)
    init_transformer(other.model, run_generators(11).torch)
    same = [torch.equal(p, q) for p, q in zip(bb.model.parameters(), other.model.parameters(), strict=True)]
    assert all(same)
    emb = bb.model.embeddings.word_embeddings
    assert torch.all(emb.weight[emb.padding_idx] == 0) and 0.015 < float(emb.weight.detach().std()) < 0.025
    assert torch.all(bb.model.embeddings.LayerNorm.weight == 1)


def test_t5_init_matches_the_library_scheme_matrix_by_matrix():
    """Each T5 weight matrix gets the std transformers' own T5 init gives it. The queries carry T5's
    1/sqrt(d_kv) (its attention has no such scaling): without it the attention logits started with std ~8
    and the shipped tiny T5's decoder never learnt to read its encoder."""
    from transformers import T5Config, T5ForConditionalGeneration

    config = T5Config(vocab_size=300, d_model=64, d_kv=16, d_ff=128, num_layers=2, num_heads=4,
                      decoder_start_token_id=0, dropout_rate=0.0)
    torch.manual_seed(0)
    theirs = T5ForConditionalGeneration(config)  # the library's init
    ours = T5ForConditionalGeneration(config)
    init_transformer(ours, run_generators(0).torch)
    checked = 0
    for (name, a), (_, b) in zip(theirs.named_parameters(), ours.named_parameters(), strict=True):
        if a.dim() == 2 and "relative_attention_bias" not in name:
            ratio = float(b.detach().std()) / float(a.detach().std())
            assert 0.8 < ratio < 1.25, (name, ratio)
            checked += 1
    assert checked > 20
    q = ours.encoder.block[0].layer[0].SelfAttention.q.weight
    assert abs(float(q.detach().std()) - 1 / math.sqrt(64 * 16)) < 0.005


def test_pretraining_models_are_built_from_their_seed():
    v = vocab()
    for objective in ("mlm", "clm", "span", "bilm"):
        torch.manual_seed(1)
        a = build_model(objective, v, seed=3)
        torch.manual_seed(2)
        b = build_model(objective, v, seed=3)
        c = build_model(objective, v, seed=4)
        pairs = list(zip(a.state_dict().values(), b.state_dict().values(), strict=True))
        assert all(torch.equal(x, y) for x, y in pairs), objective
        assert not all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), c.state_dict().values(), strict=True))


def test_pretraining_runs_at_once_give_the_numbers_they_give_alone():
    """mlm (dropout 0 in the tiny config) and skip-gram: masking, windows, negatives and init are per run."""
    makers = [lambda: mlm_trainer(SMALL), lambda: sgns_trainer(
        PretrainConfig(steps=6, batch_size=2, seq_len=100, lr=5e-2, warmup=0, eval_every=3, eval_batches=1, seed=2))]
    solo = [make().run() for make in makers]
    again = [make().run() for make in makers]
    barrier = threading.Barrier(4)
    together: list = [None] * 4

    def work(i: int) -> None:  # the model is built inside the thread too: its init runs beside the others
        barrier.wait()
        together[i] = makers[i % 2]().run()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, r in enumerate(together):
        s, a = solo[i % 2], again[i % 2]
        assert s.history == a.history == r.history and s.val_history == r.val_history


def test_own_process_sets_threads_and_seeds_globally():
    before = torch.get_num_threads()
    try:
        own_process(5, 1)
        assert torch.get_num_threads() == 1
        draws = (torch.rand(2), np.random.rand(2), random.random())
        own_process(5, 1)
        assert torch.equal(draws[0], torch.rand(2)) and np.array_equal(draws[1], np.random.rand(2))
        assert draws[2] == random.random()
    finally:
        torch.set_num_threads(before)


def test_torch_threads_restores_the_setting():
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
