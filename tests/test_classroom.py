"""The class session core: join codes, the teacher key (hash only), members, one prediction per student per step,
the reveal, every teacher-only action refused to a student (and nothing changed), a restart, several classes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from plm_core.errors import PLMError
from plm_core.i18n import t
from plm_core.lessons import classroom as cl

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture()
def db(tmp_path, monkeypatch):
    """A private runs DB; lessons 1 and 2 only (a class needs its lesson, not the whole course)."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    for name in ("1-why-pretrain.yaml", "2-transfer.yaml"):
        shutil.copy(REPO / "assets" / "lessons" / name, folder / name)
    monkeypatch.setenv("PLM_LAB_LESSONS_DIR", str(folder))
    return tmp_path / "runs.sqlite"


def test_join_code_has_no_look_alikes_and_key_is_stored_hashed(db) -> None:
    state, key = cl.start_class("2", db)
    assert state.lesson == "2-transfer" and state.step == 0 and not state.revealed and not state.ended
    assert 4 <= len(state.code) <= 6 and set(state.code) <= set(cl.CODE_ALPHABET)
    assert not set(cl.CODE_ALPHABET) & set("0O1IL2Z5S8B")
    stored = sqlite3.connect(db).execute("SELECT teacher FROM class_sessions").fetchone()[0]
    assert key not in stored and stored == cl._hash(key)
    assert cl.is_teacher(state.code, key, db) and not cl.is_teacher(state.code, "guess", db)
    assert cl.get_class(f" {state.code[:2].lower()}-{state.code[2:].lower()} ", db).code == state.code  # typed loosely


def test_unknown_code_is_a_clear_error(db) -> None:
    with pytest.raises(PLMError) as err:
        cl.get_class("XXXXX", db)
    assert err.value.key == "classroom.err.no_class" and "XXXXX" in err.value.message("ko")


def test_one_prediction_per_student_per_step_changeable_until_reveal(db) -> None:
    state, key = cl.start_class("2-transfer", db)
    code = state.code
    with pytest.raises(PLMError, match="Join class"):
        cl.predict(code, 3, "stranger", "frozen", db)
    for member, name in (("a", "Mina"), ("b", ""), ("c", "Joon")):
        cl.join(code, member, name, db)
    cl.join(code, "a", "", db)  # joining again keeps the name
    assert [(m.member, m.name) for m in cl.members(code, db)] == [("a", "Mina"), ("b", ""), ("c", "Joon")]
    cl.predict(code, 3, "a", "frozen", db)
    cl.predict(code, 3, "a", "finetune", db)  # a second vote replaces the first
    cl.predict(code, 3, "b", "Finetune", db)
    cl.predict(code, 3, "c", "frozen", db)
    assert cl.answer_count(code, 3, db) == 3
    assert cl.prediction(code, 3, "a", db) == "finetune"
    with pytest.raises(PLMError) as hidden:
        cl.class_counts(code, 3, db)  # a student cannot read the distribution before the reveal
    assert hidden.value.key == "classroom.err.not_revealed"
    assert cl.teacher_counts(code, key, 3, db) == {"finetune": 2, "frozen": 1}
    cl.reveal(code, key, 3, db)
    assert cl.class_counts(code, 3, db) == {"finetune": 2, "frozen": 1}
    with pytest.raises(PLMError) as closed:
        cl.predict(code, 3, "b", "frozen", db)
    assert closed.value.key == "classroom.err.revealed"
    assert cl.class_counts(code, 3, db) == {"finetune": 2, "frozen": 1}  # unchanged
    cl.predict(code, 4, "b", "3", db)  # the next step is still open
    assert cl.answer_count(code, 4, db) == 1


def _student_tries(action: str, code: str, key_of_student: str | None, db) -> None:
    calls = {
        "end": lambda: cl.end_class(code, key_of_student, db),
        "move": lambda: cl.move(code, key_of_student, 2, db),
        "reveal": lambda: cl.reveal(code, key_of_student, 3, db),
        "clear": lambda: cl.clear(code, key_of_student, db),
        "prepare": lambda: cl.prepare_class(code, key_of_student, object(), "student", db),
        "teacher_view": lambda: cl.teacher_counts(code, key_of_student, 3, db),
        "run_live": lambda: cl.check_teacher(code, key_of_student, "run_live", db),
    }
    calls[action]()


@pytest.mark.parametrize("action", cl.TEACHER_ACTIONS)
@pytest.mark.parametrize("student_key", [None, "", "a-guessed-key"])
def test_every_teacher_action_is_refused_to_a_student_and_changes_nothing(db, action, student_key) -> None:
    state, key = cl.start_class("2-transfer", db)
    other, other_key = cl.start_class("1", db)
    cl.join(state.code, "s1", "", db)
    cl.predict(state.code, 3, "s1", "frozen", db)
    before = cl.get_class(state.code, db)
    for wrong in (student_key, other_key):  # a student, or the teacher of another class
        with pytest.raises(PLMError) as err:
            _student_tries(action, state.code, wrong, db)
        assert err.value.key == f"classroom.err.only.{action}"
        for lang in ("en", "ko"):
            assert err.value.message(lang) == t(f"classroom.err.only.{action}", lang)
    assert cl.get_class(state.code, db) == before
    assert cl.teacher_counts(state.code, key, 3, db) == {"frozen": 1}


