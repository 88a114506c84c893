"""Live runs sized for a class: batched prompt scores = unbatched ones, the default curve's prompting cap,
quick methods first, honest estimates, and the default race / curve jobs as the pages build them."""

from __future__ import annotations

import numpy as np
import pytest

from fewshot_helpers import DEMOS, LABELS, toy_set
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.fewshot.curves import (
    CURVE_TEST_LIMIT,
    PROMPT_MAX_K,
    CurveConfig,
    estimate_seconds,
    run_curves,
    run_order,
)
from plm_core.fewshot.methods import Method, Outcome, make_task
from plm_core.fewshot.prompting import PromptConfig, PromptScorer
from plm_core.recipes import FewShotCurve, TransferRace
from plm_core.transfer.config import TrainConfig

FIVE_MODES = ("frozen", "finetune", "discriminative", "gradual", "scratch")

TEXTS = ["a fine movie", "awful", "it was ok i guess, and long", "x", "the best film this year by far",
         "not bad at all", "dreadful, simply dreadful and boring", "fun"]


@pytest.fixture(scope="module")
def decoder():
    return tiny_random_backbone("decoder")


@pytest.mark.parametrize("verbalizers", [{}, {"positive": " very good", "negative": " rather bad"}])
@pytest.mark.parametrize("demos", [DEMOS, []])
def test_batched_prompt_scores_equal_unbatched_ones(decoder, verbalizers, demos) -> None:
    """Scores must not depend on the batch: 16 queries over one expanded prefix cache = one query at a time."""
    def scores(batch: int) -> np.ndarray:
        cfg = PromptConfig(verbalizers=verbalizers, batch_size=batch, max_prompt_tokens=96)
        return PromptScorer(decoder, cfg, LABELS).score(demos, TEXTS).logprobs

    one, sixteen, three = scores(1), scores(16), scores(3)
    np.testing.assert_allclose(sixteen, one, atol=1e-4)
    np.testing.assert_allclose(three, one, atol=1e-4)
    assert one.shape == (len(TEXTS), 2) and np.all(one < 0)
    assert not np.allclose(one[0], one[1])  # different texts really get different scores


class FakeMethod(Method):
    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind
        self.calls: list[int] = []

    def run(self, train_k, task, seed):
        self.calls.append(len(train_k) // len(task.labels))
        return Outcome(0.5, 0.5)


def test_prompting_stops_at_its_k_cap_and_quick_methods_run_first(monkeypatch) -> None:
    methods = {m: FakeMethod(m, k) for m, k in (("prompt", "demo"), ("frozen", "train"), ("similarity", "zero"))}
    monkeypatch.setattr("plm_core.fewshot.curves.build_method", lambda name, backbone, **kw: methods[name])
    order: list[str] = []
    config = CurveConfig(data="toy", methods=("prompt", "similarity", "frozen"), shots=(0, 1, 2, 4, 8), seeds=2,
                         prompt_max_k=2, backbones={m: "x" for m in methods})
    result = run_curves(config, make_task(toy_set(), test_limit=None), load=lambda name: None,
                        on_point=lambda p: order.append(p.method))
    assert sorted(set(methods["prompt"].calls)) == [0, 1, 2]  # K = 4 and 8 not prompted ...
    assert sorted(set(methods["frozen"].calls)) == [1, 2, 4, 8]  # ... but the probe goes on
    assert [(s.method, s.k, s.key) for s in result.skipped] == [("prompt", 4, "fewshot.skip.prompt_k"),
                                                                ("prompt", 8, "fewshot.skip.prompt_k")]
    assert order.index("prompt") > max(i for i, m in enumerate(order) if m in ("similarity", "frozen"))
    assert run_order(["finetune", "prompt", "frozen", "similarity"]) == ["frozen", "similarity", "finetune", "prompt"]


def test_curve_estimate_follows_the_work() -> None:
    base = FewShotCurve().job_config().config
    assert (base.test_limit, base.prompt_max_k) == (CURVE_TEST_LIMIT, PROMPT_MAX_K)
    default = estimate_seconds(base, 2)
    assert 10 < default < 90  # the default curve is sized to fit a lesson
    uncapped = estimate_seconds(CurveConfig(data=base.data, test_limit=base.test_limit), 2)
    assert uncapped > 3 * default  # prompting at K = 4..32 is where the time goes
    bigger = estimate_seconds(CurveConfig(data=base.data, test_limit=5 * base.test_limit,
                                          prompt_max_k=base.prompt_max_k), 2)
    assert bigger == pytest.approx(5 * default, rel=0.25)  # the test texts dominate: about linear in them
    probe = CurveConfig(data=base.data, methods=("frozen",), shots=(1, 64))
    assert estimate_seconds(probe, 2, most=10) == estimate_seconds(CurveConfig(methods=("frozen",), shots=(1,)), 2)
    assert estimate_seconds(probe, 2) > estimate_seconds(probe, 2, most=10)  # K = 64: skipped where too few


def test_default_curve_job_is_the_pages_default() -> None:
    job = FewShotCurve().job_config()
    assert (job.config.test_limit, job.config.prompt_max_k) == (CURVE_TEST_LIMIT, PROMPT_MAX_K)
    assert job.data.name == "movie-snippets" and job.config.prompt is not None and job.config.descriptions
    assert job.config.methods == ("similarity", "prompt", "frozen") and job.config.seeds == 3


def test_default_race_job_races_the_five_modes_with_the_page_defaults() -> None:
    from plm_core.transfer.defaults import RACE_EPOCHS, RACE_N, RACE_TEST
    from plm_core.transfer.jobs import estimate_seconds

    job = TransferRace(modes=FIVE_MODES).job_config()
    assert [c.mode for c in job.configs] == ["frozen", "finetune", "discriminative", "gradual", "scratch"]
    assert (job.n, job.test_limit, job.race, job.seeds) == (RACE_N, RACE_TEST, True, 1)
    assert all(c.optim.epochs == RACE_EPOCHS and c.backbone == "minilm-l6" for c in job.configs)
    assert all(c == TrainConfig.of(backbone="minilm-l6", epochs=RACE_EPOCHS, strategy=c.preset, layer=6)
               for c in job.configs)  # the top layer's index (the form's and the lesson's)
    seconds = estimate_seconds(job.configs, RACE_N, RACE_TEST, 1, 22_700_000)
    assert 30 < seconds < 90  # calibrated on this machine; bench/lessons.py measures the real thing
    assert estimate_seconds(job.configs, 2 * RACE_N, RACE_TEST, 1, 22_700_000) > 1.5 * seconds


def test_page_settings_start_from_the_lesson_sized_defaults() -> None:
    """The URL settings registry mirrors these defaults (the pages and `lesson prepare` read it)."""
    from plm_core import urlparams as up
    from plm_core.fewshot.curves import PROMPT_K_CHOICES
    from plm_core.transfer.defaults import RACE_EPOCHS, RACE_N, RACE_TEST

    transfer = {p.name: p.default for p in up.params("transfer")}
    fewshot = {p.name: p for p in up.params("fewshot")}
    assert (transfer["n"], transfer["epochs"], transfer["race_test"]) == (RACE_N, RACE_EPOCHS, RACE_TEST)
    assert fewshot["test"].default == CURVE_TEST_LIMIT and fewshot["prompt_k"].default == PROMPT_MAX_K
    assert fewshot["prompt_k"].choices == PROMPT_K_CHOICES
