"""Live pretraining for the page: runs in a background thread, reports progress, can be stopped."""

from __future__ import annotations

import time

import pytest

from plm_core.errors import PLMError
from plm_core.pretrain import studio
from plm_core.pretrain.studio import LiveRun, sentence_example


def wait(run: LiveRun, timeout: float = 300) -> None:
    end = time.time() + timeout
    while run.alive and time.time() < end:
        time.sleep(0.2)
    assert not run.alive, "live run did not finish in time"


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["mlm", "sgns"])
def test_live_run_trains_in_the_background_and_reports(objective: str) -> None:
    run = LiveRun(objective, steps=6, probe_every=3).start()
    wait(run)
    state = run.state()
    assert state.status == "done", state.error
    assert [s for s, _ in state.history] == list(range(1, 7))
    assert state.val_history[0][0] == 0 and state.val_history[-1][0] == 6
    assert [s for s, _ in state.probes] == [0, 3, 6] and all(answer for _, answer in state.probes)


@pytest.mark.slow
def test_live_run_can_be_stopped() -> None:
    run = LiveRun("clm", steps=5000).start()
    while run.alive and not run.state().history:
        time.sleep(0.2)
    run.stop()
    wait(run)
    state = run.state()
    assert state.status == "stopped" and len(state.history) < 5000


def test_too_many_live_runs_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(studio, "MAX_LIVE_RUNS", 0)
    with pytest.raises(PLMError) as err:
        LiveRun("clm", steps=5).start()
    assert err.value.key == "pretrain.live.busy"


def test_sentence_examples_for_the_page() -> None:
    text = "The President of the United States spoke to Congress about the war."
    mlm = sentence_example("mlm", text, seed=0)
    assert mlm.inputs[0] == "[CLS]" and mlm.positions and all(p > 0 for p in mlm.positions)
    clm = sentence_example("clm", text)
    assert clm.targets[:-1] == clm.inputs[1:]
    span = sentence_example("span", text, seed=1)
    assert span.inputs[-1] == "[SEP]" and span.targets[0] == "<extra_id_0>"
    bilm = sentence_example("bilm", text)
    assert bilm.detail["backward_targets"][1] == bilm.inputs[0]
    with pytest.raises(PLMError):
        sentence_example("mlm", "   ")
    with pytest.raises(PLMError):
        sentence_example("nope", text)
