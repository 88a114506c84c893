"""The synthetic in-context task and its accuracy-vs-K evaluation, on tiny random models (not the shipped numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from plm_core.pretrain import icl

TASK = icl.IclTask(symbols=10, pairs=9)


@pytest.fixture(scope="module")
def random_model():
    return icl.build_icl_model(TASK, icl.IclTrainConfig(d_model=16, seed=3))


def test_sequences_follow_one_mapping_each():
    batch = icl.draw_sequences(TASK, 200, np.random.default_rng(0))
    assert batch.ids.shape == (200, 1 + 2 * TASK.pairs)
    ids = batch.ids.numpy()
    assert (ids[:, 0] == icl.BOS).all()
    assert ((ids[:, 1::2] >= 2) & (ids[:, 1::2] < 2 + TASK.symbols)).all()  # inputs at odd positions
    assert (ids[:, 2::2] >= 2 + 2 * TASK.symbols).all()  # answered pairs at even positions
    assert np.array_equal(ids[:, 2::2] - 2 - 2 * TASK.symbols, batch.xs * TASK.symbols + batch.ys)
    mappings = set()
    for xs, ys in zip(batch.xs, batch.ys, strict=True):
        seen: dict[int, int] = {}
        for x, y in zip(xs, ys, strict=True):
            assert seen.setdefault(int(x), int(y)) == y  # the same input always gives the same output
        assert len(set(seen.values())) == len(seen)  # one-to-one
        mappings.add(tuple(sorted(seen.items())))
    assert len(mappings) > 150  # a new mapping per sequence, not one shared rule


def test_training_and_evaluation_draws_differ():
    a = icl.draw_sequences(TASK, 50, icl.train_rng(0))
    b = icl.draw_sequences(TASK, 50, icl.eval_rng(0))
    assert not np.array_equal(a.ids.numpy(), b.ids.numpy())


def test_curve_shapes_chance_at_zero_and_determinism(random_model):
    ks = (0, 1, 2, 4, 8)
    curve = icl.icl_curve(random_model, TASK, ks, seeds=(0, 1, 2), sequences=1000, chunk=500)
    assert curve.accuracy.shape == (3, 5) and curve.ideal.shape == (3, 5)
    assert curve.chance == pytest.approx(0.1)
    # K = 0: the mapping is random per sequence, so nothing beats chance (sd of one seed ~0.7 points)
    assert abs(curve.accuracy[:, 0].mean() - 0.1) < 0.025
    assert np.allclose(curve.ideal[:, 0], 0.1)
    # the perfect reader gains with every pair shown: ~0.19 after one pair, ~0.66 after eight
    assert (np.diff(curve.ideal.mean(axis=0)) > 0).all()
    assert 0.6 < curve.ideal[:, -1].mean() < 0.72
    again = icl.icl_curve(random_model, TASK, ks, seeds=(0, 1, 2), sequences=1000, chunk=500)
    assert np.array_equal(curve.accuracy, again.accuracy)
    other = icl.icl_curve(random_model, TASK, ks, seeds=(5, 6, 7), sequences=1000, chunk=500)
    assert not np.array_equal(curve.accuracy, other.accuracy)


def test_ideal_reader_on_a_hand_made_sequence():
    task = icl.IclTask(symbols=4, pairs=4)
    xs = np.array([[0, 1, 0, 2]])
    ys = np.array([[3, 2, 3, 0]])
    batch = icl.IclBatch(icl.draw_sequences(task, 1, np.random.default_rng(0)).ids, xs, ys)
    assert icl.ideal_accuracy(task, batch, 0)[0] == pytest.approx(1 / 4)
    assert icl.ideal_accuracy(task, batch, 1)[0] == pytest.approx(1 / 3)  # 'b' unseen, output 3 taken
    assert icl.ideal_accuracy(task, batch, 2)[0] == 1.0  # 'a' was shown
    assert icl.ideal_accuracy(task, batch, 3)[0] == pytest.approx(1 / 2)


def test_same_seed_same_weights_and_a_little_training_learns():
    cfg = icl.IclTrainConfig(d_model=16, steps=5, warmup=2, batch_size=8, seed=1)
    a = icl.train_icl(TASK, cfg)
    b = icl.train_icl(TASK, cfg)
    wa = [p.detach().numpy() for p in a.model.parameters()]
    wb = [p.detach().numpy() for p in b.model.parameters()]
    assert all(np.array_equal(x, y) for x, y in zip(wa, wb, strict=True))
    assert a.losses == b.losses and len(a.losses) == 1


def test_sweep_file_round_trip_is_what_the_gpt3_card_reads(random_model, tmp_path, monkeypatch):
    from plm_core.evidence.cards_probes import read_sweep
    from plm_core.pretrain import checkpoints

    monkeypatch.setattr(checkpoints, "checkpoints_root", lambda: tmp_path)
    monkeypatch.setattr(icl, "checkpoints_root", lambda: tmp_path)
    curves, cards = {}, {}
    for d in (16, 8):  # saved and evaluated out of order: the file lists the narrowest first
        cfg = icl.IclTrainConfig(d_model=d, steps=2, warmup=1, batch_size=4, seed=d)
        result = icl.train_icl(TASK, cfg)
        cards[d] = icl.save_icl(result, TASK, cfg, icl.icl_dir(d), threads=1)
        model, task = icl.load_icl(icl.icl_dir(d))
        assert task == TASK
        curves[d] = icl.icl_curve(model, task, (0, 1, 8), seeds=(0, 1, 2), sequences=100)
    record = icl.sweep_record(curves, cards, (0, 1, 2), 100, TASK)
    path = tmp_path / icl.SWEEP_NAME
    checkpoints.write_json(path, record)
    sweep = read_sweep(path)
    assert sweep is not None and list(sweep) == ["tiny-gpt-icl-8", "tiny-gpt-icl-16"]
    assert sorted(sweep["tiny-gpt-icl-8"]) == [0, 1, 8]
    assert sweep["tiny-gpt-icl-16"][8] == pytest.approx([100 * x for x in curves[16].accuracy[:, 2]], abs=0.01)
    assert record["widths"][0]["sd"]["0"] == pytest.approx(np.std(curves[8].accuracy[:, 0], ddof=1), abs=1e-4)
    assert len(icl.sweep_table(record)) == 4
    readme = icl.write_icl_readme(icl.icl_dir(8), record["widths"][0]).read_text(encoding="utf-8")
    assert readme.startswith("# tiny-gpt-icl-8") and "| K | 0 | 1 | 8 |" in readme
