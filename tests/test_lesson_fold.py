"""Lesson mode on the five lab pages the lessons open (issue 23, "What to build" 5): under the step bar, the lab's
whole form is folded in ONE collapsed expander (its label from the catalog), and the lab's results lie below it,
never inside it; the same page outside lesson mode has no such expander and shows the same widgets. Also: the
class's answer chart names strategies as the step's figure does (the catalog's names)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Node, Widget

from conftest import REPO
from plm_core.i18n import t
from plm_core.lessons import get_lesson

STEP_BAR_KEYS = ("lesson-", "FormSubmitter:lesson-", "class-")  # the step bar's own widgets (prediction, nav)
RESULT_WIDGETS = ("download_button",)  # a chart's PNG / SVG buttons belong to its result panel


@dataclass
class Layout:
    """The main area of a run, in document order: the fold (if any), widgets and result elements in and out."""

    folds: list[Block] = field(default_factory=list)  # expanders labelled as the fold
    inside: list[Widget] = field(default_factory=list)  # widgets inside the fold
    outside: list[Widget] = field(default_factory=list)  # the lab's widgets outside it (the step bar's excluded)
    results: list[tuple[int, str]] = field(default_factory=list)  # (position, what) of result elements outside
    fold_at: int = -1  # position of the fold


RESULT_TYPES = ("plotly_chart", "dataframe", "table", "info", "metric")


def layout(at: AppTest, lang: str) -> Layout:
    label = t("lessonfold.controls", lang)
    out = Layout()
    counter = iter(range(1_000_000))

    def walk(node: Node, in_fold: bool) -> None:
        for child in getattr(node, "children", {}).values():
            where = next(counter)
            kind = getattr(child, "type", "")
            if kind == "expander" and getattr(child, "label", None) == label:
                out.folds.append(child)
                out.fold_at = where
                walk(child, True)
                continue
            if isinstance(child, Widget) and kind not in RESULT_WIDGETS:
                if in_fold:
                    out.inside.append(child)
                elif not str(child.key or "").startswith(STEP_BAR_KEYS) and not getattr(child, "form_id", "") \
                        .startswith("lesson-"):
                    out.outside.append(child)
            elif not in_fold and kind in RESULT_TYPES:  # an info by its text: "no curve yet" is the panel's
                out.results.append((where, f"info: {child.value}" if kind == "info" else kind))
            walk(child, in_fold)

    walk(at.main, False)
    return out


def open_step(page: str, lesson: str, step: int, lang: str) -> AppTest:
    """The step's own link (its settings, the lesson, the step, the language), as a student's browser opens it."""
    settings = get_lesson(lesson).steps[step - 1].settings
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.session_state["lang"] = lang
    at.run()
    at.query_params.update({**{k: str(v) for k, v in settings.items()}, "lesson": lesson, "step": str(step),
                            "lang": lang})
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def finished_race() -> str:
    from test_transfer_pages import finished_job

    from plm_core.transfer import TrainConfig

    base = TrainConfig.of(backbone="tiny-bert-mlm", epochs=1, batch_size=4, max_length=12)
    return finished_job([base.with_(mode="frozen"), base.with_(mode="finetune")], race=True)


# page, lesson, step (from 1), language, labels of widgets the fold must hold (catalog keys), a result type below
STEPS = [
    ("app_pages/transfer_lab.py", "2-transfer", 4, "en", ["common.backbone", "transfer.data", "transfer.start_race"],
     "plotly_chart"),
    ("app_pages/pretraining.py", "3-pretraining", 1, "ko", ["pretrain.objective", "pretrain.sentence",
                                                             "pretrain.example.show"], "dataframe"),
    ("app_pages/fewshot.py", "5-fewshot", 1, "en", ["fewshot.data", "fewshot.run", "fewshot.sens.run"],
     f"info: {t('fewshot.empty', 'en')}"),
    ("app_pages/attention.py", "3-pretraining", 4, "ko", ["attention.text", "attention.section",
                                                          "attention.masks.padding"], "plotly_chart"),
    ("app_pages/embeddings.py", "1-why-pretrain", 1, "en", ["embeddings.set", "embeddings.run", "embeddings.layer",
                                                            "embeddings.sent.run"], "plotly_chart"),
]


@pytest.mark.slow
@pytest.mark.usefixtures("private_stores")
@pytest.mark.parametrize(("page", "lesson", "step", "lang", "labels", "result"), STEPS,
                         ids=[s[0].split("/")[1].removesuffix(".py") for s in STEPS])
def test_lesson_mode_folds_the_whole_form_under_the_step_and_keeps_results_below(page, lesson, step, lang, labels,
                                                                                  result) -> None:
    at = open_step(page, lesson, step, lang)
    if page.endswith("transfer_lab.py"):  # a finished race in the page's slot: its charts are the lab's result
        at.session_state["job:transfer-race"] = finished_race()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    bar = t("lessons.bar.step", lang, i=step, n=len(get_lesson(lesson).steps))
    assert any(bar in c.value for c in at.caption)  # the step bar

    folded = layout(at, lang)
    assert len(folded.folds) == 1, "one fold"
    assert folded.folds[0].proto.expanded is False, "collapsed"
    inside = {w.label for w in folded.inside}
    assert {t(k, lang) for k in labels} <= inside, sorted(inside)
    assert [(w.type, w.label, w.key) for w in folded.outside] == []  # the whole form is in the fold
    below = [kind for where, kind in folded.results if where > folded.fold_at]
    assert result in below, folded.results  # the lab's result panel right below the fold, not in it

    for key in ("lesson", "step"):  # the same page, the same settings, outside lesson mode
        at.query_params.pop(key, None)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    plain = layout(at, lang)
    assert plain.folds == [] and not any(bar in c.value for c in at.caption)
    assert {(w.type, w.label) for w in folded.inside} <= {(w.type, w.label) for w in plain.outside}
    assert result in [kind for _, kind in plain.results]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_class_chart_names_strategies_as_the_steps_figure_does(lang: str) -> None:
    """Lesson 2 step 4 and lesson 1 step 2 ask which strategy wins: their bars carry the catalog's names (the race
    figure's legend, run_name), so a Korean screen shows no code name; other questions keep their own labels."""
    from korean_screens import code_names_in

    from plm_core.i18n.names import run_name
    from plm_core.lessons import lessons
    from plm_core.lessons.figures import predictions_figure
    from ui.classroom import bar_labels

    race = get_lesson("2-transfer").steps[3].question
    names = bar_labels(race, lang)
    assert names == {m: run_name(m, lang) for m in ("frozen", "finetune", "discriminative")}
    fig = predictions_figure({"frozen": 3, "finetune": 5, "discriminative": 1}, names, "", "", "finetune")
    assert list(fig.data[0].x) == [run_name(m, lang) for m in ("frozen", "finetune", "discriminative")]
    assert bar_labels(get_lesson("1-why-pretrain").steps[1].question, lang) == {
        "scratch": run_name("scratch", lang), "finetune": run_name("finetune", lang)}
    trend = get_lesson("5-fewshot").steps[0].question  # rises / flat / falls: the question's own words
    assert bar_labels(trend, lang) == {c.value: c.label.get(lang) for c in trend.choices}
    for lesson in lessons():  # no bar of any question of the course shows a strategy's code name in Korean
        for step in lesson.steps:
            if step.question is not None and lang == "ko":
                assert [n for n in bar_labels(step.question, "ko").values() if code_names_in(n)] == [], step.title
