"""Class mode in the browser: which class this browser is in and as what (teacher or student), start and join,
follow the teacher's step, the teacher's panel (join code, QR, members, reveal, end) and the class's answers.

The class's join code travels in the URL (`?class=AK37X`, public: it is on the projector anyway). The teacher key
never does: it is kept in this browser's session and in a cookie set by a small script (so a reload, or a server
restart, keeps the teacher the teacher), and every teacher-only action is checked in the core against it.
A student is this browser's job owner id (`ui.jobs.owner_id()`, a secret of the browser) joined to the class.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from plm_core.errors import PLMError
from plm_core.lessons import classroom
from plm_core.lessons.classroom import ClassState
from plm_core.lessons.model import Lesson, Question
from ui.common import lang, md_escape, tr

CLASS = "class"  # the URL parameter: the join code
CODE, KEY, DETACHED, PRIORITY, GROUP = "class.code", "class.key", "class.detached", "class.priority", "class.group"
COOKIE = "plm_teacher_"  # + join code: that class's teacher key (this browser only)
FOLLOW_EVERY_S = 10.0  # the server-side poll, only a safety net: the beacon below is read every BEACON_EVERY_MS
BEACON_EVERY_MS = 500  # a following student's browser reads the class's beacon (the bound: follow in 2 s)
# The class's beacon: a few bytes of JSON (step, revealed steps, ended) written when the class changes, served by
# Streamlit's static serving (`server.enableStaticServing`, `<app folder>/static/` at `app/static/`). A student's
# browser fetches it every 500 ms and, when it differs from the screen, clicks the hidden sync button: one run of
# the follow fragment, which opens the new step (or redraws the page after a reveal). Polling in the browser costs
# the server one tiny file read per poll instead of one script run per student per second (30 students: 30 script
# runs a second, and as many React redraws).
BEACON_DIR = Path(__file__).resolve().parent.parent / "static" / "class"
BEACON_URL = "app/static/class/{code}.json"  # relative to the page's own address (any base URL path)
BEACON_KEEP_S = 86400.0  # beacons of classes older than a day are removed
BEACON_JS = """<script>(() => {  // names inside a function: this script runs again at every step
const win = window.parent, doc = win.document;
win.plmClass = %s;
if (!doc.getElementById("plm-class-follow")) {
  const s = doc.createElement("script");
  s.id = "plm-class-follow";
  s.textContent = `setInterval(async () => {
    const want = window.plmClass;
    if (!want || window.plmClassBusy) return;
    window.plmClassBusy = true;
    try {
      const r = await fetch(new URL(want.url, document.baseURI) + "?t=" + Date.now(),
                            {cache: "no-store", signal: AbortSignal.timeout(3000)});
      const b = r.ok ? await r.json() : null;
      const now = window.plmClass;
      if (b && now === want && (b.ended || b.step !== want.step || b.revealed.includes(want.step) !== want.revealed)
          && Date.now() - (window.plmClassClicked || 0) > 1500) {
        const button = document.querySelector(".st-key-class-sync button");
        if (button) { window.plmClassClicked = Date.now(); button.click(); }
      }
    } catch (e) {} finally { window.plmClassBusy = false; }
  }, %d);`;
  doc.head.appendChild(s);
}
})();</script>"""
_published: dict[str, str] = {}  # join code -> the beacon text last written by this server
COUNT_EVERY_S = 1.5  # the teacher's live count of answers


@dataclass(frozen=True)
class ClassView:
    """This browser in a class: the class's row as last read, and its role."""

    state: ClassState
    key: str | None  # the teacher key when this browser leads the class

    @property
    def code(self) -> str:
        return self.state.code

    @property
    def teacher(self) -> bool:
        return self.key is not None

    @property
    def following(self) -> bool:
        return not self.teacher and not st.session_state.get(DETACHED, False)


def member_id() -> str:
    from ui.jobs import owner_id

    return owner_id()


