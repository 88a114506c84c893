"""Lessons as data: every lesson loads and validates; steps build their pages' jobs; predictions, outcomes,
the worksheet and the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from plm_core import urlparams
from plm_core.errors import PLMError
from plm_core.lessons import get_lesson, lessons
from plm_core.lessons.jobs import lesson_jobs, step_job
from plm_core.lessons.model import LANGS, load_lesson
from plm_core.lessons.outcomes import FIGURES, READERS, Outcome, matches, race_winner, read_outcome
from plm_core.lessons.predictions import class_counts, get_prediction, save_prediction
from ui.pages import page_exists

COURSE = ("1-why-pretrain", "2-transfer", "3-pretraining", "4-elmo", "5-fewshot")


def test_the_five_lessons_of_the_course_load_in_order() -> None:
    found = lessons()
    assert tuple(lesson.id for lesson in found) == COURSE
    assert [lesson.order for lesson in found] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("lesson_id", COURSE)
def test_every_step_opens_an_existing_page_with_valid_settings_and_bilingual_text(lesson_id: str) -> None:
    lesson = get_lesson(lesson_id)
    for lang in LANGS:
        assert lesson.title.get(lang) and lesson.summary.get(lang)
    for step in lesson.steps:
        assert page_exists(step.page), step.page
        values, problems = urlparams.parse(step.page, step.settings)
        assert problems == []
        assert all(values[k] == urlparams.parse_value(urlparams.param(step.page, k), v)
                   for k, v in step.settings.items())
        for lang in LANGS:
            assert step.title.get(lang).strip() and step.explain.get(lang).strip()
        if step.question is not None:
            assert step.question.answer_from in READERS
            assert all(c.label.get(lang) for c in step.question.choices for lang in LANGS)
        assert not step.figure or step.figure in FIGURES


def test_the_korean_text_is_korean() -> None:
    for lesson in lessons():
        for step in lesson.steps:
            assert any("\uac00" <= ch <= "\ud7a3" for ch in step.explain.ko), (lesson.id, step.title.en)


def test_lesson_2_races_frozen_finetune_and_discriminative_on_minilm_and_movie_snippets() -> None:
    lesson = get_lesson("transfer")
    assert lesson is get_lesson("2") and lesson.id == "2-transfer"
    jobs = lesson_jobs(lesson)
    assert set(jobs) == set(range(5))
    race = jobs[3].config
    assert jobs[3].slot == "transfer-race" and race.race
    assert [c.preset for c in race.configs] == ["frozen", "finetune", "discriminative"]
    assert {c.backbone for c in race.configs} == {"minilm-l6"} and race.data.name == "movie-snippets"
    assert jobs[4].config == race  # the drift step shows the same race: one job, prepared once
    assert [jobs[i].config.configs[0].preset for i in range(3)] == ["frozen", "finetune", "discriminative"]
    assert lesson.steps[3].question.kind == "choice" and lesson.steps[4].figure == "race_drift"


def test_overrides_shrink_a_lesson_only_where_a_page_has_the_setting() -> None:
    lesson = get_lesson("transfer")
    small = step_job(lesson.steps[3], {"n": "32", "race_test": "40", "epochs": "1", "shots": "1"})
    assert small is not None
    assert (small.config.n, small.config.test_limit, small.config.configs[0].optim.epochs) == (32, 40, 1)
    assert step_job(get_lesson("3").steps[0], {"n": "32"}) is None  # a page without a job


def test_the_fewshot_lesson_draws_both_meanings_of_k_on_one_chart() -> None:
    lesson = get_lesson("5-fewshot")
    configs = [step_job(s).config.config for s in lesson.steps]
    assert [c.methods for c in configs] == [("prompt", "frozen")] * 3
    assert [c.backbone_for("prompt") for c in configs] == ["gemma3-270m", "smollm2-135m", "gemma3-270m"]
    assert configs[0] == configs[2] and all(c.prompt_max_k == 8 and 0 in c.shots for c in configs)
    assert [s.question.answer_from for s in lesson.steps] == ["curves_trend", "curves_trend", "curves_cross"]
    assert all(s.figure == "curves" for s in lesson.steps)


def bad_lesson(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "9-bad.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_STEP = """
title: {ko: 가, en: a}
summary: {ko: 가, en: a}
steps:
  - page: transfer
    settings: %s
    title: {ko: 가, en: a}
    explain: %s
