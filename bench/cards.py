"""Paper-proof cards: each card's live time and its cached time, with the load average beside them.

    python bench/cards.py                 # every card, with its own preset (>= 3 seeds, 500 test texts where allowed)
    python bench/cards.py --cards ulmfit,bert

Runs in a private runs DB and feature cache (a temp dir), so "live" includes loading models and extracting
features; the second call of each card is answered from the result cache (the CLI's and the app's path).
Targets: <= 180 s live, <= 2 s cached, on the 2-core CPU. On a machine shared with other work the load average
is most of the story: each line prints the 1-minute load before and after the live run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--cards", default="", help="comma-separated card ids (default: all)")
    p.add_argument("--threads", type=int, default=2, help="torch threads of this process")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "cards.json")
    p.add_argument("--store", type=Path, default=None, help="runs DB + feature cache folder (default: a temp dir)")
    args = p.parse_args()
    tmp = args.store or Path(tempfile.mkdtemp(prefix="plm-cards-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["PLM_LAB_RUNS_DB"] = str(tmp / "runs.sqlite")
    os.environ["PLM_LAB_FEATURES_DIR"] = str(tmp / "features")

    import torch

    torch.set_num_threads(args.threads)
    from plm_core.evidence.cards import card_ids, default_job
    from plm_core.evidence.cli import cached_run

    rows = []
    print(f"threads {args.threads}, {os.cpu_count()} CPUs", flush=True)
    for card in [c for c in args.cards.split(",") if c] or card_ids():
        job = default_job(card)
        load_before = os.getloadavg()[0]
        t0 = time.perf_counter()
        try:
            result, _ = cached_run("proof", job, live=True)
        except Exception as err:  # noqa: BLE001 - one failing card must not hide the others' times
            print(f"{card:<11} FAILED after {time.perf_counter() - t0:.1f} s: {err!r}", flush=True)
            continue
        live = time.perf_counter() - t0
        load_after = os.getloadavg()[0]
        t1 = time.perf_counter()
        _, hit = cached_run("proof", job)
        cached_s = time.perf_counter() - t1
        row = {"card": card, "live_s": round(live, 1), "cached_s": round(cached_s, 3), "cache_hit": hit,
               "verdict": result.verdict.outcome, "seeds": result.seeds,
               "differences": [d.as_json() for d in result.verdict.differences],
               "load_before": round(load_before, 2), "load_after": round(load_after, 2)}
        rows.append(row)
        diffs = "; ".join(f"{d.name} {d.text()}" for d in result.verdict.differences)
        print(f"{card:<11} live {live:7.1f} s  cached {cached_s:6.3f} s  hit={hit}  verdict={result.verdict.outcome}"
              f"  seeds={result.seeds}  load {load_before:.1f} -> {load_after:.1f}  | {diffs}", flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
