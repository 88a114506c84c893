"""The concept diagrams are drawn from the data the code uses (masks, layer weights, skip-gram pairs, course)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from plm_core import diagrams as dg
from plm_core.explorer.masks import architecture_masks


@pytest.mark.parametrize("family", ["encoder", "decoder", "encoder-decoder"])
def test_architecture_diagram_draws_the_models_mask(family):
    svg = dg.architecture_svg(family, 6)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="enc-block"') + svg.count('class="dec-block"') == (8 if family == "encoder-decoder" else 4)
    assert "… 6 ×" in svg  # 6 layers, 4 drawn
    mask = dg.attention_mask("decoder" if family == "decoder" else "encoder")
    cls = {"encoder": "mask-encoder", "decoder": "mask-decoder", "encoder-decoder": "mask-enc"}[family]
    fills = re.findall(rf'class="{cls}"[^>]*fill="([^"]+)"', svg)
    assert len(fills) == mask.size and sum(f != "#EEEEEE" for f in fills) == int(mask.sum())


def test_the_drawn_masks_agree_with_the_models_masks():
    tokens = ["a", "b", "c", "d", "e"]
    masks = architecture_masks(tokens, ["<start>", "x", "y"], 0, 2)
    enc, dec = masks["encoder"][0].codes, masks["decoder"][0].codes
    allowed = enc.max()  # the 'allowed' code
    assert np.array_equal(enc == allowed, dg.attention_mask("encoder").astype(bool))
    assert np.array_equal(dec == allowed, dg.attention_mask("decoder").astype(bool))


def test_elmo_diagram_carries_the_learned_weights_and_gamma():
    svg = dg.elmo_svg([0.08, 0.54, 0.38], 1.7)
    labels = re.findall(r'class="elmo-weight">.*?<text[^>]*>([0-9.]+)</text>', svg)
    assert labels == ["0.08", "0.54", "0.38"] and "γ = 1.70" in svg
    assert svg.count('class="elmo-layer"') == 3  # layer 0 (embeddings) included


def test_sgns_diagram_draws_the_window_pairs_and_negatives():
    words = "the king spoke to his loyal people at dawn".split()
    svg = dg.sgns_window_svg(words, 4, 2, ["river", "blue", "six", "ran", "of"])
    assert svg.count('class="sgns-positive"') == 4  # 2 x window context words
    assert svg.count('class="sgns-negative"') == 5 and 'class="sgns-centre"' in svg


def test_sgns_window_reads_the_example():
    from plm_core.pretrain import examples as ex

    rng = np.random.default_rng(0)
    vocab = [f"w{i}" for i in range(30)]
    probs = np.full(30, 1 / 30)
    e = ex.sgns_example(list(range(9)), vocab[:9], vocab, probs, rng, 2, 5)
    from plm_core.pretrain.studio import sgns_window

    words, centre, negatives = sgns_window(e, 2)
    first = [i for i, (c, _) in enumerate(e.detail["pairs"]) if c == words[centre]][0]
    assert centre == 4 and negatives == list(e.detail["negatives"][first])


def test_course_picture_has_every_step_in_order_with_the_path():
    steps = [dg.CourseStep(f"i{k}", f"step {k}", "page") for k in range(7)]
    svg = dg.course_svg(steps, "course", "path")
    titles = re.findall(r'font-weight="bold" fill="[^"]+">(\d+)\. ', svg)
    assert titles == [str(k + 1) for k in range(7)] and svg.count('class="course-path"') == 6
