"""Figures and the prompt-sensitivity runner (pure functions, tiny models)."""

import sys

import pytest

from fewshot_helpers import toy_set
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.fewshot.curves import Crossover, CurvePoint, sensitivity, summarize
from plm_core.fewshot.figures import curve_figure, sensitivity_figure, sensitivity_table, summary_table
from plm_core.fewshot.methods import make_task
from plm_core.fewshot.prompting import PromptConfig, PromptScorer
from plm_core.figures import figure_text


def points() -> list[CurvePoint]:
    pts = [CurvePoint("similarity", 0, s, 0.7, 0.68, 0.1) for s in range(2)]
    pts += [CurvePoint("prompt", k, s, 0.6 + 0.01 * k + 0.02 * s, 0.5, 0.1) for k in (0, 1, 4) for s in range(2)]
    pts += [CurvePoint("frozen", k, s, 0.5 + 0.05 * k + 0.01 * s, 0.5, 0.1) for k in (1, 4) for s in range(2)]
    return pts


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_curve_figure_has_lines_bands_chance_and_crossover(lang: str) -> None:
    summary = summarize(points())
    fig = curve_figure(summary, [0, 1, 4], figure_text(lang), "acc", majority=0.5,
                       crossovers=[Crossover("frozen", 4, 0.705, 0.65)])
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    assert len(names) == 4  # similarity, prompt, frozen, chance
    bands = [tr for tr in fig.data if tr.fill == "toself"]
    assert len(bands) == 2  # prompt and frozen (zero-shot-only similarity is a dashed line)
    stars = [tr for tr in fig.data if tr.marker is not None and tr.marker.symbol == "star"]
    assert len(stars) == 1 and stars[0].y[0] == pytest.approx(0.705)
    assert list(fig.layout.xaxis.ticktext) == ["0", "1", "4"]
    table = summary_table(summary, figure_text(lang))
    assert len(table) == 6 and table.shape[1] == 7


def test_sensitivity_rows_cover_templates_and_orders() -> None:
    task = make_task(toy_set(labels=("negative", "positive")), test_limit=12)
    lm = tiny_random_backbone("decoder")
    templates = [PromptConfig(template="{text} is{label}", max_prompt_tokens=64),
                 PromptConfig(template="Text: {text}\nLabel:{label}", max_prompt_tokens=64)]
    rows = sensitivity(lambda c: PromptScorer(lm, c, task.labels), task, k=1, templates=templates, orders=3)
    assert len(rows) == 6 and set(rows["template"]) == {1, 2} and set(rows["order"]) == {1, 2, 3}
    assert rows["accuracy"].between(0, 1).all()
    fig = sensitivity_figure(rows, figure_text("ko"))
    assert len(fig.data) == 2
    assert len(sensitivity_table(rows, figure_text("en"))) == 2


def test_core_does_not_import_streamlit() -> None:
    import subprocess
    from pathlib import Path

    code = ("import sys, plm_core.fewshot.cli, plm_core.fewshot.figures, plm_core.fewshot.jobs, "
            "plm_core.fewshot.settings; print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "False"
