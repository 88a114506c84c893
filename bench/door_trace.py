"""Follow one experiment through the code: recipe -> job -> plan -> trainer -> result -> store.

A tiny transfer run (tiny random BERT, 16 texts, one epoch) goes through the one door in this process
(`jobs.run_here(recipe)`); `sys.setprofile` records every call into a `plm_core` module. Printed: the modules in
order of first entry, how many separate stays each had (entering it from another plm_core module), and the
number of returns to a module already left.

    .venv/bin/python bench/door_trace.py [--all]      (--all: also the backbone loading and data modules)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STAGES = (  # module prefix -> the stage of "recipe -> job -> plan -> trainer -> result -> store" it belongs to
    ("plm_core.recipes", "recipe"), ("plm_core.jobs", "job"), ("plm_core.wiring", "job"),
    ("plm_core.transfer.jobs", "job"), ("plm_core.transfer.config", "plan"), ("plm_core.transfer.strategies", "plan"),
    ("plm_core.transfer.groups", "plan"),
    ("plm_core.transfer.lora", "plan"), ("plm_core.training", "trainer"), ("plm_core.transfer.trainer", "trainer"),
    ("plm_core.transfer.modules", "trainer"), ("plm_core.transfer.features", "trainer"),
    ("plm_core.transfer.records", "store"), ("plm_core.runs", "store"),
)
QUIET = ("plm_core.i18n", "plm_core.errors", "plm_core.paths", "plm_core.backbones", "plm_core.data",
         "plm_core.jobs.refs", "plm_core.jobs.keys", "plm_core.manifest")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every plm_core module, loading and data too")
    args = parser.parse_args()
    os.environ.setdefault("PLM_LAB_RUNS_DB", str(Path(tempfile.mkdtemp()) / "runs.sqlite"))
    from plm_core.jobs import run_here
    from plm_core.recipes.transfer import TransferRun

    recipe = TransferRun(backbone="tiny-bert-mlm", mode="finetune", n=16, epochs=1, test=16)
    trail: list[str] = []  # the plm_core module of every call, consecutive repeats collapsed

    def profile(frame, event, arg) -> None:  # noqa: ANN001 - sys.setprofile's signature
        if event != "call":
            return
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("plm_core") and (args.all or not module.startswith(QUIET)):
            if not trail or trail[-1] != module:
                trail.append(module)

    sys.setprofile(profile)
    try:
        snap = run_here(recipe, live=True, own=False)
    finally:
        sys.setprofile(None)
    stays = Counter(trail)
    first = list(dict.fromkeys(trail))
    print(f"run: accuracy {snap.result.runs[0].result.test_accuracy:.3f}, stored as run(s) {snap.saved}")
    print(f"{len(first)} modules, {len(trail)} stays, {len(trail) - len(first)} returns to a module already left")
    for i, module in enumerate(first, 1):
        print(f"{i:>3}. {module:<40} {stage(module):<8} {stays[module]:>3} stay(s)")
    path = [s for i, s in enumerate(map(stage, trail)) if i == 0 or s != stage(trail[i - 1])]
    print(f"stages in order ({len(path)} stays; 6 would read recipe -> job -> plan -> trainer -> result -> store):")
    print("  " + " -> ".join(path))


def stage(module: str) -> str:
    return next((name for prefix, name in STAGES if module.startswith(prefix)), "result")


if __name__ == "__main__":
    main()
