"""Representation explorer core: masks, word alignment, word vectors, projections, attention, LM views.

Fast tests run on 2-layer, 12-dim random transformers; the few that need real weights are marked slow.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from plm_core.backbones.base import Tokenized
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.explorer import attention as attn
from plm_core.explorer import masks
from plm_core.explorer import polysemy as poly
from plm_core.explorer.lm import fill_masks, next_tokens
from plm_core.explorer.projection import pca, project
from plm_core.explorer.sentences import linear_probe_accuracy, nearest_neighbours
from plm_core.explorer.tokens import compare_tokenizers, readable_piece, words_with_pieces
from plm_core.i18n import t


@pytest.fixture(scope="module")
def mlm():
    return tiny_random_backbone("encoder", head="mlm")


@pytest.fixture
def encoder(tiny_encoder):
    return tiny_encoder


@pytest.fixture
def decoder(tiny_decoder):
    return tiny_decoder


@pytest.fixture
def seq2seq(tiny_seq2seq):
    return tiny_seq2seq


# ---- masks -----------------------------------------------------------------------------------------
def test_causal_is_lower_triangular_and_bidirectional_is_full():
    c = masks.causal(6)
    assert np.array_equal(c, np.tril(np.ones((6, 6), dtype=bool)))
    assert masks.bidirectional(6).all()


def test_padding_is_masked_for_every_query_and_key():
    valid = [True, True, True, False, False]
    for allowed in (masks.causal(5, valid), masks.bidirectional(5, valid), masks.prefix_lm(5, 2, valid)):
        assert not allowed[:, 3:].any()  # nobody attends to padding
        assert not allowed[3:, :].any()  # padded queries are ignored
    m = masks.self_mask("causal", "decoder self", ["a", "b", "c"], n_pad=2)
    assert m.shape == (5, 5) and m.key_tokens[-2:] == [masks.PAD_TOKEN] * 2
    assert (m.codes[:, 3:] == masks.PADDING).all() and m.codes[0, 1] == masks.BLOCKED and m.codes[1, 0] == masks.ALLOWED


def test_prefix_lm_is_bidirectional_inside_the_prefix_only():
    p = masks.prefix_lm(5, 3)
    assert p[:3, :3].all()  # the prefix sees itself both ways
    assert not p[3, 4] and p[4, 3] and not p[0, 3]  # causal after the prefix; the prefix cannot see ahead


def test_cross_attention_shape_is_decoder_by_encoder():
    m = masks.cross_mask(["<start>", "x", "y"], ["a", "b", "c", "d", "e"], decoder_pad=1, encoder_pad=2)
    assert m.shape == (4, 7)
    assert m.allowed[:3, :5].all() and not m.allowed[:, 5:].any() and not m.allowed[3].any()
    arch = masks.architecture_masks(["a", "b", "c"], ["<start>", "x"], n_pad=0)
    assert [mm.shape for mm in arch["encoder-decoder"]] == [(3, 3), (2, 2), (2, 3)]
    assert set(arch) == {"encoder", "decoder", "prefix", "encoder-decoder"}


def test_additive_mask_is_zero_where_allowed_and_hugely_negative_elsewhere():
    from plm_core.backbones.hf import additive_mask

    add = additive_mask(masks.causal(3))
    assert add.shape == (1, 1, 3, 3) and add.dtype == np.float32
    assert add[0, 0, 1, 0] == 0 and add[0, 0, 0, 1] < -1e30


# ---- word -> sub-word alignment --------------------------------------------------------------------
def test_word_split_into_several_pieces_is_found_whole(encoder):
    text = "The flibbertigibbet sat on the bank."
    pos = poly.word_positions(encoder, text, "flibbertigibbet")
    tok = encoder.tokenize(text)
    assert len(pos) > 2 and pos == list(range(pos[0], pos[-1] + 1))
    assert "".join(tok.tokens[p].replace("##", "") for p in pos) == "flibbertigibbet"


def test_word_match_is_case_insensitive_first_occurrence_and_whole_word(encoder):
    text = "Banking is dull. The Bank opened; the bank closed."
    pos = poly.word_positions(encoder, text, "bank")
    assert len(pos) == 1 and encoder.tokenize(text).tokens[pos[0]] == "bank"
    assert pos[0] < poly.word_positions(encoder, text, "closed")[0]
    assert poly.find_word_span(text, "bank") == (21, 25)  # 'Bank' in 'The Bank', not 'Banking'
    assert poly.word_positions(encoder, "No such word here.", "bank") == []


def test_korean_word_with_a_particle_is_found():
    assert poly.find_word_span("우리는 배를 타고 갔다.", "배") == (4, 5)
    assert poly.find_word_span("배우가 왔다.", "배") == (0, 1)  # a word start: the data avoids such cases
    assert poly.find_word_span("the river", "배") is None


def test_alignment_without_offsets_uses_word_ids():
    tok = Tokenized(text="x", tokens=["[CLS]", "the", "fl", "##ib", "bank", "[SEP]"], ids=[0] * 6,
                    word_ids=[None, 0, 1, 1, 2, None], special=[True, False, False, False, False, True])
    assert poly._positions_from_word_ids(tok, "FLIB") == [2, 3]
    assert poly._positions_from_word_ids(tok, "bank") == [4]
    assert poly._positions_from_word_ids(tok, "river") == []


# ---- word vectors and contextuality ----------------------------------------------------------------
def test_word_vectors_average_the_pieces_and_report_missing_sentences(encoder):
    pset, notices = poly.custom_set("flibbertigibbet",
                                    "a | A flibbertigibbet ran.\nb | The flibbertigibbet slept.\nNo word here.")
    wv = poly.word_vectors(encoder, pset)
    assert wv.vectors.shape == (encoder.n_layers + 1, 2, encoder.hidden_size)
    assert wv.missing == ["No word here."] and wv.notices[0][0] == "embeddings.notice.missing"
    hs = encoder.hidden_states(list(pset.texts), max_length=poly.MAX_SENTENCE_TOKENS)
    pos = poly.word_positions(encoder, pset.texts[0], "flibbertigibbet")
    assert np.allclose(wv.vectors[:, 0], hs.states[:, 0, pos].mean(axis=1), atol=1e-6)
    assert wv.labels == ["a", "b"] and len(wv.pieces[0]) == len(pos)


def test_word_nowhere_is_a_clear_error(encoder):
    pset, _ = poly.custom_set("zebra", "A cat.\nA dog.")
    with pytest.raises(PLMError) as err:
        poly.word_vectors(encoder, pset)
    assert err.value.key == "embeddings.err.word_nowhere"


def test_custom_set_validates_input():
    with pytest.raises(PLMError):
        poly.custom_set("two words", "a\nb")
    with pytest.raises(PLMError):
        poly.custom_set("bank", "only one line")
    pset, notices = poly.custom_set("bank", "\n".join(["bank"] * (poly.MAX_SENTENCES + 5)))
    assert len(pset.texts) == poly.MAX_SENTENCES and notices[0][0] == "embeddings.notice.too_many_sentences"


def test_contextuality_of_identical_vectors_is_one_and_separated_senses_show_a_gap():
    static = poly.WordVectors("w", "s", "static", np.ones((1, 4, 3)), ["t"] * 4, ["a", "a", "b", "b"], [[]] * 4)
    df = poly.contextuality(static)
    assert np.allclose(df[["all", "same_sense", "different_sense"]].to_numpy(), 1.0)
    vecs = np.array([[[1, 0.1], [1, -0.1], [0.1, 1], [-0.1, 1]]], dtype=float)  # (1, 4, 2): two clusters
    df = poly.contextuality(poly.WordVectors("w", "c", "encoder", vecs, ["t"] * 4, ["a", "a", "b", "b"], [[]] * 4))
    assert df["same_sense"][0] > 0.9 and df["different_sense"][0] < 0.3 and df["sense_gap"][0] > 0.6


def test_shipped_sets_are_consistent():
    sets = poly.polysemy_sets()
    assert {"bank", "bat", "apple", "play", "light", "bae", "nun"} <= set(sets)
    for pset in sets.values():
        keys = {s.key for s in pset.senses}
        assert set(pset.labels) == keys and len(keys) >= 2
        for text in pset.texts:
            assert poly.find_word_span(text, pset.word) is not None, (pset.id, text)
        for key in keys:
            assert pset.labels.count(key) >= 3
            assert pset.sense_name(key, "ko") and pset.sense_name(key, "en")


# ---- projection ------------------------------------------------------------------------------------
def test_projection_shapes_and_fallbacks():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 16))
    p = project(x, "pca")
    assert p.points.shape == (40, 2) and p.method == "pca"
    assert project(x, "pca").cached
    small = project(x[:4], "umap")  # too few points: PCA with a notice, UMAP never imported
    assert small.points.shape == (4, 2) and small.method == "pca"
    assert small.notices[0][0] == "embeddings.notice.too_few_for"
    assert np.allclose(pca(np.ones((5, 3))), 0)  # identical points (a static vector) sit at one spot
    with pytest.raises(PLMError):
        project(x, "mds")


def test_pca_matches_the_top_two_directions():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 5)) * np.array([10, 3, 0.1, 0.1, 0.1])
    pts = pca(x)
    assert pts.shape == (200, 2) and pts[:, 0].var() > pts[:, 1].var() > 1.0


def test_tsne_projection_shape():
    x = np.random.default_rng(2).normal(size=(30, 8))
    p = project(x, "tsne")
    assert p.points.shape == (30, 2) and p.method == "tsne" and np.isfinite(p.points).all()


@pytest.mark.slow
def test_umap_projection_shape():
    x = np.random.default_rng(3).normal(size=(30, 8))
    p = project(x, "umap")
    assert p.points.shape == (30, 2) and p.method == "umap" and np.isfinite(p.points).all()


# ---- attention -------------------------------------------------------------------------------------
@pytest.mark.parametrize("family", ["encoder", "decoder", "encoder-decoder"])
def test_attention_rows_sum_to_one_for_every_family(family, encoder, decoder, seq2seq):
    bb = {"encoder": encoder, "decoder": decoder, "encoder-decoder": seq2seq}[family]
    view = attn.compute_attentions(bb, "the bank of the river", target="a bank")
    for which in view.available:
        w, q, k = view.select(which)
        assert w.shape[-2:] == (len(q), len(k))
        assert attn.row_sum_error(w) < 1e-4
    if family == "decoder":
        assert np.allclose(np.triu(view.att.weights, k=1), 0)  # a decoder never looks ahead
    if family == "encoder-decoder":
        assert view.available == list(attn.WHICH)
        cross, q, k = view.select("cross")
        assert cross.shape[-2:] == (len(view.att.decoder_tokens), len(view.att.tokens))


def test_long_text_is_truncated_with_a_notice(encoder):
    view = attn.compute_attentions(encoder, " ".join(["word"] * 200), max_tokens=32)
    assert view.att.weights.shape[-1] == 32
    assert view.notices == [("attention.notice.truncated", {"limit": 32})]
    assert "32" in t("attention.notice.truncated", "ko", limit=32)
    assert "32" in t("attention.notice.truncated", "en", limit=32)
    assert attn.compute_attentions(encoder, "short text").notices == []
    with pytest.raises(PLMError):
        attn.compute_attentions(encoder, "   ")


def test_rollout_rows_sum_to_one_and_pure_residual_is_identity():
    rng = np.random.default_rng(0)
    w = rng.random((3, 2, 5, 5))
    w /= w.sum(-1, keepdims=True)
    r = attn.rollout(w)
    assert r.shape == (3, 5, 5) and np.allclose(r.sum(-1), 1)
    assert np.allclose(attn.rollout(w, residual=1.0)[-1], np.eye(5))
    assert np.allclose(attn.head_average(w), w.mean(1))


def test_pooling_and_mosaic_keep_the_mean_and_the_layout():
    m = np.random.default_rng(0).random((100, 100))
    pooled = attn.pool_matrix(m, 24)
    assert pooled.shape == (24, 24) and abs(pooled.mean() - m.mean()) < 0.01
    assert attn.pool_matrix(m[:10, :10], 24).shape == (10, 10)
    mos, cell = attn.mosaic(np.random.default_rng(1).random((3, 4, 50, 50)), max_side=10)
    assert cell == 10 and mos.shape == (3 * 11 - 1, 4 * 11 - 1) and np.isnan(mos[10]).all()


def test_mask_swap_makes_an_encoder_causal_without_touching_the_model(encoder):
    before = {k: v.clone() for k, v in encoder.model.state_dict().items()}
    swap = attn.mask_swap(encoder, "the bank of the river was steep")
    assert np.allclose(np.triu(swap.swapped.attentions, k=1), 0)  # causal: nothing to the right
    assert np.triu(swap.native.attentions, k=1).sum() > 0.5  # the encoder normally looks right
    assert attn.row_sum_error(swap.swapped.attentions) < 1e-4
    assert swap.drift["mean_cosine"][0] == pytest.approx(1.0, abs=1e-5)  # embeddings do not depend on the mask
    assert np.abs(swap.native.hidden[-1] - swap.swapped.hidden[-1]).max() > 1e-4  # upper layers do
    assert (swap.future_share["swapped"] < 1e-6).all() and (swap.future_share["native"] > 0.05).all()
    assert all((before[k] == v).all() for k, v in encoder.model.state_dict().items())


def test_mask_swap_lets_a_decoder_look_ahead(decoder):
    swap = attn.mask_swap(decoder, "the bank of the river was steep")
    assert np.allclose(np.triu(swap.native.attentions, k=1), 0)
    assert np.triu(swap.swapped.attentions, k=1).sum() > 0.5
    assert swap.native.logprobs is not None and swap.native.logprobs.shape[0] == len(swap.native.tokens)


def test_mask_swap_refuses_an_encoder_decoder(seq2seq):
    with pytest.raises(PLMError) as err:
        attn.mask_swap(seq2seq, "the bank")
    assert err.value.key == "backbone.err.lacks.mask_swap"


# ---- language-model views --------------------------------------------------------------------------
def test_mlm_sandbox_masks_pieces_and_ranks_predictions(mlm):
    text = "the bank of the river"
    res = fill_masks(mlm, text, [2, 4], top_k=4)
    assert len(res.predictions) == 8 and set(res.predictions["position"]) == {2, 4}
    for _, part in res.predictions.groupby("position"):
        probs = part["probability"].to_numpy()
        assert (np.diff(probs) <= 1e-9).all() and probs.sum() <= 1 + 1e-6
    assert res.original_rank["original"].tolist() == [res.tokens[2], res.tokens[4]]
    assert res.attention_masked.shape == res.attention_original.shape
    assert not np.allclose(res.attention_masked, res.attention_original)  # attention shifts when a piece is masked
    with pytest.raises(PLMError):
        fill_masks(mlm, text, [])


def test_mlm_sandbox_needs_an_mlm_head(encoder, decoder):
    for bb in (encoder, decoder):
        with pytest.raises(PLMError) as err:
            fill_masks(bb, "the bank", [1])
        assert err.value.key == "backbone.err.lacks.masked_lm"


def test_next_token_view_matches_the_backbone_log_probs(decoder, encoder):
    view = next_tokens(decoder, "the bank of the river", top_k=3)
    pieces, logp = decoder.token_logprobs("the bank of the river")
    assert view.tokens == pieces and len(view.table) == len(pieces) - 1
    assert np.allclose(view.table["probability"], np.exp(logp), rtol=1e-4)
    assert (view.table["rank"] >= 1).all() and len(view.topk) == 3 * (len(pieces) - 1)
    with pytest.raises(PLMError):
        next_tokens(encoder, "the bank")


# ---- tokens and sentence maps ----------------------------------------------------------------------
def test_byte_level_pieces_are_made_readable():
    assert readable_piece("Ġbank") == "▁bank"
    assert readable_piece("ë°°") == "배"  # three bytes that make one syllable
    assert readable_piece("ë") == "⟨EB⟩"  # one byte of a syllable
    assert readable_piece("Ġë") == "▁⟨EB⟩"  # a space, then the first byte of a syllable
    assert readable_piece("ë°°ë") == "배⟨EB⟩"
    assert readable_piece("[CLS]") == "[CLS]"


def test_tokenizer_comparison_counts_pieces(encoder):
    df = compare_tokenizers({"tiny": encoder}, "the flibbertigibbet")
    assert df["pieces"][0] >= 3 and df["pieces_per_word"][0] >= 1.5
    words = words_with_pieces(encoder, "the flibbertigibbet")
    assert words["n_pieces"].tolist()[0] == 1 and words["n_pieces"].tolist()[1] > 2


def test_nearest_neighbours_and_linear_probe():
    vecs = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=float)
    assert [i for i, _ in nearest_neighbours(vecs, vecs[0], k=2, skip=0)] == [1, 3]
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 0.1, (20, 4)) + 2, rng.normal(0, 0.1, (20, 4)) - 2])
    assert linear_probe_accuracy(x, ["a"] * 20 + ["b"] * 20) == pytest.approx(1.0)
    assert np.isnan(linear_probe_accuracy(x[:2], ["a", "b"]))


def test_explorer_core_never_imports_streamlit():
    code = ("import sys, importlib\n"
            "for m in ['polysemy','projection','masks','attention','lm','tokens','sentences','figures']:\n"
            "    importlib.import_module('plm_core.explorer.' + m)\n"
            "import plm_core.i18n.catalog.explorer\n"
            "assert 'streamlit' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- real weights ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_minilm_separates_bank_senses_more_than_the_embedding_layer():
    from plm_core.backbones import load_backbone

    wv = poly.word_vectors(load_backbone("minilm-l6"), poly.polysemy_sets()["bank"])
    df = poly.contextuality(wv)
    assert df["sense_gap"].iloc[0] < 0.02  # layer 0: the same token, nearly the same vector
    assert df["sense_gap"].iloc[-1] > 0.05  # top layer: same-sense pairs are closer than cross-sense ones
    assert df["all"].iloc[-1] < df["all"].iloc[0]  # upper layers are more contextual


@pytest.mark.slow
@pytest.mark.parametrize("name", ["minilm-l6", "smollm2-135m"])
def test_real_attention_rows_sum_to_one(name):
    from plm_core.backbones import load_backbone

    view = attn.compute_attentions(load_backbone(name), "The bank raised its interest rates.")
    assert attn.row_sum_error(view.att.weights) < 1e-4


@pytest.mark.slow
def test_smollm_alignment_of_a_multi_piece_word():
    from plm_core.backbones import load_backbone

    bb = load_backbone("smollm2-135m")
    pos = poly.word_positions(bb, "The Flibbertigibbet sat down.", "flibbertigibbet")
    tokens = bb.tokenize("The Flibbertigibbet sat down.").tokens
    assert len(pos) > 2 and "".join(tokens[p] for p in pos).strip("▁") == "Flibbertigibbet"
    assert len(poly.word_positions(bb, "우리는 배를 탔다.", "배")) >= 1


def test_figures_keep_repeated_tokens_apart_and_stay_light():
    from plm_core.explorer import figures as figs

    tokens = ["the", "bank", "the", "river"]
    fig = figs.attention_heatmap(np.full((4, 4), 0.25), tokens, tokens, "t")
    assert list(fig.layout.xaxis.ticktext) == tokens and len(fig.layout.xaxis.tickvals) == 4
    big = figs.attention_heatmap(np.full((512, 512), 1 / 512), ["x"] * 512, ["x"] * 512, "t")
    assert np.asarray(big.data[0].z).shape == (attn.LARGE_SIDE, attn.LARGE_SIDE) and big.data[0].hovertext is None
    mos, cell = attn.mosaic(np.full((30, 9, 512, 512), 1 / 512, dtype=np.float16))
    grid = figs.attention_grid_figure(mos, 30, 9, cell)
    assert len(grid.data) == 1 and len(grid.to_json()) < 2_000_000


def test_digest_matches_its_parts(encoder, seq2seq):
    view = attn.compute_attentions(encoder, "the bank of the river")
    d = attn.digest(view.att.weights)
    assert np.allclose(d.average, attn.head_average(view.att.weights))
    assert np.allclose(d.rollout, attn.rollout(view.att.weights))
    cross, _, _ = attn.compute_attentions(seq2seq, "the bank", target="a bank").select("cross")
    assert attn.digest(cross, self_attention=False).rollout is None
