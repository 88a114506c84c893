"""Lesson 5 ("Zero, one, few") live: every distinct step job of the lesson computed in this process, as a worker
would (one torch thread), with a private runs DB and feature cache so nothing comes from a cache.

    python bench/lesson5.py                 # the lesson as shipped                                target <= 90 s
    python bench/lesson5.py --set test=20   # with a smaller setting (any lesson override)

Prints the load average beside every figure (the CPU is shared: a figure measured at load 20 is not the one
at load 2), the time to load the backbones (a class's worker keeps them warm, so it is printed apart), each
job's time split per method and K, the total live time against the 90 s target, and each question's
outcome sentence as the class would read it (generated from the run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 90.0


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.1f}/{b:.1f}/{c:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a lesson setting override")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="plm-bench-lesson5-"))
    os.environ["PLM_LAB_RUNS_DB"] = str(folder / "runs.sqlite")
    os.environ["PLM_LAB_FEATURES_DIR"] = str(folder / "features")

    import torch

    from plm_core.i18n import t
    from plm_core.jobs.runner import execute, warm_backbone
    from plm_core.lessons import get_lesson
    from plm_core.lessons.jobs import lesson_jobs
    from plm_core.lessons.outcomes import NEEDS_RESULT, outcome_params, read_outcome

    torch.set_num_threads(1)  # as a job worker runs (PLM_LAB_WORKER_THREADS defaults to 1)
    overrides = dict(item.split("=", 1) for item in args.set)
    lesson = get_lesson("5-fewshot")
    jobs = lesson_jobs(lesson, overrides)
    distinct: dict[str, tuple[list[int], object]] = {}
    for i, job in jobs.items():
        distinct.setdefault(repr(job.config), ([], job))[0].append(i)
    t0 = time.perf_counter()
    for _, job in distinct.values():
        config = job.config.config  # type: ignore[attr-defined]
        for method in config.methods:
            warm_backbone(config.backbone_for(method))
    print(f"[lesson5] backbones loaded in {time.perf_counter() - t0:.1f} s ({load()})", flush=True)
    results, total = {}, 0.0
    for key, (steps, job) in distinct.items():
        config = job.config.config  # type: ignore[attr-defined]
        start = time.perf_counter()
        result = execute(job.kind, job.config, lambda event: None, threading.Event(), own=False)  # type: ignore[attr-defined]
        seconds = time.perf_counter() - start
        total += seconds
        results[key] = result
        print(f"[lesson5] steps {', '.join(str(s + 1) for s in steps)}: {'+'.join(config.methods)} "
              f"(prompt: {config.backbone_for('prompt')}), K {sorted(set(config.shots))}, prompting to "
              f"K={config.prompt_max_k}, {config.seeds} seeds, {config.test_limit} test texts: {seconds:.1f} s "
              f"({load()})", flush=True)
        per = {}
        for p in result.points:
            per[(p.method, p.k)] = per.get((p.method, p.k), 0.0) + p.seconds
        print("  " + ", ".join(f"{m} K={k} {s:.1f}s" for (m, k), s in sorted(per.items())))
    ok = "OK" if total <= TARGET_S else "MISSED"
    print(f"[lesson5] live total {total:.1f} s (target <= {TARGET_S:.0f} s: {ok}; {load()})")
    for i, step in enumerate(lesson.steps):
        question = step.question
        if question is None or question.answer_from not in NEEDS_RESULT:
            continue
        outcome = read_outcome(question, results[repr(jobs[i].config)])
        print(f"  step {i + 1} -> {outcome.value}: {t(outcome.key, 'en', **outcome_params(outcome, 'en', question))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
