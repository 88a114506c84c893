"""Every real packaged backbone loads offline (any socket connection raises) and gives real outputs."""

import numpy as np
import pytest

from plm_core.backbones import load_backbone

pytestmark = pytest.mark.slow


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_glove_neighbours(no_network):
    glove = load_backbone("glove-6b-50d")
    assert "film" in [w for w, _ in glove.nearest("movie", k=5)]
    vecs = glove.embed(["a great movie", "a terrible film"])
    assert vecs.shape == (2, 50)
    hs = glove.hidden_states(["the bank of the river xqzzyv"])
    assert hs.states.shape[0] == 1 and hs.attention_mask[0].tolist() == [1, 1, 1, 1, 1, 0]  # OOV masked


def test_minilm_paraphrases_are_closer_than_unrelated(no_network):
    minilm = load_backbone("minilm-l6")
    a, b, c = minilm.embed(["The film was wonderful.", "What a great movie!", "The bank raised interest rates."])
    assert cosine(a, b) > cosine(a, c) + 0.2
    hs = minilm.hidden_states(["hello world"])
    assert hs.states.shape == (7, 1, 4, 384)
    assert sum(p.numel() for p in minilm.model.parameters()) == minilm.spec.params


def test_minilm_random_twin_has_same_shape_other_weights(no_network):
    real, twin = load_backbone("minilm-l6"), load_backbone("minilm-l6", random_init=True)
    assert twin.random_init and twin.model.config.num_hidden_layers == real.model.config.num_hidden_layers
    a = next(real.model.parameters()).detach()
    b = next(twin.model.parameters()).detach()
    assert a.shape == b.shape and not np.allclose(a.numpy(), b.numpy())


def test_smollm2_predicts_a_sensible_next_token(no_network):
    lm = load_backbone("smollm2-135m")
    logp = lm.next_token_logprobs(["The capital of France is"])[0]
    best = lm.tokenizer.decode([int(np.argmax(logp))]).strip()
    assert best == "Paris"
    att = lm.attentions("The capital of France is Paris")
    assert att.weights.shape[:2] == (30, 9)
    np.testing.assert_allclose(att.weights.sum(-1), 1.0, atol=1e-4)
    assert lm.hidden_states(["hi there"]).states.shape[0] == 31


def test_use_multilingual_understands_korean(no_network):
    use = load_backbone("use-multilingual")
    ship, boat, pear = use.embed(["배를 타고 바다를 건넜다.", "We crossed the sea by boat.",
                                  "과일 가게에서 배를 샀다."])
    assert ship.shape == (512,)
    assert cosine(ship, boat) > cosine(boat, pear)
    assert use.tokenize("배를 타고").tokens[:2] == ["<s>", "▁배"]
