"""Lessons: the guided lessons as cards (open alone, start a class, steps, worksheet); for the teacher of a class,
its panel: join code and QR, members, prepare, the teacher view of the class's predictions, clear, end."""

import streamlit as st

from plm_core.lessons import Lesson, lessons
from plm_core.lessons.model import lessons_dir
from ui import classroom as cui
from ui.common import guard, lang, md_escape, page_header, tr
from ui.figures import chart
from ui.jobs import owner_id, service
from ui.lesson import open_step, step_query
from ui.pages import page_path
from ui.watch import watch

PREPARING = "lessons-preparing"  # lesson id -> {step index: job id}


def steps_list(lesson: Lesson) -> None:
    with st.expander(tr("lessons.card.steps")):
        for i, step in enumerate(lesson.steps):
            st.page_link(page_path(step.page), label=step.title.get(lang()), query_params=step_query(lesson, i),
                         icon=":material/help:" if step.question else ":material/play_circle:")


def prepare_button(lesson: Lesson, view: cui.ClassView) -> None:
    """Teacher only (checked in the core against the teacher key): every step's job ahead of the class."""
    from plm_core.lessons.classroom import prepare_class
    from plm_core.lessons.jobs import lesson_jobs

    if not lesson_jobs(lesson):
        return
    if st.button(tr("lessons.prepare"), key=f"prepare-{lesson.id}", help=tr("lessons.prepare_help"),
                 icon=":material/rocket_launch:"):
        with guard():
            st.session_state.setdefault(PREPARING, {})[lesson.id] = prepare_class(view.code, view.key, service(),
                                                                                   owner_id())
    if lesson.id in st.session_state.get(PREPARING, {}):
        prepare_progress(lesson)


def prepare_progress(lesson: Lesson) -> None:
    """One progress bar for every job of the lesson, watched while any runs."""
    job_ids = st.session_state[PREPARING][lesson.id]

    def draw(snaps: list) -> None:
        done = sum(s.finished for s in snaps)
        failed = [s.status.value for s in snaps if s.finished and s.status.value != "done"]
        if done < len(snaps):
            fraction = sum(1.0 if s.finished else min(max(s.fraction, 0.0), 1.0) for s in snaps) / len(snaps)
            st.progress(fraction, text=tr("lessons.preparing", lesson=lesson.title.get(lang()),
                                          pct=round(100 * fraction), done=done, total=len(snaps)))
        elif failed:
            st.warning(tr("lessons.prepare_failed", n=len(failed), status=", ".join(sorted(set(failed)))))
        else:
            st.success(tr("lessons.prepared", lesson=lesson.title.get(lang())), icon=":material/task_alt:")

    watch(lambda: [service().snapshot(j, owner_id()) for j in job_ids.values()], draw)


def worksheet_button(lesson: Lesson) -> None:
    from plm_core.lessons.worksheet import build_worksheet

    key = f"worksheet-{lesson.id}-{lang()}"
    if st.button(tr("lessons.worksheet.build"), key=f"build-{key}", icon=":material/print:",
                 help=tr("lessons.worksheet_help")):
        with guard(), st.spinner(tr("lessons.worksheet.build")):
            st.session_state[key] = build_worksheet(lesson, lang())
    if key in st.session_state:
        st.download_button(tr("lessons.worksheet"), st.session_state[key].encode("utf-8"),
                           file_name=f"{lesson.id}-{lang()}.html", mime="text/html", key=f"download-{key}",
                           icon=":material/download:")


def lesson_card(lesson: Lesson) -> None:
    with st.container(border=True, key=f"card-{lesson.id}"):
        st.subheader(f"{lesson.order}. {lesson.title.get(lang())}")
        st.write(md_escape(lesson.summary.get(lang())))
        st.caption(tr("lessons.card.meta", steps=len(lesson.steps), minutes=lesson.minutes))
        cols = st.columns([1, 1, 1])
        if cols[0].button(tr("lessons.card.open"), key=f"open-{lesson.id}", type="primary",
                          icon=":material/play_arrow:"):
            open_step(lesson, 0, present=False)
        if cols[1].button(tr("classroom.start"), key=f"start-class-{lesson.id}", help=tr("classroom.start_help"),
                          icon=":material/groups:"):
            with guard():
                cui.start(lesson)
        with cols[2]:
            worksheet_button(lesson)
        steps_list(lesson)


def class_panel(view: cui.ClassView) -> None:
    """The teacher's class: join code, link and QR, members; go to its step, prepare, teacher view, clear, end."""
    from plm_core.lessons import classroom, get_lesson

    lesson = get_lesson(view.state.lesson)
    with st.container(border=True, key="class-panel"):
        st.subheader(tr("classroom.teacher_of", code=view.code, lesson=md_escape(lesson.title.get(lang())),
                        i=view.state.step + 1, n=len(lesson.steps)))
        cols = st.columns([1, 2])
        with cols[0]:
            cui.join_panel(view.code)
        with cols[1]:
            row = st.container(horizontal=True)
            if row.button(tr("classroom.go_to_step"), key="class-go", type="primary", icon=":material/play_arrow:"):
                cui.go_to_class_step(view)
            with row:
                prepare_button(lesson, view)
            if row.button(tr("classroom.clear"), key="class-clear", icon=":material/delete_sweep:"):
                with guard():
                    st.toast(tr("classroom.cleared", n=classroom.clear(view.code, view.key)))
            if row.button(tr("classroom.end"), key="class-end", icon=":material/logout:"):
                with guard():
                    classroom.end_class(view.code, view.key)
                    cui.forget()
                    st.rerun()
            teacher_view(view, lesson)


def teacher_view(view: cui.ClassView, lesson: Lesson) -> None:
    """The class's predictions for every question of the lesson, live (teacher only, checked in the core)."""
    from plm_core.lessons import classroom
    from plm_core.lessons.figures import predictions_figure

    asked = [(i, s) for i, s in enumerate(lesson.steps) if s.question is not None]
    if not asked:
        return
    st.markdown(f"#### {tr('classroom.teacher_view')}")

    @st.fragment(run_every=3.0)
    def live() -> None:
        cols = st.columns(min(len(asked), 3))
        for n, (i, step) in enumerate(asked):
            assert step.question is not None
            counts = classroom.teacher_counts(view.code, view.key, i)
            with cols[n % len(cols)]:
                st.caption(f"{i + 1}. {md_escape(step.question.prompt.get(lang()))}")
                if not counts:
                    st.info(tr("lessons.teacher.none"))
                    continue
                labels = {c.value.lower(): c.label.get(lang()) for c in step.question.choices}
                chart(predictions_figure(counts, labels, tr("lessons.teacher.chart", n=sum(counts.values())),
                                         tr("lessons.teacher.count"), step.question.answer or None),
                      key=f"teacher-{lesson.id}-{i}", name=f"predictions-{lesson.id}-step{i + 1}", width="stretch")

    with guard():
        live()


page_header("lessons")
with guard():
    found = lessons()
    if not found:
        st.info(tr("lessons.empty", folder=str(lessons_dir())))
    leading = cui.current()
    if leading is not None and leading.teacher:
        class_panel(leading)
    for lesson in found:
        lesson_card(lesson)
