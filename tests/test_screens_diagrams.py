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


def test_pretraining_example_uses_the_shipped_skipgram_window_and_negatives():
    """The page drew the window of the shipped model (1) over pairs built with window 2 and 5 negatives,
    so the negatives it showed belonged to another pair; the model trains with window 1 and 15 negatives."""
    from plm_core.pretrain.models import TINY_CONFIGS
    from plm_core.pretrain.studio import sentence_example, sgns_window

    c = TINY_CONFIGS["sgns"]
    e = sentence_example("sgns", "the king spoke to his people at dawn", seed=0)
    n = len(e.tokens)
    assert len(e.detail["pairs"]) == sum(min(i, c["window"]) + min(n - 1 - i, c["window"]) for i in range(n))
    assert {len(row) for row in e.detail["negatives"]} == {c["negatives"]}
    words, centre, negatives = sgns_window(e, c["window"])
    first = [i for i, (w, _) in enumerate(e.detail["pairs"]) if w == words[centre]][0]
    assert negatives == list(e.detail["negatives"][first])
    svg = dg.sgns_window_svg(words, centre, c["window"], negatives)
    assert svg.count('class="sgns-negative"') == dg.SGNS_DRAWN_NEGATIVES
    assert f">+{c['negatives'] - dg.SGNS_DRAWN_NEGATIVES}<" in svg


def test_course_picture_has_every_step_in_order_with_the_path():
    steps = [dg.CourseStep(f"i{k}", f"step {k}", "page") for k in range(7)]
    svg = dg.course_svg(steps, "course", "path")
    titles = re.findall(r'font-weight="bold" fill="[^"]+">(\d+)\. ', svg)
    assert titles == [str(k + 1) for k in range(7)] and svg.count('class="course-path"') == 6


# ---- readable at the page's width (issue 15: the diagrams were drawn too small to read) -------------------

PAGE_PX = 930  # the page's content width at a 1400 px window (screenshots); a half-width column is ~455
SLOTS = {"architecture": PAGE_PX // 2, "architecture-pair": PAGE_PX, "elmo": PAGE_PX, "sgns": PAGE_PX,
         "course": PAGE_PX + 40}  # the course may shrink a little on a 1400 px window, never below 13 * 0.95 px


def catalog_diagrams(lang: str) -> dict[str, list[str]]:
    """Every diagram with the catalog's text in `lang`, as the pages draw them."""
    from plm_core.i18n import t

    def arch(family: str) -> str:
        k = lambda s: t(f"diagram.arch.{s}", lang)  # noqa: E731
        return dg.architecture_svg(family, 6, dg.ArchText(
            t(f"diagram.arch.title.{family}", lang), k("tokens_in"), k("embeddings"), k("block"), k("cross"),
            k("encoder"), k("decoder"), k("output"), k("lm_out"), k("mask"), k("cross_arrow")))

    e = lambda s: t(f"diagram.elmo.{s}", lang)  # noqa: E731
    elmo = dg.elmo_svg([0.08, 0.54, 0.38], 1.7, dg.ElmoText(e("title"), e("layer"), e("embeddings"), e("forward"),
                                                            e("backward"), e("mix"), e("task")))
    sgns = dg.sgns_window_svg("the king spoke to his loyal people at dawn".split(), 4, 2,
                              ["river", "blue", "six", "ran", "of"],
                              dg.SgnsText(*(t(f"diagram.sgns.{s}", lang) for s in ("title", "positive", "negative"))))
    ideas = ("zoo", "transfer", "pretrain", "arch", "embed", "elmo", "fewshot")
    course = dg.course_svg([dg.CourseStep(i, t(f"home.idea.{i}.title", lang), t("models.title", lang)) for i in ideas],
                           t("diagram.course.title", lang), t("diagram.course.path", lang))
    return {"architecture": [arch("encoder"), arch("decoder")], "architecture-pair": [arch("encoder-decoder")],
            "elmo": [elmo], "sgns": [sgns], "course": [course]}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_diagram_fits_its_slot_with_fonts_of_at_least_13_px(lang):
    for slot, svgs in catalog_diagrams(lang).items():
        for svg in svgs:
            width, height = dg.svg_size(svg)
            sizes = [int(v) for v in re.findall(r'font-size="(\d+)"', svg)]
            assert min(sizes) >= dg.FONTS.small == 13, (slot, min(sizes))
            assert width <= SLOTS[slot], (slot, lang, width)  # shown at its own size: never shrunk below 13 px
            assert height < 600


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_architecture_labels_fit_inside_their_boxes_and_the_picture(lang):
    for svg in catalog_diagrams(lang)["architecture"] + catalog_diagrams(lang)["architecture-pair"]:
        width, _ = dg.svg_size(svg)
        for x, w, size, label in re.findall(r'<rect x="(\d+)" y="\d+" width="(\d+)"[^>]*/><text [^>]*font-size="(\d+)"'
                                            r'[^>]*>([^<]+)</text>', svg):
            assert dg.text_width(label, int(size)) <= int(w), label
            assert int(x) + int(w) <= width
        for x, size, anchor, label in re.findall(r'<text x="(\d+)" y="\d+" font-size="(\d+)" fill="[^"]+" '
                                                 r'text-anchor="(\w+)"[^>]*>([^<]+)</text>', svg):
            extent = dg.text_width(label, int(size))
            left = int(x) - extent if anchor == "end" else int(x)
            assert left >= 0 and left + extent <= width + 1, label


def test_text_width_counts_hangul_as_wide():
    assert dg.text_width("가나다", 10) == 30 and dg.text_width("abc", 10) < 20
    assert dg.wrap("mask (query × key)", 13, 80) == ["mask", "(query ×", "key)"]
