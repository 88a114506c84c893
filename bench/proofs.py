"""Paper-proof cards: each card's live time and its cached time, with the load average beside them.

    python bench/proofs.py                 # every card
    python bench/proofs.py --cards elmo,bert

Runs in a private runs DB and feature cache (a temp dir), so "live" includes feature extraction; the
second call of each card is answered from the result cache (the CLI's and the app's path). Targets:
<= 180 s live, <= 2 s cached (on the shared 2-core CPU).

Measured 2026-12-01 (load 1-2 falling from 8): ulmfit 45.6 s, bert 32.4 s, elmo 9.5 s, gpt3 46.2 s,
ethayarajh 5.1 s, setfit 85.0 s, matrix 41.6 s live; every card 0.001 s cached. (At load 7-20 the same cards
took up to 303 s: on this shared machine the load average is most of the story.)
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
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "proofs.json")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="plm-proofs-bench-"))
    os.environ["PLM_LAB_RUNS_DB"] = str(tmp / "runs.sqlite")
    os.environ["PLM_LAB_FEATURES_DIR"] = str(tmp / "features")

    from plm_core.evidence.cards import card_ids, default_job
    from plm_core.evidence.cli import cached_run

    rows = []
    for card in [c for c in args.cards.split(",") if c] or card_ids():
        job = default_job(card)
        t0 = time.perf_counter()
        result, cached = cached_run("proof", job)
        live = time.perf_counter() - t0
        load_live = os.getloadavg()
        t1 = time.perf_counter()
        again, hit = cached_run("proof", job)
        cached_s = time.perf_counter() - t1
        row = {"card": card, "live_s": round(live, 1), "cached_s": round(cached_s, 3), "cache_hit": hit,
               "first_was_cached": cached, "verdict": result.verdict.outcome, "load_after_live": load_live,
               "load_after_cached": os.getloadavg()}
        rows.append(row)
        print(f"{card:<11} live {live:7.1f} s  cached {cached_s:6.3f} s  hit={hit}  verdict={result.verdict.outcome}"
              f"  load {tuple(round(x, 2) for x in load_live)}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
