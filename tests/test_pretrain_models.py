"""Tiny random models: biLM directions, skip-gram loss, trainer callbacks/stop flag, checkpoint round trips."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
import torch

from plm_core.pretrain import examples as ex
from plm_core.pretrain.checkpoints import load_bilm, load_word_vectors, save_model
from plm_core.pretrain.models import BiLM, BiLMConfig, SkipGram, SkipGramConfig, build_hf_model, reverse_padded
from plm_core.pretrain.train import (
    DEFAULT_TRAIN,
    BiLMTask,
    CLMTask,
    MLMTask,
    PretrainConfig,
    PretrainTrainer,
    SGNSTask,
    SpanTask,
    Vocab,
    encoder_reliance,
    evaluate,
    lr_at,
    make_optimizer,
    validation_batches,
)
from plm_core.training import Callback
from plm_core.training.plan import set_rates

V = 60


@pytest.fixture(autouse=True)
def one_thread(one_torch_thread):
    """Every test here runs with one torch thread (see conftest.one_torch_thread)."""


def vocab() -> Vocab:
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [f"<extra_id_{i}>" for i in range(32)]
    pieces += [f"w{i}" for i in range(V - len(pieces))]
    return Vocab(pieces, 0, 2, 3, 4, list(range(5, 37)), list(range(37)))


def stream(n: int = 5000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.tile(np.arange(37, V), n // (V - 37) + 1)[:n].astype(np.int32) if seed == 0 else rng.integers(37, V, n)


def tiny_bilm() -> BiLM:
    torch.manual_seed(0)
    return BiLM(BiLMConfig(V, hidden=8, layers=2, dropout=0.0)).eval()


def test_bilm_forward_states_never_see_the_future_nor_backward_the_past() -> None:
    model = tiny_bilm()
    a = torch.tensor([[40, 41, 42, 43, 44, 45]])
    b = a.clone()
    b[0, 4] = 50  # change one token
    with torch.inference_mode():
        sa, sb = model(a).states, model(b).states
    H = 8
    for layer in (1, 2):
        fwd_a, bwd_a = sa[layer][..., :H], sa[layer][..., H:]
        fwd_b, bwd_b = sb[layer][..., :H], sb[layer][..., H:]
        assert torch.allclose(fwd_a[0, :4], fwd_b[0, :4])  # forward states before the change are untouched
        assert not torch.allclose(fwd_a[0, 4:], fwd_b[0, 4:])
        assert torch.allclose(bwd_a[0, 5:], bwd_b[0, 5:])  # backward states after the change are untouched
        assert not torch.allclose(bwd_a[0, :5], bwd_b[0, :5])


def test_bilm_exposes_every_layer_and_ignores_padding() -> None:
    model = tiny_bilm()
    ids = torch.tensor([[40, 41, 42, 0, 0], [40, 41, 42, 43, 44]])
    with torch.inference_mode():
        out = model(ids, torch.tensor([3, 5]))
        alone = model(ids[:1, :3])
    assert len(out.states) == 3 and all(s.shape == (2, 5, 16) for s in out.states)
    assert torch.allclose(out.states[0][..., :8], out.states[0][..., 8:])  # layer 0 = [emb; emb]
    for layer in range(3):
        assert torch.allclose(out.states[layer][0, :3], alone.states[layer][0], atol=1e-6)
    assert out.forward_logits.shape == (2, 5, V)


def test_reverse_padded_reverses_within_the_length() -> None:
    x = torch.tensor([[1, 2, 3, 0], [1, 2, 3, 4]])
    assert reverse_padded(x, torch.tensor([3, 4])).tolist() == [[3, 2, 1, 0], [4, 3, 2, 1]]


def test_sgns_loss_at_init_is_k_plus_one_log_two() -> None:
    model = SkipGram(SkipGramConfig(V, 10))
    loss = model(torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([[5, 6, 7], [8, 9, 10]]))
    assert loss.item() == pytest.approx(4 * np.log(2), abs=1e-4)  # context vectors start at zero


@pytest.mark.parametrize("objective", ["mlm", "clm", "span", "bilm", "sgns"])
def test_every_objective_learns_a_repeating_stream(objective: str) -> None:
    torch.manual_seed(0)
    v = vocab()
    cfg = PretrainConfig(steps=40, batch_size=8, seq_len=16, lr=1e-2, warmup=5, eval_every=40, eval_batches=1)
    if objective == "sgns":
        counts = np.ones(V, dtype=np.int64)
        task, model = SGNSTask(counts, window=2, negatives=3, block_len=100), SkipGram(SkipGramConfig(V, 16))
        cfg = PretrainConfig(steps=40, batch_size=2, seq_len=100, lr=5e-2, warmup=0, eval_every=40, eval_batches=1)
    elif objective == "bilm":
        task, model = BiLMTask(v, 16), BiLM(BiLMConfig(V, hidden=16, layers=1, dropout=0.0))
    else:
        model = build_hf_model(objective, V, 0, 3)
        task = {"mlm": MLMTask(v, 14), "clm": CLMTask(v, 17), "span": SpanTask(v, 16)}[objective]
    s = stream()
    valid = validation_batches(task, s, 1, cfg.batch_size)
    before = evaluate(task, model, valid)
    steps: list[int] = []

    class Steps(Callback):
        def on_step_end(self, trainer, step, loss) -> None:
            steps.append(step)

    result = PretrainTrainer(task, model, s, valid, cfg, callbacks=[Steps()]).run()
    assert steps == list(range(1, 41)) and result.steps == 40 and not result.stopped
    assert np.isfinite(result.val_loss) and result.val_loss < before
    assert model.training  # evaluation put it back into training mode


def test_stop_event_ends_training_early() -> None:
    v = vocab()
    cfg = PretrainConfig(steps=1000, batch_size=4, seq_len=16, lr=1e-3, eval_every=10_000, eval_batches=1)
    task = CLMTask(v, 17)
    model = build_hf_model("clm", V, 0, 3)
    stop = threading.Event()

    class StopAtThree(Callback):
        def on_step_end(self, trainer, step, loss) -> None:
            if step == 3:
                stop.set()

    trainer = PretrainTrainer(task, model, stream(), validation_batches(task, stream(), 1, 4), cfg,
                              callbacks=[StopAtThree()], stop=stop)
    result = trainer.run()
    assert result.stopped and result.steps == 3 and np.isfinite(result.val_loss)
    assert result.stop_reason == "user"


def test_lr_schedule_warms_up_then_decays_to_a_tenth() -> None:
    cfg = PretrainConfig(steps=100, batch_size=1, seq_len=8, lr=1.0, warmup=10)
    assert lr_at(0, cfg) == pytest.approx(0.1) and lr_at(9, cfg) == pytest.approx(1.0)
    assert lr_at(100, cfg) == pytest.approx(0.1) and lr_at(55, cfg) < lr_at(20, cfg)


def test_skipgram_trains_like_word2vec_plain_sgd_with_linear_decay() -> None:
    cfg = DEFAULT_TRAIN["sgns"]
    assert cfg.schedule == "linear" and lr_at(0, cfg) == pytest.approx(cfg.lr)
    assert lr_at(cfg.steps // 2, cfg) == pytest.approx(cfg.lr / 2)
    assert lr_at(cfg.steps, cfg) == pytest.approx(cfg.lr * 1e-4)  # word2vec's floor
    opt = make_optimizer(SkipGram(SkipGramConfig(V, 10)), cfg)
    assert type(opt) is torch.optim.SGD and opt.defaults["momentum"] == 0


def test_bilm_and_word_vector_checkpoints_round_trip(tmp_path) -> None:
    model = tiny_bilm()
    save_model("bilm", model, tmp_path / "bilm")
    loaded = load_bilm(tmp_path / "bilm")
    ids = torch.tensor([[40, 41, 42]])
    with torch.inference_mode():
        assert torch.allclose(model(ids).states[2], loaded(ids).states[2], atol=1e-2)  # fp16 storage
    twin = load_bilm(tmp_path / "bilm", random_init=True, seed=1)
    assert not torch.allclose(twin.embed.weight, loaded.embed.weight)
    sg = SkipGram(SkipGramConfig(4, 3))
    save_model("sgns", sg, tmp_path / "sgns", words=["a", "b", "c", "d"], counts=[9, 5, 2, 1])
    words, vectors = load_word_vectors(tmp_path / "sgns")
    assert words == ["a", "b", "c", "d"] and vectors.shape == (4, 3) and vectors.dtype == np.float32


def test_mlm_loss_only_scores_the_chosen_positions() -> None:
    v = vocab()
    task = MLMTask(v, 14)
    batch = task.batch(np.tile(np.arange(40, 54), (4, 1)), np.random.default_rng(0))
    assert batch["input_ids"].shape == (4, 16)
    assert (batch["input_ids"][:, 0] == v.cls_id).all() and (batch["input_ids"][:, -1] == v.sep_id).all()
    model = build_hf_model("mlm", V, 0, 3)
    loss, n = task.loss(model, batch)
    assert n == int((batch["labels"] != ex.IGNORE).sum()) and torch.isfinite(loss)


def test_all_but_the_top_removes_the_common_mean_and_direction() -> None:
    from plm_core.backbones.static import all_but_the_top

    rng = np.random.default_rng(0)
    common = rng.normal(size=16)  # every raw vector shares it, as skip-gram vectors share frequency
    raw = rng.normal(size=(200, 16)) + 3.0 * common + rng.normal(size=(200, 1)) * rng.normal(size=16) * 4.0
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    out = all_but_the_top(raw, 1)
    assert np.allclose(out.mean(0), 0, atol=1e-4)
    top = np.linalg.svd(raw - raw.mean(0), full_matrices=False)[2][0]
    assert np.allclose(out @ top, 0, atol=1e-3)  # the dominant direction is gone
    raw_cos, out_cos = unit(raw) @ unit(raw).T, unit(out) @ unit(out).T
    assert raw_cos.mean() > 0.3 and abs(out_cos[np.triu_indices(200, 1)].mean()) < 0.05
    assert np.allclose(all_but_the_top(raw, 0), raw - raw.mean(0), atol=1e-5)  # 0 directions: the mean only


def test_the_gensim_reference_defaults_are_the_skipgram_settings() -> None:
    from plm_core.pretrain.models import TINY_CONFIGS
    from plm_core.pretrain.reference import ReferenceConfig

    c, ref = TINY_CONFIGS["sgns"], ReferenceConfig()
    assert (ref.dim, ref.window, ref.negatives, ref.sample) == (c["hidden"], c["window"], c["negatives"], c["sample"])


def test_encoder_reliance_is_zero_for_a_decoder_that_cannot_see_its_encoder() -> None:
    v = vocab()
    task = SpanTask(v, 16)
    valid = validation_batches(task, stream(), 1, 8)
    model = build_hf_model("span", V, 0, 3, seed=1)
    seen = encoder_reliance(task, model, valid)
    assert seen.spans >= 8 and abs(seen.gap) > 1e-3  # random weights: another sentence changes the loss
    with torch.no_grad():
        for block in model.decoder.block:
            block.layer[1].EncDecAttention.o.weight.zero_()  # cross-attention writes nothing
    blind = encoder_reliance(task, model, valid)
    assert blind.spans == seen.spans and abs(blind.gap) < 1e-5 and model.training


def test_span_warmup_task_rewrites_the_whole_sentence_from_the_same_corrupted_input() -> None:
    v = vocab()
    blocks = np.stack([np.arange(40, 56), np.arange(41, 57)]).astype(np.int64)  # (2, 16)
    plain = SpanTask(v, 16).batch(blocks, np.random.default_rng(7))
    whole = SpanTask(v, 16, reconstruct=True).batch(blocks, np.random.default_rng(7))
    np.testing.assert_array_equal(whole["input_ids"], plain["input_ids"])  # the same spans corrupted
    assert any(t in v.sentinel_ids for t in plain["labels"][0])  # span corruption: sentinels + spans
    np.testing.assert_array_equal(whole["labels"], np.concatenate([blocks, [[v.sep_id], [v.sep_id]]], 1))


def test_the_trainer_runs_the_reconstruction_warmup_first_then_span_corruption() -> None:
    v = vocab()
    cfg = PretrainConfig(steps=6, batch_size=2, seq_len=24, lr=1e-3, warmup=1, eval_every=100, eval_batches=1,
                         reconstruct_steps=2)
    task = SpanTask(v, 16)
    trainer = PretrainTrainer(task, build_hf_model("span", V, 0, 3), stream(), validation_batches(task, stream(), 1, 2),
                              cfg)
    kinds = [trainer.task_at(s).reconstruct for s in range(cfg.steps)]  # type: ignore[attr-defined]
    assert kinds == [True, True, False, False, False, False]
    assert trainer.task_at(5) is task and not task.reconstruct  # the objective's own task is left as it was
    widths: list[int] = []
    real_loss = SpanTask.loss

    def spy(self, model, batch):
        widths.append(batch["labels"].shape[1])
        return real_loss(self, model, batch)

    SpanTask.loss = spy  # type: ignore[method-assign]
    try:
        trainer.run()
    finally:
        SpanTask.loss = real_loss  # type: ignore[method-assign]
    assert widths[:2] == [17, 17] and all(w < 17 for w in widths[2:6])  # whole block + EOS, then spans only
    assert DEFAULT_TRAIN["span"].reconstruct_steps > 0  # the shipped T5's recipe has the warm-up


def test_the_reconstruction_warmup_is_span_corruptions_alone() -> None:
    v = vocab()
    cfg = PretrainConfig(steps=4, batch_size=2, seq_len=16, lr=1e-3, reconstruct_steps=2)
    task = CLMTask(v, 17)
    with pytest.raises(ValueError, match="span"):
        PretrainTrainer(task, build_hf_model("clm", V, 0, 3), stream(), validation_batches(task, stream(), 1, 2), cfg)


def test_the_token_embedding_gets_its_own_learning_rate_from_a_step_on() -> None:
    v = vocab()
    plain = PretrainConfig(steps=3, batch_size=2, seq_len=24, lr=1e-3, warmup=1, eval_every=100, eval_batches=1)
    scaled = dataclasses.replace(plain, embedding_lr_scale=10.0, embedding_lr_from=2)
    model = build_hf_model("span", V, 0, 3)
    assert [g["name"] for g in make_optimizer(model, plain).param_groups] == ["matrices", "biases and norms"]
    groups = {g["name"]: g for g in make_optimizer(model, scaled).param_groups}
    assert list(groups) == ["matrices", "biases and norms", "embeddings"]
    assert groups["embeddings"]["params"] == [model.shared.weight]  # tied: the shared matrix is also the LM head
    assert not any(p is model.shared.weight for p in groups["matrices"]["params"])
    task = SpanTask(v, 16)
    trainer = PretrainTrainer(task, model, stream(), validation_batches(task, stream(), 1, 2), scaled)
    trainer.optimizer = make_optimizer(model, scaled)
    rates = []
    for step in (1, 2):  # before embedding_lr_from: the common rate; from it on: 10x
        trainer.train_step(step)
        rates.append({g["name"]: g["lr"] for g in trainer.optimizer.param_groups})
    assert rates[0]["embeddings"] == rates[0]["matrices"] > 0
    assert rates[1]["embeddings"] == pytest.approx(10 * rates[1]["matrices"]) and rates[1]["matrices"] > 0


def _optimizer_before_the_plan(model: torch.nn.Module, cfg: PretrainConfig) -> torch.optim.Optimizer:
    """pretrain/train.py's make_optimizer as it was before the group plan built every optimizer (the reference)."""
    params = [p for p in model.parameters() if p.requires_grad]
    own = [model.get_input_embeddings().weight] if cfg.embedding_lr_scale != 1.0 else []
    decay = [p for p in params if p.dim() >= 2 and not any(p is e for e in own)]
    rest = [p for p in params if p.dim() < 2]
    groups = [{"name": "matrices", "params": decay, "weight_decay": cfg.weight_decay, "lr_scale": 1.0},
              {"name": "biases and norms", "params": rest, "weight_decay": 0.0, "lr_scale": 1.0}]
    if own:
        groups.append({"name": "embeddings", "params": own, "weight_decay": cfg.weight_decay,
                       "lr_scale": cfg.embedding_lr_scale, "lr_from": cfg.embedding_lr_from})
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=(0.9, 0.98))


