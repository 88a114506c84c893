"""Lesson timings: the default race and the default few-shot curve live, and a repeated request from the cache.

    python bench/lessons.py                      # all three
    python bench/lessons.py --parts race,curve   # only the live runs
    python bench/lessons.py --parts race --modes frozen,finetune,lora   # another racer set

Prints, measured on this machine (load average beside every figure; the CPU is shared, so treat a single
figure as approximate and compare ratios measured in one run):
  1. the default race (five modes, MiniLM, the Transfer lab's default N, epochs and test size), live through
     `compute("transfer", job)` -- the job service's code path in this process -- with the time per phase
     (feature extraction, each mode's training and evaluation)                               target <= 90 s
  2. the default few-shot curve (the Few-shot lab's defaults), live, with the time per method x K x seed
                                                                                              target <= 90 s
  3. the same race submitted twice to a `JobService`: the second answer comes from the result cache
     (submit, wait for the snapshot with the result)                                         target <= 2 s
Runs DB and feature cache live in a fresh temp dir, so 1 and 2 measure live work (no cached features).

Measured on the shared 2-core CPU (1 torch thread per job; the load average is most of the story):
  race, before (N 256, 300 test): 184.7 s at load 3-7; after (N 128, 150 test, 3 epochs): 59.2 s at load 2.4,
      78.1 s at load 4.2, 213-271 s at load 12-19 (frozen 0.69, finetune 0.67, discriminative 0.65,
      gradual 0.63 >> scratch 0.51)
  curve, before (prompting K 0-32 on 300 test texts): ~20-30 min (issue 10: 11 of 41 units after 12 min 45 s);
      after (prompting K 0-2 on 60 test texts, probe K 1-32): 61.6 s at load 2.7, 65.2 s at load 5,
      158-178 s at load 9-16; 57 of the 62 s are SmolLM2 prompting
  a repeated request: 0.001 s from the same service, 0.003 s from a fresh one (the runs DB's result cache)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RACE_MODES = ("frozen", "finetune", "discriminative", "gradual", "scratch")


def load() -> str:
    a, b, c = os.getloadavg()
    return f"load {a:.2f}/{b:.2f}/{c:.2f}"


def private_stores() -> Path:
    """Runs DB and feature cache in a fresh temp dir: the bench measures live runs, never the user's cache."""
    folder = Path(tempfile.mkdtemp(prefix="plm-bench-lessons-"))
    os.environ["PLM_LAB_RUNS_DB"] = str(folder / "runs.sqlite")
    os.environ["PLM_LAB_FEATURES_DIR"] = str(folder / "features")
    return folder


def default_race(modes: tuple[str, ...] = RACE_MODES) -> Any:
    """The Transfer lab's race with the page's default settings and the given racers (its recipe's job)."""
    from plm_core.recipes import TransferRace

    return TransferRace(modes=modes).job_config()


def default_curve() -> Any:
    """The Few-shot lab's default curve, as the page submits it."""
    from plm_core.recipes import FewShotCurve

    return FewShotCurve().job_config()


