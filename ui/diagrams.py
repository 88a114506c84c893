"""The concept diagrams of plm_core.diagrams with their text in the user's language, shown with st.html."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from plm_core import diagrams as dg
from ui.common import tr


def show(svg: str) -> None:
    """An SVG diagram as an image (scaled down to the column's width, never up)."""
    st.image(svg, width="content")


def architecture(family: str, layers: int) -> None:
    text = dg.ArchText(tr(f"diagram.arch.title.{family}"), tr("diagram.arch.tokens_in"), tr("diagram.arch.embeddings"),
                       tr("diagram.arch.block"), tr("diagram.arch.cross"), tr("diagram.arch.encoder"),
                       tr("diagram.arch.decoder"), tr("diagram.arch.output"), tr("diagram.arch.lm_out"),
                       tr("diagram.arch.mask"), tr("diagram.arch.cross_arrow"))
    show(dg.architecture_svg(family, layers, text))


def architectures(layers: int = 4) -> None:
    """The encoder and the decoder side by side, the (twice as wide) encoder-decoder under them: each drawn at
    its own size (dg.FONTS), which fits half / all of the page's width (three in a row were shrunk unreadable)."""
    for col, family in zip(st.columns(2), ("encoder", "decoder"), strict=True):
        with col:
            architecture(family, layers)
    architecture("encoder-decoder", layers)


def elmo(weights: Sequence[float], gamma: float | None) -> None:
    text = dg.ElmoText(tr("diagram.elmo.title"), tr("diagram.elmo.layer"), tr("diagram.elmo.embeddings"),
                       tr("diagram.elmo.forward"), tr("diagram.elmo.backward"), tr("diagram.elmo.mix"),
                       tr("diagram.elmo.task"))
    show(dg.elmo_svg(weights, gamma, text))


def sgns(words: Sequence[str], centre: int, window: int, negatives: Sequence[str]) -> None:
    text = dg.SgnsText(tr("diagram.sgns.title"), tr("diagram.sgns.positive"), tr("diagram.sgns.negative"))
    show(dg.sgns_window_svg(words, centre, window, negatives, text))


def course(steps: Sequence[tuple[str, str]]) -> None:
    """steps: (idea, page key) in the course's order."""
    items = [dg.CourseStep(idea, tr(f"home.idea.{idea}.title"), tr(f"{page}.title")) for idea, page in steps]
    show(dg.course_svg(items, tr("diagram.course.title"), tr("diagram.course.path")))
