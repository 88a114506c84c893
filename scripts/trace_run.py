"""Trace one tiny Transfer recipe from the page's submit to the stored result: the plm_core modules in order of entry.

    .venv/bin/python scripts/trace_run.py [--quiet-too] [--cli] [--mode frozen]

The Transfer page's submit (`ui/transfer.py`: `settings_form` parses the form's values into a `TransferRun`,
`start_job` takes its `job_config()` and hands (kind, job) to the one door) is followed here with the same recipe
(tiny random BERT, 16 texts, one epoch of fine-tuning) through `plm_core.jobs.run_here` (the door's in-process
backend: the page's worker runs the same `run_transfer`), with `sys.setprofile` recording every call into a
plm_core module on the run's thread. --cli follows the CLI's way instead: `run_here(recipe)`, where the door asks
the recipe for its job. Printed: the modules in order of entry with consecutive repeats collapsed (each line one
stay), then how many stays return to a module already left, per module its stays, and the stages.
Helpers every stage calls (catalog, errors, paths, the backbone registry, data loading) are left out unless
--quiet-too. The job's publisher thread (it copies the trainer's progress sink for the page) is not on the run's
thread, so it is not traced; the trainer never calls it.
"""

from __future__ import annotations

import argparse
import inspect
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STAGES = (  # module prefix -> its stage of recipe -> job -> plan -> trainer -> result -> store (else "result")
    ("plm_core.recipes", "recipe"), ("plm_core.jobs.cache", "store"), ("plm_core.jobs", "job"),
    ("plm_core.wiring", "job"), ("plm_core.transfer.jobs", "job"), ("plm_core.transfer.split", "job"),
    ("plm_core.transfer.config", "plan"), ("plm_core.transfer.race", "plan"), ("plm_core.transfer.lengths", "plan"),
    ("plm_core.transfer.strategies", "plan"), ("plm_core.transfer.groups", "plan"), ("plm_core.training.plan", "plan"),
    ("plm_core.training.schedules", "plan"), ("plm_core.transfer.lora", "plan"), ("plm_core.training", "trainer"),
    ("plm_core.transfer.trainer", "trainer"), ("plm_core.transfer.modules", "trainer"),
    ("plm_core.transfer.features", "trainer"), ("plm_core.transfer.records", "store"), ("plm_core.runs", "store"),
)
IDEAL = ("recipe", "job", "plan", "trainer", "result", "store")
CORE = str(Path(__file__).resolve().parent.parent / "plm_core")
HELPERS = ("plm_core.i18n", "plm_core.errors", "plm_core.paths", "plm_core.backbones", "plm_core.data",
           "plm_core.manifest", "plm_core.jobs.refs", "plm_core.jobs.keys")


FORM = {"backbone": "tiny-bert-mlm", "mode": "finetune", "n": "16", "epochs": "1"}  # the form's values (URL text)


def trace(quiet_too: bool = False, cli: bool = False, mode: str = "finetune") -> tuple[list[str], Any]:
    """The collapsed module trail of one run from the page's submit (or the CLI's `run_here(recipe)`) to the store,
    and the run's snapshot."""
    os.environ.setdefault("PLM_LAB_RUNS_DB", str(Path(tempfile.mkdtemp()) / "runs.sqlite"))
    from plm_core.jobs import run_here
    from plm_core.recipes.transfer import TransferRun

    trail: list[str] = []

    def profile(frame, event, arg) -> None:  # noqa: ANN001 - sys.setprofile's signature
        code = frame.f_code  # a function of a plm_core file: no import, class body or dataclass-made method
        if event == "call" and code.co_flags & inspect.CO_OPTIMIZED and code.co_filename.startswith(CORE):
            module = str(frame.f_globals.get("__name__", ""))
            if module.startswith("plm_core") and (quiet_too or not module.startswith(HELPERS)) \
                    and (not trail or trail[-1] != module):
                trail.append(module)

    sys.setprofile(profile)
    try:
        recipe = TransferRun.parse(FORM | {"mode": mode})[0]  # settings_form: the form's values -> the recipe
        work = recipe if cli else (recipe.kind, recipe.job_config())  # start_job: the recipe's job to the door
        snap = run_here(work, live=True, own=False)
    finally:
        sys.setprofile(None)
    return trail, snap


def stage_path(trail: list[str]) -> list[str]:
    """The stages the trail passes through, consecutive repeats collapsed."""
    stages = [next((name for prefix, name in STAGES if m.startswith(prefix)), "result") for m in trail]
    return [st for i, st in enumerate(stages) if i == 0 or st != stages[i - 1]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet-too", action="store_true", help="also the helpers every stage calls")
    parser.add_argument("--cli", action="store_true", help="the CLI's way: run_here(recipe) asks the recipe itself")
    parser.add_argument("--mode", default="finetune", help="the strategy preset (default finetune; frozen: features)")
    args = parser.parse_args()
    trail, snap = trace(args.quiet_too, args.cli, args.mode)
    left: set[str] = set()
    returns = 0
    for i, module in enumerate(trail):
        back = module in left
        returns += back
        print(f"{i + 1:>4}. {module}{'   (again)' if back else ''}")
        if i:
            left.add(trail[i - 1])
    stays = Counter(trail)
    print(f"\n{len(stays)} modules, {len(trail)} stays, {returns} returns to a module already left; "
          f"stored as run(s) {snap.saved}")
    print("stays per module: " + ", ".join(f"{m.removeprefix('plm_core.')} {n}" for m, n in stays.most_common()))
    path = stage_path(trail)
    print(f"stages ({len(path)} stays; once each would be {len(IDEAL)}): " + " -> ".join(path))


if __name__ == "__main__":
    main()