def test_the_span_recipe_optimizer_from_the_plan_is_the_one_the_checkpoint_was_trained_with() -> None:
    """The shipped T5's recipe (40x embedding rate from step 3,000) through the group plan: the same groups, the
    same rates at every step around the switch, and bit-identical updates."""
    cfg = DEFAULT_TRAIN["span"]
    old_model, new_model = build_hf_model("span", V, 0, 3), build_hf_model("span", V, 0, 3)
    old, new = _optimizer_before_the_plan(old_model, cfg), make_optimizer(new_model, cfg)
    assert [g["name"] for g in new.param_groups] == ["matrices", "biases and norms", "embeddings"]
    gen = torch.Generator().manual_seed(0)
    for step in (0, 1, cfg.warmup - 1, cfg.embedding_lr_from - 1, cfg.embedding_lr_from, cfg.steps - 1):
        for group in old.param_groups:  # the old trainer's rule
            scale = group["lr_scale"] if step >= group.get("lr_from", 0) else 1.0
            group["lr"] = lr_at(step, cfg) * scale
        set_rates(new, step, lr_at(step, cfg))
        for a, b in zip(old.param_groups, new.param_groups, strict=True):
            assert a["name"] == b["name"] and a["lr"] == b["lr"] and a["weight_decay"] == b["weight_decay"]
            assert a["betas"] == b["betas"] and a["eps"] == b["eps"] and len(a["params"]) == len(b["params"])
        assert new.param_groups[2]["lr"] == (40 if step >= 3000 else 1) * new.param_groups[0]["lr"]
        for p, q in zip(old_model.parameters(), new_model.parameters(), strict=True):
            p.grad = torch.randn(p.shape, generator=gen)
            q.grad = p.grad.clone()
        old.step()
        new.step()
    assert all(torch.equal(p, q) for p, q in zip(old_model.parameters(), new_model.parameters(), strict=True))
