"""A printable worksheet per lesson: one HTML page (print CSS: prints cleanly to PDF) with, for every step,
its explanation, its figure (SVG inlined, drawn from the prepared result) and boxes for the prediction.

A question's figure shows its answer: it is printed only on the separate answer page at the end (a page break
before it), with the answer and what it means, never between "my prediction" and "what I observed".
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from plm_core.i18n import t
from plm_core.lessons.model import Lesson, Step

CSS = """
body { font-family: "Noto Sans KR", "Noto Sans CJK KR", "Malgun Gothic", sans-serif; margin: 2rem auto;
       max-width: 52rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin: 0 0 .4rem; }
.who { display: flex; gap: 2rem; margin: .8rem 0 1.2rem; } .who span { flex: 1; border-bottom: 1px solid #333; }
.step { border: 1px solid #bbb; border-radius: 6px; padding: 1rem 1.2rem; margin: 1rem 0;
        break-inside: avoid; page-break-inside: avoid; }
.page { color: #555; font-size: .85rem; } .figure svg { width: 100%; height: auto; }
.nofig { color: #777; font-style: italic; border: 1px dashed #bbb; padding: 1.5rem; text-align: center; }
.question { font-weight: 600; margin-top: .8rem; } .choices { margin: .3rem 0; }
.choices li { list-style: "☐  "; margin-left: 1rem; }
.box { border: 1px solid #333; min-height: 2.6rem; margin: .35rem 0 .6rem; padding: .2rem .5rem;
       font-size: .8rem; color: #555; }
.answers { break-before: page; page-break-before: always; }
.answers h1 { font-size: 1.5rem; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; max-width: none; } .step { border-color: #999; } a { color: inherit; } }
"""


@dataclass(frozen=True)
class StepFigure:
    svg: str  # the <svg> element
    computed_at: float | None = None  # when its result was computed (unix time)


def svg_element(data: bytes) -> str:
    """An exported SVG file's bytes -> the <svg> element alone (no XML declaration), to inline in HTML."""
    text = data.decode("utf-8")
    start = text.find("<svg")
    return re.sub(r"<script\b.*?</script>", "", text[start:] if start >= 0 else text, flags=re.S | re.I)


def step_figure(step: Step, result: Any, lang: str, render: Callable[[Any], bytes] | None = None) -> str | None:
    """The step's figure drawn from its result as an inline SVG (None: the step has no figure)."""
    from plm_core.figures import figure_text
    from plm_core.lessons.outcomes import FIGURES

    if not step.figure or result is None:
        return None
    fig = FIGURES[step.figure](result, figure_text(lang))
    if render is None:
        from plm_core.export import figure_bytes

        return svg_element(figure_bytes(fig, "svg", width=900, height=460))
    return svg_element(render(fig))


def _step_html(step: Step, lang: str, figure: StepFigure | None) -> str:
    esc = html.escape
    parts = [f'<section class="step"><h2>{esc(step.title.get(lang))}</h2>',
             f'<div class="page">{esc(t("lessons.ws.page", lang, page=t(f"{step.page}.title", lang)))}</div>',
             f"<p>{esc(step.explain.get(lang))}</p>"]
    question = step.question
    if question is not None:
        parts.append(f'<div class="question">{esc(question.prompt.get(lang))}</div>')
        if question.choices:
            parts.append('<ul class="choices">' + "".join(f"<li>{esc(c.label.get(lang))}</li>"
                                                        for c in question.choices) + "</ul>")
        parts.append(f'<div class="box">{esc(t("lessons.ws.prediction", lang))}</div>')
    if question is None:
        parts.extend(_figure_html(step, lang, figure))
    else:
        parts.append(f'<div class="page">{esc(t("classroom.ws.see_answers", lang))}</div>')
        parts.append(f'<div class="box">{esc(t("lessons.ws.observed", lang))}</div>')
        parts.append(f'<div class="box">{esc(t("lessons.ws.why", lang))}</div>')
    parts.append("</section>")
    return "\n".join(parts)


def _figure_html(step: Step, lang: str, figure: StepFigure | None) -> list[str]:
    if figure is None:
        return [f'<div class="nofig">{html.escape(t("lessons.ws.no_figure", lang))}</div>'] if step.figure else []
    parts = [f'<div class="figure">{figure.svg}</div>']
    if figure.computed_at:
        when = datetime.fromtimestamp(figure.computed_at).strftime("%Y-%m-%d %H:%M")
        parts.append(f'<div class="page">{html.escape(t("lessons.ws.computed", lang, when=when))}</div>')
    return parts


def _answers_html(lesson: Lesson, lang: str, figures: Mapping[int, StepFigure]) -> str:
    """The answer page: for every question, its figure, the written answer (if any) and what it means."""
    esc = html.escape
    parts = [f'<section class="answers"><h1>{esc(t("classroom.ws.answers", lang))}</h1>']
    for i, step in enumerate(lesson.steps):
        question = step.question
        if question is None:
            continue
        parts.append(f'<div class="step"><h2>{esc(step.title.get(lang))}</h2>'
                     f'<div class="question">{esc(question.prompt.get(lang))}</div>')
        if question.answer:
            parts.append(f"<p><b>{esc(t('classroom.ws.answer', lang))}:</b> "
                         f"{esc(question.choice_label(question.answer, lang))}</p>")
        parts.extend(_figure_html(step, lang, figures.get(i)))
        if step.reveal is not None:
            parts.append(f"<p>{esc(step.reveal.get(lang))}</p>")
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts) if len(parts) > 2 else ""


def worksheet_html(lesson: Lesson, lang: str, figures: Mapping[int, StepFigure]) -> str:
    """The whole worksheet; `figures` maps step index -> its rendered figure (missing: a placeholder)."""
    esc = html.escape
    steps = "\n".join(_step_html(s, lang, figures.get(i)) for i, s in enumerate(lesson.steps))
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{esc(lesson.title.get(lang))}</title><style>{CSS}</style></head><body>"
            f"<h1>{esc(lesson.title.get(lang))}</h1><p>{esc(lesson.summary.get(lang))}</p>"
            f'<div class="who"><span>{esc(t("lessons.ws.name", lang))}:</span>'
            f'<span>{esc(t("lessons.ws.date", lang))}:</span></div>\n{steps}\n{_answers_html(lesson, lang, figures)}'
            "\n</body></html>\n")


def prepared_figures(lesson: Lesson, lang: str, cache: Any = None, overrides: Mapping[str, str] | None = None,
                     render: Callable[[Any], bytes] | None = None) -> dict[int, StepFigure]:
    """Every step's figure from the result cache (steps not prepared yet have none)."""
    from plm_core.jobs.cache import ResultCache
    from plm_core.jobs.keys import cache_key
    from plm_core.lessons.jobs import step_job

    store = cache or ResultCache()
    out: dict[int, StepFigure] = {}
    for i, step in enumerate(lesson.steps):
        job = step_job(step, overrides) if step.figure else None
        hit = store.get(cache_key(job.kind, job.config)) if job is not None else None
        if hit is not None:
            svg = step_figure(step, hit.result, lang, render)
            if svg:
                out[i] = StepFigure(svg, hit.computed_at)
    return out


def build_worksheet(lesson: Lesson, lang: str, cache: Any = None, overrides: Mapping[str, str] | None = None) -> str:
    return worksheet_html(lesson, lang, prepared_figures(lesson, lang, cache, overrides))