def _teacher_key(code: str) -> str | None:
    """The teacher key this browser holds for `code` (its session, else its cookie), checked against the class."""
    held = st.session_state.get(KEY) if st.session_state.get(CODE) == code else None
    held = held or st.context.cookies.get(COOKIE + code)
    return held if held and classroom.is_teacher(code, held) else None


def _remember(state: ClassState, key: str | None) -> None:
    st.session_state[CODE], st.session_state[KEY] = state.code, key
    st.session_state[GROUP] = state.code  # ui.jobs: per-class quota, teacher first in the queue
    st.session_state[PRIORITY] = 1 if key else 0


def forget() -> None:
    for name in (CODE, KEY, DETACHED, PRIORITY, GROUP):
        st.session_state.pop(name, None)
    st.query_params.pop(CLASS, None)


def current() -> ClassView | None:
    """The class of `?class=` (or of this session) when this browser leads it or has joined it; else None."""
    code = st.query_params.get(CLASS) or st.session_state.get(CODE)
    if not code:
        return None
    try:
        state = classroom.get_class(str(code))
    except PLMError:
        forget()
        return None
    key = _teacher_key(state.code)
    if key is None and not _joined(state):
        return None
    if state.ended:
        publish(state)
        st.info(tr("classroom.ended", code=state.code), icon=":material/school:")
        forget()
        return None
    _remember(state, key)
    publish(state, missing_only=key is None)  # a student's read may be older than the teacher's last move
    if st.query_params.get(CLASS) != state.code:
        st.query_params[CLASS] = state.code
    return ClassView(state, key)


def _joined(state: ClassState) -> bool:
    if st.session_state.get(CODE) == state.code:
        return True
    return any(m.member == member_id() for m in classroom.members(state.code))  # a reload of a joined browser


def pending_code() -> str | None:
    """A join code from a link or QR (`?class=`) that this browser has not joined yet."""
    code = st.query_params.get(CLASS)
    return str(code) if code and st.session_state.get(CODE) != classroom.normalize_code(str(code)) else None


# ---- start and join ---------------------------------------------------------------------------------------
def start(lesson: Lesson) -> None:
    """Start a class on `lesson`: this browser becomes its teacher (key in the session and a cookie)."""
    from ui.lesson import open_step

    state, key = classroom.start_class(lesson.id)
    _remember(state, key)
    st.session_state["class.set_cookie"] = (state.code, key)
    st.query_params[CLASS] = state.code
    open_step(lesson, 0, present=False)


def cookie_script() -> None:
    """Once after a start: the teacher key into a cookie of this site (read back by st.context.cookies)."""
    pending = st.session_state.pop("class.set_cookie", None)
    if not pending:
        return
    code, key = pending
    cookie = json.dumps(f"{COOKIE}{code}={key}; path=/; max-age=43200; SameSite=Strict")
    with st.container(key="class-cookie"):
        st.html("<style>.st-key-class-cookie { display: none; }</style>")
        st.iframe(f"<script>window.parent.document.cookie = {cookie};</script>", height=1)


def join_form(code: str = "") -> None:
    """Home: the join code (from the link, or typed) and an optional display name."""
    with st.form("class-join", border=True):
        st.markdown(f"**{tr('classroom.join.title')}**")
        typed = st.text_input(tr("classroom.join.code"), value=code, max_chars=8, key="class-join-code")
        name = st.text_input(tr("classroom.join.name"), max_chars=classroom.MAX_NAME_CHARS,
                             help=tr("classroom.join.name_help"), key="class-join-name")
        if st.form_submit_button(tr("classroom.join.button"), type="primary", icon=":material/login:"):
            join(typed, name)


def join(code: str, name: str = "") -> None:
    state = classroom.join(code, member_id(), name)
    _remember(state, _teacher_key(state.code))
    st.session_state[DETACHED] = False
    st.query_params[CLASS] = state.code
    go_to_class_step(ClassView(state, None))


def go_to_class_step(view: ClassView) -> None:
    from plm_core.lessons import get_lesson
    from ui.lesson import open_step

    open_step(get_lesson(view.state.lesson), view.state.step, present=None)


