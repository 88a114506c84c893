"""Fair share of the CPU: one active job per student, a limit per class, the teacher's jobs first, only an
owner stops a job. A backend that only records what it is asked to start (no processes): the queue itself."""

from __future__ import annotations

from typing import Any

import pytest

from plm_core.errors import PLMError
from plm_core.i18n import t
from plm_core.jobs import JobService, JobStatus
from plm_core.jobs.cache import ResultCache
from plm_core.jobs.service import Quota
from plm_core.jobs.testing import SleepConfig


class ManualBackend:
    """Starts nothing: records the order of starts; the test ends jobs with `finish`."""

    name = "manual"

    def __init__(self, capacity: int = 1) -> None:
        self.n = capacity
        self.started: list[str] = []
        self.on_event: Any = None

    def bind(self, on_event: Any) -> None:
        self.on_event = on_event

    def capacity(self) -> int:
        return self.n

    def start(self, job_id: str, kind: str, config: Any) -> None:
        self.started.append(job_id)

    def stop(self, job_id: str) -> None:
        self.on_event({"type": "stopped", "id": job_id, "result": None})

    def kill(self, job_id: str) -> None:
        pass

    def describe(self) -> list[dict[str, Any]]:
        return []

    def shutdown(self) -> None:
        pass

    def finish(self, job_id: str) -> None:
        self.on_event({"type": "done", "id": job_id, "result": {"ok": job_id}, "seconds": 0.1, "host": "here"})


@pytest.fixture
def manual(tmp_path):
    backend = ManualBackend(capacity=1)
    svc = JobService(backend, ResultCache(tmp_path / "quota.sqlite"))
    yield svc, backend
    svc.shutdown()


def job(tag: str) -> SleepConfig:
    return SleepConfig(steps=1, seconds=0.0, tag=tag)


def refused(err: pytest.ExceptionInfo[PLMError], key: str) -> None:
    assert err.value.key == key
    en, ko = err.value.message("en"), err.value.message("ko")
    assert en != ko and "{" not in en + ko and all(w not in ko for w in ("job", "class", "limit"))


def test_a_student_has_one_active_job_and_a_twin_or_a_cache_hit_is_never_refused(manual) -> None:
    svc, backend = manual
    first = svc.submit("test.sleep", job("a"), owner="s1", group="ABCD")
    with pytest.raises(PLMError) as err:
        svc.submit("test.sleep", job("b"), owner="s1", slot="other", group="ABCD")
    refused(err, "jobs.err.student_limit")
    teacher_job = svc.submit("test.sleep", job("t"), owner="teacher", group="ABCD", priority=1)
    assert svc.submit("test.sleep", job("t"), owner="s1", group="ABCD") == teacher_job  # joins: not refused
    backend.finish(first)
    backend.finish(teacher_job)
    svc.wait(teacher_job, timeout=5)
    svc.submit("test.sleep", job("b"), owner="s1", group="ABCD")  # the first ended: a new one is fine
    hit = svc.submit("test.sleep", job("a"), owner="s1", group="ABCD")  # answered from the cache: not refused
    assert svc.snapshot(hit).cached


def test_the_31st_job_of_a_class_is_refused_with_its_message(manual) -> None:
    svc, _ = manual
    for i in range(30):
        svc.submit("test.sleep", job(f"s{i}"), owner=f"student{i}", group="ABCD")
    with pytest.raises(PLMError) as err:
        svc.submit("test.sleep", job("s30"), owner="student30", group="ABCD")
    refused(err, "jobs.err.class_limit")
    assert "30" in err.value.message("ko")
    use = svc.group_usage("ABCD")
    assert (use.running, use.queued, use.limit, use.students, use.teacher) == (1, 29, 30, 30, 0)
    svc.submit("test.sleep", job("other class"), owner="student30", group="EFGH")  # another class has room
    svc.submit("test.sleep", job("teacher"), owner="teacher", group="ABCD", priority=1)  # the teacher: never
    assert svc.group_usage("ABCD").teacher == 1


