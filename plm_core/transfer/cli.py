"""`python -m plm_core train ...` and `python -m plm_core race ...`: transfer runs from the command line.

    python -m plm_core train --backbone minilm-l6 --mode discriminative --data movie-snippets --n 256 --json
    python -m plm_core race --backbone minilm-l6 --modes frozen,finetune,scratch --data movie-snippets --n 256
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from plm_core.cli import emit_notices, seed_arg
from plm_core.errors import PLMError
from plm_core.recipes import TransferRace, TransferRun
from plm_core.transfer.config import HEADS, MODES, POOLINGS, SCHEDULES
from plm_core.transfer.strategies import STRATEGIES

DEFAULTS, RACE = TransferRun(), TransferRace()  # the flags' defaults are the recipe's (the page's, a lesson's)


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backbone", required=True, help="registry name (see `python -m plm_core backbones`)")
    p.add_argument("--data", required=True, help="sample-set name or path/to/file.csv (columns text,label)")
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--n", type=int, help="N labelled examples drawn from the pool")
    size.add_argument("--per-class", type=int, help="K labelled examples of every class")
    p.add_argument("--epochs", type=int, default=DEFAULTS.epochs)
    p.add_argument("--seed", type=seed_arg, default=DEFAULTS.seed, help="0 .. 2**32-1")
    p.add_argument("--test-limit", type=int, default=None,
                   help=f"score on the first N test examples (default {DEFAULTS.test}; a race {RACE.race_test})")
    p.add_argument("--pooling", choices=POOLINGS, default=None, help="default: the backbone's own (as the lab's)")
    p.add_argument("--layer", type=int, default=-1, help="hidden state to read: 0 = embeddings, -1 = top")
    p.add_argument("--head", choices=HEADS, default=DEFAULTS.head)
    p.add_argument("--lr-body", type=float, default=DEFAULTS.lr_body)
    p.add_argument("--lr-head", type=float, default=DEFAULTS.lr_head)
    p.add_argument("--layer-decay", type=float, default=DEFAULTS.layer_decay, help="xi of discriminative lrs")
    p.add_argument("--batch-size", type=int, default=DEFAULTS.batch_size)
    p.add_argument("--max-length", type=int, default=DEFAULTS.max_length, help="tokens per text (0 = auto)")
    p.add_argument("--groups", default="", help="edits on top of the strategy, e.g. 'layer.0-2:frozen,head:x10,"
                   "layer.3:lora=8' (edits: frozen, train, bitfit, lora=R, lr=X, xM, @EPOCH)")
    p.add_argument("--k", type=int, default=DEFAULTS.k, help="freeze_bottom / top_k: how many layers")
    p.add_argument("--lora-rank", type=int, default=DEFAULTS.lora_rank, help="lora: the adapters' rank r")
    p.add_argument("--schedule", choices=SCHEDULES, default=DEFAULTS.schedule, help="learning-rate schedule")
    p.add_argument("--warmup", type=float, default=DEFAULTS.warmup, help="share of steps warming up (STLR cut_frac)")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (1: best on a shared CPU)")
    p.add_argument("--no-save", action="store_true", help="do not store the run in the runs database")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("train", help="train a classifier on a backbone in one transfer mode")
    add_common(p)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--mode", choices=MODES, help="one of the five classic modes")
    how.add_argument("--strategy", choices=STRATEGIES, help="a freezing-strategy preset (edit it with --groups)")
    p.set_defaults(func=run)
    p = subparsers.add_parser("race", help="several transfer modes on the identical split and seed")
    add_common(p)
    p.add_argument("--modes", default=",".join(RACE.modes), help="comma-separated, 2 to 5 of: " + ", ".join(MODES))
    p.add_argument("--strategies", default="", help="instead of --modes: 2 to 5 of " + ", ".join(STRATEGIES))
    p.add_argument("--seeds", type=int, default=RACE.seeds,
                   help="run every racer with seeds seed, seed+1, ... (mean ± sd)")
    p.set_defaults(func=run_race_cmd)


def recipe_from_args(args: argparse.Namespace) -> TransferRun | TransferRace:
    """The flags as the Transfer lab's recipe: the same settings its URL and a lesson step name."""
    from plm_core.data import DATASETS

    flags = {"backbone": args.backbone, "sizing": "n" if args.n is not None else "k",
             "n": args.n if args.n is not None else args.per_class, "epochs": args.epochs, "seed": args.seed,
             "pooling": args.pooling or "auto", "layer": args.layer, "head": args.head, "lr_body": args.lr_body,
             "lr_head": args.lr_head, "decay": args.layer_decay, "batch": args.batch_size, "max_len": args.max_length,
             "k": args.k, "rank": args.lora_rank, "schedule": args.schedule, "warmup": args.warmup}
    flags["data"] = args.data if args.data in DATASETS else DEFAULTS.data  # a CSV travels as its bytes (below)
    if getattr(args, "command", "") == "race":
        racers = [m.strip() for m in (args.strategies or args.modes).split(",") if m.strip()]
        flags |= {"modes": tuple(racers), "seeds": args.seeds, "race_test": args.test_limit}
    else:
        flags |= {"mode": args.strategy or args.mode, "test": args.test_limit, "groups": args.groups}
    recipe_type = TransferRace if getattr(args, "command", "") == "race" else TransferRun
    return recipe_type.from_flags(flags)