def join_link(code: str) -> str:
    """The link (and QR) students open: the Home page with the join code, in the teacher's language."""
    from ui.urlstate import share_base

    return f"{share_base().rstrip('/')}/?{CLASS}={code}&lang={lang()}"


# ---- on every step of a class --------------------------------------------------------------------------------
def class_line(view: ClassView, lesson: Lesson, index: int) -> None:
    """Who is leading, the join code (large on the projector), and follow / explore on my own."""
    n = len(lesson.steps)
    cookie_script()
    row = st.container(horizontal=True, vertical_alignment="center", key="class-line")
    if view.teacher:
        row.markdown(tr("classroom.teacher_of", code=view.code, lesson=md_escape(lesson.title.get(lang())),
                        i=index + 1, n=n))
        with row.popover(tr("classroom.code"), icon=":material/qr_code_2:", key="class-qr"):
            join_panel(view.code)
        return
    row.markdown(tr("classroom.student_of", code=view.code, i=view.state.step + 1, n=n))
    if view.following:
        if row.button(tr("classroom.detach"), key="class-detach", icon=":material/explore:", type="tertiary"):
            st.session_state[DETACHED] = True
            st.rerun()
    else:
        row.caption(tr("classroom.exploring", i=view.state.step + 1))
        if row.button(tr("classroom.rejoin"), key="class-rejoin", icon=":material/groups:", type="primary"):
            st.session_state[DETACHED] = False
            go_to_class_step(view)


def join_panel(code: str) -> None:
    """The join code, the link and its QR code (the QR holds exactly that link)."""
    from plm_core.urlparams import qr_png

    link = join_link(code)
    st.markdown(f"### {code}")
    st.code(link, language=None)
    st.image(qr_png(link), width=220, caption=tr("classroom.qr_caption"))
    st.caption(tr("classroom.members", n=len(classroom.members(code))))


def follow(view: ClassView, index: int, revealed: bool) -> None:
    """A following student's screen: poll the class's row; a new step opens, a reveal redraws the page."""
    if not view.following:
        return

    @st.fragment(run_every=FOLLOW_EVERY_S)
    def poll() -> None:
        # the beacon's script clicks this button when the class moved: only this fragment runs, then (a new
        # step) one run of the step's page, as the safety-net poll would
        st.button(tr("classroom.sync"), key="class-sync")
        try:
            state = classroom.get_class(view.code)
        except PLMError:
            return
        if state.ended:
            st.rerun(scope="app")
        if state.step != index:
            go_to_class_step(ClassView(state, None))
        if (index in state.revealed) != revealed:
            st.rerun(scope="app")

    with st.container(key="class-follow"):
        st.html("<style>.st-key-class-follow { display: none; }</style>")
        want = {"url": BEACON_URL.format(code=view.code), "step": index, "revealed": revealed}
        # a script of the page itself (no iframe: 30 phones re-creating a frame per step cost their CPU)
        st.html(BEACON_JS % (json.dumps(want), BEACON_EVERY_MS), unsafe_allow_javascript=True)
        poll()


def beacon_text(state: ClassState) -> str:
    return json.dumps({"step": state.step, "revealed": sorted(state.revealed), "ended": state.ended})


def publish(state: ClassState, folder: Path | None = None, missing_only: bool = False) -> None:
    """Write the class's beacon when it differs from what this server last wrote (atomically: a reader never
    sees half a file); the first write of a class also removes beacons older than a day. `missing_only`: only
    when there is none yet (a student's page: its read of the class may be a moment older than the teacher's
    move, and must not put the beacon back). A read-only app folder only slows following down to the
    server-side poll."""
    folder = folder or BEACON_DIR
    text = beacon_text(state)
    exists = (folder / f"{state.code}.json").exists()
    if exists and (missing_only or _published.get(state.code) == text):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if state.code not in _published:
            for old in folder.glob("*.json"):
                if time.time() - old.stat().st_mtime > BEACON_KEEP_S:
                    old.unlink(missing_ok=True)
        tmp = folder / f".{state.code}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / f"{state.code}.json")
        _published[state.code] = text
    except OSError:
        return


