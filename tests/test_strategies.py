"""Freezing strategies on tiny random transformers: presets, edits, LoRA, BitFit, the optimizer, schedules."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import torch

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.training.schedules import lr_multiplier, slanted_triangular
from plm_core.transfer import Callback, TrainConfig, param_groups, train
from plm_core.transfer.groups import is_bitfit_param
from plm_core.transfer.strategies import (
    STRATEGIES,
    GroupSetting,
    apply_edits,
    chain_thaw_phase,
    format_edits,
    group_names,
)

POS = ["a good and lovely film", "great acting, a joy", "wonderful, moving and funny", "superb and warm"]
NEG = ["a bad and dull film", "terrible acting, a bore", "awful, tedious and long", "boring and cold"]

pytestmark = pytest.mark.usefixtures("private_stores")


def optimizer_param_ids(optimizer: torch.optim.Optimizer) -> set[int]:
    """Every parameter the optimizer holds, by id."""
    return {id(p) for group in optimizer.param_groups for p in group["params"]}


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = [f"{t} {i}" for i in range(6) for t in POS] + [f"{t} {i}" for i in range(6) for t in NEG]
    df = pd.DataFrame({"text": texts, "label": ["pos"] * 24 + ["neg"] * 24}).sample(frac=1.0, random_state=0)
    return df.iloc[:32], df.iloc[32:]


@pytest.fixture(scope="module")
def encoder():
    return tiny_random_backbone("encoder", seed=1)


def config(strategy: str, **kw) -> TrainConfig:
    base = dict(backbone="tiny", strategy=strategy, epochs=2, batch_size=8, lr_body=1e-3, lr_head=1e-2,
                max_length=16, k=1, lora_rank=4)
    base.update(kw)
    return TrainConfig.of(**base)


class Watch(Callback):
    """Keeps the model's named parameters at the start and at the end, and the optimizer every epoch."""

    def __init__(self) -> None:
        self.start: dict[str, torch.Tensor] = {}
        self.end: dict[str, torch.Tensor] = {}
        self.epochs: list[dict] = []

    def on_train_begin(self, trainer) -> None:
        self.start = {n: p.detach().clone() for n, p in trainer.model.named_parameters()}

    def on_epoch_begin(self, trainer, epoch) -> None:
        opt = trainer.optimizer
        held = optimizer_param_ids(opt)
        grads = {id(p) for p in trainer.model.parameters() if p.requires_grad}
        lrs = {g["name"]: g["initial_lr"] for g in opt.param_groups if "initial_lr" in g}
        self.epochs.append({"held": held, "grads": grads, "lrs": lrs,
                            "table": [r.as_row() for r in trainer.surgery()]})

    def on_train_end(self, trainer) -> None:  # before LoRA adapters are merged
        self.end = {n: p.detach().clone() for n, p in trainer.model.named_parameters()}


def run(strategy: str, frames, backbone, **kw):
    watch = Watch()
    result = train(config(strategy, **kw), *frames, backbone=backbone, callbacks=[watch])
    return result, watch


def changed(watch: Watch) -> set[str]:
    return {n for n, p in watch.start.items() if not torch.equal(p, watch.end[n])}


def lr_curve(name: str, total: int, warmup: float = 0.1) -> list[float]:
    """The schedule's multiplier at every step 0 .. total - 1."""
    return [float(lr_multiplier(name, total, warmup)(step)) for step in range(total)]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_preset_trains_and_the_optimizer_holds_exactly_the_trainable_params(strategy, encoder, frames):
    result, watch = run(strategy, frames, encoder)
    assert len(result.history) == (1 if result.config["mode"] == "frozen" else 2)  # frozen: one L-BFGS solve
    assert math.isfinite(result.test_accuracy)
    assert 0 < result.trainable_params <= result.total_params
    assert result.config["strategy"] == strategy
    if strategy == "frozen":
        return  # L-BFGS on cached features: the body is not in the model at all
    for epoch in watch.epochs:
        assert epoch["held"] == epoch["grads"]  # the optimizer holds exactly what requires grad
        for row in epoch["table"]:  # the table's learning rates are the optimizer's
            if row["trainable"]:
                assert row["lr"] == pytest.approx(epoch["lrs"][row["name"]])
            else:
                assert row["name"] not in epoch["lrs"]


