"""Charts that read right (issue 15): the transfer diagram's text at the diagrams' font sizes, nothing cut off."""

from __future__ import annotations

import math

import pytest

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.diagrams import FONTS, STATUS_COLOURS
from plm_core.transfer import TrainConfig, param_groups
from plm_core.transfer.diagram import COLOURS, ROW_PX, transfer_diagram


def rows(mode: str) -> list[dict]:
    config = TrainConfig.of(backbone="tiny", mode=mode, lr_body=1e-4, lr_head=2e-3, max_length=16)
    return [r.as_row() for r in param_groups(tiny_random_backbone("encoder", seed=1), mode, config)]


def test_the_transfer_diagram_keeps_every_rate_label_inside_its_axis():
    fig = transfer_diagram(rows("discriminative"))
    rates = [v for v in fig.data[1].x if v]
    lo, hi = fig.layout.xaxis2.range
    assert lo < math.log10(min(rates)) and math.log10(max(rates)) + 0.5 <= hi  # room for "2e-03" right of the bar
    assert fig.data[1].cliponaxis is False


def test_the_transfer_diagram_text_is_drawn_at_the_diagram_font_sizes():
    fig = transfer_diagram(rows("finetune"))
    assert fig.data[0].textfont.size == FONTS.label and fig.data[1].textfont.size == FONTS.small
    assert fig.layout.uniformtext.minsize == FONTS.small and fig.layout.uniformtext.mode == "show"
    assert fig.layout.height >= ROW_PX * len(fig.data[0].y) + 100
    assert all(a.font.size >= FONTS.small for a in fig.layout.annotations)


@pytest.mark.parametrize("mode", ["frozen", "finetune"])
def test_the_transfer_diagram_uses_the_one_diagram_palette(mode):
    assert COLOURS is STATUS_COLOURS
    fig = transfer_diagram(rows(mode))
    assert set(fig.data[0].marker.color) <= set(STATUS_COLOURS.values()) | {"#54A24B"}


def test_the_drift_map_names_groups_as_the_surgery_table_and_numbers_layers_as_the_slider():
    from plm_core.figures import figure_text
    from plm_core.i18n import t
    from plm_core.transfer.figures import drift_heatmap

    drifts = [{"embeddings": 0.0, "layer.0": 0.001, "layer.1": 0.002, "pooler": 0.0, "head": 0.5}]
    fig = drift_heatmap(["finetune"], drifts, figure_text("ko"))
    assert list(fig.data[0].x) == [t("surgery.embeddings", "ko"), "1층", "2층", "풀러"]  # was layer.0, layer.1 …
    assert list(fig.data[0].y) == ["전체 미세조정"]  # the racer by its name, not "finetune"
    en = drift_heatmap(["a"], drifts)
    assert list(en.data[0].x) == [t("surgery.embeddings", "en"), "layer 1", "layer 2", "pooler"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_mask_subplot_titles_wrap_to_fit_their_third_of_the_page(lang):
    from plm_core.diagrams import text_width
    from plm_core.explorer.figures import mask_figure
    from plm_core.explorer.masks import architecture_masks
    from plm_core.figures import figure_text
    from plm_core.i18n import t

    masks = architecture_masks(["a", "b", "c"], ["<start>", "x"], 0, 2)
    keys = [f"attention.masks.{k}" for k in ("encoder", "decoder", "prefix_lm")]
    titles = [t(k, lang) for k in keys]
    fig = mask_figure([masks["encoder"][0], masks["decoder"][0], masks["prefix"][0]], keys, figure_text(lang))
    shown = [a.text for a in fig.layout.annotations]
    assert [s.replace("<br>", " ") for s in shown] == titles  # the same words, only broken into lines
    for title in shown:
        assert all(text_width(line, 16) <= 0.85 * 900 / 3 for line in title.split("<br>")), title
    assert "<br>" in shown[2]  # 'Prefix-LM: ...' ran into the page's edge on one line
    assert fig.layout.margin.t >= 70
