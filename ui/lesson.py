"""Lesson mode on every page: the step bar (`step_bar()`, one call at the top of each page), predict-then-
reveal, the presenter view (`?present=1`) and the links between steps.

A step is opened as `/<page>?<the step's settings>&lesson=<id>&step=<i>&lang=..` (i from 1): the page's
widgets take their settings from the URL (ui/urlstate.py); the step bar submits the step's job into the
page's own job slot once the prediction is in, so the page's panel shows it (a cache hit after `prepare`).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from plm_core.errors import PLMError
from plm_core.i18n import all_messages
from plm_core.lessons.model import Lesson, Question, Step
from ui.common import guard, lang, md_escape, tr, tr_md

LESSON, STEP, PRESENT = "lesson", "step", "present"
KEY_SCRIPT = """<script>
const doc = window.parent.document;
if (!doc.plmLessonKeys) {
  doc.plmLessonKeys = true;
  doc.addEventListener("keydown", (e) => {
    const tag = (e.target && e.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || e.target.isContentEditable) return;
    const which = {ArrowLeft: "lesson-prev", ArrowRight: "lesson-next"}[e.key];
    const button = which && doc.querySelector(".st-key-" + which + " button");
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  });
}
</script>"""
PRESENT_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stForm"], [data-testid="stExpander"], [data-testid="stSelectbox"], [data-testid="stMultiSelect"],
[data-testid="stSlider"], [data-testid="stNumberInput"], [data-testid="stTextInput"], [data-testid="stRadio"],
[data-testid="stSegmentedControl"], [data-testid="stTabs"] [role="tablist"], [data-testid="stToggle"],
.st-key-page-settings { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 1rem; }
.st-key-lesson-figure [data-testid="stPlotlyChart"] { min-height: 78vh; }
.st-key-lesson-bar h3 { font-size: 2.1rem; }
.st-key-lesson-bar p { font-size: 1.5rem; line-height: 1.5; }
</style>"""


# ---- where we are -------------------------------------------------------------------------------------
def current_step(page: str | None = None) -> tuple[Lesson, int] | None:
    """The lesson and step index (from 0) of `?lesson=&step=`, when this page is that step's page."""
    from plm_core.lessons import get_lesson

    name, number = st.query_params.get(LESSON), st.query_params.get(STEP, "1")
    if not name:
        return None
    try:
        lesson = get_lesson(name)
        index = int(number) - 1
    except (PLMError, ValueError):
        return None
    if not 0 <= index < len(lesson.steps):
        return None
    if page is not None and lesson.steps[index].page != page:
        return None
    return lesson, index


def this_page() -> str:
    """The key of the page being drawn (app.py's router tells ui/urlstate which one)."""
    from ui.urlstate import LAST_PAGE

    return str(st.session_state.get(LAST_PAGE) or "home")


def presenting() -> bool:
    return st.query_params.get(PRESENT) == "1"


def step_query(lesson: Lesson, index: int, present: bool | None = None) -> dict[str, str]:
    """The query that opens step `index`: its settings as written in the lesson (so a step whose settings are
    the defaults still counts as a link), the lesson, the step (from 1), the language, presenter view."""
    query = {**lesson.steps[index].settings, LESSON: lesson.id, STEP: str(index + 1), "lang": lang()}
    if presenting() if present is None else present:
        query[PRESENT] = "1"
    return query


def step_url(lesson: Lesson, index: int) -> str:
    """A relative link to a step (the lesson page's step list, the worksheet)."""
    from urllib.parse import urlencode

    page = lesson.steps[index].page
    return f"./{'' if page == 'home' else page}?{urlencode(step_query(lesson, index), safe=',')}"


def open_step(lesson: Lesson, index: int, present: bool | None = None) -> None:
    """Go to step `index` of `lesson` (its page, its settings)."""
    from ui.pages import page_path
    from ui.urlstate import FORCE

    page = lesson.steps[index].page
    st.session_state[FORCE] = page  # the step's settings exactly (defaults included), as urlstate.go does
    owner = st.session_state.get("owner")
    query = step_query(lesson, index, present) | ({"u": str(owner)} if owner else {})
    st.switch_page(page_path(page), query_params=query)


def leave_lesson() -> None:
    from ui.pages import page_path

    st.switch_page(page_path("lessons"), query_params={"lang": lang()})


