"""`python -m plm_core proof NAME|list [--json] [--live]` and `python -m plm_core matrix [--json]`.

Both go through the one door in this process (`jobs.run_here`) and share the app's result cache: a card
computed in the browser is printed here at once, and the other way round. The result is printed first,
then stored; a failed store is an error on stderr and exit status 3, never a lost result.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from plm_core.cli import seed_arg


def cached_run(kind: str, config: Any, live: bool = False) -> tuple[Any, bool]:
    """(result, whether it came from the result cache), through `jobs.run_here`."""
    from plm_core.jobs import run_here

    snap = run_here((kind, config), live=live)
    return snap.result, snap.cached


def run_and_show(recipe: Any, live: bool, show: Callable[[Any, dict[str, Any]], None]) -> int:
    """`show(result, {"cached": ..., "computed_at": ...})`, then store; exit status 3 when storing failed."""
    from plm_core.cli import exit_status
    from plm_core.jobs import run_here

    out = sys.stdout  # the result alone goes here; whatever the run prints (training logs) goes to stderr

    def shown(snap: Any) -> None:
        when = datetime.fromtimestamp(snap.computed_at or 0, UTC).isoformat(timespec="seconds")
        with contextlib.redirect_stdout(out):
            show(snap.result, {"cached": snap.cached, "computed_at": when})

    with contextlib.redirect_stdout(sys.stderr):
        snap = run_here(recipe, live=live, show=shown)
    return exit_status(snap)


def cmd_proof(args: argparse.Namespace) -> int:
    from plm_core.evidence.cards import card_ids, get_card
    from plm_core.recipes.others import ProofCard

    if args.name == "list":
        rows = [{"card": c, "where": get_card(c).paper.where, "citation": get_card(c).paper.citation}
                for c in card_ids()]
        print(json.dumps(rows, indent=2) if args.json else "\n".join(f"{r['card']:<11} {r['citation']}"
                                                                        for r in rows))
        return 0
    recipe = ProofCard(card=get_card(args.name).id, seed=-1 if args.seed is None else args.seed)

    def show(result: Any, origin: dict[str, Any]) -> None:
        out = result.as_json() | origin
        if args.json:
            print(json.dumps(out, indent=2, ensure_ascii=False), flush=True)
        else:
            print_card(out)

    return run_and_show(recipe, args.live, show)


def print_card(out: dict) -> None:
    print(f"{out['card']}: {out['paper']['citation']} — {out['paper']['where']}")
    from plm_core.i18n import t

    print("paper:", "; ".join(f"{p['group']} {p['variant']} = {p['printed']} {t('proofs.unit.' + p['unit'], 'en')}"
                              for p in out["paper_numbers"]) or "(qualitative claim: " + out["claim"] + ")")
    print(f"ours ({out['metric']}):")
    for r in out["ours"]:
        spread = f"± {r['sd']:.3f} (seeds={r['n']})" if r["sd"] is not None else "(one seed)"
        print(f"  {r['group']:<22} {r['variant']:<22} {r['value']:8.3f} {spread}")
    for d in out.get("differences", []):
        print(f"  {d['name']:<45} {d['estimate']:+8.3f} [{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}] {d['outcome']}")
    print(f"claim: {out['claim']}")
    print(f"verdict: {out['verdict']} — {out['verdict_text']}")
    print(f"rule: {out['rule']}")
    print(f"{'cached' if out['cached'] else 'computed'} ({out['seconds']} s live)")


def cmd_matrix(args: argparse.Namespace) -> int:
    from plm_core.evidence.matrix import MatrixJob, matrix_json, summary_lines

    job = MatrixJob(seeds=args.seeds, n=args.n, test_limit=args.test_limit, epochs=args.epochs)

    def show(result: Any, origin: dict[str, Any]) -> None:
        if args.json:
            print(json.dumps(matrix_json(result) | origin, indent=2), flush=True)
            return
        print("\n".join(summary_lines(result.summary())), flush=True)
        print(f"{'cached' if origin['cached'] else 'computed'}; {result.seconds:.0f} s live", file=sys.stderr)

    return run_and_show(("matrix", job), args.live, show)


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
