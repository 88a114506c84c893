"""`python -m plm_core domain fit|continue|compare`: the domain-fit lab's jobs from the command line.

    python -m plm_core domain fit --backbone tiny-bert-mlm --data movie-snippets --json
    python -m plm_core domain continue --objective mlm --data movie-snippets --steps 300 --json
    python -m plm_core domain compare --data korean-intents --json
"""

from __future__ import annotations

import argparse
import json
from typing import Any, cast

from plm_core.cli import seed_arg


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `domain` with its three actions (all dispatch to `run`)."""
    p = subparsers.add_parser("domain", help="domain fit: measures, continued pretraining, tokenizer comparison")
    p.add_argument("action", choices=("fit", "continue", "compare"))
    p.add_argument("--backbone", default="tiny-bert-mlm", help="fit: a backbone registry name")
    p.add_argument("--data", default="", help="a sample-set name or a CSV file (default: movie snippets; "
                                              "compare: Korean intents)")
    p.add_argument("--objective", default="mlm", choices=("mlm", "clm"), help="continue: tiny BERT or tiny GPT")
    p.add_argument("--steps", type=int, default=300, help="continue: optimizer steps at most")
    p.add_argument("--budget", type=float, default=180.0, help="continue: seconds of pretraining at most")
    p.add_argument("--n-texts", type=int, default=100, help="held-out texts per side that are measured")
    p.add_argument("--seed", type=seed_arg, default=0, help="0 .. 2**32-1")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def data_ref(name: str, default: str) -> Any:
    from plm_core.jobs.refs import data_ref as ref

    return ref(name or default)


def run(args: argparse.Namespace) -> int:
    """Through the one door in this process: printed first, then cached (exit 3 when caching failed)."""
    from plm_core.cli import exit_status
    from plm_core.evidence.domain import CompareJob, FitJob
    from plm_core.evidence.domain_continue import ContinueJob
    from plm_core.jobs import run_here

    if args.action == "fit":
        work: tuple[str, Any] = ("domain.fit", FitJob(args.backbone, data_ref(args.data, "movie-snippets"),
                                                     n_texts=args.n_texts, seed=args.seed))
    elif args.action == "continue":
        cont = ContinueJob(args.objective, data_ref(args.data, "movie-snippets"), steps=args.steps,
                           budget_s=args.budget, ppl_texts=args.n_texts, seed=args.seed)
        cont.check()
        work = ("domain.continue", cont)
    else:
        work = ("domain.compare", CompareJob(data_ref(args.data, "korean-intents"), n_texts=args.n_texts,
                                             seed=args.seed))

    def show(snap: Any) -> None:
        print(json.dumps(summary_of(args.action, snap.result), ensure_ascii=False, indent=None if args.json else 2,
                         default=str), flush=True)

    # continued pretraining stops at a time budget: its numbers depend on the machine, so it always runs live
    return exit_status(run_here(work, live=args.action == "continue", show=show))


def summary_of(action: str, result: Any) -> dict[str, Any]:
    if action == "compare":
        return {"rows": result.rows, "examples": {k: e.pieces for k, e in result.examples.items()}}
    return cast(dict[str, Any], result.summary())
