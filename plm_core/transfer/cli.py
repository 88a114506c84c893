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
from plm_core.transfer.config import HEADS, MODES, POOLINGS, SCHEDULES, Mode, TrainConfig
from plm_core.transfer.strategies import STRATEGIES

DEFAULTS = TrainConfig(backbone="")


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--backbone", required=True, help="registry name (see `python -m plm_core backbones`)")
    p.add_argument("--data", required=True, help="sample-set name or path/to/file.csv (columns text,label)")
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--n", type=int, help="N labelled examples drawn from the pool")
    size.add_argument("--per-class", type=int, help="K labelled examples of every class")
    p.add_argument("--epochs", type=int, default=DEFAULTS.epochs)
    p.add_argument("--seed", type=seed_arg, default=DEFAULTS.seed, help="0 .. 2**32-1")
    p.add_argument("--test-limit", type=int, default=None, help="score on the first N test examples (default all)")
    p.add_argument("--pooling", choices=POOLINGS, default=None, help="default: last for decoders, else mean")
    p.add_argument("--layer", type=int, default=-1, help="hidden state to read: 0 = embeddings, -1 = top")
    p.add_argument("--head", choices=HEADS, default=DEFAULTS.head)
    p.add_argument("--lr-body", type=float, default=DEFAULTS.lr_body)
    p.add_argument("--lr-head", type=float, default=DEFAULTS.lr_head)
    p.add_argument("--layer-decay", type=float, default=DEFAULTS.layer_decay, help="xi of discriminative lrs")
    p.add_argument("--batch-size", type=int, default=DEFAULTS.batch_size)
    p.add_argument("--max-length", type=int, default=DEFAULTS.max_length, help="tokens per text")
    p.add_argument("--groups", default="", help="edits on top of the strategy, e.g. 'layer.0-2:frozen,head:x10,"
                   "layer.3:lora=8' (edits: frozen, train, bitfit, lora=R, lr=X, xM, @EPOCH)")
    p.add_argument("--k", type=int, default=DEFAULTS.k, help="freeze_bottom / top_k: how many layers")
    p.add_argument("--lora-rank", type=int, default=DEFAULTS.lora_rank, help="lora: the adapters' rank r")
    p.add_argument("--schedule", choices=SCHEDULES, default=DEFAULTS.schedule, help="learning-rate schedule")
    p.add_argument("--warmup", type=float, default=DEFAULTS.warmup, help="share of steps warming up (STLR cut_frac)")
    p.add_argument("--threads", type=int, default=DEFAULTS.threads, help="torch CPU threads (1: best on a shared CPU)")
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
    p.add_argument("--modes", default="frozen,finetune,discriminative,gradual,scratch",
                   help="comma-separated, 2 to 5 of: " + ", ".join(MODES))
    p.add_argument("--strategies", default="", help="instead of --modes: 2 to 5 of " + ", ".join(STRATEGIES))
    p.add_argument("--seeds", type=int, default=1, help="run every racer with seeds seed, seed+1, ... (mean ± sd)")
    p.set_defaults(func=run_race_cmd)


def parse_mode(text: str) -> Mode:
    """A mode named on the command line, or the PLMError validate_config would raise for it."""
    for mode in MODES:
        if mode == text:
            return mode
    raise PLMError("transfer.err.bad_mode", mode=text, choices=", ".join(MODES))


def config_from_args(args: argparse.Namespace, mode: str, strategy: str = "") -> TrainConfig:
    from plm_core.backbones import get_spec
    from plm_core.transfer.config import default_pooling

    spec = get_spec(args.backbone)
    return TrainConfig(
        backbone=args.backbone, mode=parse_mode(mode), pooling=args.pooling or default_pooling(spec), layer=args.layer,
        head=args.head, epochs=args.epochs, lr_body=args.lr_body, lr_head=args.lr_head,
        layer_decay=args.layer_decay, batch_size=args.batch_size, max_length=args.max_length, seed=args.seed,
        threads=args.threads, strategy=strategy, groups=args.groups, k=args.k, lora_rank=args.lora_rank,
        schedule=args.schedule, warmup=args.warmup,
    )


