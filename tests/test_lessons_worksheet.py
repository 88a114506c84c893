"""The printable worksheet: each step's question and prediction boxes, and each figure's SVG inlined from the
prepared results (lesson 5 prepared for real, with smaller settings, through the CLI and the job service)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from plm_core.i18n import t
from plm_core.lessons import get_lesson
from plm_core.lessons.worksheet import StepFigure, svg_element, worksheet_html

REPO = Path(__file__).resolve().parent.parent
SMALL_5 = ["--set", "shots=1,2", "--set", "seeds=1", "--set", "test=20"]  # lesson 5, small enough for CI


def test_an_exported_svg_is_inlined_without_its_xml_declaration_or_scripts() -> None:
    raw = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script><rect/></svg>'
    assert svg_element(raw) == '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_worksheet_has_every_step_its_questions_boxes_and_print_css(lang: str) -> None:
    lesson = get_lesson("2-transfer")
    figure = StepFigure('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', 1_700_000_000.0)
    html = worksheet_html(lesson, lang, {3: figure})
    assert html.count('<section class="step">') == len(lesson.steps)
    assert html.count("<svg") == 1 and html.count('class="nofig"') == 3  # steps 2, 3, 5 have a figure, none here
    # step 4's figure shows its answer: only on the answer page, after a page break, never among the boxes
    steps, answers = html.split('<section class="answers">')
    assert "<svg" not in steps and "<svg" in answers and "page-break-before: always" in html
    assert t("classroom.ws.answers", lang) in answers and t("lessons.ws.prediction", lang) not in answers
    assert lesson.steps[3].question.prompt.get(lang) in html
    assert all(c.label.get(lang) in html for c in lesson.steps[3].question.choices)
    assert html.count(t("lessons.ws.prediction", lang)) == 2  # the two questions of lesson 2
    assert "@media print" in html and "page-break-inside: avoid" in html and f'lang="{lang}"' in html


@pytest.mark.slow
def test_the_worksheet_of_lesson_5_renders_with_the_prepared_figures(tmp_path: Path) -> None:
    env = dict(os.environ, PLM_LAB_RUNS_DB=str(tmp_path / "runs.sqlite"), PLM_LAB_FEATURES_DIR=str(tmp_path / "f"))
    run = [sys.executable, "-m", "plm_core", "lesson"]
    prepared = subprocess.run([*run, "prepare", "5", *SMALL_5], cwd=REPO, env=env, capture_output=True, text=True,
                              timeout=900)
    assert prepared.returncode == 0, prepared.stderr[-2000:]
    assert prepared.stdout.count(": done") == 3
    for lang in ("ko", "en"):
        out = tmp_path / f"ws-{lang}.html"
        made = subprocess.run([*run, "worksheet", "5", "--lang", lang, "-o", str(out), *SMALL_5], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
        assert made.returncode == 0, made.stderr[-2000:]
        html = out.read_text(encoding="utf-8")
        sections = re.findall(r'<section class="step">(.*?)</section>', html, flags=re.S)
        assert len(sections) == 3 and 'class="nofig"' not in html
        answers = html.split('<section class="answers">')[1]
        assert all("<svg" not in s for s in sections)  # every step asks: its figure (its answer) on the answer page
        svgs = re.findall(r"<svg.*?</svg>", answers, flags=re.S)
        assert len(svgs) == 3  # one figure per question, a real SVG with the curve's traces
        for svg in svgs:
            root = ElementTree.fromstring(svg)
            assert root.tag.endswith("svg") and len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 3
        assert t("fewshot.method.frozen", lang) in answers and t("fewshot.method.prompt", lang) in answers
