"""`python -m plm_core corpus` and `python -m plm_core pretrain --objective {mlm,clm,span,bilm,sgns}`."""

from __future__ import annotations

import argparse
from pathlib import Path

from plm_core.cli import seed_arg
from plm_core.pretrain import OBJECTIVES


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the `corpus` and `pretrain` subcommands (both dispatch to `run`)."""
    p = subparsers.add_parser("corpus", help="fetch the corpus sources and (re)build the pretraining corpus")
    p.add_argument("--tokenizer", action="store_true", help="also retrain the shared WordPiece tokenizer")
    p.add_argument("--no-ship", action="store_true", help="do not refresh the slice in assets/corpus")
    p.set_defaults(func=run)
    p = subparsers.add_parser("pretrain", help="pretrain one tiny model from scratch (fixed seed)")
    p.add_argument("--objective", required=True, choices=OBJECTIVES)
    p.add_argument("--steps", type=int, default=None, help="optimizer steps (default: the shipped budget)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: assets/checkpoints/<name>)")
    p.add_argument("--seed", type=seed_arg, default=0, help="0 .. 2**32-1")
    p.add_argument("--threads", type=int, default=1, help="torch threads (1 is fastest on a busy 2-core machine)")
    p.add_argument("--no-probes", action="store_true", help="skip the probes and the README of the model card")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.command == "corpus":
        return run_corpus(args)
    return run_pretrain(args)


def run_corpus(args: argparse.Namespace) -> int:
    from plm_core.pretrain.corpus import build_corpus, read_split, ship_slice

    folder = build_corpus()
    if not args.no_ship:
        print(f"shipped slice -> {ship_slice(folder)}")
    if args.tokenizer:
        from plm_core.pretrain.tokenizer import build_tokenizer

        print(f"tokenizer -> {build_tokenizer(read_split('train'))}")
    return 0


def run_pretrain(args: argparse.Namespace) -> int:
    """Through the job door in this process (kind "pretrain.checkpoint", never from the cache: it writes files)."""
    import os

    from plm_core.jobs import run_here
    from plm_core.pretrain.pipeline import PretrainJob

    os.environ["PLM_LAB_WORKER_THREADS"] = str(args.threads)  # the CLI owns its process: threads, dropout's seed
    job = PretrainJob(args.objective, args.steps, args.seed, str(args.out or ""))
    snap = run_here(("pretrain.checkpoint", job), live=True, on_update=print_lines)
    if not args.no_probes:
        from plm_core.pretrain.probes import write_readme

        print(f"model card -> {write_readme(args.objective, Path(snap.result[1]))}")
    return 0


def print_lines(event: dict) -> None:
    for line in event.get("items", []):
        print(line, flush=True)
