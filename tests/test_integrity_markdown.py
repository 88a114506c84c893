"""User text is never read as Markdown/HTML: md_escape everywhere user text meets st.markdown & co."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from conftest import REPO
from ui.common import md_escape

PAYLOADS = ["![p](http://host/x.png)", "[click](http://host/)", "<img src=http://host/x.png>", "**bold** _it_",
            "# heading", "$x^2$", "1. list", "a | b\n--|--\nc | d", "text\n===", "`code`", "\\![p](http://h/x.png)"]


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_renders_as_itself(payload) -> None:
    html = rendered(f"**Generation**: {md_escape(payload)}")
    assert "<img" not in html and "<a " not in html and "<h1" not in html and "<table" not in html
    assert "<em>" not in html and "<strong>bold" not in html and "<code>" not in html and "<ol" not in html
    assert "host" in html or "host" not in payload


def test_shipped_clm_does_not_turn_the_prompt_into_an_image(one_torch_thread) -> None:
    """Pretraining -> Causal LM -> Shipped model with an image payload as the prompt."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("app_pages/pretraining.py")
    at.session_state["pretraining.objective"] = "clm"
    at.session_state["pretraining.tab"] = "predict"  # only the open tab runs
    at.run()
    payload = "![p](http://host/x.png) and [a link](http://host/)"
    box = next(w for w in at.text_input if w.value == "the president of the")
    box.set_value(payload)
    next(b for b in at.button if b.label == "Predict").click()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [m.value for m in at.markdown if "//host/" in m.value]  # the payload, not e.g. a model card's "hostilities"
    assert shown, "the generation line is missing"
    for value in shown:
        html = rendered(value)
        assert "<img" not in html and "<a " not in html and "x.png" in html


def test_no_catalog_template_puts_a_parameter_in_a_code_span() -> None:
    """tr_md escapes parameters; inside `code` the backslashes would show, so templates keep them outside."""
    import re

    from plm_core.i18n import all_messages

    inside = [(key, lang) for key, texts in all_messages().items() for lang, text in texts.items()
              if re.search(r"`[^`]*\{[a-z_]+\}[^`]*`", text)]
    assert not inside, inside


def test_plotly_safe_escapes_user_labels_and_keeps_builder_markup() -> None:
    import numpy as np
    import plotly.graph_objects as go

    from ui.escape import plotly_safe

    fig = go.Figure(go.Bar(x=["<b>neg</b>", "pos"], y=[1, 2], name="A & B",
                           hovertext=["<b>neg</b><br><a href='http://x.y'>link</a>", "<i>ok</i>"]))
    fig.add_heatmap(z=np.zeros((2, 2)), text=np.array([["<span style='color:red'>a</span>", "b"], ["c", "d"]],
                                                        dtype=object))
    fig.update_xaxes(categoryarray=["<b>neg</b>", "pos"])
    safe = plotly_safe(fig)
    assert safe.data[0].x == ("&lt;b&gt;neg&lt;/b&gt;", "pos") and safe.data[0].name == "A &amp; B"
    assert safe.layout.xaxis.categoryarray == ("&lt;b&gt;neg&lt;/b&gt;", "pos")
    assert safe.data[0].hovertext == ("<b>neg</b><br>&lt;a href='http://x.y'&gt;link&lt;/a&gt;", "<i>ok</i>")
    assert safe.data[1].text[0][0] == "&lt;span style='color:red'&gt;a&lt;/span&gt;"
    assert fig.data[0].x == ("<b>neg</b>", "pos")  # the figure passed in (maybe shared) is unchanged
    assert plotly_safe(safe) is safe  # escaped once: entities are not escaped again
    clean = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], text=["a", "b"], hovertext=["<b>a</b><br>1", "b"]))
    assert plotly_safe(clean) is clean  # nothing to escape: nothing copied