def prepare(args: argparse.Namespace, *_: Any) -> tuple[Any, Any, dict[str, Any]]:
    """The recipe, its job (configs validated before any model is loaded; a CSV's bytes in it) and the data
    description. (Older callers also pass the modes: the recipe reads them from `args`.)"""
    from dataclasses import replace
    from pathlib import Path

    from plm_core.backbones import get_spec
    from plm_core.data import DATASETS, resolve_dataset
    from plm_core.jobs import DataRef
    from plm_core.transfer.config import validate_config
    from plm_core.transfer.race import check_race, check_seeds
    from plm_core.transfer.split import make_split

    recipe = recipe_from_args(args)
    job = recipe.job_config()
    for c in job.configs:
        validate_config(c, get_spec(c.backbone))
    if job.race:
        check_race(list(job.configs))
        check_seeds(job.seeds)
    ds = resolve_dataset(args.data)
    if args.data not in DATASETS:
        job = replace(job, data=DataRef(ds.name, Path(args.data).read_bytes()))
    make_split(ds, n=job.n, per_class=job.per_class, seed=job.seed, test_limit=job.test_limit)  # too few: said now
    data = {"data": ds.name, "n": job.n, "per_class": job.per_class, "test_limit": job.test_limit,
            "texts_cut": ds.texts_cut, "duplicates_removed": ds.duplicates_removed}
    emit_notices(ds.notices)
    return recipe, job, data


def print_epoch(record: dict) -> None:
    print(f"  epoch {record['epoch']}: train loss {record['train_loss']:.4f}  "
          f"test acc {record['test_accuracy']:.4f}  ({record['seconds']:.1f} s)", file=sys.stderr)


def epoch_printer(enabled: bool) -> Any:
    """The job's live updates -> one line per finished epoch on stderr."""
    shown: dict[int, int] = {}

    def on_update(event: dict) -> None:
        state = event.get("state")
        for i, view in enumerate(state.runs if enabled and state is not None else []):
            for record in view.history[shown.get(i, 0):]:
                print_epoch(record)
            shown[i] = len(view.history)

    return on_update


def report(summary: dict, as_json: bool) -> None:
    if as_json:
        from plm_core.runs import jsonable

        print(json.dumps(jsonable(summary), ensure_ascii=False))
        return
    print(f"{summary['backbone']} · {summary.get('strategy') or summary['mode']} on {summary['data']} "
          f"(n_train={summary['n_train']}, "
          f"n_test={summary['n_test']}): accuracy {summary['test_accuracy']:.4f}, "
          f"macro-F1 {summary['test_macro_f1']:.4f}, trainable {summary['trainable_params']:,} of "
          f"{summary['total_params']:,} parameters, {summary['train_seconds']:.1f} s")


