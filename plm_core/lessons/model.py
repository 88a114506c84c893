"""Lessons as data: `assets/lessons/*.yaml` -> typed frozen dataclasses, validated on load.

A lesson is an ordered list of steps; a step names a page of the app, the exact settings of that page
(its URL parameters, see `plm_core.urlparams`), a short explanation and optionally a question that the
class answers before the outcome is shown (predict, then reveal).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from plm_core.errors import PLMError

LESSONS_DIR = Path(__file__).resolve().parents[2] / "assets" / "lessons"
LANGS: tuple[str, ...] = ("ko", "en")
QuestionKind = Literal["choice", "number", "word"]
QUESTION_KINDS: tuple[str, ...] = ("choice", "number", "word")


@dataclass(frozen=True)
class Text:
    """One piece of bilingual text."""

    ko: str
    en: str

    def get(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Choice:
    value: str  # what is stored and compared with the outcome (e.g. a strategy name)
    label: Text


@dataclass(frozen=True)
class Question:
    kind: QuestionKind
    prompt: Text
    answer_from: str  # a reader of plm_core.lessons.outcomes.READERS: how the outcome is read from the result
    choices: tuple[Choice, ...] = ()  # choice questions only
    unit: Text | None = None  # number questions: what the number counts ("points", "examples")
    answer: str = ""  # the answer itself, for answer_from "given" (a page that computes at once, no job)

    def choice_label(self, value: str, lang: str) -> str:
        return next((c.label.get(lang) for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class Step:
    page: str  # a page key of ui/pages.py
    settings: dict[str, str]  # URL parameters of that page (values as they appear in the query string)
    title: Text
    explain: Text
    question: Question | None = None
    figure: str = ""  # which figure of the step's result the worksheet and presenter show (outcomes.FIGURES)
    reveal: Text | None = None  # what the outcome means: shown only after the reveal (it may state the answer)


@dataclass(frozen=True)
class Lesson:
    id: str  # file name without .yaml, e.g. "transfer"
    order: int  # place in the course (1 = first)
    title: Text
    summary: Text
    minutes: int
    steps: tuple[Step, ...] = field(default_factory=tuple)


def _text(raw: Any, where: str) -> Text:
    """{ko: ..., en: ...} with both languages non-empty."""
    if not isinstance(raw, dict) or any(not str(raw.get(lang) or "").strip() for lang in LANGS):
        raise PLMError("lessons.err.text", where=where)
    return Text(ko=str(raw["ko"]).strip(), en=str(raw["en"]).strip())


def catalog_named(choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """A choice that is a strategy (frozen, finetune …) or, among few-shot methods, a method is labelled by the
    catalog's name, as every chart, table and reveal names it: the radio, the reveal sentence, the class's chart
    and the step's figure say one name. Any other choice keeps the lesson's own words."""
    from plm_core.i18n import all_messages
    from plm_core.i18n.names import FEWSHOT_METHODS, method_name, run_name

    def strategy(value: str) -> bool:
        return f"term.strategy.{value}" in all_messages()

    methods = any(c.value in FEWSHOT_METHODS and not strategy(c.value) for c in choices)

    def label(c: Choice) -> Text:
        if methods and c.value in FEWSHOT_METHODS:
            return Text(ko=method_name(c.value, "ko"), en=method_name(c.value, "en"))
        return Text(ko=run_name(c.value, "ko"), en=run_name(c.value, "en")) if strategy(c.value) else c.label

    return tuple(Choice(c.value, label(c)) for c in choices)


def _question(raw: dict[str, Any], where: str) -> Question:
    kind = raw.get("kind")
    if kind not in QUESTION_KINDS:
        raise PLMError("lessons.err.question_kind", where=where, kind=kind, choices=", ".join(QUESTION_KINDS))
    choices = catalog_named(tuple(Choice(str(c["value"]), _text(c.get("label"), f"{where}.choices[{i}]"))
                                  for i, c in enumerate(raw.get("choices") or [])))
    if kind == "choice" and len(choices) < 2:
        raise PLMError("lessons.err.choices", where=where)
    unit = _text(raw["unit"], f"{where}.unit") if raw.get("unit") else None
    return Question(kind, _text(raw.get("prompt"), f"{where}.prompt"), str(raw.get("answer_from", "")), choices, unit,
                    str(raw.get("answer", "")))


def _step(raw: dict[str, Any], where: str) -> Step:
    settings = {str(k): _setting_text(v) for k, v in (raw.get("settings") or {}).items()}
    question = _question(raw["question"], f"{where}.question") if raw.get("question") else None
    after = _text(raw["reveal"], f"{where}.reveal") if raw.get("reveal") else None
    return Step(str(raw.get("page", "")), settings, _text(raw.get("title"), f"{where}.title"),
                _text(raw.get("explain"), f"{where}.explain"), question, str(raw.get("figure", "")), after)


def _setting_text(value: Any) -> str:
    """A YAML value as it appears in a URL: lists comma-separated, booleans lower case."""
    if isinstance(value, list):
        return ",".join(_setting_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_lesson(lesson_id: str, raw: dict[str, Any]) -> Lesson:
    """One lesson from its YAML mapping (structure and text only; `validate` checks pages and settings)."""
    steps = tuple(_step(s, f"{lesson_id}.steps[{i}]") for i, s in enumerate(raw.get("steps") or []))
    if not steps:
        raise PLMError("lessons.err.no_steps", lesson=lesson_id)
    return Lesson(lesson_id, int(raw.get("order", 99)), _text(raw.get("title"), f"{lesson_id}.title"),
                  _text(raw.get("summary"), f"{lesson_id}.summary"), int(raw.get("minutes", 10)), steps)


def validate(lesson: Lesson) -> None:
    """Every step's page exists and takes exactly these settings; every answer can be read from a result."""
    from plm_core import urlparams
    from plm_core.lessons.outcomes import FIGURES, READERS

    for i, step in enumerate(lesson.steps):
        where = f"{lesson.id}.steps[{i}]"
        if step.page not in urlparams.PAGE_PARAMS:
            raise PLMError("lessons.err.page", where=where, page=step.page)
        _, problems = urlparams.parse(step.page, step.settings)
        if problems:
            raise PLMError("lessons.err.settings", where=where, page=step.page, detail=str(problems[0]))
        if step.question is not None and step.question.answer_from not in READERS:
            raise PLMError("lessons.err.answer_from", where=where, reader=step.question.answer_from,
                           choices=", ".join(READERS))
        if step.figure and step.figure not in FIGURES:
            raise PLMError("lessons.err.figure", where=where, figure=step.figure, choices=", ".join(FIGURES))


