"""Methods on tiny models, the curve runner, aggregation, crossovers and the JSON contract."""

import json
import threading

import numpy as np
import pandas as pd
import pytest

from fewshot_helpers import toy_set
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.fewshot.curves import (
    CurveConfig,
    CurvePoint,
    crossovers,
    run_curves,
    summarize,
    to_json,
)
from plm_core.fewshot.methods import ClozeConfig, ClozeMethod, Method, Outcome, SimilarityMethod, make_task


class FakeMethod(Method):
    """Accuracy = base + slope * log2(K+1) + a little seed noise: a known curve."""

    def __init__(self, name: str, kind: str, base: float, slope: float):
        self.name, self.kind, self.base, self.slope = name, kind, base, slope
        self.seen: list[tuple[int, int, frozenset]] = []

    def run(self, train_k, task, seed):
        self.seen.append((len(train_k), seed, frozenset(train_k["text"])))
        k = len(train_k) // len(task.labels)
        acc = min(1.0, self.base + self.slope * np.log2(k + 1) + 0.01 * seed)
        return Outcome(acc, acc - 0.05)


@pytest.fixture()
def fake_methods(monkeypatch):
    methods = {"prompt": FakeMethod("prompt", "demo", 0.6, 0.03), "frozen": FakeMethod("frozen", "train", 0.4, 0.1),
               "similarity": FakeMethod("similarity", "zero", 0.55, 0.0)}
    monkeypatch.setattr("plm_core.fewshot.curves.build_method", lambda name, backbone, **kw: methods[name])
    return methods


def run_fake(config: CurveConfig, **kw):
    return run_curves(config, make_task(toy_set(), test_limit=None), load=lambda name: None, **kw)


def test_runner_fills_the_grid_and_shares_draws(fake_methods) -> None:
    config = CurveConfig(data="toy", methods=("similarity", "prompt", "frozen"), shots=(0, 1, 2, 4), seeds=3,
                         backbones={"similarity": "x", "prompt": "x", "frozen": "x"})
    seen_points: list[CurvePoint] = []
    result = run_fake(config, on_point=seen_points.append)
    df = result.frame()
    assert len(seen_points) == len(df) == 3 + (3 + 9) + 9  # K = 0 copied to 3 seeds; frozen needs K >= 1
    assert set(df[df.method == "similarity"]["k"]) == {0} and set(df[df.method == "frozen"]["k"]) == {1, 2, 4}
    assert len(fake_methods["prompt"].seen) == 1 + 9  # K = 0 is deterministic: run once, copied to each seed
    # the same (K, seed) gives prompting and the probe the same examples
    drawn = {(n, s): texts for n, s, texts in fake_methods["prompt"].seen if n}
    assert all(drawn[(n, s)] == texts for n, s, texts in fake_methods["frozen"].seen)


def test_summary_crossover_and_json_contract(fake_methods) -> None:
    config = CurveConfig(data="toy", methods=("prompt", "frozen"), shots=(0, 1, 2, 4, 8), seeds=3,
                         backbones={"prompt": "x", "frozen": "x"})
    result = run_fake(config)
    summary = summarize(result.points)
    row = summary[(summary.method == "frozen") & (summary.k == 2)].iloc[0]
    expected = [0.4 + 0.1 * np.log2(3) + 0.01 * s for s in range(3)]
    assert row.acc_mean == pytest.approx(np.mean(expected)) and row.acc_std == pytest.approx(np.std(expected, ddof=1))
    # frozen: 0.4 + 0.1 log2(K+1) first beats 0.6 + 0.03 log2(K+1) at K = 8 (0.717 vs 0.695)
    (cross,) = crossovers(summary)
    assert (cross.method, cross.k) == ("frozen", 8)
    payload = json.loads(json.dumps(to_json(result)))
    assert set(payload) >= {"data", "labels", "n_test", "shots", "seeds", "methods", "crossovers", "timings"}
    point = payload["methods"]["frozen"]["points"]["2"]
    assert point["values"] == [round(v, 4) for v in expected] and point["seeds"] == [0, 1, 2]
    assert point["mean"] == pytest.approx(np.mean(expected), abs=1e-4)
    assert point["std"] == pytest.approx(np.std(expected, ddof=1), abs=1e-4)  # sample sd, as every "± sd"
    assert payload["crossovers"][0]["k"] == 8


def test_too_large_k_is_skipped_not_fatal(fake_methods) -> None:
    config = CurveConfig(data="toy", methods=("frozen",), shots=(1, 1000), seeds=2, backbones={"frozen": "x"})
    result = run_fake(config)
    assert set(result.frame()["k"]) == {1}
    assert [(s.k, s.key) for s in result.skipped] == [(1000, "fewshot.skip.too_few")]


def test_stop_event_ends_the_run_early(fake_methods) -> None:
    stop = threading.Event()
    config = CurveConfig(data="toy", methods=("prompt",), shots=(0, 1, 2, 4), seeds=3, backbones={"prompt": "x"})
    result = run_fake(config, on_point=lambda p: stop.set(), stop=stop)
    assert result.stopped and len(result.points) < 10


