"""Lesson mode on every page: the step bar (`step_bar()`, one call at the top of each page), predict-then-
reveal, the presenter view (`?present=1`) and the links between steps.

A step is opened as `/<page>?<the step's settings>&lesson=<id>&step=<i>&lang=..` (i from 1): the page's
widgets take their settings from the URL (ui/urlstate.py); the step bar submits the step's job into the
page's own job slot once the prediction is in, so the page's panel shows it (a cache hit after `prepare`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from plm_core.errors import PLMError
from plm_core.lessons.model import Lesson, Question, Step
from ui.common import guard, lang, md_escape, tr, tr_md
from ui.figures import built, fig_text
from ui.watch import watch

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

    from ui.classroom import ClassView

LESSON, STEP, PRESENT = "lesson", "step", "present"
# The ← → keys: the listener is installed once per document as a <script> of its own (a listener whose code
# lives in a frame dies with it when a step opens another page: the keys stopped until a reload); it finds the
# step bar's buttons at each key press. The page's script runs again at every step: its names stay inside a
# function (a second top-level `const` of the same name would be a SyntaxError).
KEY_SCRIPT = """<script>(() => {
const doc = window.parent.document;
if (!doc.getElementById("plm-lesson-keys")) {
  const s = doc.createElement("script");
  s.id = "plm-lesson-keys";
  s.textContent = `document.addEventListener("keydown", (e) => {
    const t = e.target || {};
    const tag = (t.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || t.isContentEditable) return;
    const which = {ArrowLeft: "lesson-prev", ArrowRight: "lesson-next"}[e.key];
    const button = which && document.querySelector(".st-key-" + which + " button");
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  });`;
  doc.head.appendChild(s);
}
})();</script>"""
PRESENT_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stForm"], [data-testid="stExpander"], [data-testid="stSelectbox"], [data-testid="stMultiSelect"],
[data-testid="stSlider"], [data-testid="stNumberInput"], [data-testid="stTextInput"], [data-testid="stRadio"],
[data-testid="stSegmentedControl"], [data-testid="stTabs"] [role="tablist"], [data-testid="stToggle"],
.st-key-page-settings, .st-key-lesson-explain, .st-key-lesson-bar [data-testid="stCaptionContainer"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0.3rem 1.2rem 0.3rem !important; }
.st-key-lesson-bar p { font-size: 1.2rem; line-height: 1.35; }
.st-key-lesson-figure [data-testid="stCaptionContainer"], .st-key-lesson-figure [data-testid="stCaptionContainer"] p
  { display: block !important; font-size: 1.05rem; color: #333; }
.st-key-lesson-figure [data-testid="stPlotlyChart"] { height: max(260px, calc(100vh - var(--plm-above, 330px)))
  !important; }
.st-key-lesson-figure [data-testid="stDownloadButton"], .st-key-lesson-figure .modebar-container,
.st-key-lesson-figure [data-testid="stElementToolbar"] { display: none !important; }
.st-key-lesson-bar { padding: 0.4rem 0.9rem !important; gap: 0.4rem !important; }
.st-key-lesson-bar button { min-height: 34px; padding: 2px 12px; }
.st-key-lesson-bar button p, .st-key-class-line p { font-size: 17px; }
.st-key-lesson-bar h3 { font-size: 1.45rem !important; }
.st-key-lesson-bar h4 { font-size: 1.2rem !important; }
.st-key-lesson-bar h3, .st-key-lesson-bar h4 { line-height: 1.4 !important; padding: 0.1rem 0 !important;
  margin: 0 !important; }
.st-key-lesson-figure p { font-size: 1.05rem; }
</style>"""
# Presenter view: the figures take the height left on this screen (1920x1080 or 1280x720 alike): a script of the
# app's own document measures where they start and how tall the caption under them is, every 300 ms
PRESENT_JS = """<script>
const doc = window.parent.document;
if (!doc.getElementById("plm-present-fit")) {
  const s = doc.createElement("script");
  s.id = "plm-present-fit";
  s.textContent = `setInterval(() => {
    const box = document.querySelector(".st-key-lesson-figure");
    const charts = box ? [...box.querySelectorAll('[data-testid="stPlotlyChart"]')] : [];
    if (!charts.length) return;
    const top = Math.min(...charts.map(c => c.getBoundingClientRect().top)) + window.scrollY;
    const caps = box.querySelectorAll('[data-testid="stCaptionContainer"]');
    const below = caps.length ? caps[caps.length - 1].getBoundingClientRect().height + 28 : 24;
    const want = Math.round(top + below) + "px";
    if (document.documentElement.style.getPropertyValue("--plm-above") !== want) {
      document.documentElement.style.setProperty("--plm-above", want);
      window.dispatchEvent(new Event("resize"));
    }
  }, 300);`;
  doc.head.appendChild(s);
}
</script>"""
HIDE_LAB_CSS = """<style>
/* a question not yet revealed: the page below the step bar (the lab, its result) waits for the reveal */
[data-testid="stVerticalBlock"] > :is(.st-key-lesson-bar, :has(> .st-key-lesson-bar)) ~ * { display: none; }
</style>"""
PRESENT_FIG_FONT = 22  # px: chart text on the projector (readable from the back row at 1920 wide)


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
    the defaults still counts as a link), the lesson, the step (from 1), the language, presenter view, and the
    class's join code in class mode. Never the browser's job owner id."""
    from ui.classroom import CLASS, CODE

    query = {**lesson.steps[index].settings, LESSON: lesson.id, STEP: str(index + 1), "lang": lang()}
    if presenting() if present is None else present:
        query[PRESENT] = "1"
    if st.session_state.get(CODE):
        query[CLASS] = str(st.session_state[CODE])
    return query


def step_url(lesson: Lesson, index: int) -> str:
    """A relative link to a step (the lesson page's step list, the worksheet)."""
    from urllib.parse import urlencode

    page = lesson.steps[index].page
    return f"./{'' if page == 'home' else page}?{urlencode(step_query(lesson, index), safe=',')}"


def share_query() -> dict[str, str]:
    """What a share link of this view adds to the page's settings: the lesson and the step (no owner, no class)."""
    where = current_step(this_page())
    if where is None:
        return {}
    return {LESSON: where[0].id, STEP: str(where[1] + 1)}


def open_step(lesson: Lesson, index: int, present: bool | None = None) -> None:
    """Go to step `index` of `lesson` (its page, its settings)."""
    from ui.pages import page_path
    from ui.urlstate import FORCE

    page = lesson.steps[index].page
    st.session_state[FORCE] = page  # the step's settings exactly (defaults included), as urlstate.go does
    st.switch_page(page_path(page), query_params=step_query(lesson, index, present))


def leave_lesson() -> None:
    from ui.pages import page_path

    st.switch_page(page_path("lessons"), query_params={"lang": lang()})


# ---- the step bar ---------------------------------------------------------------------------------------
def step_bar(page: str | None = None) -> None:
    """At the top of every page: nothing without `?lesson=`; else the lesson's title, step i/n, the
    explanation, previous/next (keys ← →), presenter view, and the step's question and outcome. In a class:
    the class's line (join code, follow), the teacher moves the class, students follow and predict."""
    from ui import classroom as cui

    page = page or this_page()
    view = cui.current()
    where = current_step(page)
    if view is not None and view.following and (
            where is None or where[0].id != view.state.lesson or where[1] != view.state.step):
        cui.go_to_class_step(view)  # a following student is always on the class's step
    if where is None:
        if LESSON in st.query_params:  # a stale link, or the sidebar led away from the step's page: leave the lesson
            for key in (LESSON, STEP, PRESENT):
                st.query_params.pop(key, None)
        return
    lesson, index = where
    step = lesson.steps[index]
    following = view is not None and view.following
    if presenting():
        st.html(PRESENT_CSS)
        with st.container(key="lesson-present-fit"):
            st.html("<style>.st-key-lesson-present-fit { display: none; }</style>")
            st.iframe(PRESENT_JS, height=1)
    with st.container(border=True, key="lesson-bar"):
        if view is not None:
            cui.class_line(view, lesson, index)
        header(lesson, index, step)
        nav_buttons(lesson, index, view)
        with guard():
            ready = question_block(lesson, index, step, view)
            if ready:
                submit_step_job(lesson, index, step, following)
                if presenting():
                    presenter_figure(lesson, index, step, view)
                elif following:  # no lab below to show the job's progress: the figure appears when it is done
                    watch(lambda: step_snapshots(step), lambda _: figure_first(lesson, index, step))
                else:
                    figure_first(lesson, index, step)
            else:
                st.html(HIDE_LAB_CSS)
                st.caption(tr("classroom.lab_after"))
    if view is not None:
        cui.follow(view, index, revealed=index in view.state.revealed)
    with st.container(key="lesson-keys"):  # the ← → script's frame: runs, takes no room
        st.html("<style>.st-key-lesson-keys { display: none; }</style>")
        st.html(KEY_SCRIPT, unsafe_allow_javascript=True)  # a script of the page, no frame to build per step
    if following and step.figure:  # a following student's screen is the class's step and its figure (light on
        st.caption(tr("classroom.following_only"))  # a phone, and on the server when 30 follow at once); the
        st.stop()  # lab opens on "explore". A step whose result is the lab's own view shows the lab (form folded)


def header(lesson: Lesson, index: int, step: Step) -> None:
    st.caption(f"{md_escape(lesson.title.get(lang()))} · "
               f"{tr('lessons.bar.step', i=index + 1, n=len(lesson.steps))}")
    st.markdown(f"### {md_escape(step.title.get(lang()))}")
    with st.container(key="lesson-explain"):
        st.markdown(md_escape(step.explain.get(lang())))


def nav_buttons(lesson: Lesson, index: int, view: ClassView | None = None) -> None:
    """Previous / next / presenter view / all lessons, each as wide as its label (large fonts included). The
    teacher's previous / next move the class; a following student has none (the class moves them)."""
    from ui import classroom as cui

    last = index == len(lesson.steps) - 1
    row = st.container(horizontal=True, vertical_alignment="center")
    if view is None or not view.following:
        go = (lambda i: cui.move(view, lesson, i)) if view is not None and view.teacher else (
            lambda i: open_step(lesson, i))
        if row.button(tr("lessons.bar.prev"), key="lesson-prev", icon=":material/arrow_back:", disabled=index == 0):
            go(index - 1)
        if row.button(tr("lessons.bar.next"), key="lesson-next", icon=":material/arrow_forward:", disabled=last,
                      type="primary"):
            go(index + 1)
    if view is None or view.teacher:
        label = "lessons.bar.leave_present" if presenting() else "lessons.bar.present"
        if row.button(tr(label), key="lesson-present", icon=":material/slideshow:"):
            open_step(lesson, index, present=not presenting())
        if row.button(tr("lessons.bar.back"), key="lesson-back", icon=":material/list:"):
            leave_lesson()
    if not presenting() and (view is None or not view.following):
        row.caption(tr("lessons.bar.done") if last else tr("lessons.bar.keys"))


# ---- predict, then reveal -----------------------------------------------------------------------------
def question_block(lesson: Lesson, index: int, step: Step, view: ClassView | None = None) -> bool:
    """Ask for the prediction first; True once the outcome may show (then the step's result is drawn).
    Alone: once this browser predicted. In a class: once the teacher revealed the step."""
    question = step.question
    if question is None:
        return True
    if view is not None:
        return class_question(view, lesson, index, step, question)
    from plm_core.lessons.predictions import get_prediction, save_prediction
    from ui.jobs import owner_id

    said = get_prediction(lesson.id, index, owner_id())
    changing = st.session_state.get(f"lesson-change:{lesson.id}:{index}", False)
    if said is None or changing:
        prediction_form(lesson, index, question, lambda text: save_prediction(lesson.id, index, owner_id(), text))
        return False
    reveal(lesson, index, step, question, said)
    change_button(lesson, index)
    return True


def class_question(view: ClassView, lesson: Lesson, index: int, step: Step, question: Question) -> bool:
    """The teacher: the question, the live count, Reveal; then the class's answers beside the outcome.
    A student: the form (one prediction, changeable until the reveal); then their answer beside the outcome."""
    from plm_core.lessons import classroom
    from ui import classroom as cui

    revealed = index in view.state.revealed
    if view.teacher:
        if not (revealed and presenting()):  # revealed on the projector: the question heads the outcome's line
            st.markdown(f"#### {tr('lessons.predict.title')} · {md_escape(question.prompt.get(lang()))}")
        if not revealed:
            cui.answers_live(view, index)
            cui.reveal_button(view, index)
            return False
        st.caption(tr("classroom.revealed"))
        if not presenting():
            reveal(lesson, index, step, question, None)
            cui.distribution(view, index, question, outcome_value(step, question))
        return True
    member = cui.member_id()
    said = classroom.prediction(view.code, index, member)
    if not revealed:
        changing = st.session_state.get(f"lesson-change:{lesson.id}:{index}", False)
        if said is None or changing:
            prediction_form(lesson, index, question,
                            lambda text: classroom.predict(view.code, index, member, text))
        else:
            st.info(tr_md("classroom.your_prediction", said=said_text(question, said)), icon=":material/lock:")
            change_button(lesson, index)
        return False
    st.markdown(f"**{md_escape(question.prompt.get(lang()))}**")
    reveal(lesson, index, step, question, said)
    cui.distribution(view, index, question, outcome_value(step, question))
    return True


def change_button(lesson: Lesson, index: int) -> None:
    if st.button(tr("lessons.reveal.change"), key=f"lesson-change-{lesson.id}-{index}", type="tertiary"):
        st.session_state[f"lesson-change:{lesson.id}:{index}"] = True
        st.rerun()


def prediction_form(lesson: Lesson, index: int, question: Question, save: Callable[[str], None]) -> None:
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
            save(f"{float(value):g}" if question.kind == "number" else str(value))
            st.session_state[f"lesson-change:{lesson.id}:{index}"] = False
            st.rerun()


def said_text(question: Question, said: str) -> str:
    if question.kind == "choice":
        return question.choice_label(said, lang())
    unit = f" {question.unit.get(lang())}" if question.unit and question.kind == "number" else ""
    return f"{said}{unit}"


def outcome_text(question: Question, outcome: Any) -> str:
    """The reveal's sentence: strategies and methods by the question's labels or their catalog names."""
    from plm_core.lessons.outcomes import outcome_params

    text = tr_md(outcome.key, **outcome_params(outcome, lang(), question))
    return text[:1].upper() + text[1:]  # a sentence that starts with a name: "Frozen won …", not "frozen won …"


def step_outcome(step: Step, question: Question) -> Any:
    """The step's outcome when its result is there (None while its job runs)."""
    from plm_core.lessons.jobs import step_job
    from plm_core.lessons.outcomes import NEEDS_RESULT, read_outcome
    from ui.jobs import snapshot

    job = step_job(step) if question.answer_from in NEEDS_RESULT else None
    snap = snapshot(job.slot) if job is not None else None
    if job is not None and (snap is None or snap.result is None or snap.config != job.config):
        return None
    return read_outcome(question, snap.result if snap is not None else None)


def outcome_value(step: Step, question: Question) -> str | None:
    """The outcome as an answer of the class's chart (its bar is green), when known."""
    try:
        outcome = step_outcome(step, question)
    except PLMError:
        return None
    return None if outcome is None else str(outcome.value).lower()


def reveal(lesson: Lesson, index: int, step: Step, question: Question, said: str | None) -> None:
    """The prediction next to the outcome (the teacher: the outcome alone), once the step's result is there
    (polled while its job runs), then what the outcome means (the step's `reveal` text)."""
    from plm_core.lessons.outcomes import matches

    def live(_: list) -> None:
        outcome = step_outcome(step, question)
        if outcome is None:
            text = tr_md("lessons.reveal.waiting", said=said_text(question, said)) if said else tr(
                "classroom.wait_reveal")
            st.info(text, icon=":material/hourglass_top:")
            return
        if said is None:
            st.success(f"{tr('classroom.outcome')}: {outcome_text(question, outcome)}", icon=":material/flag:")
        else:
            right = matches(question, said, outcome)
            text = tr("lessons.reveal.right" if right else "lessons.reveal.wrong",  # both parts escaped once
                      said=md_escape(said_text(question, said)), outcome=outcome_text(question, outcome))
            (st.success if right else st.warning)(text, icon=":material/check_circle:" if right
                                                  else ":material/lightbulb:")
        if step.reveal is not None:
            st.markdown(md_escape(step.reveal.get(lang())))

    ensure_step_job(step)  # before watching: a job submitted later in this run would never be polled
    watch(lambda: step_snapshots(step), live)  # redrawn while the step's job runs


def step_snapshots(step: Step) -> list:
    """The snapshot of the step's job in its page's slot (none: no job, or not submitted yet)."""
    from plm_core.lessons.jobs import step_job
    from ui.jobs import snapshot

    job = step_job(step)
    snap = snapshot(job.slot) if job is not None else None
    return [snap] if snap is not None else []


def ensure_step_job(step: Step) -> None:
    """The step's job in its page's slot, submitted unless the slot already shows exactly this config."""
    from plm_core.lessons.jobs import step_job
    from ui.jobs import snapshot, submit

    job = step_job(step)
    if job is None:
        return
    snap = snapshot(job.slot)
    if snap is None or snap.config != job.config:
        submit(job.slot, job.kind, job.config)


def submit_step_job(lesson: Lesson, index: int, step: Step, following: bool = False) -> None:
    """The step's job into the page's own slot (once: unless the slot already shows exactly this config)."""
    from plm_core.lessons.jobs import step_job

    ensure_step_job(step)
    if step_job(step) is None:
        return
    if not presenting() and not following:
        st.caption(tr("lessons.bar.result_below"))


def step_figure(figure: str, result: Any, text: Any) -> Any:
    """A step's figure as the step bar draws it (legend above the plot)."""
    from plm_core.lessons.outcomes import FIGURES

    fig = FIGURES[figure](result, text)
    fig.update_layout(height=380, legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return fig


def figure_first(lesson: Lesson, index: int, step: Step) -> None:
    """Lesson mode: the step's figure at the top, in the step bar (the lab's whole form and panels follow below)."""
    from plm_core.lessons.jobs import step_job
    from ui.jobs import snapshot

    job = step_job(step) if step.figure else None
    snap = snapshot(job.slot) if job is not None else None
    if job is None or snap is None or snap.result is None or snap.config != job.config:
        return
    fig = built(step_figure, step.figure, snap.result, fig_text())  # 30 following phones share one build
    with st.container(key="lesson-step-figure"):
        st.plotly_chart(fig, width="stretch", key=f"lesson-step-figure-{lesson.id}-{index}",
                        config={"displayModeBar": False})


# ---- the lab's form, folded -----------------------------------------------------------------------------
FOLD_KEY = "lesson-controls"  # the fold's CSS class: st-key-lesson-controls (hidden by PRESENT_CSS, an expander)


@dataclass(frozen=True)
class Fold:
    """Where a lab page draws: in lesson mode its controls in the fold (one collapsed expander under the step's
    figure) and its result panels right below it; outside lesson mode both where they are today."""

    fold: DeltaGenerator | None = None  # lesson mode: the expander
    below: DeltaGenerator | None = None  # lesson mode: the container right below the expander

    @property
    def folded(self) -> bool:
        return self.fold is not None

    def results(self, home: DeltaGenerator | None = None) -> DeltaGenerator:
        """A result panel's place: below the fold in lesson mode; else `home` (e.g. its tab) or right here."""
        if self.below is not None:
            return self.below
        return home if home is not None else st.container()

    def controls(self) -> DeltaGenerator:
        """A control drawn among the results (a slider over its chart): into the fold in lesson mode, else here."""
        return self.fold if self.fold is not None else st.container()


@contextmanager
def lab_controls(page: str | None = None) -> Iterator[Fold]:
    """`with lab_controls() as fold:` around a lab's whole form: in lesson mode (the step's page) the form is
    folded in one collapsed expander and `fold.results()` lies right below it; otherwise nothing changes."""
    if current_step(page or this_page()) is None:
        yield Fold()
        return
    fold = st.expander(tr("lessonfold.controls"), expanded=False, icon=":material/tune:", key=FOLD_KEY)
    below = st.container(key="lesson-results")
    with fold:
        yield Fold(fold, below)


# ---- presenter view -----------------------------------------------------------------------------------
def presenter_figure(lesson: Lesson, index: int, step: Step, view: ClassView | None = None) -> None:
    """Presenter view: the step's figure filling the screen (beside the class's answers once revealed), its
    explanation (and after the reveal, what the outcome means) as the caption under it."""
    from plm_core.lessons.jobs import step_job
    from plm_core.lessons.outcomes import FIGURES
    from ui import classroom as cui
    from ui.jobs import snapshot

    job = step_job(step)
    question = step.question
    with st.container(key="lesson-figure"):
        if view is not None and question is not None:
            outcome = step_outcome(step, question)
            st.markdown(f"**{md_escape(question.prompt.get(lang()))}** → " + (
                outcome_text(question, outcome) if outcome is not None else tr("classroom.wait_reveal")))
        snap = snapshot(job.slot) if step.figure and job is not None else None
        fig = FIGURES[step.figure](snap.result, fig_text()) if snap is not None and snap.result is not None else None
        if view is not None and question is not None:
            left, right = st.columns([1, 2]) if fig is not None else (st.container(), None)
            with left:
                cui.distribution(view, index, question, outcome_value(step, question), big=True)
            target = right
        else:
            target = st.container()
        if fig is not None and target is not None:
            projector_style(fig)
            target.plotly_chart(fig, width="stretch", height="stretch", key=f"lesson-figure-{lesson.id}-{index}",
                                config={"responsive": True, "displayModeBar": False})
        caption = step.explain.get(lang()) + (f" {step.reveal.get(lang())}" if step.reveal is not None and (
            question is None or view is None or index in view.state.revealed) else "")
        st.caption(md_escape(caption))


def projector_style(fig: Any) -> None:
    """Chart text large enough for the back row; the legend above the plot (never cut off at the side)."""
    size = PRESENT_FIG_FONT
    fig.update_layout(height=None, autosize=True, font={"size": size}, title_font_size=size + 6,
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                              "font": {"size": size}},
                      margin={"t": 110, "b": 80, "l": 100, "r": 150})
    fig.update_traces(cliponaxis=False, selector={"type": "scatter"})  # a point's label at the edge stays whole
    if fig.layout.xaxis.type == "log":  # one tick per decade: large tick labels never run into each other
        fig.update_xaxes(dtick=1, tickformat=".2~%" if str(fig.layout.xaxis.tickformat or "").endswith("%") else None)
    fig.update_xaxes(tickfont_size=size, title_font_size=size, automargin=True)
    fig.update_yaxes(tickfont_size=size, title_font_size=size, automargin=True)
