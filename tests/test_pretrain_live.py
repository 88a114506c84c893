"""Live pretraining for the page: a job kind that reports progress and can be stopped."""

from __future__ import annotations

import time

import pytest

from plm_core.errors import PLMError
from plm_core.jobs import JobStatus, compute, get_service
from plm_core.pretrain.studio import LivePretrainJob, sentence_example


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["mlm", "sgns"])
def test_live_run_trains_and_reports(objective: str) -> None:
    updates = []
    state = compute("pretrain.live", LivePretrainJob(objective, steps=6, probe_every=3), on_update=updates.append)
    assert state.status == "done"
    assert [s for s, _ in state.history] == list(range(1, 7))
    assert state.val_history[0][0] == 0 and state.val_history[-1][0] == 6
    assert [s for s, _ in state.probes] == [0, 3, 6] and all(answer for _, answer in state.probes)
    assert updates and updates[-1]["state"].status == "done" and updates[-1]["fraction"] == 1.0


@pytest.mark.slow
def test_live_run_in_a_worker_can_be_stopped(private_stores) -> None:
    service = get_service()
    job = service.submit("pretrain.live", LivePretrainJob("clm", steps=5000), live=True)
    deadline = time.monotonic() + 240
    while not ((snap := service.snapshot(job)).state and snap.state.history):
        assert time.monotonic() < deadline and not snap.finished, snap.error
        time.sleep(0.2)
    service.stop(job)
    snap = service.wait(job, timeout=10)
    assert snap.status is JobStatus.STOPPED
    assert snap.result is None or (snap.result.status == "stopped" and snap.result.step < 5000)


def test_unknown_objective_is_a_clear_error() -> None:
    with pytest.raises(PLMError) as err:
        LivePretrainJob("nope").train_config()
    assert err.value.key == "pretrain.err.unknown_objective"


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
