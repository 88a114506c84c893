"""Transfer core on tiny random transformers: modes, safety, optimizer, reproducibility, errors."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest
import torch

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.training import own_process
from plm_core.transfer import MODES, Callback, TrainConfig, describe_head_surgery, param_groups, train

POS = ["a good and lovely film", "great acting, a joy", "wonderful, moving and funny", "superb and warm"]
NEG = ["a bad and dull film", "terrible acting, a bore", "awful, tedious and long", "boring and cold"]


pytestmark = pytest.mark.usefixtures("private_stores")  # runs store + feature cache in tmp_path


def optimizer_param_ids(optimizer: torch.optim.Optimizer) -> set[int]:
    """Every parameter the optimizer holds, by id."""
    return {id(p) for group in optimizer.param_groups for p in group["params"]}


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = [f"{t} {i}" for i in range(6) for t in POS] + [f"{t} {i}" for i in range(6) for t in NEG]
    df = pd.DataFrame({"text": texts, "label": ["pos"] * 24 + ["neg"] * 24})
    return df.sample(frac=1.0, random_state=0).iloc[:32], df.sample(frac=1.0, random_state=0).iloc[32:]


@pytest.fixture(scope="module")
def encoder():
    return tiny_random_backbone("encoder", seed=1)


def config(mode: str, **kw) -> TrainConfig:
    base = dict(backbone="tiny", mode=mode, epochs=2, batch_size=8, lr_body=1e-3, lr_head=1e-2, max_length=16)
    base.update(kw)
    return TrainConfig.of(**base)


def alone(cfg: TrainConfig, frames, backbone):
    """A run as a job that owns its process makes it: own_process first (dropout's global seed), then train."""
    own_process(cfg.data.seed, torch.get_num_threads())
    return train(cfg, *frames, backbone=backbone)


def numbers(history: list[dict]) -> list[dict]:
    """Per-epoch records without wall time (the only field that may differ between equal runs)."""
    return [{k: v for k, v in r.items() if k != "seconds"} for r in history]


def state_of(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


class Spy(Callback):
    """Records what the optimizer holds at every epoch, and the model."""

    def __init__(self) -> None:
        self.epochs: list[dict] = []
        self.model = None
        self.initial: dict[str, torch.Tensor] = {}

    def on_train_begin(self, trainer) -> None:
        self.model = trainer.model
        self.initial = {n: p.detach().clone() for n, p in trainer.model.named_parameters()}

    def on_epoch_begin(self, trainer, epoch) -> None:
        opt = trainer.optimizer
        self.epochs.append({
            "optimizer": id(opt), "held": optimizer_param_ids(opt),
            "requires_grad": {id(p) for p in trainer.model.parameters() if p.requires_grad},
            "held_count": sum(p.numel() for g in opt.param_groups for p in g["params"]),
            "lrs": {g["name"]: g["lr"] for g in opt.param_groups},
            "table": trainer.surgery(),
        })


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_trains_and_reports(mode, encoder, frames):
    result = train(config(mode), *frames, backbone=encoder)
    assert len(result.history) == (1 if mode == "frozen" else 2) and result.stop_reason == ""  # frozen: one solve
    assert 0.0 <= result.test_accuracy <= 1.0 and 0.0 <= result.test_macro_f1 <= 1.0
    assert np.array(result.confusion).sum() == len(frames[1])
    assert 0 < result.trainable_params <= result.total_params
    assert result.total_params >= sum(p.numel() for p in encoder.body.parameters())
    assert result.peak_memory_mb > 0 and result.train_seconds > 0
    names = [g["name"] for g in result.param_groups]
    assert names[:3] == ["embeddings", "layer.0", "layer.1"] and "head" in names
    if mode == "frozen":
        assert result.trainable_params == 12 * 2 + 2  # logistic regression on 12-dim features
        assert all(v == 0.0 for k, v in result.drift.items() if k != "head")
    if mode in ("finetune", "scratch", "discriminative"):
        assert result.trainable_params == result.total_params - sum(
            g["n_params"] for g in result.param_groups if g["status"] == "unused")


def test_shared_backbone_is_never_changed(encoder, frames):
    before = state_of(encoder.model)
    flags = [p.requires_grad for p in encoder.model.parameters()]
    first = alone(config("gradual"), frames, encoder)
    after = state_of(encoder.model)
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert [p.requires_grad for p in encoder.model.parameters()] == flags
    second = alone(config("gradual"), frames, encoder)  # sees the original weights again
    assert numbers(first.history) == numbers(second.history)
    assert first.drift["layer.1"] > 0  # the copy did learn


def test_frozen_groups_are_bit_identical_after_gradual_training(encoder, frames):
    spy = Spy()
    result = train(config("gradual", epochs=2), *frames, backbone=encoder, callbacks=[spy])
    frozen_names = [n for n, _ in spy.model.named_parameters() if n.startswith("body.embeddings")
                    or ".layer.0." in n]
    assert frozen_names
    now = dict(spy.model.named_parameters())
    for name in frozen_names:
        assert torch.equal(now[name].detach(), spy.initial[name]), name
    assert not torch.equal(now["head.1.weight"].detach(), spy.initial["head.1.weight"])
    assert result.drift["embeddings"] == 0.0 and result.drift["layer.0"] == 0.0 and result.drift["layer.1"] > 0


def test_optimizer_holds_only_trainable_params_and_is_rebuilt(encoder, frames):
    spy = Spy()
    train(config("gradual", epochs=3), *frames, backbone=encoder, callbacks=[spy])
    for epoch in spy.epochs:
        assert epoch["held"] == epoch["requires_grad"]
    assert len({e["optimizer"] for e in spy.epochs}) == 3  # trainability changed every epoch
    counts = [e["held_count"] for e in spy.epochs]
    assert counts[0] < counts[1] < counts[2]
    spy = Spy()
    train(config("finetune", epochs=2), *frames, backbone=encoder, callbacks=[spy])
    assert len({e["optimizer"] for e in spy.epochs}) == 1  # nothing changed: the same optimizer


def test_group_table_agrees_with_optimizer(encoder, frames):
    spy = Spy()
    train(config("discriminative", layer_decay=0.5), *frames, backbone=encoder, callbacks=[spy])
    epoch = spy.epochs[0]
    table = epoch["table"]
    assert sum(r.n_params for r in table if r.trainable) == epoch["held_count"]
    for row in table:
        if row.trainable:
            assert row.lr == pytest.approx(epoch["lrs"][row.name])
    lrs = {r.name: r.lr for r in table}
    assert lrs["layer.1"] == pytest.approx(1e-3) and lrs["layer.0"] == pytest.approx(5e-4)
    assert lrs["embeddings"] == pytest.approx(2.5e-4) and lrs["head"] == pytest.approx(1e-2)
    assert {r.name: r.status for r in table}["pooler"] == "unused"


def test_head_surgery_preview_matches_training_and_leaves_flags(encoder, frames):
    flags = [p.requires_grad for p in encoder.model.parameters()]
    frame = describe_head_surgery(encoder, config("gradual"), epoch=1)
    assert list(frame.loc[frame.status == "trainable", "name"]) == ["head"]
    assert frame.set_index("name").loc["embeddings", "unfreeze_epoch"] == 4
    assert [p.requires_grad for p in encoder.model.parameters()] == flags
    rows = param_groups(encoder, "frozen", config("frozen", pooling="mix"))
    assert [r.name for r in rows if r.trainable] == ["mix", "head"]
    assert {r.origin for r in rows if r.trainable} == {"new"}


def test_same_seed_same_numbers(encoder, frames):
    for mode in ("finetune", "frozen"):
        a = alone(config(mode, head="mlp"), frames, encoder)
        b = alone(config(mode, head="mlp"), frames, encoder)
        assert numbers(a.history) == numbers(b.history) and a.confusion == b.confusion
    c = alone(config("finetune", head="mlp", seed=5), frames, encoder)
    assert numbers(c.history) != numbers(a.history)


def without_dropout():
    """The tiny encoder with every dropout at 0 (hidden_dropout_prob = attention_probs_dropout_prob = 0,
    also in its config, from which the scratch twin is built)."""
    quiet = tiny_random_backbone("encoder", seed=1)
    quiet.model.config.hidden_dropout_prob = quiet.model.config.attention_probs_dropout_prob = 0.0
    for module in quiet.model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = 0.0
    return quiet


def run_at_once(jobs: list[tuple[TrainConfig, object]], frames) -> list:
    """Start every (config, backbone) in its own thread at the same moment; results in job order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def work(i: int, cfg: TrainConfig, backbone) -> None:
        barrier.wait()
        results[i] = train(cfg, *frames, backbone=backbone)

    threads = [threading.Thread(target=work, args=(i, c, b)) for i, (c, b) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("modes", [("frozen", "frozen"), ("finetune", "finetune"), ("scratch", "scratch"),
                                   ("finetune", "scratch")])
def test_runs_started_at_once_give_the_numbers_they_give_alone(modes, frames, one_torch_thread):
    quiet = without_dropout()
    configs = [config(m, head="mlp", dropout=0.0, seed=3) for m in modes]
    solo = [train(c, *frames, backbone=quiet) for c in configs]  # no own_process: nothing global is seeded
    again = [train(c, *frames, backbone=quiet) for c in configs]
    together = run_at_once([(c, quiet) for c in configs], frames)
    for s, a, t in zip(solo, again, together, strict=True):
        assert numbers(s.history) == numbers(a.history) == numbers(t.history)
        assert s.steps == a.steps == t.steps and s.confusion == t.confusion


def test_scratch_starts_from_a_random_twin(encoder, frames):
    spy = Spy()
    train(config("scratch"), *frames, backbone=encoder, callbacks=[spy])
    pretrained = encoder.body.embeddings.word_embeddings.weight
    assert not torch.equal(spy.initial["body.embeddings.word_embeddings.weight"], pretrained.detach())


def test_scalar_mix_reports_layer_weights(encoder, frames):
    for mode in ("frozen", "finetune"):
        result = train(config(mode, pooling="mix"), *frames, backbone=encoder)
        assert len(result.layer_weights) == encoder.n_layers + 1
        assert sum(result.layer_weights) == pytest.approx(1.0, abs=1e-5)
        assert result.mix_gamma is not None


def test_decoder_and_encoder_decoder(frames):
    for family in ("decoder", "encoder-decoder"):
        bb = tiny_random_backbone(family)
        result = train(config("discriminative", pooling="last"), *frames, backbone=bb)
        assert len(result.history) == 2 and np.isfinite(result.history[-1]["train_loss"])


def test_nan_loss_stops_with_a_message(encoder, frames):
    broken = encoder.copy()
    with torch.no_grad():
        broken.body.embeddings.word_embeddings.weight.fill_(float("nan"))
    result = train(config("finetune", epochs=3), *frames, backbone=broken)
    assert result.stop_reason == "nan" and result.history == []
    key, params = result.notices[0]
    assert key == "transfer.err.nan_loss"
    assert "learning rate" in str(PLMError(key, **params))


def test_stop_flag_stops_training(encoder, frames):
    stop = threading.Event()

    class StopAtTwo(Callback):
        def on_step_end(self, trainer, step, loss) -> None:
            if step == 2:
                stop.set()

    result = train(config("finetune", epochs=5), *frames, backbone=encoder, callbacks=[StopAtTwo()], stop=stop)
    assert result.stop_reason == "user" and len(result.steps) == 2


@pytest.mark.parametrize("changes, key", [
    (dict(lr_body=10.0), "transfer.err.bad_lr"),
    (dict(lr_head=10.0), "transfer.err.bad_lr"),
    (dict(epochs=0), "transfer.err.bad_epochs"),
    (dict(mode="sideways"), "transfer.err.bad_strategy"),  # a mode is the name of a preset
    (dict(pooling="max"), "transfer.err.bad_pooling"),
    (dict(layer=7), "transfer.err.bad_layer"),
    (dict(layer_decay=0.0), "transfer.err.bad_decay"),
])
def test_bad_settings_raise_clear_errors(changes, key, encoder, frames):
    with pytest.raises(PLMError) as info:
        train(config("finetune").with_(**changes), *frames, backbone=encoder)
    assert info.value.key == key
    assert "{" not in str(info.value)  # every placeholder filled


def test_one_class_training_data_is_refused(encoder, frames):
    train_df = frames[0][frames[0].label == "pos"]
    with pytest.raises(PLMError) as info:
        train(config("frozen"), train_df, frames[1], backbone=encoder)
    assert info.value.key == "transfer.err.one_class_drawn"


def test_surgery_lists_what_is_dropped_and_keeps_it_out_of_the_total(frames):
    t5 = tiny_random_backbone("encoder-decoder")
    rows = {r.name: r for r in param_groups(t5, "finetune", config("finetune"))}
    dropped = rows["decoder + lm_head"]
    assert dropped.status == "dropped" and not dropped.trainable and dropped.n_params > 0
    result = train(config("frozen"), *frames, backbone=t5)
    body = sum(p.numel() for p in t5.body.parameters())
    assert result.total_params == body + result.trainable_params


class FakeBiLM:
    """A layered backbone that is not a transformer (like the ELMo biLM): frozen mode only."""

    def __new__(cls):
        from plm_core.backbones.base import Backbone, BackboneSpec, HiddenStates

        class _BiLM(Backbone):
            spec = BackboneSpec(name="fake-bilm", display="fake biLM", family="bilm", loader="none", source="",
                                install="", license="", layers=2, hidden_size=4, heads=0, params=100,
                                pretrained_on="", objective="",
                                capabilities=frozenset({"token_states", "sentence_vectors"}))

            def hidden_states(self, texts, max_length=None):
                width = max(len(t.split()) for t in texts)
                states = np.zeros((3, len(texts), width, 4), dtype=np.float32)  # (L+1, B, T, H)
                mask = np.zeros((len(texts), width), dtype=np.int64)
                for b, text in enumerate(texts):
                    for j, word in enumerate(text.split()):
                        states[:, b, j] = [len(word), word.count("o"), j, 1.0]
                        states[2, b, j, 1] *= 3.0
                        mask[b, j] = 1
                return HiddenStates(states, mask, [t.split() for t in texts])

        return _BiLM()


def test_non_transformer_layered_backbone_frozen_with_scalar_mix(frames):
    bilm = FakeBiLM()
    result = train(config("frozen", pooling="mix"), *frames, backbone=bilm)
    assert len(result.layer_weights) == 3 and result.trainable_params == 3 + 1 + 4 * 2 + 2
    assert [g["name"] for g in result.param_groups][:1] == ["body"]
    with pytest.raises(PLMError) as info:
        train(config("finetune"), *frames, backbone=bilm)
    assert info.value.key == "transfer.err.mode_not_applicable"


def test_a_run_never_changes_the_process_threads(encoder, frames):
    """Threads are process-wide: a run that may share its process leaves them alone (issue 10);
    only a process that owns the run sets them, with own_process (the CLI, a job worker)."""
    seen = []

    class Threads(Callback):
        def on_epoch_begin(self, trainer, epoch) -> None:
            seen.append(torch.get_num_threads())

    before = torch.get_num_threads()
    other = 1 if before != 1 else 2
    train(config("finetune", epochs=1, threads=other), *frames, backbone=encoder, callbacks=[Threads()])
    assert seen == [before] and torch.get_num_threads() == before


def test_default_pooling_reads_the_elmo_and_t5_mix_and_the_gpt_last_token() -> None:
    """Frozen from their top layer alone, the tiny biLM and T5 do no better than random weights (checkpoints
    README): the lab's default for them is ELMo's learned scalar mix over all layers."""
    from plm_core.backbones import get_spec
    from plm_core.transfer.config import applicable_poolings, default_pooling

    expected = {"tiny-elmo-bilm": "mix", "tiny-t5-span": "mix", "tiny-gpt-clm": "last", "tiny-bert-mlm": "mean",
                "minilm-l6": "mean"}
    for name, pooling in expected.items():
        spec = get_spec(name)
        assert default_pooling(spec) == pooling, name
        assert pooling in applicable_poolings(spec)