# ---- the step bar ---------------------------------------------------------------------------------------
def step_bar(page: str | None = None) -> None:
    """At the top of every page: nothing without `?lesson=`; else the lesson's title, step i/n, the
    explanation, previous/next (keys ← →), presenter view, and the step's question and outcome."""
    page = page or this_page()
    where = current_step(page)
    if where is None:
        if LESSON in st.query_params:  # a stale link, or the sidebar led away from the step's page: leave the lesson
            for key in (LESSON, STEP, PRESENT):
                st.query_params.pop(key, None)
        return
    lesson, index = where
    step = lesson.steps[index]
    if presenting():
        st.html(PRESENT_CSS)
    with st.container(border=True, key="lesson-bar"):
        header(lesson, index, step)
        nav_buttons(lesson, index)
        with guard():
            ready = question_block(lesson, index, step)
            if ready:
                submit_step_job(lesson, index, step)
                if presenting():
                    presenter_figure(lesson, index, step)
    with st.container(key="lesson-keys"):  # the ← → script's frame: runs, takes no room
        st.html("<style>.st-key-lesson-keys { display: none; }</style>")
        st.iframe(KEY_SCRIPT, height=1)


def header(lesson: Lesson, index: int, step: Step) -> None:
    st.caption(f"{md_escape(lesson.title.get(lang()))} · "
               f"{tr('lessons.bar.step', i=index + 1, n=len(lesson.steps))}")
    st.markdown(f"### {md_escape(step.title.get(lang()))}")
    st.markdown(md_escape(step.explain.get(lang())))


def nav_buttons(lesson: Lesson, index: int) -> None:
    """Previous / next / presenter view / all lessons, each as wide as its label (large fonts included)."""
    last = index == len(lesson.steps) - 1
    row = st.container(horizontal=True, vertical_alignment="center")
    if row.button(tr("lessons.bar.prev"), key="lesson-prev", icon=":material/arrow_back:", disabled=index == 0):
        open_step(lesson, index - 1)
    if row.button(tr("lessons.bar.next"), key="lesson-next", icon=":material/arrow_forward:", disabled=last,
                  type="primary"):
        open_step(lesson, index + 1)
    label = "lessons.bar.leave_present" if presenting() else "lessons.bar.present"
    if row.button(tr(label), key="lesson-present", icon=":material/slideshow:"):
        open_step(lesson, index, present=not presenting())
    if row.button(tr("lessons.bar.back"), key="lesson-back", icon=":material/list:"):
        leave_lesson()
    if not presenting():
        row.caption(tr("lessons.bar.done") if last else tr("lessons.bar.keys"))


# ---- predict, then reveal -----------------------------------------------------------------------------
def question_block(lesson: Lesson, index: int, step: Step) -> bool:
    """Ask for the prediction first; True once there is one (or the step asks nothing): then the result shows."""
    from plm_core.lessons.predictions import get_prediction
    from ui.jobs import owner_id

    question = step.question
    if question is None:
        return True
    said = get_prediction(lesson.id, index, owner_id())
    changing = st.session_state.get(f"lesson-change:{lesson.id}:{index}", False)
    if said is None or changing:
        prediction_form(lesson, index, question)
        return False
    reveal(lesson, index, step, question, said)
    return True


def prediction_form(lesson: Lesson, index: int, question: Question) -> None:
    from plm_core.lessons.predictions import save_prediction
    from ui.jobs import owner_id

    language = lang()
    with st.form(f"lesson-predict-{lesson.id}-{index}", border=False):
        st.markdown(f"**{tr('lessons.predict.title')}** · {md_escape(question.prompt.get(language))}")
        if question.kind == "choice":
            labels = {c.value: c.label.get(language) for c in question.choices}
            value: Any = st.radio(question.prompt.get(language), list(labels), format_func=labels.__getitem__,
                                  index=None, label_visibility="collapsed", key=f"lesson-answer-{lesson.id}-{index}")
        elif question.kind == "number":
            unit = question.unit.get(language) if question.unit else ""
            value = st.number_input(tr("lessons.predict.number", unit=unit), value=None, step=1.0,
                                    key=f"lesson-answer-{lesson.id}-{index}")
        else:
            value = st.text_input(tr("lessons.predict.word"), max_chars=40, key=f"lesson-answer-{lesson.id}-{index}")
        st.caption(tr("lessons.predict.hidden"))
        if st.form_submit_button(tr("lessons.predict.save"), type="primary", icon=":material/lock:"):
            if value is None or not str(value).strip():
                raise PLMError("lessons.err.empty_prediction")
            text = f"{float(value):g}" if question.kind == "number" else str(value)
            save_prediction(lesson.id, index, owner_id(), text)
            st.session_state[f"lesson-change:{lesson.id}:{index}"] = False
            st.rerun()


