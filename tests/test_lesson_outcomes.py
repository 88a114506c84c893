"""Lessons say what the run shows: no lesson text states an outcome by hand; every question's outcome sentence is
generated from the measured result. Each lesson's default experiments run here on tiny random models."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest

from plm_core.i18n import all_messages, t
from plm_core.lessons import lessons
from plm_core.lessons.jobs import lesson_jobs
from plm_core.lessons.model import LANGS, Lesson
from plm_core.lessons.outcomes import NEEDS_RESULT, outcome_sentence, read_outcome

# Sentences that report how an experiment came out (who won, what rose, what broke). A lesson may ask about
# these, and explain what they would mean, but never state them: the outcome sentence is generated from the run.
CLAIMS = {
    "en": re.compile(r"\b(wins|won|beats|beat|leads|overtakes|overtook|outperforms|catches up|caught up|falls? apart|"
                     r"hardly moves?|form two clusters|helped|hurt|helps|hurts|is (?:better|worse) than|"
                     r"scores? (?:higher|lower))\b", re.IGNORECASE),
    "ko": re.compile(r"이깁니다|이겼|앞섭니다|앞섰|따라잡|무너집니다|무너졌|거의 움직이지 않|무리로 나뉩니다|"
                     r"도움이 됩니다|도움이 되었|더 높습니다|더 낮습니다|더 좋습니다"),
}


def lesson_texts(lesson: Lesson) -> Iterator[tuple[str, str, str]]:
    """(where, language, text) of every explanation and reveal text of a lesson."""
    for i, step in enumerate(lesson.steps):
        for field in ("explain", "reveal"):
            text = getattr(step, field, None)
            for lang in LANGS:
                if text is not None:
                    yield f"{lesson.id} step {i + 1} {field}", lang, text.get(lang)


def claims_in(text: str, lang: str) -> list[str]:
    return [m.group(0) for m in CLAIMS[lang].finditer(text)]


def test_the_claim_finder_finds_the_sentences_the_issue_quoted() -> None:
    assert claims_in("At small K prompting leads; as K grows, training catches up.", "en") == ["leads", "catches up"]
    assert claims_in("K가 작을 때는 프롬프트가, K가 커지면 학습이 앞섭니다.", "ko") == ["앞섭니다"]
    assert claims_in("Put a causal mask on an encoder and its predictions fall apart.", "en") == ["fall apart"]
    assert claims_in("Find where the curves cross. A lead inside the noise band is no lead.", "en") == []
    assert claims_in("두 곡선이 만나는 지점을 찾아보세요.", "ko") == []


@pytest.mark.parametrize("lesson", lessons(), ids=lambda lesson: lesson.id)
def test_no_lesson_text_states_an_outcome(lesson: Lesson) -> None:
    found = [(where, lang, claims_in(text, lang)) for where, lang, text in lesson_texts(lesson)]
    assert [f for f in found if f[2]] == []


TINY_OVERRIDES = {"n": "24", "race_test": "20", "test": "20", "epochs": "1", "seeds": "2", "shots": "0,1,2"}


@pytest.fixture
def tiny_models(monkeypatch: pytest.MonkeyPatch, private_stores: None, one_torch_thread: None) -> Iterator[None]:
    """Every packaged backbone the lessons name is replaced by a tiny random one of its family (12 wide, as many
    layers as MiniLM, a decoder with room for a few demonstrations); the project's own tiny checkpoints load as
    they are."""
    from plm_core.backbones import registry, tiny
    from plm_core.jobs.runner import warm_backbone

    monkeypatch.setitem(tiny.TINY_DIMS, "positions", 512)
    monkeypatch.setitem(tiny.TINY_DIMS, "layers", 6)  # a step's layer index is resolved on MiniLM's spec (6 layers)
    made = {family: tiny.tiny_random_backbone(family) for family in ("encoder", "decoder")}  # type: ignore[arg-type]
    for loader in ("hf_package", "smollm2", "gemma3"):
        monkeypatch.setitem(registry.LOADERS, loader,
                            lambda spec, random_init, seed: made["decoder" if spec.head == "clm" else "encoder"])
    warm_backbone.cache_clear()
    yield
    warm_backbone.cache_clear()


def run_step_job(kind: str, config: object) -> object:
    from plm_core.jobs.runner import execute

    return execute(kind, config, lambda event: None, threading.Event(), own=False)


def test_every_lesson_question_gets_a_sentence_generated_from_its_run(tiny_models: None) -> None:
    asked = 0
    for lesson in lessons():
        jobs = lesson_jobs(lesson, TINY_OVERRIDES)
        results: dict[object, object] = {}
        for i, step in enumerate(lesson.steps):
            question = step.question
            if question is None or question.answer_from not in NEEDS_RESULT:
                continue
            job = jobs[i]
            key = (job.kind, repr(job.config))
            if key not in results:  # steps with the same settings share one job
                results[key] = run_step_job(job.kind, job.config)
            outcome = read_outcome(question, results[key])
            assert outcome.key in all_messages(), (lesson.id, i, outcome.key)
            if question.kind == "choice":
                assert str(outcome.value) in {c.value for c in question.choices}, (lesson.id, i, outcome.value)
            for lang in LANGS:
                sentence = outcome_sentence(outcome, lang, question)
                assert sentence.strip() and "{" not in sentence and sentence != outcome.key, (lesson.id, i, lang)
            asked += 1
    assert asked >= 6  # lessons 1, 2 (two), 4 (two) and 5 (three) ask about a measured result


def test_the_trend_sentence_states_the_numbers_and_the_noise_band(tiny_models: None) -> None:
    lesson = next(lesson for lesson in lessons() if lesson.id == "5-fewshot")
    job = lesson_jobs(lesson, TINY_OVERRIDES)[0]
    result = run_step_job(job.kind, job.config)
    outcome = read_outcome(lesson.steps[0].question, result)  # type: ignore[arg-type]
    assert outcome.value in ("rises", "flat", "falls")
    params = outcome.params
    assert {"acc0", "acc", "gap", "noise", "k0", "k"} <= set(params) and params["noise"] > 0
    sentence = t(outcome.key, "en", **params)
    assert f"{params['acc0']}%" in sentence and f"±{params['noise']}" in sentence
