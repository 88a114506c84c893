"""`python -m plm_core domain fit|continue|compare`: the domain-fit lab's jobs from the command line.

    python -m plm_core domain fit --backbone tiny-bert-mlm --data movie-snippets --json
    python -m plm_core domain continue --objective mlm --data movie-snippets --steps 300 --json
    python -m plm_core domain compare --data korean-intents --json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
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
    from plm_core.data import DATASETS, read_file_bytes
    from plm_core.jobs import DataRef

    name = name or default
    if name in DATASETS:
        return DataRef(name)
    return DataRef(Path(name).name, read_file_bytes(Path(name)))


def run(args: argparse.Namespace) -> int:
    from plm_core.evidence.domain import CompareJob, CompareReport, FitJob, FitReport
    from plm_core.evidence.domain_continue import ContinueJob, ContinueState
    from plm_core.jobs import run_here

    summary: dict[str, Any]
    if args.action == "fit":
        job = FitJob(args.backbone, data_ref(args.data, "movie-snippets"), n_texts=args.n_texts, seed=args.seed)
        summary = cast(FitReport, run_here("domain.fit", job)).summary()
    elif args.action == "continue":
        cont = ContinueJob(args.objective, data_ref(args.data, "movie-snippets"), steps=args.steps,
                           budget_s=args.budget, ppl_texts=args.n_texts, seed=args.seed)
        cont.check()
        summary = cast(ContinueState, run_here("domain.continue", cont)).summary()
    else:
        compare = CompareJob(data_ref(args.data, "korean-intents"), n_texts=args.n_texts, seed=args.seed)
        report = cast(CompareReport, run_here("domain.compare", compare))
        summary = {"rows": report.rows, "examples": {k: e.pieces for k, e in report.examples.items()}}
    print(json.dumps(summary, ensure_ascii=False, indent=None if args.json else 2, default=str))
    return 0