@pytest.mark.parametrize("strategy,frozen", [
    ("freeze_bottom", ("embeddings.", "encoder.layer.0.")),
    ("embeddings_frozen", ("embeddings.",)),
    ("top_k", ("embeddings.", "encoder.layer.0.")),
])
def test_frozen_groups_are_bit_identical_and_the_others_move(strategy, frozen, encoder, frames):
    result, watch = run(strategy, frames, encoder)
    moved = changed(watch)
    body = [n for n in watch.start if n.startswith("body.") and "pooler" not in n]
    for name in body:
        inside = name.removeprefix("body.").startswith(frozen)
        assert (name not in moved) == inside, name
    assert any(n.startswith("head.") for n in moved)
    rows = {r["name"]: r for r in result.param_groups}
    assert rows["embeddings"]["status"] == "frozen"


def test_lora_leaves_the_base_untouched_trains_adapters_and_merges(encoder, frames):
    before = {n: p.detach().clone() for n, p in encoder.body.named_parameters()}
    result, watch = run("lora", frames, encoder, epochs=2)
    moved = changed(watch)
    adapters = [n for n in watch.start if "lora_" in n]
    assert adapters and all(".lora_A." in n or ".lora_B." in n for n in adapters)
    assert any("lora_B" in n for n in moved) and any("lora_A" in n for n in moved)
    assert not [n for n in moved if n.startswith("body.") and "lora_" not in n]  # base weights bit-identical
    assert any(n.startswith("head.") for n in moved)
    for n, p in encoder.body.named_parameters():  # the shared backbone never saw the adapters
        assert torch.equal(p, before[n])
    assert not [n for n, _ in encoder.body.named_parameters() if "lora_" in n]
    rows = {r["name"]: r for r in result.param_groups}
    assert rows["layer.0"]["status"] == "partial" and rows["layer.0"]["lora_rank"] == 4
    assert rows["layer.0"]["n_trainable"] == sum(watch.start[n].numel() for n in adapters if ".layer.0." in n)
    assert rows["embeddings"]["status"] == "frozen"
    assert result.trainable_params == sum(r["n_trainable"] or 0 for r in result.param_groups)


def test_merged_lora_gives_the_adapted_outputs(encoder):
    from plm_core.transfer.lora import attach_lora, merge_lora

    work = encoder.copy()
    x = torch.randint(5, 50, (3, 9))  # (B, T)
    mask = torch.ones_like(x)
    assert attach_lora(work.body, {0: 4, 1: 2}, seed=0) == 6
    with torch.no_grad():
        for n, p in work.body.named_parameters():
            if "lora_B" in n:
                p.normal_(generator=torch.Generator().manual_seed(3))
        adapted = work.body(input_ids=x, attention_mask=mask).last_hidden_state  # (B, T, H)
        assert merge_lora(work.body) == 6
        merged = work.body(input_ids=x, attention_mask=mask).last_hidden_state
    assert torch.allclose(adapted, merged, atol=1e-5)


def test_bitfit_trains_only_biases_layernorm_and_head(encoder, frames):
    result, watch = run("bitfit", frames, encoder)
    moved = changed(watch)
    assert moved
    for name in moved:
        assert name.startswith("head.") or is_bitfit_param(name), name
    body_moved = [n for n in moved if n.startswith("body.")]
    assert any(n.endswith(".bias") for n in body_moved) and any("LayerNorm.weight" in n for n in body_moved)
    assert not [n for n in moved if n.endswith("dense.weight") or n.endswith("query.weight")]
    share = result.trainable_params / result.total_params
    assert share < 0.2


def test_gradual_and_chain_thaw_schedules(encoder, frames):
    _, watch = run("chain_thaw", frames, encoder, epochs=5)  # phases: head, emb, layer.0, layer.1, all
    trainable = [{r["name"] for r in e["table"] if r["trainable"]} for e in watch.epochs]
    assert trainable == [{"head"}, {"embeddings"}, {"layer.0"}, {"layer.1"},
                         {"embeddings", "layer.0", "layer.1", "head"}]
    assert [chain_thaw_phase(e, 5, 3) for e in (1, 2, 3)] == [0, 2, 4]


