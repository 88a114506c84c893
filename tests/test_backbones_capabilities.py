"""Capabilities are declared on the spec and really implemented; undeclared ones raise a PLMError naming who has them.

Fast layer: the tiny random transformers and the five tiny checkpoints of this repo. The packaged real
backbones (MiniLM, SmolLM2, GloVe, USE) get the same check in the slow layer.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from plm_core.backbones import CAPABILITIES, Backbone, backbones_with, load_backbone, require, specs
from plm_core.backbones.capabilities import PROTOCOLS
from plm_core.errors import PLMError
from plm_core.i18n import t

TEXT = "the bank of the river"
REAL = ("minilm-l6", "smollm2-135m", "glove-6b-50d", "use-multilingual")
TINY_FAMILY = ("tiny-bert-mlm", "tiny-gpt-clm", "tiny-t5-span", "tiny-elmo-bilm", "tiny-sgns")


# ---- one exerciser per capability: call it and check what comes back ---------------------------
def check_token_states(bb: Backbone) -> None:
    model = require(bb, "token_states")
    hs = model.hidden_states(["the bank", TEXT])
    assert hs.states.ndim == 4 and hs.states.shape[1] == 2 and hs.states.shape[3] == bb.hidden_size
    assert hs.attention_mask.shape == hs.states.shape[1:3]
    assert model.embed(["the bank", TEXT]).shape == (2, bb.hidden_size)


def check_attention(bb: Backbone) -> None:
    att = require(bb, "attention").attentions(TEXT)
    assert att.weights.ndim == 4 and att.weights.shape[0] == bb.n_layers
    np.testing.assert_allclose(att.weights.sum(axis=-1), 1.0, atol=1e-4)  # every row is a distribution


def check_mask_swap(bb: Backbone) -> None:
    model = require(bb, "mask_swap")
    native, causal = model.run_pieces(TEXT), model.run_pieces(TEXT, mask="causal")
    assert causal.mask == "causal" and native.attentions.shape == causal.attentions.shape
    assert np.allclose(np.triu(causal.attentions, k=1), 0.0)  # nothing to the right
    assert native.hidden.shape[0] == bb.n_layers + 1 and len(native.tokens) == len(native.ids)


def check_masked_lm(bb: Backbone) -> None:
    mlm = require(bb, "masked_lm")
    top = mlm.fill_mask(f"the {mlm.mask_token} of the {mlm.mask_token}", top_k=3)
    assert len(top) == 2 and all(len(r) == 3 for r in top)
    assert all(0.0 <= p <= 1.0 for r in top for _, p in r)
    assert all(r[0][1] >= r[1][1] >= r[2][1] for r in top)  # best first


def check_causal_lm(bb: Backbone) -> None:
    lm = require(bb, "causal_lm")
    logp = lm.next_token_logprobs(["the bank", "a"])
    np.testing.assert_allclose(np.exp(logp).sum(axis=1), 1.0, atol=1e-4)
    ranked = lm.next_tokens("the bank", top_k=4)
    assert len(ranked) == 4 and ranked[0][1] == pytest.approx(float(np.exp(logp[0].max())), rel=1e-4)
    pieces, per_piece = lm.token_logprobs(TEXT)
    assert len(per_piece) == len(pieces) - 1 and np.all(per_piece <= 0)
    assert isinstance(lm.generate("the bank", 3), str)


def check_bidirectional_lm(bb: Backbone) -> None:
    pieces, fwd, bwd = require(bb, "bidirectional_lm").direction_logprobs(TEXT)
    assert fwd.shape == bwd.shape and fwd.shape[0] == len(pieces)
    np.testing.assert_allclose(np.exp(fwd).sum(axis=1), 1.0, atol=1e-4)


def check_seq2seq(bb: Backbone) -> None:
    lm = require(bb, "seq2seq")
    text = "the united <extra_id_0> of america ."
    assert isinstance(lm.span_target(text, 4), list)
    assert set(lm.fill_spans(text, 4)) == {"<extra_id_0>"}
    ranked = lm.span_candidates(text, k=3)
    assert len(ranked) == 3 and all(0.0 <= p <= 1.0 for _, p in ranked)


def check_trainable(bb: Backbone) -> None:
    import torch

    body = require(bb, "trainable")
    enc = body.encode([TEXT, "a"])
    assert enc["input_ids"].shape[0] == 2 and 0 < body.max_length <= bb.spec.max_length
    clone = body.copy()
    before = next(body.model.parameters()).detach().clone()
    with torch.no_grad():
        next(clone.model.parameters()).add_(1.0)
    assert torch.equal(next(body.model.parameters()), before)  # training a copy never changes the shared model
    with torch.inference_mode():
        out = clone.body(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
    assert out.last_hidden_state.shape[-1] == bb.hidden_size


def check_word_vectors(bb: Backbone) -> None:
    table = require(bb, "word_vectors")
    assert table.vector("the").shape == (bb.hidden_size,)
    near = table.nearest("the", k=3)
    assert len(near) == 3 and "the" not in [w for w, _ in near]


def check_sentence_vectors(bb: Backbone) -> None:
    vecs = require(bb, "sentence_vectors").embed(["the bank", TEXT, "a"])
    assert vecs.shape == (3, bb.hidden_size) and np.isfinite(vecs).all()


CHECKS: dict[str, Callable[[Backbone], None]] = {
    "token_states": check_token_states, "attention": check_attention, "mask_swap": check_mask_swap,
    "masked_lm": check_masked_lm, "causal_lm": check_causal_lm, "bidirectional_lm": check_bidirectional_lm,
    "seq2seq": check_seq2seq, "trainable": check_trainable, "word_vectors": check_word_vectors,
    "sentence_vectors": check_sentence_vectors,
}


def check_capabilities(bb: Backbone) -> None:
    """Every declared capability: its Protocol matches and it works; every other one: the PLMError."""
    assert bb.spec.capabilities, f"{bb.spec.name} declares no capabilities"
    for cap in CAPABILITIES:
        if bb.spec.can(cap):
            assert isinstance(bb, PROTOCOLS[cap]), f"{bb.spec.name} declares {cap} but lacks its methods"
            CHECKS[cap](bb)
        else:
            with pytest.raises(PLMError) as err:
                require(bb, cap)
            assert err.value.key == f"backbone.err.lacks.{cap}"
            assert bb.spec.display in str(err.value)
            for other in backbones_with(cap):
                assert other.display in str(err.value)  # it says which backbones have it
            assert bb.spec.display in err.value.message("ko")


def test_every_capability_has_a_protocol_and_a_check():
    assert set(CAPABILITIES) == set(PROTOCOLS) == set(CHECKS)
    for cap in CAPABILITIES:
        for lang in ("en", "ko"):
            assert t(f"backbone.err.lacks.{cap}", lang) != f"backbone.err.lacks.{cap}"


def test_every_registered_spec_declares_known_capabilities():
    table = specs()
    assert set(REAL) | set(TINY_FAMILY) <= set(table)
    for spec in table.values():
        assert spec.capabilities and spec.capabilities <= set(CAPABILITIES), spec.name
        assert spec.can("attention") == (spec.heads > 0), spec.name
        assert spec.can("trainable") == spec.transformer, spec.name
        assert spec.can("masked_lm") == (spec.head == "mlm"), spec.name
        assert spec.can("seq2seq") == (spec.head == "seq2seq"), spec.name
        assert "capabilities" in spec.as_row()


@pytest.mark.parametrize("family,head", [("encoder", ""), ("encoder", "mlm"), ("decoder", "clm"),
                                         ("encoder-decoder", "seq2seq")])
def test_tiny_random_backbones_do_what_they_declare(family, head):
    from plm_core.backbones.tiny import tiny_random_backbone

    check_capabilities(tiny_random_backbone(family, head=head))


@pytest.mark.parametrize("name", TINY_FAMILY)
def test_tiny_checkpoints_do_what_they_declare(name):
    check_capabilities(load_backbone(name))


def test_require_types_without_copying(tiny_encoder):
    assert require(tiny_encoder, "trainable") is tiny_encoder
    assert tiny_encoder.spec.can("token_states") and not tiny_encoder.spec.can("causal_lm")
    with pytest.raises(ValueError, match="unknown capability"):
        require(tiny_encoder, "telepathy")  # type: ignore[call-overload]  # a wrong name on purpose


@pytest.mark.slow
@pytest.mark.parametrize("name", REAL)
def test_real_backbones_do_what_they_declare(name, no_network):
    check_capabilities(load_backbone(name))


# ---- one implementation, thin views ----------------------------------------------------------------
def test_probes_and_explorer_are_views_of_the_backbone():
    from plm_core.backbones.tiny import tiny_random_backbone
    from plm_core.explorer.lm import fill_masks, next_tokens
    from plm_core.pretrain import probes

    mlm = tiny_random_backbone("encoder", head="mlm")
    tok = mlm.tokenize(TEXT)
    pos = 2
    masked = " ".join(mlm.mask_token if i == pos else p for i, p in enumerate(tok.tokens) if not tok.special[i])
    direct = mlm.fill_mask(masked, top_k=4)
    assert probes.fill_mask(mlm, masked, 4) == direct
    view = fill_masks(mlm, TEXT, [pos], top_k=4).predictions
    assert view["prediction"].tolist() == [w for w, _ in direct[0]]
    np.testing.assert_allclose(view["probability"], [p for _, p in direct[0]], rtol=1e-4)

    gpt = tiny_random_backbone("decoder")
    assert probes.next_tokens(gpt, TEXT, 3) == gpt.next_tokens(TEXT, 3)
    view = next_tokens(gpt, TEXT, top_k=3)
    pieces, logp = gpt.token_logprobs(TEXT)
    assert view.tokens == pieces
    np.testing.assert_allclose(view.table["probability"], np.exp(logp), rtol=1e-4)


def test_pad_batch_pads_right_and_masks():
    from plm_core.backbones import pad_batch

    ids, mask = pad_batch([[5, 6, 7], [8]], pad_id=0)  # (B, T)
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]] and mask.tolist() == [[1, 1, 1], [1, 0, 0]]


def test_no_capability_probing_of_backbones():
    """Code asks the spec (`spec.can`, `require`): no hasattr/getattr on a backbone anywhere."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    probe = re.compile(r"(hasattr|getattr)\((self\.)?(backbone|bb|work|lm)\b")
    hits = [f"{path.relative_to(root)}:{n}" for folder in ("plm_core", "ui", "app_pages")
            for path in (root / folder).rglob("*.py")
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if probe.search(line)]
    assert hits == []
