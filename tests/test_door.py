"""The one door: `jobs.run(recipe)` queues, `jobs.run_here(recipe)` computes here; both share the result
cache and show the result before storing it (a failed store never loses it)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from plm_core import jobs
from plm_core.jobs.kinds import KindSpec
from plm_core.jobs.testing import SleepConfig


@dataclass(frozen=True)
class SleepRecipe:
    """The smallest recipe: a kind and the config it runs."""

    steps: int = 3
    kind: str = "test.sleep"

    def job_config(self) -> SleepConfig:
        return SleepConfig(steps=self.steps, seconds=0.0, tag="door")


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def submit(self, kind, config, **kw) -> str:
        self.calls.append((kind, config, kw))
        return "job-1"


def test_run_hands_the_recipe_and_the_class_to_the_service():
    svc = Recorder()
    assert jobs.run(SleepRecipe(), owner="o", slot="s", group="ABCD", priority=1, service=svc) == "job-1"
    assert jobs.run(("test.sleep", SleepConfig(steps=1)), service=svc) == "job-1"
    (kind, config, kw), (kind2, config2, kw2) = svc.calls
    assert (kind, config) == ("test.sleep", SleepRecipe().job_config())
    assert kw == {"owner": "o", "slot": "s", "live": False, "group": "ABCD", "priority": 1}
    assert (kind2, config2.steps, kw2["group"], kw2["priority"]) == ("test.sleep", 1, "", 0)


def test_run_here_computes_then_answers_from_the_cache(private_stores):
    shown = []
    first = jobs.run_here(SleepRecipe(), show=shown.append, own=False)
    assert not first.cached and first.save_error is None and first.result["steps"] == 3
    assert [item["step"] for item in first.items] == [0, 1, 2] and first.computed_at is not None
    again = jobs.run_here(SleepRecipe(), own=False)
    assert again.cached and again.result == first.result and again.computed_at == pytest.approx(first.computed_at)
    live = jobs.run_here(SleepRecipe(), live=True, own=False)
    assert not live.cached and live.computed_at > first.computed_at
    assert len(shown) == 1 and shown[0].result == first.result and not shown[0].cached


def test_run_here_shows_the_result_before_a_failed_store(tmp_path, monkeypatch):
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path))  # a folder: no database can be written there
    order = []
    snap = jobs.run_here(SleepRecipe(steps=2), show=lambda s: order.append(("shown", s.result["steps"])), own=False)
    assert order == [("shown", 2)] and snap.result["steps"] == 2
    assert snap.save_error is not None and snap.save_error.key == "jobs.err.cache_write"


@dataclass
class FakeCard:
    value: float

    def as_json(self) -> dict:
        return {"card": "fake", "value": self.value}


def test_evidence_cli_prints_the_card_when_the_store_fails(tmp_path, monkeypatch, capsys):
    from plm_core.cli import main
    from plm_core.jobs.kinds import KINDS

    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path))  # read-only in effect: a folder, not a database
    monkeypatch.setitem(KINDS, "proof", KindSpec("proof", lambda: lambda job, ctx: FakeCard(0.75)))
    code = main(["proof", "elmo", "--json"])
    out, err = capsys.readouterr()
    printed = json.loads(out)  # the whole card reached stdout although nothing could be stored
    assert (printed["card"], printed["value"], printed["cached"]) == ("fake", 0.75, False) and printed["computed_at"]
    assert code == 3 and "error:" in err


def test_evidence_cli_says_cached_when_the_cache_has_it(private_stores, monkeypatch, capsys):
    from plm_core.cli import main
    from plm_core.jobs.kinds import KINDS

    monkeypatch.setitem(KINDS, "proof", KindSpec("proof", lambda: lambda job, ctx: FakeCard(0.5)))
    assert main(["proof", "elmo", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["proof", "elmo", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert (first["cached"], again["cached"]) == (False, True) and again["computed_at"] == first["computed_at"]


class SlowStore:
    """A service whose one job is done at once and reaches the result cache at the third look."""

    def __init__(self) -> None:
        self.looks = 0
        self.cache = self

    def snapshot(self, job_id, owner=""):
        return jobs.Snapshot(job_id, "test.sleep", jobs.JobStatus.DONE, config=SleepConfig(), fraction=1.0)

    def get(self, key):
        self.looks += 1
        return object() if self.looks >= 3 else None


def test_wait_all_waits_for_the_store_when_asked():
    svc, seen = SlowStore(), []
    assert jobs.wait_all(svc, {0: "a"}, poll=0.01, on_progress=seen.append)[0].status is jobs.JobStatus.DONE
    assert svc.looks == 0 and seen == [1.0]  # finished is enough
    snaps = jobs.wait_all(svc, {0: "a"}, poll=0.01, stored=True)
    assert snaps is not None and svc.looks == 3  # polled until the result cache had it
    assert jobs.wait_all(SlowStore(), {0: "a"}, poll=0.01, stored=True, timeout=0.0) is None
