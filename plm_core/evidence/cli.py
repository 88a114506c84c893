"""`python -m plm_core proof NAME|list [--json] [--live]` and `python -m plm_core matrix [--json]`.

Both go through the job kinds ("proof", "matrix") in this process and share the app's result cache:
a card computed in the browser is printed here at once, and the other way round.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import time
from dataclasses import replace
from typing import Any

from plm_core.cli import seed_arg


def cached_run(kind: str, config: Any, live: bool = False) -> tuple[Any, bool]:
    """(result, whether it came from the result cache): a miss runs the job here, then stores it."""
    from plm_core.jobs import run_here
    from plm_core.jobs.cache import CachedResult, ResultCache
    from plm_core.jobs.keys import cache_key
    from plm_core.jobs.kinds import kind_spec, resolve

    cache, key = ResultCache(), cache_key(kind, config)
    hit = None if live else cache.get(key)
    if hit is not None:
        return hit.result, True
    start = time.perf_counter()
    result = run_here(kind, config)
    seconds = time.perf_counter() - start
    saved = list(resolve(kind_spec(kind).store)(config, result)) if kind_spec(kind).store else []
    cache.put(key, kind, CachedResult(result, time.time(), f"{socket.gethostname()} (cli)", seconds, saved))
    return result, False


def cmd_proof(args: argparse.Namespace) -> int:
    from plm_core.evidence.cards import card_ids, default_job, get_card

    if args.name == "list":
        rows = [{"card": c, "where": get_card(c).paper.where, "citation": get_card(c).paper.citation}
                for c in card_ids()]
        print(json.dumps(rows, indent=2) if args.json else "\n".join(f"{r['card']:<11} {r['citation']}"
                                                                        for r in rows))
        return 0
    job = default_job(args.name)
    if args.seed is not None:
        job = replace(job, preset=replace(job.preset, seed=args.seed), seed=args.seed)
    result, cached = cached_run("proof", job, args.live)
    out = result.as_json() | {"cached": cached}
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print_card(out)
    return 0


def print_card(out: dict) -> None:
    print(f"{out['card']}: {out['paper']['citation']} — {out['paper']['where']}")
    from plm_core.i18n import t

    print("paper:", "; ".join(f"{p['group']} {p['variant']} = {p['value']} {t('proofs.unit.' + p['unit'], 'en')}"
                              for p in out["paper_numbers"]) or "(qualitative claim: " + out["claim"] + ")")
    print(f"ours ({out['metric']}):")
    for r in out["ours"]:
        print(f"  {r['group']:<22} {r['variant']:<22} {r['value']:8.3f} ± {r['sd']:.3f} (n={r['n']})")
    print(f"claim: {out['claim']}")
    print(f"verdict: {out['verdict']} — {out['verdict_text']}")
    print(f"rule: {out['rule']}")
    print(f"{'cached' if out['cached'] else 'computed'} ({out['seconds']} s live)")


def cmd_matrix(args: argparse.Namespace) -> int:
    from plm_core.evidence.matrix import MatrixJob, matrix_json, summary_lines

    job = MatrixJob(seeds=args.seeds, n=args.n, test_limit=args.test_limit, epochs=args.epochs)
    result, cached = cached_run("matrix", job, args.live)
    if args.json:
        print(json.dumps(matrix_json(result) | {"cached": cached}, indent=2))
    else:
        print("\n".join(summary_lines(result.summary())))
        print(f"{'cached' if cached else 'computed'}; {result.seconds:.0f} s live", file=sys.stderr)
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("proof", help="run a paper-proof card (or `proof list`)")
    p.add_argument("name", help="card id (see `proof list`) or list")
    p.add_argument("--json", action="store_true", help="print the card's JSON (ours, the paper's, the verdict)")
    p.add_argument("--live", action="store_true", help="compute again even when the result cache has it")
    p.add_argument("--seed", type=seed_arg, default=None, help="first seed of the card's preset")
    p.set_defaults(func=cmd_proof)
    p = sub.add_parser("matrix", help="the objective matrix: tiny checkpoints and twins x frozen/fine-tune x data")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--n", type=int, default=512, help="training examples per run")
    p.add_argument("--test-limit", type=int, default=500)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.add_argument("--live", action="store_true")
    p.set_defaults(func=cmd_matrix)