def run(args: argparse.Namespace) -> int:
    """One run through the job door in this process: from the result cache when the same recipe was computed
    (by the lab, a prepared lesson or this command), else trained here and stored after it is shown."""
    import os
    from datetime import datetime

    from plm_core.cli import exit_status
    from plm_core.jobs import JobStatus, Snapshot, compute, run_here
    from plm_core.transfer.records import summary_with_data

    recipe, job, data = prepare(args)
    os.environ["PLM_LAB_WORKER_THREADS"] = str(args.threads)  # the CLI owns its process (threads, global seed)
    printer = epoch_printer(not args.json)
    if args.no_save:  # computed here, neither cached nor stored
        snap = Snapshot("here", recipe.kind, JobStatus.DONE, result=compute(recipe.kind, job, printer))
    else:
        snap = run_here((recipe.kind, job), on_update=printer)
    result = snap.result.runs[0].result
    when = datetime.fromtimestamp(snap.computed_at).isoformat(timespec="seconds") if snap.computed_at else None
    summary = summary_with_data(result, data) | {"cached": bool(snap.cached), "computed_at": when}
    summary["run_id"] = snap.saved[0] if snap.saved else None
    if snap.save_error is not None:
        summary["not_saved"] = snap.save_error.message()
    report(summary, args.json)
    if snap.cached and not args.json:
        print(f"  (from the result cache: computed {when} on {snap.computed_on})", file=sys.stderr)
    for key, params in result.notices:
        print(PLMError(key, **params), file=sys.stderr)
    return exit_status(snap) or (1 if result.stop_reason == "nan" else 0)


def run_race_cmd(args: argparse.Namespace) -> int:
    """The race through the job door in this process (the lab's job kind): every racer on the identical split."""
    import os

    from plm_core.cli import exit_status
    from plm_core.jobs import JobStatus, Snapshot, compute, run_here
    from plm_core.runs import RunStore, jsonable
    from plm_core.transfer.race import seed_table
    from plm_core.transfer.records import summary_with_data

    recipe, job, data = prepare(args)
    os.environ["PLM_LAB_WORKER_THREADS"] = str(args.threads)  # the CLI owns its process (threads, global seed)
    printer = epoch_printer(not args.json)
    if args.no_save:
        snap = Snapshot("here", recipe.kind, JobStatus.DONE, result=compute(recipe.kind, job, printer))
    else:
        snap = run_here((recipe.kind, job), on_update=printer)
    runs = [(view.racer, view.result) for view in snap.result.runs if view.result is not None]
    race_id = RunStore().get(snap.saved[0])["config"].get("race") if snap.saved else None
    summaries = [summary_with_data(result, {**data, "race": race_id, "racer": racer, "seed": result.config["seed"]})
                 | {"run_id": snap.saved[i] if i < len(snap.saved) else None} for i, (racer, result) in enumerate(runs)]
    table = seed_table([racer for racer, _ in runs], [result for _, result in runs]).to_dict(orient="records")
    if args.json:
        print(json.dumps(jsonable({"race": race_id, "runs": summaries, "strategies": table,
                                   "cached": bool(snap.cached)}), ensure_ascii=False))
    else:
        for summary in summaries:
            report(summary, False)
        for row in table:
            print(f"  {row['strategy']}: {row['accuracy_mean']:.4f} ± {row['accuracy_sd']:.4f} over {row['seeds']} "
                  f"seed(s), trainable {row['trainable_share']:.2%}, {row['seconds_mean']:.1f} s"
                  + ("  (within seed noise of the best)" if row["within_noise"] else ""))
    return exit_status(snap)