def load_lesson(path: Path) -> Lesson:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise PLMError("lessons.err.yaml", file=path.name, detail=str(err)[:200]) from None
    lesson = parse_lesson(path.stem, raw or {})
    validate(lesson)
    return lesson


def lessons_dir() -> Path:
    """assets/lessons, or PLM_LAB_LESSONS_DIR (a test's lessons with smaller settings)."""
    env = os.environ.get("PLM_LAB_LESSONS_DIR")
    return Path(env) if env else LESSONS_DIR


def lessons(directory: Path | None = None) -> tuple[Lesson, ...]:
    """Every lesson of `directory` (default `lessons_dir()`), in course order."""
    return _lessons(directory or lessons_dir())


@cache
def _lessons(directory: Path) -> tuple[Lesson, ...]:
    found = [load_lesson(p) for p in sorted(directory.glob("*.yaml"))]
    return tuple(sorted(found, key=lambda lesson: (lesson.order, lesson.id)))


def get_lesson(name: str, directory: Path | None = None) -> Lesson:
    """A lesson by id ("2-transfer"), by its place in the course ("2") or by id without the number ("transfer")."""
    found = lessons(directory or lessons_dir())
    for lesson in found:
        if name in (lesson.id, str(lesson.order), lesson.id.partition("-")[2]):
            return lesson
    raise PLMError("lessons.err.unknown", lesson=name, choices=", ".join(lesson.id for lesson in found))
