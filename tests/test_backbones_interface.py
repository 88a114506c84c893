"""The common backbone interface on tiny random transformers: shapes, masks, pooling, attention."""

import numpy as np
import pytest

from plm_core.backbones import POOLINGS, get_spec, pool, specs
from plm_core.backbones.base import batches_by_length, reorder_batches
from plm_core.errors import PLMError

TEXTS = ["the river bank", "she deposited money at the bank on monday morning", "hi"]


@pytest.mark.parametrize("fixture", ["tiny_encoder", "tiny_decoder", "tiny_seq2seq"])
def test_hidden_states_shapes_and_mask(fixture, request):
    bb = request.getfixturevalue(fixture)
    hs = bb.hidden_states(TEXTS)
    n_layers, batch, width, hidden = hs.states.shape
    assert (n_layers, batch, hidden) == (bb.n_layers + 1, 3, bb.hidden_size)
    assert hs.attention_mask.shape == (3, width)
    lengths = hs.attention_mask.sum(axis=1)
    assert lengths[1] == width and lengths[2] < lengths[0] < lengths[1]  # padding masked on short texts
    assert [len(t) for t in hs.tokens] == [width] * 3


def test_mean_pooling_ignores_padding(tiny_encoder):
    alone = tiny_encoder.embed(["hi"], pooling="mean")
    batched = tiny_encoder.embed(["hi", TEXTS[1]], pooling="mean", batch_size=2)
    np.testing.assert_allclose(alone[0], batched[0], atol=1e-5)


def test_last_pooling_picks_last_real_token():
    states = np.arange(2 * 4 * 3, dtype=np.float32).reshape(2, 4, 3)  # (B, T, H)
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]])
    np.testing.assert_array_equal(pool(states, mask, "last"), states[[0, 1], [1, 3]])
    np.testing.assert_array_equal(pool(states, mask, "first"), states[:, 0])
    np.testing.assert_allclose(pool(states, mask, "mean")[0], states[0, :2].mean(axis=0))


def test_unknown_pooling_is_a_clear_error():
    with pytest.raises(PLMError, match="mean, first, last"):
        pool(np.zeros((1, 2, 3)), np.ones((1, 2)), "max")


def test_embed_keeps_input_order_across_length_buckets(tiny_encoder):
    texts = ["a b c d e f g", "x", "y z", "one two three four"]
    together = tiny_encoder.embed(texts, batch_size=2)
    one_by_one = np.concatenate([tiny_encoder.embed([t]) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_reorder_batches_roundtrip():
    texts = ["ccc", "a", "bb", "dddd", "e"]
    chunks = [np.array([[len(texts[i])] for i in b]) for b in batches_by_length(texts, 2)]
    assert reorder_batches(chunks, texts, 2)[:, 0].tolist() == [3, 1, 2, 4, 1]


@pytest.mark.parametrize("fixture", ["tiny_encoder", "tiny_decoder"])
def test_attention_rows_sum_to_one(fixture, request):
    att = request.getfixturevalue(fixture).attentions("the bank of the river")
    n = len(att.tokens)
    assert att.weights.shape == (2, 3, n, n)
    np.testing.assert_allclose(att.weights.sum(-1), 1.0, atol=1e-5)


def test_decoder_attention_is_causal(tiny_decoder):
    w = tiny_decoder.attentions("one two three four").weights  # (L, nh, T, T)
    upper = np.triu(np.ones(w.shape[-2:], dtype=bool), k=1)
    assert np.all(w[..., upper] == 0)


def test_encoder_decoder_gives_cross_attention(tiny_seq2seq):
    att = tiny_seq2seq.attentions("the bank of the river", target="a bank")
    te, td = len(att.tokens), len(att.decoder_tokens)
    assert att.cross_weights.shape == (2, 3, td, te)
    assert att.decoder_weights.shape == (2, 3, td, td)
    np.testing.assert_allclose(att.cross_weights.sum(-1), 1.0, atol=1e-5)


def test_tokenize_maps_pieces_to_words(tiny_encoder):
    tok = tiny_encoder.tokenize("unbelievably riverbank")
    assert tok.tokens[0] == "[CLS]" and tok.special[0] and tok.word_ids[0] is None
    pieces_of_second = [p for p, w in zip(tok.tokens, tok.word_ids, strict=True) if w == 1]
    assert len(pieces_of_second) >= 2 and "".join(p.replace("##", "") for p in pieces_of_second) == "riverbank"


def test_truncation_is_reported(tiny_encoder):
    long_text = " ".join(["word"] * 200)
    assert tiny_encoder.tokenize(long_text).truncated
    assert tiny_encoder.hidden_states([long_text, "short"]).truncated == [True, False]
    assert not tiny_encoder.tokenize("short").truncated


def test_language_model_scores(tiny_decoder):
    logp = tiny_decoder.next_token_logprobs(["the bank", "a"])
    assert logp.shape == (2, tiny_decoder.tokenizer.vocab_size)
    np.testing.assert_allclose(np.exp(logp).sum(axis=1), 1.0, atol=1e-4)
    pieces, per_token = tiny_decoder.token_logprobs("the river bank")
    assert len(per_token) == len(pieces) - 1 and np.all(per_token <= 0)


def test_encoder_without_lm_head_says_so(tiny_encoder):
    with pytest.raises(PLMError, match="not a language model"):
        tiny_encoder.next_token_logprobs(["x"])
    with pytest.raises(PLMError, match="masked-LM head"):
        tiny_encoder.fill_mask("the [MASK] river")


def test_fill_mask_on_mlm_head():
    from plm_core.backbones.tiny import tiny_random_backbone

    mlm = tiny_random_backbone("encoder", head="mlm")
    top = mlm.fill_mask("the [MASK] of the [MASK]", top_k=3)
    assert len(top) == 2 and all(len(t) == 3 for t in top)
    assert all(0 <= p <= 1 for t in top for _, p in t)
    with pytest.raises(PLMError, match=r"\[MASK\]"):
        mlm.fill_mask("no mask here")


def test_copy_does_not_share_weights(tiny_encoder):
    clone = tiny_encoder.copy()
    p_clone = next(clone.model.parameters())
    p_orig = next(tiny_encoder.model.parameters())
    before = p_orig.detach().clone()
    with __import__("torch").no_grad():
        p_clone.add_(1.0)
    assert __import__("torch").equal(p_orig, before)


def test_registry_specs_are_complete():
    table = specs()
    for name in ("minilm-l6", "smollm2-135m", "glove-6b-50d", "use-multilingual"):
        spec = table[name]
        assert spec.params > 0 and spec.license and spec.install and spec.source
    assert get_spec("minilm-l6").family == "encoder"
    with pytest.raises(PLMError, match="minilm-l6"):
        get_spec("bert-base-uncased")
    assert set(POOLINGS) == {"mean", "first", "last"}