def move(view: ClassView, lesson: Lesson, index: int) -> None:
    """The teacher's previous / next / ← →: the class moves, then this page."""
    from ui.lesson import open_step

    publish(classroom.move(view.code, view.key, index))
    open_step(lesson, index)


# ---- predict, then reveal, as a class ---------------------------------------------------------------------------
def bar_labels(question: Question, language: str) -> dict[str, str]:
    """Answer -> its bar's name in the class's chart: the choice's label (a strategy or few-shot method is
    labelled by the catalog's name when the lesson loads, `plm_core.lessons.model.catalog_named`), so the radio,
    the reveal, the bars and the step's figure say one name."""
    return {c.value.lower(): c.label.get(language) for c in question.choices}


def answers_live(view: ClassView, index: int) -> None:
    """The count of answers so far (the distribution stays hidden until the reveal), redrawn live."""

    @st.fragment(run_every=COUNT_EVERY_S)
    def count() -> None:
        n, m = classroom.answer_count(view.code, index), len(classroom.members(view.code))
        with st.container(key="class-count"):
            st.markdown(f"#### {tr('classroom.answers_of', n=n, m=m)}")
            st.caption(tr("classroom.hidden_until_reveal"))

    count()


def reveal_button(view: ClassView, index: int) -> None:
    if st.button(tr("classroom.reveal"), key="class-reveal", type="primary", icon=":material/visibility:"):
        publish(classroom.reveal(view.code, view.key, index))
        st.rerun()


def distribution(view: ClassView, index: int, question: Question, answer: str | None, height: int = 320,
                 big: bool = False) -> None:
    """The class's answers of a revealed step as bars (the outcome's bar green)."""
    import plotly.graph_objects as go

    from plm_core.lessons.figures import predictions_figure
    from ui.figures import built, chart

    counts = classroom.class_counts(view.code, index)
    if not counts:
        st.info(tr("classroom.no_answers"))
        return
    labels = bar_labels(question, lang())
    if big:  # the projector: short lines under the bars, never turned on their side
        labels = {k: wrap(v) for k, v in labels.items()}
    fig = built(predictions_figure, counts, labels, tr("classroom.class_said", n=sum(counts.values())),
                tr("classroom.count_axis"), answer, height=height)  # built once for the class's 30 phones
    with st.container(key="class-distribution"):
        if big:  # the projector: large text, the height the presenter view gives it
            from ui.lesson import projector_style

            fig = go.Figure(fig)  # the shared figure stays as built: the projector's styling goes on a copy
            projector_style(fig)
            fig.update_layout(margin={"r": 30, "l": 80, "t": 70}, showlegend=False, title_font_size=22)
            fig.update_xaxes(tickangle=0)
            st.plotly_chart(fig, key=f"class-dist-{index}", width="stretch", height="stretch",
                            config={"displayModeBar": False})
            return
        chart(fig, key=f"class-dist-{index}", name=f"class-{view.code}-step{index + 1}", width="stretch",
              config={"displayModeBar": False})


def wrap(text: str, width: int = 12) -> str:
    """A label in lines of about `width` columns (plotly's <br>), split at spaces; a Hangul or CJK character
    takes two columns."""

    def cols(s: str) -> int:
        return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in s)

    lines: list[str] = []
    for word in text.split():
        if lines and cols(lines[-1]) + 1 + cols(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def allows(action: classroom.TeacherAction) -> bool:
    """Outside a class: yes. In a class: only with its teacher key (checked in the core); else the refusal shows."""
    from ui.common import show_error

    code = st.session_state.get(CODE)
    if not code:
        return True
    try:
        classroom.check_teacher(str(code), st.session_state.get(KEY), action)
    except PLMError as err:
        show_error(err)
        return False
    return True
