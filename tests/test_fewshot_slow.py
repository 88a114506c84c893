"""One slow check on the real SmolLM2: the cached demonstration prefix gives the uncached log-probabilities."""

import numpy as np
import pytest

from plm_core.fewshot.prompting import PromptConfig, PromptScorer

pytestmark = pytest.mark.slow


def test_smollm2_prefix_cache_matches_full_prompt() -> None:
    from plm_core.backbones import load_backbone

    lm = load_backbone("smollm2-135m")
    demos = [("A warm, funny and moving film.", "positive"), ("Tedious and far too long.", "negative")]
    texts = ["One of the best films of the year.", "I want those two hours back.", "It was fine, I suppose."]
    scorer = PromptScorer(lm, PromptConfig(batch_size=2), ["negative", "positive"])
    cached = scorer.score(demos, texts, use_cache=True)
    plain = scorer.score(demos, texts, use_cache=False)
    np.testing.assert_allclose(cached.logprobs, plain.logprobs, atol=1e-3)
    assert cached.predictions()[:2] == ["positive", "negative"]