def prepare(args: argparse.Namespace, modes: list[str], strategies: list[str] | None = None):
    """Configs (validated before any model is loaded), the split, and the data description.

    `strategies` (same length as `modes`, "" = the mode's own preset) picks a strategy per racer."""
    from plm_core.backbones import get_spec
    from plm_core.data import resolve_dataset
    from plm_core.transfer.config import validate_config
    from plm_core.transfer.split import make_split

    configs = [config_from_args(args, m, s) for m, s in zip(modes, strategies or [""] * len(modes), strict=False)]
    for c in configs:
        validate_config(c, get_spec(c.backbone))
    ds = resolve_dataset(args.data)
    split = make_split(ds, n=args.n, per_class=args.per_class, seed=args.seed, test_limit=args.test_limit)
    data = {"data": ds.name, "n": args.n, "per_class": args.per_class, "test_limit": args.test_limit,
            "texts_cut": ds.texts_cut, "duplicates_removed": ds.duplicates_removed}
    emit_notices(ds.notices)
    return configs, split, data


def progress_printer(enabled: bool):
    from plm_core.transfer.trainer import Callback

    class Printer(Callback):
        def on_epoch_end(self, trainer, record) -> None:
            if enabled:
                print(f"  epoch {record['epoch']}: train loss {record['train_loss']:.4f}  "
                      f"test acc {record['test_accuracy']:.4f}  ({record['seconds']:.1f} s)", file=sys.stderr)

    return Printer()


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


def store(result: Any, data: dict, kind: str, summary: dict) -> PLMError | None:
    """Save one run into the runs database; sets summary["run_id"] (None if it failed) and returns the failure."""
    from plm_core.runs import RunNotSaved
    from plm_core.transfer.records import save_result

    try:
        summary["run_id"] = save_result(None, result, data, kind)
        return None
    except RunNotSaved as err:
        summary["run_id"] = None
        summary["not_saved"] = str(err)
        return err


def run(args: argparse.Namespace) -> int:
    from plm_core.runs import EXIT_NOT_SAVED
    from plm_core.training.threads import own_process
    from plm_core.transfer.api import train
    from plm_core.transfer.records import summary_with_data

    (config,), split, data = prepare(args, [args.mode or "finetune"], [args.strategy or ""])
    own_process(config.seed, config.threads)  # the CLI owns its process: threads, and dropout's global seed
    result = train(config, split.train, split.test, callbacks=[progress_printer(not args.json)])
    summary = summary_with_data(result, data)
    failure = None if args.no_save else store(result, data, "transfer", summary)
    report(summary, args.json)  # the result first: a failed store never costs it
    for key, params in result.notices:
        print(PLMError(key, **params), file=sys.stderr)
    if failure is not None:
        print(f"error: {failure}", file=sys.stderr)
        return EXIT_NOT_SAVED
    return 1 if result.stop_reason == "nan" else 0


def run_race_cmd(args: argparse.Namespace) -> int:
    import uuid

    from plm_core.backbones import load_backbone
    from plm_core.runs import EXIT_NOT_SAVED
    from plm_core.training.threads import own_process
    from plm_core.transfer.race import run_race
    from plm_core.transfer.records import summary_with_data

    strategies = [m.strip() for m in args.strategies.split(",") if m.strip()]
    modes = strategies or [m.strip() for m in args.modes.split(",") if m.strip()]
    configs, split, data = prepare(args, modes if not strategies else ["finetune"] * len(modes), strategies or None)
    backbone = load_backbone(args.backbone)
    own_process(configs[0].seed, configs[0].threads)
    race_id = uuid.uuid4().hex[:8]
    summaries: list[dict] = []
    failures: list[PLMError] = []

    def on_result(i: int, result) -> None:
        seeds = max(args.seeds, 1)
        info = {**data, "race": race_id, "racer": modes[i // seeds], "seed": configs[0].seed + i % seeds}
        summary = summary_with_data(result, info)
        failure = None if args.no_save else store(result, info, "race", summary)
        summaries.append(summary)
        if not args.json:
            report(summary, False)
        if failure is not None:
            failures.append(failure)

    race = run_race(configs, split, backbone, [progress_printer(not args.json)], on_result=on_result,
                    seeds=args.seeds)
    table = race.seed_table().to_dict(orient="records")
    if args.json:
        from plm_core.runs import jsonable

        print(json.dumps(jsonable({"race": race_id, "runs": summaries, "strategies": table}), ensure_ascii=False))
    else:
        for row in table:
            print(f"  {row['strategy']}: {row['accuracy_mean']:.4f} ± {row['accuracy_sd']:.4f} over {row['seeds']} "
                  f"seed(s), trainable {row['trainable_share']:.2%}, {row['seconds_mean']:.1f} s"
                  + ("  (within seed noise of the best)" if row["within_noise"] else ""))
    if failures:
        print(f"error: {failures[0]}", file=sys.stderr)
        return EXIT_NOT_SAVED
    return 0