def test_edits_on_top_of_a_preset_and_back(encoder, frames):
    names = group_names(2, pooler=True)
    preset = [GroupSetting(n, True, 1e-3) for n in names]
    edited = apply_edits(preset, "layer.0-1:frozen,head:x10,embeddings:bitfit+lr=5e-4")
    by = {s.name: s for s in edited}
    assert not by["layer.0"].trainable and not by["layer.1"].trainable
    assert by["head"].lr == pytest.approx(1e-2) and by["embeddings"].bias_only and by["embeddings"].lr == 5e-4
    assert apply_edits(preset, format_edits(preset, edited)) == edited
    with pytest.raises(PLMError) as err:
        apply_edits(preset, "layer.7:frozen")
    assert err.value.key == "transfer.err.bad_group"
    with pytest.raises(PLMError) as err:
        train(config("finetune", groups="head:lora=4"), *frames, backbone=encoder)
    assert err.value.key == "transfer.err.lora_not_layer"
    result, watch = run("finetune", frames, encoder, groups="layers:frozen")
    assert {r["name"] for r in result.param_groups if r["trainable"]} == {"embeddings", "head"}


def test_preview_table_is_the_training_table(encoder, frames):
    for strategy in ("lora", "bitfit", "top_k"):
        cfg = config(strategy)
        preview = param_groups(encoder, None, cfg)
        result, watch = run(strategy, frames, encoder)
        first = watch.epochs[0]["table"]
        assert [(r.name, r.status, r.lr, r.n_trainable) for r in preview] == \
            [(r["name"], r["status"], r["lr"], r["n_trainable"]) for r in first]
    assert not [n for n, _ in encoder.body.named_parameters() if "lora_" in n]
    assert all(p.requires_grad for p in encoder.body.parameters())  # flags untouched


def test_modes_are_presets(encoder, frames):
    old = train(TrainConfig.of(backbone="tiny", mode="discriminative", epochs=1, batch_size=8, max_length=16),
                *frames, backbone=encoder)
    new = train(TrainConfig.of(backbone="tiny", strategy="discriminative", epochs=1, batch_size=8, max_length=16),
                *frames, backbone=encoder)
    assert [r["lr"] for r in old.param_groups] == [r["lr"] for r in new.param_groups]


# ---- schedules --------------------------------------------------------------------------------------

def test_each_schedule_curve_matches_its_formula():
    total, warm = 50, 5
    assert lr_curve("constant", total) == [1.0] * total
    linear = lr_curve("linear", total, 0.1)
    cosine = lr_curve("cosine", total, 0.1)
    for t in range(total):
        if t < warm:
            assert linear[t] == pytest.approx(t / warm) and cosine[t] == pytest.approx(t / warm)
        else:
            assert linear[t] == pytest.approx((total - t) / (total - warm))
            progress = (t - warm) / (total - warm)
            assert cosine[t] == pytest.approx(0.5 * (1 + math.cos(math.pi * progress)))
    stlr = lr_curve("slanted_triangular", total, 0.1)
    cut = 5
    for t in range(total):
        p = t / cut if t < cut else 1 - (t - cut) / (cut * (1 / 0.1 - 1))
        assert stlr[t] == pytest.approx((1 + p * 31) / 32)
    assert max(stlr) == pytest.approx(1.0) and stlr.index(max(stlr)) == cut
    assert slanted_triangular(0, 100) == pytest.approx(1 / 32)


@pytest.mark.parametrize("schedule", ["linear", "cosine", "slanted_triangular"])
def test_the_trainer_follows_the_schedule(schedule, encoder, frames):
    result, _ = run("finetune", frames, encoder, schedule=schedule, warmup=0.25)
    lrs = [s["lr"] for s in result.steps]
    expected = [1e-3 * f for f in lr_curve(schedule, len(lrs), 0.25)]
    assert lrs == pytest.approx(expected)
    assert result.param_groups[-1]["lr"] == pytest.approx(1e-3)  # the table shows the base rate


def test_bad_strategy_settings_raise_clear_errors(encoder, frames):
    for strategy, changes, key in [("nope", {}, "transfer.err.bad_strategy"),
                                   ("finetune", {"schedule": "step"}, "transfer.err.bad_schedule"),
                                   ("top_k", {"k": 5}, "transfer.err.k_too_big")]:
        with pytest.raises(PLMError) as err:
            train(config(strategy, **changes), *frames, backbone=encoder)
        assert err.value.key == key
