"""Trace one tiny Transfer recipe from the door to the stored result: the plm_core modules in order of entry.

    .venv/bin/python scripts/trace_run.py [--quiet-too]

The Transfer page's submit builds a `TransferRun` recipe and hands it to the one door; here the same recipe (tiny
random BERT, 16 texts, one epoch of fine-tuning) goes through `plm_core.jobs.run_here` with `sys.setprofile`
recording every call into a plm_core module. Printed: the modules in order of entry with consecutive repeats
collapsed (each line one stay), then how many stays return to a module already left, and per module its stays.
Helpers every stage calls (catalog, errors, paths, the backbone registry, data loading) are left out unless
--quiet-too.
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
    ("plm_core.wiring", "job"), ("plm_core.transfer.jobs", "job"), ("plm_core.transfer.config", "plan"),
    ("plm_core.transfer.strategies", "plan"), ("plm_core.transfer.groups", "plan"), ("plm_core.training.plan", "plan"),
    ("plm_core.transfer.lora", "plan"), ("plm_core.training", "trainer"), ("plm_core.transfer.trainer", "trainer"),
    ("plm_core.transfer.modules", "trainer"), ("plm_core.transfer.features", "trainer"),
    ("plm_core.transfer.records", "store"), ("plm_core.runs", "store"),
)
CORE = str(Path(__file__).resolve().parent.parent / "plm_core")
HELPERS = ("plm_core.i18n", "plm_core.errors", "plm_core.paths", "plm_core.backbones", "plm_core.data",
           "plm_core.manifest", "plm_core.jobs.refs", "plm_core.jobs.keys")


def trace(quiet_too: bool = False) -> tuple[list[str], Any]:
    """The collapsed module trail of one run through run_here, and the run's snapshot."""
    os.environ.setdefault("PLM_LAB_RUNS_DB", str(Path(tempfile.mkdtemp()) / "runs.sqlite"))
    from plm_core.jobs import run_here
    from plm_core.recipes.transfer import TransferRun

    recipe = TransferRun(backbone="tiny-bert-mlm", mode="finetune", n=16, epochs=1)
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
        snap = run_here(recipe, live=True, own=False)
    finally:
        sys.setprofile(None)
    return trail, snap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet-too", action="store_true", help="also the helpers every stage calls")
    args = parser.parse_args()
    trail, snap = trace(args.quiet_too)
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
    stages = [next((name for prefix, name in STAGES if m.startswith(prefix)), "result") for m in trail]
    path = [st for i, st in enumerate(stages) if i == 0 or st != stages[i - 1]]
    print(f"stages ({len(path)} stays; once each would be 6): " + " -> ".join(path))


if __name__ == "__main__":
    main()