def test_teacher_moves_reveals_clears_and_ends(db) -> None:
    state, key = cl.start_class("2-transfer", db)
    moved = cl.move(state.code, key, 3, db)
    assert moved.step == 3 and moved.moved_at >= state.moved_at
    with pytest.raises(PLMError, match="no step 6"):
        cl.move(state.code, key, 5, db)
    cl.join(state.code, "s", "", db)
    cl.predict(state.code, 3, "s", "frozen", db)
    assert cl.reveal(state.code, key, 3, db).revealed == {3}
    assert cl.clear(state.code, key, db) == 1
    assert cl.get_class(state.code, db).revealed == frozenset() and cl.answer_count(state.code, 3, db) == 0
    ended = cl.end_class(state.code, key, db)
    assert ended.ended
    for late in (lambda: cl.join(state.code, "t", "", db), lambda: cl.predict(state.code, 3, "s", "x", db),
                 lambda: cl.move(state.code, key, 1, db)):
        with pytest.raises(PLMError) as err:
            late()
        assert err.value.key == "classroom.err.ended"


def test_prepare_submits_the_lessons_jobs_for_the_teacher(db) -> None:
    class Service:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str, str, int]] = []

        def submit(self, kind, config, owner="", slot="", group="", priority=0, **_):
            self.calls.append((owner, slot, group, priority))
            return f"job{len(self.calls)}"

    state, key = cl.start_class("2-transfer", db)
    service = Service()
    ids = cl.prepare_class(state.code, key, service, "teacher-browser", db)
    # the teacher's jobs, in the class's group, ahead of the students' (priority 1)
    assert ids and all((owner, group, priority) == ("teacher-browser", state.code, 1)
                       for owner, _, group, priority in service.calls)


def test_several_classes_at_once_and_a_restart(db) -> None:
    a, key_a = cl.start_class("2-transfer", db)
    b, key_b = cl.start_class("2-transfer", db)
    assert a.code != b.code
    cl.move(a.code, key_a, 2, db)
    cl.join(b.code, "s", "", db)
    cl.predict(b.code, 3, "s", "frozen", db)
    assert cl.get_class(b.code, db).step == 0 and cl.answer_count(a.code, 3, db) == 0
    assert not cl.get_class(a.code, db).ended and not cl.get_class(b.code, db).ended
    # a restart: nothing lives in memory, a fresh read of the file has it all
    assert cl.get_class(a.code, db).step == 2 and cl.prediction(b.code, 3, "s", db) == "frozen"
    assert cl.is_teacher(b.code, key_b, db) and not cl.is_teacher(b.code, key_a, db)


def test_projector_labels_wrap_by_width_with_hangul_counted_double() -> None:
    from ui.classroom import wrap

    assert wrap("Discriminative learning rates") == "Discriminative<br>learning<br>rates"
    assert wrap("전체 미세조정") == "전체<br>미세조정"  # 4 + 1 + 8 columns > 12
    assert wrap("Fine-tune all") == "Fine-tune<br>all" and wrap("frozen") == "frozen"


def test_the_beacon_follows_the_teacher_and_a_student_never_puts_it_back(db, tmp_path) -> None:
    """The class's beacon (what the students' browsers poll): written on a move and a reveal, atomically; a
    student's page writes it only when there is none (its read may be older than the teacher's move); beacons
    older than a day go when a new class first writes."""
    import json
    import os
    import time

    from ui.classroom import publish

    folder = tmp_path / "class"
    folder.mkdir()
    stale = folder / "OLD00.json"
    stale.write_text("{}", encoding="utf-8")
    os.utime(stale, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    state, key = cl.start_class("2-transfer", db)
    publish(state, folder, missing_only=True)  # a student first: there was none, so it is written
    beacon = folder / f"{state.code}.json"
    assert json.loads(beacon.read_text()) == {"step": 0, "revealed": [], "ended": False}
    assert not stale.exists()
    moved = cl.move(state.code, key, 2, db)
    publish(moved, folder)  # the teacher's move
    publish(state, folder, missing_only=True)  # a student's older read (step 0) does not put it back
    assert json.loads(beacon.read_text())["step"] == 2
    publish(cl.reveal(state.code, key, 2, db), folder)
    assert json.loads(beacon.read_text()) == {"step": 2, "revealed": [2], "ended": False}
    publish(cl.end_class(state.code, key, db), folder)
    assert json.loads(beacon.read_text())["ended"] is True
    assert [p.name for p in folder.iterdir()] == [beacon.name]  # no temporary file left
