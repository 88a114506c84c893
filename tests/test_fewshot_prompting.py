"""Prompt scoring: templates, the cached demonstration prefix, contextual calibration."""

import numpy as np
import pytest

from fewshot_helpers import DEMOS, LABELS
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.fewshot.prompting import (
    PromptConfig,
    PromptScorer,
    PromptScores,
    demo_prefix,
    full_prompt,
    query_text,
)

TEXTS = ["a fine movie", "awful", "it was ok i guess, and long", "x", "the best film this year by far"]


@pytest.fixture(scope="module")
def decoder():
    return tiny_random_backbone("decoder")


def test_prompt_text_is_exactly_the_template() -> None:
    cfg = PromptConfig(template="Review: {text}\nSentiment:{label}", instruction="Classify.")
    prompt = full_prompt(cfg, DEMOS[:2], LABELS, "great")
    assert prompt == ("Classify.\n\nReview: a dull and tired film\nSentiment: negative\n\n"
                      "Review: warm, funny and moving\nSentiment: positive\n\nReview: great\nSentiment:")
    assert demo_prefix(cfg, [], LABELS) == "Classify.\n\n"
    assert query_text(cfg, "t") == "Review: t\nSentiment:"


@pytest.mark.parametrize("template", ["Review: {text}", "{label} {text}", "Sentiment:{label}"])
def test_bad_templates_are_refused(template: str) -> None:
    with pytest.raises(PLMError) as err:
        query_text(PromptConfig(template=template), "x")
    assert err.value.key == "fewshot.err.bad_template"


@pytest.mark.parametrize("verbalizers,batch",
                         [({}, 2), ({}, 16), ({"positive": " very good", "negative": " rather bad"}, 3)])
def test_cached_prefix_equals_uncached_scoring(decoder, verbalizers, batch) -> None:
    scorer = PromptScorer(decoder, PromptConfig(verbalizers=verbalizers, batch_size=batch, max_prompt_tokens=64),
                          LABELS)
    cached = scorer.score(DEMOS, TEXTS, use_cache=True)
    plain = scorer.score(DEMOS, TEXTS, use_cache=False)
    assert cached.prefix_tokens > 10
    np.testing.assert_allclose(cached.logprobs, plain.logprobs, atol=1e-4)
    assert np.all(cached.logprobs < 0)


def test_demonstrations_change_the_scores(decoder) -> None:
    scorer = PromptScorer(decoder, PromptConfig(max_prompt_tokens=64), LABELS)
    with_demos = scorer.score(DEMOS, TEXTS).logprobs
    reordered = scorer.score(DEMOS[::-1], TEXTS).logprobs
    zero_shot = scorer.score([], TEXTS).logprobs
    assert not np.allclose(with_demos, zero_shot) and not np.allclose(with_demos, reordered)


def test_prefix_is_encoded_once_per_score_call(decoder, monkeypatch) -> None:
    calls = []
    scorer = PromptScorer(decoder, PromptConfig(batch_size=2, max_prompt_tokens=64), LABELS)
    original = scorer.encode_prefix
    monkeypatch.setattr(scorer, "encode_prefix", lambda ids: calls.append(len(ids)) or original(ids))
    scorer.score(DEMOS, TEXTS)  # 5 texts in 3 batches
    assert len(calls) == 1


def test_calibration_flips_a_biased_case() -> None:
    # the model prefers "positive" by a small margin everywhere, and just as much for content-free input
    logprobs = np.log(np.array([[0.45, 0.55], [0.30, 0.70], [0.42, 0.58], [0.10, 0.90]]))
    scores = PromptScores(logprobs, LABELS, prefix_tokens=0, cf_probs=np.array([0.35, 0.65]))
    assert scores.predictions(calibrate=False) == ["positive"] * 4
    assert scores.predictions(calibrate=True) == ["negative", "positive", "negative", "positive"]
    np.testing.assert_allclose(scores.probs(calibrate=True).sum(axis=1), 1.0)


def test_calibration_uses_content_free_inputs(decoder) -> None:
    scorer = PromptScorer(decoder, PromptConfig(calibrate=True, max_prompt_tokens=64), LABELS)
    scores = scorer.score(DEMOS, TEXTS)
    assert scores.cf_probs is not None and scores.cf_probs.shape == (2,)
    expected = scores.probs() / scores.cf_probs
    assert scores.predictions(calibrate=True) == [LABELS[i] for i in expected.argmax(axis=1)]


def test_too_long_prompt_asks_for_a_smaller_k(decoder) -> None:
    scorer = PromptScorer(decoder, PromptConfig(max_prompt_tokens=20), LABELS)
    with pytest.raises(PLMError) as err:
        scorer.score(DEMOS, TEXTS)
    assert err.value.key == "fewshot.err.prompt_too_long"


def test_encoder_is_refused_for_prompting() -> None:
    with pytest.raises(PLMError):
        PromptScorer(tiny_random_backbone("encoder"), PromptConfig(), LABELS)