def test_a_browser_outside_a_class_has_a_few_jobs_at_once(tmp_path) -> None:
    svc = JobService(ManualBackend(), ResultCache(tmp_path / "solo.sqlite"), quota=Quota(per_owner=3))
    for i in range(3):
        svc.submit("test.sleep", job(f"p{i}"), owner="me", slot=f"lesson:{i}")
    with pytest.raises(PLMError) as err:
        svc.submit("test.sleep", job("p3"), owner="me")
    refused(err, "jobs.err.owner_limit")
    svc.submit("test.sleep", job("p3"))  # the app itself (no owner: the CLI, a benchmark) is not limited


def test_the_teachers_job_starts_before_queued_students_jobs(manual) -> None:
    svc, backend = manual
    students = [svc.submit("test.sleep", job(f"s{i}"), owner=f"s{i}", group="ABCD") for i in range(4)]
    teacher = svc.submit("test.sleep", job("t"), owner="teacher", group="ABCD", priority=1)
    assert backend.started == [students[0]]  # the only worker was busy
    assert svc.snapshot(teacher).queue_ahead == 0 and svc.snapshot(students[1]).queue_ahead == 1
    assert svc.snapshot(students[3]).queue_ahead == 3
    backend.finish(students[0])
    assert backend.started == [students[0], teacher]
    for running in (teacher, students[1], students[2]):
        backend.finish(running)
    assert backend.started == [students[0], teacher, *students[1:]]


def test_a_teacher_joining_a_students_queued_job_moves_it_forward(manual) -> None:
    svc, backend = manual
    ids = [svc.submit("test.sleep", job(f"s{i}"), owner=f"s{i}", group="ABCD") for i in range(3)]
    assert svc.submit("test.sleep", job("s2"), owner="teacher", group="ABCD", priority=1) == ids[2]
    backend.finish(ids[0])
    assert backend.started == [ids[0], ids[2]]


def test_only_an_owner_stops_a_job(manual) -> None:
    svc, _ = manual
    teacher = svc.submit("test.sleep", job("t"), owner="teacher", group="ABCD", priority=1)
    with pytest.raises(PLMError) as err:
        svc.stop(teacher, owner="student")  # knows the id (it was on a projected screen): refused
    assert err.value.key == "jobs.err.not_yours" and err.value.message("ko") != err.value.message("en")
    assert svc.snapshot(teacher).status is JobStatus.RUNNING
    assert svc.submit("test.sleep", job("t"), owner="student", group="ABCD") == teacher  # joins it
    svc.stop(teacher, owner="student")  # a watcher's stop: only their own view stops
    assert svc.snapshot(teacher, owner="student").status is JobStatus.STOPPED
    assert svc.snapshot(teacher, owner="teacher").status is JobStatus.RUNNING
    svc.stop(teacher, owner="teacher")
    assert svc.wait(teacher, timeout=5).status is JobStatus.STOPPED


def test_finished_jobs_leave_memory_and_can_still_be_read(tmp_path) -> None:
    from plm_core.jobs.journal import JobJournal
    from plm_core.jobs.service import RECENT_KEEP

    backend = ManualBackend(capacity=1)
    svc = JobService(backend, ResultCache(tmp_path / "mem.sqlite"), journal=JobJournal(tmp_path / "jobs.sqlite"))
    ids = []
    for i in range(RECENT_KEEP * 3):
        ids.append(svc.submit("test.sleep", job(f"m{i}"), owner="me", slot="lab"))
        backend.finish(ids[-1])
    assert svc.stats()["in_memory"] == RECENT_KEEP
    old = svc.snapshot(ids[0])  # left memory: rebuilt from the journal and the result cache
    assert old.status is JobStatus.DONE and old.result == {"ok": ids[0]} and old.config == job("m0")
    assert svc.latest("me", "lab") == ids[-1]


def test_queue_messages_exist_in_both_languages() -> None:
    for key in ("jobs.status.queued", "jobs.status.queued_teacher"):
        assert "3" in t(key, "ko", ahead=3) and t(key, "ko", ahead=3) != t(key, "en", ahead=3)