"""


@pytest.mark.parametrize(("settings", "explain", "key"), [
    ("{n: 5000}", "{ko: 가, en: a}", "lessons.err.settings"),
    ("{nope: 1}", "{ko: 가, en: a}", "lessons.err.settings"),
    ("{n: 32}", "{en: only English}", "lessons.err.text"),
])
def test_a_bad_lesson_is_refused_with_what_to_fix(tmp_path: Path, settings: str, explain: str, key: str) -> None:
    with pytest.raises(PLMError) as err:
        load_lesson(bad_lesson(tmp_path, GOOD_STEP % (settings, explain)))
    assert err.value.key == key


def test_a_step_on_an_unknown_page_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PLMError) as err:
        load_lesson(bad_lesson(tmp_path, (GOOD_STEP % ("{}", "{ko: 가, en: a}")).replace("transfer", "nowhere")))
    assert err.value.key == "lessons.err.page"


def test_predictions_are_stored_per_browser_and_counted_for_the_class(tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    save_prediction("2-transfer", 3, "a" * 16, "finetune", db)
    save_prediction("2-transfer", 3, "b" * 16, "frozen", db)
    save_prediction("2-transfer", 3, "c" * 16, "Finetune", db)
    save_prediction("2-transfer", 3, "b" * 16, "finetune", db)  # changed their mind: replaces
    assert get_prediction("2-transfer", 3, "b" * 16, db) == "finetune"
    assert get_prediction("2-transfer", 4, "b" * 16, db) is None
    assert class_counts("2-transfer", 3, db) == {"finetune": 3}
    with pytest.raises(PLMError):
        save_prediction("2-transfer", 3, "d" * 16, "   ", db)


def fake_race(accuracies: dict[str, float]) -> SimpleNamespace:
    def result(acc: float) -> SimpleNamespace:
        return SimpleNamespace(test_accuracy=acc, test_macro_f1=acc, trainable_params=10, total_params=100,
                               train_seconds=1.0, peak_memory_mb=1.0, drift=None)

    runs = [SimpleNamespace(label=s, racer=s, result=result(a)) for s, a in accuracies.items()]
    return SimpleNamespace(runs=runs)


def test_the_race_outcome_names_the_winner_and_its_lead_in_points() -> None:
    outcome = race_winner(fake_race({"frozen": 0.71, "finetune": 0.80, "discriminative": 0.78}))
    assert outcome.value == "finetune"
    assert outcome.params == {"winner": "finetune", "second": "discriminative", "points": 2.0}
    question = get_lesson("2").steps[3].question
    assert matches(question, "finetune", outcome) and not matches(question, "frozen", outcome)
    lead = read_outcome(get_lesson("2").steps[4].question, fake_race({"frozen": 0.70, "finetune": 0.83}))
    assert lead.value == 13.0


def test_a_number_prediction_is_right_within_ten_percent_or_two_units() -> None:
    question = get_lesson("2").steps[4].question
    assert matches(question, "12", Outcome(13.0, "k"))
    assert not matches(question, "9", Outcome(13.0, "k"))
    assert matches(question, "70", Outcome(76.0, "k")) and not matches(question, "60", Outcome(76.0, "k"))
    assert not matches(question, "many", Outcome(13.0, "k"))


def test_lesson_cli_lists_the_course(capsys: pytest.CaptureFixture[str]) -> None:
    from plm_core.cli import main

    assert main(["lesson", "list", "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert all(lesson_id in out for lesson_id in COURSE) and "전이의 세 가지 방법" in out
    assert main(["lesson", "prepare", "no-such-lesson"]) == 2
