"""Gemma 3 270M base as a prompting backbone: its spec and terms, the chunk assembly's checksum, and (real weights)
Korean reading, <bos> first, and the prefix cache past its 512-position sliding window."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from plm_core.backbones import get_spec
from plm_core.backbones.gemma import GEMMA_NAME, TERMS_OF_USE, assemble_gguf, gemma_cache_dir, terms_file
from plm_core.backbones.registry import weights_folder
from plm_core.errors import PLMError
from plm_core.fewshot.methods import method_backbones


def test_gemma_is_a_base_decoder_for_prompting_with_declared_capabilities_and_its_terms() -> None:
    spec = get_spec(GEMMA_NAME)
    assert spec.family == "decoder" and spec.head == "clm" and "ko" in spec.languages
    assert spec.can("causal_lm") and spec.can("trainable") and not spec.can("masked_lm")
    assert spec.license == "Gemma Terms of Use" and GEMMA_NAME in TERMS_OF_USE
    assert GEMMA_NAME in method_backbones("prompt") and "instruction" in spec.objective
    assert weights_folder(spec) == gemma_cache_dir()
    terms = terms_file()
    assert terms is not None and "Gemma Terms of Use" in terms.read_text(encoding="utf-8", errors="replace")


def test_joined_chunks_that_do_not_match_the_published_checksum_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plm_core.backbones import gemma

    parts = []
    for i in range(4):
        parts.append(tmp_path / f"part{i}")
        parts[-1].write_bytes(b"not a model " * (i + 1))
    monkeypatch.setattr(gemma, "chunk_files", lambda: parts)
    with pytest.raises(PLMError) as err:
        assemble_gguf(tmp_path / "joined.gguf")
    assert err.value.key == "backbone.err.gemma_checksum" and err.value.params["want"] == gemma.GEMMA_SHA256


@pytest.fixture(scope="module")
def gemma():
    from plm_core.backbones import load_backbone

    return load_backbone(GEMMA_NAME)


@pytest.mark.slow
def test_gemma_reads_korean_and_starts_every_prompt_with_bos(gemma, no_network: None) -> None:
    from plm_core.fewshot.prompting import PromptConfig, PromptScorer

    text = "이 영화 정말 재미있었어요. 배우들의 연기가 훌륭합니다."
    ids = gemma.tokenizer(text, add_special_tokens=False)["input_ids"]
    assert gemma.tokenizer.decode(ids) == text and gemma.tokenizer.unk_token_id not in ids
    assert len(ids) < len(text)  # pieces longer than one character: it has Korean in its vocabulary
    scorer = PromptScorer(gemma, PromptConfig(), ["negative", "positive"])
    assert scorer.start_ids == [gemma.tokenizer.bos_token_id]
    assert scorer.score([], ["A warm and funny film."]).prefix_tokens == 1  # K = 0: <bos> alone


@pytest.mark.slow
def test_the_prefix_cache_gives_the_full_passes_scores_past_the_sliding_window(gemma, no_network: None,
                                                                               one_torch_thread: None) -> None:
    from plm_core.fewshot.prompting import PromptConfig, PromptScorer

    words = "a long and winding film about a family that travels across the country by train in winter".split()
    demos = [(" ".join(words[i % 5:] + words[: i % 5]), "positive" if i % 2 else "negative") for i in range(40)]
    scorer = PromptScorer(gemma, PromptConfig(), ["negative", "positive"])
    texts = ["A dull, tired film.", "Warm, funny and moving."]
    cached = scorer.score(demos, texts)
    assert cached.prefix_tokens > gemma.model.config.sliding_window  # the window's layers see only the last 512
    full = scorer.score(demos, texts, use_cache=False)
    np.testing.assert_allclose(cached.logprobs, full.logprobs, atol=1e-3)
