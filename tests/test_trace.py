"""One run read in order (issue 22): recipe -> job -> plan -> trainer -> result -> store, from a call trace.

`scripts/trace_run.py` follows the Transfer page's submit (the form's values parsed into a `TransferRun`, its
job handed to the door) for a tiny random BERT, 16 texts, one epoch of fine-tuning (and a frozen run: features,
then the probe), recording every call into a
plm_core module on the run's thread. The stages it passes through must be the six, each entered once, with one
exception that the design asks for: the door shows the result before it stores it ("show the result, then store
it"), so the job stage is entered a second time between the result and the store.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "trace_run.py"


@pytest.fixture(scope="module")
def trace_run():
    spec = importlib.util.spec_from_file_location("trace_run", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["trace_run"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["finetune", "frozen"])
def traced(request, trace_run, tmp_path_factory):
    """One traced run per path: end-to-end fine-tuning, and frozen features + the probe."""
    mp = pytest.MonkeyPatch()
    mp.setenv("PLM_LAB_RUNS_DB", str(tmp_path_factory.mktemp("trace") / "runs.sqlite"))
    try:
        trail, snap = trace_run.trace(mode=request.param)
    finally:
        mp.undo()
    return trail, snap


def test_the_page_submit_reads_recipe_job_plan_trainer_result_store(trace_run, traced) -> None:
    trail, snap = traced
    assert snap.save_error is None and snap.saved, "the run was stored"
    assert snap.result.runs[0].result.n_train == 16
    assert trace_run.stage_path(trail) == ["recipe", "job", "plan", "trainer", "result", "job", "store"]


def test_no_training_step_leaves_the_trainer(trace_run, traced) -> None:
    """The per-step path (rates from the plan's table, progress into the job's sink) stays in the trainer stage:
    the trainer's stays form one block, and neither the plan nor the job is entered from inside it."""
    trail, _ = traced
    stages = [next((name for prefix, name in trace_run.STAGES if m.startswith(prefix)), "result") for m in trail]
    inside = [i for i, st in enumerate(stages) if st == "trainer"]
    assert inside and inside == list(range(inside[0], inside[-1] + 1))
    assert "plm_core.training.plan" not in trail[inside[0]:inside[-1] + 1]
    assert not any(m.startswith(("plm_core.jobs", "plm_core.transfer.jobs")) for m in trail[inside[0]:inside[-1] + 1])


def test_each_plan_and_result_module_is_entered_in_one_stay_of_its_stage(trace_run, traced) -> None:
    """Every module of the plan, trainer and result stages is met in one stretch of its stage only (no module of
    them is left for another stage and come back to)."""
    trail, _ = traced
    stage_of = {m: next((name for prefix, name in trace_run.STAGES if m.startswith(prefix)), "result") for m in trail}
    stretches: dict[str, set[int]] = {}
    stretch = 0
    for i, module in enumerate(trail):
        if i and stage_of[module] != stage_of[trail[i - 1]]:
            stretch += 1
        stretches.setdefault(module, set()).add(stretch)
    for module, seen in stretches.items():
        if stage_of[module] in ("plan", "trainer", "result", "recipe"):
            assert len(seen) == 1, (module, seen)