def said_text(question: Question, said: str) -> str:
    if question.kind == "choice":
        return question.choice_label(said, lang())
    unit = f" {question.unit.get(lang())}" if question.unit and question.kind == "number" else ""
    return f"{said}{unit}"


def value_label(question: Question, value: Any) -> Any:
    """A strategy or method name as the class reads it: the question's own label, else the catalog's."""
    if not isinstance(value, str):
        return value
    if any(c.value == value for c in question.choices):
        return question.choice_label(value, lang())
    for key in (f"transfer.mode.{value}", f"transfer.strategy.{value}", f"fewshot.method.{value}"):
        if key in all_messages():
            return tr(key)
    return value


def outcome_text(question: Question, outcome: Any) -> str:
    params = {k: value_label(question, v) for k, v in outcome.params.items()}
    return tr_md(outcome.key, **params)


def reveal(lesson: Lesson, index: int, step: Step, question: Question, said: str) -> None:
    """The prediction next to the outcome, once the step's result is there (polled while its job runs)."""
    from plm_core.lessons.jobs import step_job
    from plm_core.lessons.outcomes import NEEDS_RESULT, matches, read_outcome
    from ui.jobs import snapshot

    job = step_job(step) if question.answer_from in NEEDS_RESULT else None

    @st.fragment(run_every=2.0)
    def live() -> None:
        snap = snapshot(job.slot) if job is not None else None
        if job is not None and (snap is None or snap.result is None or snap.config != job.config):
            st.info(tr_md("lessons.reveal.waiting", said=said_text(question, said)), icon=":material/hourglass_top:")
            return
        outcome = read_outcome(question, snap.result if snap is not None else None)
        right = matches(question, said, outcome)
        text = tr("lessons.reveal.right" if right else "lessons.reveal.wrong",  # both parts escaped once
                  said=md_escape(said_text(question, said)), outcome=outcome_text(question, outcome))
        (st.success if right else st.warning)(text, icon=":material/check_circle:" if right else ":material/lightbulb:")

    live()
    if st.button(tr("lessons.reveal.change"), key=f"lesson-change-{lesson.id}-{index}", type="tertiary"):
        st.session_state[f"lesson-change:{lesson.id}:{index}"] = True
        st.rerun()


def submit_step_job(lesson: Lesson, index: int, step: Step) -> None:
    """The step's job into the page's own slot (once: unless the slot already shows exactly this config)."""
    from plm_core.lessons.jobs import step_job
    from ui.jobs import snapshot, submit

    job = step_job(step)
    if job is None:
        return
    snap = snapshot(job.slot)
    if snap is None or snap.config != job.config:
        submit(job.slot, job.kind, job.config)
    st.caption(tr("lessons.bar.result_below"))


# ---- presenter view -----------------------------------------------------------------------------------
def presenter_figure(lesson: Lesson, index: int, step: Step) -> None:
    """Presenter view: the step's figure alone, filling the screen, with its explanation as the caption."""
    from plm_core.lessons.jobs import step_job
    from plm_core.lessons.outcomes import FIGURES
    from ui.jobs import snapshot

    job = step_job(step)
    if not step.figure or job is None:
        return
    snap = snapshot(job.slot)
    if snap is None or snap.result is None:
        return
    fig = FIGURES[step.figure](snap.result, lang())
    fig.update_layout(height=720, font={"size": 20}, title_font_size=28)
    fig.update_xaxes(tickfont_size=18, title_font_size=22)
    fig.update_yaxes(tickfont_size=18, title_font_size=22)
    with st.container(key="lesson-figure"):
        st.plotly_chart(fig, width="stretch", key=f"lesson-figure-{lesson.id}-{index}")
        st.caption(md_escape(step.explain.get(lang())))