def test_cloze_with_a_tiny_masked_lm() -> None:
    task = make_task(toy_set(labels=("negative", "positive")), test_limit=None)
    task.task = "sentiment"
    mlm = tiny_random_backbone("encoder", head="mlm")
    method = ClozeMethod(mlm, ClozeConfig())
    ids = method.label_ids(task.labels, task.task)
    assert ids == [mlm.tokenizer.convert_tokens_to_ids("bad"), mlm.tokenizer.convert_tokens_to_ids("good")]
    scores = method.logprobs(task.test["text"].tolist()[:4], ids)
    assert scores.shape == (4, 2) and np.all(scores < 0)
    out = method.run(task.draw(0, 0), task, 0)
    assert len(out.predictions) == len(task.test) and 0 <= out.accuracy <= 1
    assert method.pattern("nice").endswith(f"It was {mlm.tokenizer.mask_token}.")
    with pytest.raises(PLMError):
        ClozeMethod(tiny_random_backbone("encoder"))  # no MLM head


def test_similarity_picks_the_nearest_description() -> None:
    class Words:
        """A fake sentence embedder: one axis per keyword."""
        spec = type("S", (), {"family": "sentence", "display": "fake"})()

        def embed(self, texts, pooling="mean", max_length=None):
            return np.array([[("neg" in t) + 0.1, ("pos" in t) + 0.1, ("neu" in t) + 0.1] for t in texts])

    task = make_task(toy_set(), test_limit=None)
    method = SimilarityMethod(Words(), {"neg": "neg", "neu": "neu", "pos": "pos"})
    method.prepare(task, [])
    assert method.run(task.draw(0, 0), task, 0).accuracy == 1.0
    swapped = SimilarityMethod(Words(), {"neg": "pos", "neu": "neu", "pos": "neg"})
    assert swapped.run(task.draw(0, 0), task, 0).accuracy == pytest.approx(1 / 3)


def test_bad_config_is_refused() -> None:
    with pytest.raises(PLMError):
        run_fake(CurveConfig(methods=("telepathy",)))
    with pytest.raises(PLMError):
        run_fake(CurveConfig(methods=("prompt",), seeds=0, backbones={"prompt": "x"}))


def test_frozen_extracts_once_then_fits_a_probe_per_draw(tmp_path, monkeypatch) -> None:
    pytest.importorskip("plm_core.transfer")
    import plm_core.transfer.features as features
    from plm_core.fewshot.methods import FrozenMethod

    monkeypatch.setenv("PLM_LAB_CACHE", str(tmp_path))
    calls = []
    real = features.extract_features
    monkeypatch.setattr(features, "extract_features", lambda *a, **kw: calls.append(len(a[1])) or real(*a, **kw))
    task = make_task(toy_set(), test_limit=None)
    method = FrozenMethod(tiny_random_backbone("encoder"))
    draws = [task.draw(k, s) for k in (1, 4) for s in range(2)]
    method.prepare(task, draws)
    results = [method.run(d, task, s) for d, s in zip(draws, [0, 1, 0, 1], strict=True)]
    assert len(calls) == 1 and calls[0] == len(task.test) + len({t for d in draws for t in d["text"]})
    assert all(0 <= r.accuracy <= 1 and len(r.predictions) == len(task.test) for r in results)
    with pytest.raises(PLMError):
        method.run(task.draw(8, 5), task, 5)  # a draw that was not announced in prepare()


def test_finetune_trains_a_copy_on_the_k_shot_sample() -> None:
    pytest.importorskip("plm_core.transfer")
    from plm_core.fewshot.methods import FinetuneMethod, FinetuneSettings

    encoder = tiny_random_backbone("encoder")
    before = {k: v.clone() for k, v in encoder.model.state_dict().items()}
    task = make_task(toy_set(), test_limit=None)
    out = FinetuneMethod(encoder, FinetuneSettings(epochs=1, max_length=16)).run(task.draw(2, 0), task, 0)
    assert 0 <= out.accuracy <= 1 and 0 <= out.macro_f1 <= 1
    assert all(v.equal(before[k]) for k, v in encoder.model.state_dict().items())  # shared model untouched


def test_crossover_compares_with_the_last_prompt_value_beyond_its_range() -> None:
    summary = pd.DataFrame({
        "method": ["prompt"] * 3 + ["frozen"] * 4, "k": [0, 1, 4, 1, 4, 16, 64],
        "acc_mean": [0.70, 0.72, 0.75, 0.55, 0.70, 0.74, 0.80],
    })
    (cross,) = crossovers(summary)
    assert (cross.k, cross.reference) == (64, 0.75)  # K=16: 0.74 < 0.75 (prompt's K=4 value); K=64 beats it
    assert crossovers(summary[summary.method == "frozen"]) == []  # no prompting curve, nothing to overtake


def test_cloze_cuts_long_texts_but_keeps_the_mask() -> None:
    mlm = tiny_random_backbone("encoder", head="mlm")  # 64 positions
    method = ClozeMethod(mlm, ClozeConfig(max_words=500))
    ids = method.pattern_ids("word " * 300)
    assert len(ids) == mlm.max_length and mlm.tokenizer.mask_token_id in ids
    assert mlm.tokenizer.convert_ids_to_tokens(ids[-4:]) == ["was", "[MASK]", ".", "[SEP]"]
    assert method.logprobs(["word " * 300, "short"], [100, 200]).shape == (2, 2)
