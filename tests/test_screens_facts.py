"""Facts and defaults on screen (issue 15): tables without "nan", Korean headers, readable pieces, warnings."""

from __future__ import annotations

from plm_core.backbones import specs
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.explorer import polysemy as poly
from plm_core.explorer.tokens import reading_warning
from plm_core.fewshot.prompting import DEFAULT_TEMPLATE, check_template
from plm_core.fewshot.settings import sensitivity_lines, template_from_line
from plm_core.figures import architecture_table, backbone_overview, label_balance_figure, length_histogram
from plm_core.i18n import all_messages, t


def test_backbone_overview_has_no_nan_and_no_float_counts():
    frame = backbone_overview(specs())
    assert "nan" not in frame.astype(str).to_numpy().ravel().tolist()
    counts = frame[["layers", "hidden", "heads"]].astype(str).to_numpy().ravel().tolist()
    assert not any(v.endswith(".0") for v in counts)
    glove = frame.set_index("name").loc["glove-6b-50d"]
    assert glove["heads"] == "—" and frame.set_index("name").loc["minilm-l6", "hidden"] == "384"


def test_architecture_table_speaks_korean():
    for spec in specs().values():
        table = architecture_table(spec, "ko")
        assert table["part"].str.len().min() > 0 and "arch." not in " ".join(table["part"] + table["role"])
    assert architecture_table(specs()["minilm-l6"], "ko")["part"].iloc[1] == "1번 블록"


def test_every_table_column_has_both_languages():
    cols = {k: v for k, v in all_messages().items() if k.startswith("col.")}
    assert len(cols) > 50 and all(v.get("en") and v.get("ko") for v in cols.values())


def test_sample_set_charts_take_their_axis_and_legend_text():
    import pandas as pd

    pool = pd.DataFrame({"text": ["a b", "c d e"], "label": ["x", "y"]})
    from plm_core.figures import figure_text

    fig = label_balance_figure(pool, pool, figure_text("ko"))
    assert [d.name for d in fig.data] == ["학습용 풀", "테스트"]
    hist = length_histogram(pool["text"], figure_text("ko"))
    assert hist.layout.xaxis.title.text == "단어 수" and hist.layout.yaxis.title.text == "텍스트 수"


def test_prompt_sensitivity_defaults_keep_each_template_on_one_line():
    lines = sensitivity_lines(DEFAULT_TEMPLATE).splitlines()
    assert len(lines) == 3  # the line break inside "{text}\nAnswer:{label}" is written as \n
    for line in lines:
        check_template(template_from_line(line))  # raised "must contain {text}" on "{text}" alone before


def test_korean_polysemy_sets_default_to_a_backbone_that_reads_korean():
    names = [n for n, s in specs().items() if s.family in ("encoder", "decoder", "encoder-decoder", "bilm", "sentence")]
    readers = {n: specs()[n].languages for n in names}
    korean = [p for p in poly.polysemy_sets().values() if p.language == "ko"]
    assert korean
    for pset in korean:
        chosen = poly.default_backbone(pset.language, names, readers)
        assert "ko" in specs()[chosen].languages
    assert poly.default_backbone("en", names, readers) == names[0]


def test_a_tokenizer_that_cannot_read_korean_is_flagged():
    encoder = tiny_random_backbone("encoder")  # MiniLM's English WordPiece vocabulary
    warning = reading_warning(encoder, ["배가 아파서 병원에 갔다.", "눈이 많이 내렸다."])
    assert warning is not None and warning[0] in ("tokens.warn.unknown", "tokens.warn.characters")
    assert "{share}" not in t(warning[0], "ko", **warning[1])
    assert reading_warning(encoder, ["The river bank was muddy after the rain."]) is None


def test_mask_swap_caption_does_not_say_the_tiny_mlm_is_missing():
    text = t("attention.swap.no_head", "en", name="X")
    assert "once installed" not in text and "tiny BERT" in text


def test_hiding_the_first_token_sink_renormalises_the_rest():
    import numpy as np

    from plm_core.explorer.attention import hide_first_token

    rng = np.random.default_rng(0)
    w = rng.random((2, 3, 5, 5)).astype(np.float32)
    w = np.tril(w)  # causal: query t sees keys 0..t
    w[..., 0] += 5.0  # the sink
    w /= w.sum(-1, keepdims=True)
    out = hide_first_token(w)
    assert np.all(out[..., 0] == 0)
    assert np.allclose(out[..., 1:, :].sum(-1), 1.0) and np.all(out[..., 0, :] == 0)  # query 0 saw only the sink


def test_eleven_topics_get_eleven_clearly_different_colours():
    import itertools

    from plm_core.explorer.figures import sense_colors

    colours = list(sense_colors([f"topic{i}" for i in range(11)]).values())
    rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
    assert len(set(colours)) == 11
    distances = [sum((a - b) ** 2 for a, b in zip(x, y, strict=True)) ** 0.5 for x, y in itertools.combinations(rgb, 2)]
    assert min(distances) > 50


def test_attention_grid_keeps_its_labels_beside_the_cells():
    import numpy as np

    from plm_core.explorer.figures import attention_grid_figure

    fig = attention_grid_figure(np.zeros((30 * 5, 9 * 5)), 30, 9, 4)  # SmolLM2: 30 x 9
    assert fig.layout.xaxis.constrain == "domain" and fig.layout.yaxis.constrain == "domain"


def test_architecture_table_widths_are_whole_numbers_and_dashes():
    widths = architecture_table(specs()["minilm-l6"], "en")["width"].tolist()
    assert widths[:2] == ["384", "384"] and widths[-1] == "–" and "nan" not in widths


def test_mixed_text_with_korean_cut_into_jamo_is_flagged():
    encoder = tiny_random_backbone("encoder")
    warning = reading_warning(encoder, ["강둑은 그대로였다. Unbelievably, the riverbank was untouched."])
    assert warning is not None and warning[0] == "tokens.warn.characters"