class Phases:
    """Wall time between changes of the job's `current` line (what the page shows as the running phase)."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.current = "starting"
        self.seconds: dict[str, float] = {}

    def __call__(self, event: dict[str, Any]) -> None:
        now = time.perf_counter()
        current = event.get("current")
        if current is not None and current != self.current:
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + now - self.last
            self.current, self.last = current, now

    def close(self) -> dict[str, float]:
        self.seconds[self.current] = self.seconds.get(self.current, 0.0) + time.perf_counter() - self.last
        return self.seconds


def timed(kind: str, job: Any) -> tuple[Any, float, dict[str, float]]:
    from plm_core.jobs import compute

    phases = Phases()
    t0 = time.perf_counter()
    result = compute(kind, job, on_update=phases)
    return result, time.perf_counter() - t0, phases.close()


def bench_race(modes: tuple[str, ...]) -> dict[str, Any]:
    from plm_core.jobs.runner import warm_backbone

    job = default_race(modes)
    t0 = time.perf_counter()
    warm_backbone(job.configs[0].backbone)  # a worker keeps it warm; loading is not the race
    print(f"[race] backbone load {time.perf_counter() - t0:.1f} s ({load()})", flush=True)
    state, seconds, phases = timed("transfer", job)
    rows = []
    for run in state.runs:
        r = run.result
        if r is None:
            continue
        t = r.timings
        epochs = [h.get("seconds", 0.0) for h in r.history]
        rows.append({"racer": run.label, "accuracy": r.test_accuracy, "seconds": r.train_seconds,
                     "extract_s": t.get("extract_seconds", 0.0), "fit_s": t.get("fit_seconds", 0.0),
                     "prepare_s": t.get("prepare_seconds", 0.0), "epoch_s": epochs,
                     "eval_s": t.get("eval_seconds", 0.0), "shared_features": t.get("shared_features", False)})
    ok = "OK" if seconds <= 90 else "MISSED"
    print(f"[race] {len(rows)} racers, N={job.n}, test={job.test_limit}, epochs={job.configs[0].epochs}: "
          f"{seconds:.1f} s live (target <= 90 s: {ok}; {load()})")
    for row in rows:
        print(f"  {row['racer']:<15} acc {row['accuracy']:.3f}  {row['seconds']:5.1f} s  "
              f"extract {row['extract_s']:.1f}  prepare {row['prepare_s']:.1f}  fit {row['fit_s']:.1f}  "
              f"eval {row['eval_s']:.1f}  epochs {[round(e, 1) for e in row['epoch_s']]}")
    print("  phases: " + ", ".join(f"{k} {v:.1f}s" for k, v in phases.items() if v >= 0.05))
    scratch = [r["accuracy"] for r in rows if r["racer"] == "scratch"]
    pretrained = [r["accuracy"] for r in rows if r["racer"] != "scratch"]
    if scratch and pretrained:
        shape = "OK" if min(pretrained) > scratch[0] + 0.05 else "NOT SHOWN"
        print(f"  shape: every pretrained racer ({min(pretrained):.3f}-{max(pretrained):.3f}) > scratch "
              f"({scratch[0]:.3f}) + 0.05: {shape}")
    return {"seconds": seconds, "load": os.getloadavg(), "racers": rows, "phases": phases}


def bench_curve() -> dict[str, Any]:
    from plm_core.fewshot.curves import crossovers, summarize
    from plm_core.jobs.runner import warm_backbone

    job = default_curve()
    t0 = time.perf_counter()
    for method in job.config.methods:
        warm_backbone(job.config.backbone_for(method))
    print(f"[curve] backbone load {time.perf_counter() - t0:.1f} s ({load()})", flush=True)
    result, seconds, phases = timed("fewshot.curves", job)
    ok = "OK" if seconds <= 90 else "MISSED"
    c = job.config
    print(f"[curve] {'+'.join(c.methods)}, K {list(c.shots)}, {c.seeds} seeds, test {c.test_limit}: "
          f"{seconds:.1f} s live (target <= 90 s: {ok}; {load()})")
    print("  timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items()))
    per_point: dict[str, float] = {}
    for p in result.points:
        per_point[f"{p.method} K={p.k}"] = per_point.get(f"{p.method} K={p.k}", 0.0) + p.seconds
    print("  per method x K (all seeds): " + ", ".join(f"{k} {v:.1f}s" for k, v in per_point.items()))
    summary = summarize(result.points)
    print(summary.round(3).to_string(index=False))
    for s in result.skipped:
        print(f"  skipped {s.method} K={s.k}: {s.key} {s.params}")
    for c in crossovers(summary):
        print(f"  crossover: {c.method} overtakes prompting at K={c.k} ({c.accuracy:.3f} vs {c.reference:.3f})")
    return {"seconds": seconds, "load": os.getloadavg(), "timings": result.timings, "per_point": per_point,
            "summary": summary.to_dict(orient="records"), "phases": phases}


def wait_result(service: Any, job_id: str, timeout: float, poll: float = 0.02) -> Any:
    """Poll as a page does (the owner's heartbeat keeps a long job from being cancelled as orphaned)."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        snap = service.snapshot(job_id, owner="bench")
        if snap is not None and snap.finished:
            return snap
        time.sleep(poll)
    raise TimeoutError(job_id)


def bench_cache(make_job: Callable[[], Any], kind: str, timeout: float) -> dict[str, Any]:
    """Submit, wait for the result, submit the identical config again: the time until its result is back."""
    from plm_core.jobs import JobService

    service = JobService()
    try:
        t0 = time.perf_counter()
        first = wait_result(service, service.submit(kind, make_job(), owner="bench"), timeout)
        live = time.perf_counter() - t0
        t0 = time.perf_counter()
        second = wait_result(service, service.submit(kind, make_job(), owner="bench"), 30)
        cached = time.perf_counter() - t0
        end = time.perf_counter() + 120  # the result is shown first, then stored: let the store finish
        while not service.snapshot(first.job_id, owner="bench").saved and time.perf_counter() < end:
            time.sleep(0.1)
    finally:
        service.shutdown()
    fresh = JobService()  # a restarted server: the answer must come from the runs DB's result cache
    try:
        t0 = time.perf_counter()
        third = wait_result(fresh, fresh.submit(kind, make_job(), owner="bench"), 30)
        from_db = time.perf_counter() - t0
    finally:
        fresh.shutdown()
    worst = max(cached, from_db)
    ok = "OK" if worst <= 2 and second.cached and third.cached else "MISSED"
    print(f"[cache] {kind}: first request {live:.1f} s through the service ({first.status.value}); the identical "
          f"request again: {cached:.3f} s (same service), {from_db:.3f} s (a fresh service, from the runs DB) "
          f"(target <= 2 s: {ok}; {load()}); from cache: {second.cached}, {third.cached}")
    return {"first_s": live, "cached_s": cached, "from_db_s": from_db,
            "from_cache": bool(second.cached and third.cached), "load": os.getloadavg()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default="race,curve,cache", help="which benchmarks, comma-separated")
    parser.add_argument("--modes", default=",".join(RACE_MODES), help="the racers (default: the five modes)")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args()
    folder = private_stores()
    from plm_core.jobs.runner import worker_threads

    print(f"stores in {folder}; torch threads per job {worker_threads()} ({load()})", flush=True)
    parts = set(args.parts.split(","))
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    out: dict[str, Any] = {}
    if "race" in parts:
        out["race"] = bench_race(modes)
    if "curve" in parts:
        out["curve"] = bench_curve()
    if "cache" in parts:
        out["cache"] = bench_cache(lambda: default_race(modes), "transfer", 600)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
