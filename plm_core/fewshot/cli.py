"""`python -m plm_core fewshot`: accuracy-vs-K curves for zero/one/few-shot methods, as JSON or a table."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from plm_core.errors import PLMError

MAX_EPOCHS = 100  # fine-tuning passes per K-shot sample


def parse_ints(text: str, what: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise PLMError("fewshot.err.bad_shots", shots=text) from None
    if not values:
        raise PLMError("fewshot.err.bad_shots", shots=text)
    return values


def parse_backbones(items: list[str] | None, methods: tuple[str, ...]) -> dict[str, str]:
    """`--backbone NAME` (every method that can use it) or `--backbone method=NAME`."""
    from plm_core.fewshot.methods import method_backbones

    out: dict[str, str] = {}
    for item in items or []:
        method, _, name = item.rpartition("=")
        targets = [method] if method else [m for m in methods if item in method_backbones(m)]
        if not targets:
            raise PLMError("fewshot.err.backbone_fits_none", name=item, methods=", ".join(methods))
        for m in targets:
            if name not in method_backbones(m):
                raise PLMError("fewshot.err.backbone_not_for", name=name, method=m,
                               choices=", ".join(method_backbones(m)) or "-")
            out[m] = name
    return out


def parse_verbalizers(text: str, labels: Sequence[str]) -> dict[str, str]:
    """'label=word,label=word' (the word keeps its spaces: ' good' is a word with a leading space).

    With the data's labels known, a label may contain '=' (the longest known label wins); an unknown
    label is an error.
    """
    out: dict[str, str] = {}
    for item in (i for i in (text or "").split(",") if i.strip()):
        label, sep, word = item.partition("=")
        if labels:
            known = [lab for lab in labels if item.lstrip().startswith(lab)
                     and item.lstrip()[len(lab):].lstrip().startswith("=")]
            if not known:
                raise PLMError("fewshot.err.unknown_label", label=label.strip(), labels=", ".join(labels))
            label = max(known, key=len)
            rest = item.lstrip()[len(label):].lstrip()
            out[label] = rest[1:]
        elif sep:
            out[label] = word
    return out


def prompt_k_for(shots: Sequence[int]) -> int:
    """Without --prompt-max-k, prompting goes as far as --shots asks (up to the largest K the lab offers)."""
    from plm_core.fewshot.curves import PROMPT_K_CHOICES

    return max((k for k in PROMPT_K_CHOICES if k <= max(shots, default=0)), default=0)


def recipe_from_args(args: argparse.Namespace, labels: Sequence[str] = ()) -> Any:
    """The flags as the Few-shot lab's curve recipe: the same settings its URL and a lesson step name."""
    from plm_core.data import DATASETS
    from plm_core.fewshot.methods import available_methods
    from plm_core.fewshot.settings import pairs_text, parse_label_texts
    from plm_core.recipes import FewShotCurve

    methods = tuple(dict.fromkeys(m.strip() for m in args.methods.split(",") if m.strip()))
    offered = available_methods()
    missing = [m for m in methods if m not in offered]
    if missing:
        raise PLMError("fewshot.err.method_unavailable", method=", ".join(missing), choices=", ".join(offered))
    shots = tuple(dict.fromkeys(parse_ints(args.shots, "shots")))
    flags = {"data": args.data if args.data in DATASETS else FewShotCurve().data, "methods": methods,
             "shots": shots, "seeds": args.seeds, "test": args.test_limit,
             "prompt_k": prompt_k_for(shots) if args.prompt_max_k is None else args.prompt_max_k, "epochs": args.epochs,
             "calibrate": args.calibrate, "template": args.template,
             "words": pairs_text(parse_verbalizers(args.verbalizers, labels)),
             "desc": pairs_text(parse_label_texts(args.label_text, labels)),
             **{f"bb_{m}": name for m, name in parse_backbones(args.backbone, methods).items()}}
    return FewShotCurve.from_flags(flags)


def build_job(args: argparse.Namespace, labels: Sequence[str] = ()) -> Any:
    """The CurveJob of the flags' recipe (a CSV travels as its bytes)."""
    from pathlib import Path

    from plm_core.data import DATASETS
    from plm_core.jobs import DataRef

    data = None if args.data in DATASETS else DataRef(Path(args.data).name, Path(args.data).read_bytes())
    return recipe_from_args(args, labels).job_config(data)


def build_config(args: argparse.Namespace, labels: Sequence[str] = ()) -> Any:
    """The curve's config (the data's task and language come from the data itself)."""
    return build_job(args, labels).config


def run(args: argparse.Namespace) -> int:
    """The curves through the job door in this process (the lab's job kind "fewshot.curves"): from the result
    cache when the lab or a lesson computed the same curve, else computed here and stored (exit 3 if not)."""
    from plm_core.cli import emit_notices, exit_status
    from plm_core.data import resolve_dataset
    from plm_core.fewshot.curves import summarize, to_json, validate
    from plm_core.fewshot.jobs import CurveJob
    from plm_core.fewshot.methods import make_task
    from plm_core.jobs import JobStatus, Snapshot, compute, run_here
    from plm_core.jobs.refs import data_ref

    ds = resolve_dataset(args.data)
    config = build_config(args, ds.labels)
    validate(config)
    check_points(args, config)
    check_shots(config, make_task(ds, args.test_limit).max_k())
    emit_notices(ds.notices)
    job = CurveJob(config, data_ref(args.data))

    def progress(event: dict[str, Any]) -> None:
        if "current" in event:
            eta = f" {event['eta_seconds']:.0f}s left" if event.get("eta_seconds") is not None else ""
            print(f"[{100 * event.get('fraction', 0):.0f}%] {event['current']}{eta}", file=sys.stderr, flush=True)

    printer = None if args.quiet else progress
    if args.no_save:
        snap = Snapshot("here", "fewshot.curves", JobStatus.DONE, result=compute("fewshot.curves", job, printer))
    else:
        snap = run_here(("fewshot.curves", job), on_update=printer)
    result = snap.result
    if not result.points and not result.stopped:
        reasons = "; ".join(f"{s.method} K={s.k}: {PLMError(s.key, **s.params)}" for s in result.skipped) or "-"
        raise PLMError("fewshot.err.no_points", reasons=reasons)
    payload = {**to_json(result), "texts_cut": ds.texts_cut, "duplicates_removed": ds.duplicates_removed,
               "cached": snap.cached}
    if snap.save_error is not None:
        payload["not_saved"] = snap.save_error.message()
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(summarize(result.points).round(3).to_string(index=False))
        for c in payload["crossovers"]:
            print(f"{c['method']} overtakes prompting at K={c['k']}: {c['accuracy']:.3f} > {c['reference']:.3f}")
    return exit_status(snap)


def check_points(args: argparse.Namespace, config: Any) -> None:
    """Settings that would give no point at all are errors, not an empty table."""
    if not 1 <= args.epochs <= MAX_EPOCHS:
        raise PLMError("fewshot.err.bad_epochs", epochs=args.epochs, high=MAX_EPOCHS)
    if args.test_limit is not None and args.test_limit < 1:
        raise PLMError("fewshot.err.bad_test_limit", limit=args.test_limit)


def check_shots(config: Any, most: int) -> None:
    """Every K must be drawable: at most `most` (the smallest class in the pool)."""
    too_big = sorted(k for k in set(config.shots) if k > most)
    if too_big:
        raise PLMError("fewshot.err.k_too_large", shots=", ".join(map(str, too_big)), most=most)


def add_parser(subparsers: Any) -> None:
    from plm_core.recipes import FewShotCurve

    curve = FewShotCurve()  # the flags' defaults are the recipe's (the lab's default curve)
    p = subparsers.add_parser("fewshot", help="accuracy vs K for similarity / prompt / cloze / frozen / finetune")
    p.add_argument("--data", default=curve.data, help="sample-set name or path to a CSV (text,label)")
    p.add_argument("--methods", default=",".join(curve.methods), help="comma-separated methods")
    p.add_argument("--backbone", action="append", metavar="[METHOD=]NAME",
                   help="backbone for the methods that can use it (repeatable), e.g. prompt=smollm2-135m")
    p.add_argument("--shots", default=",".join(map(str, curve.shots)), help="K values per class, comma-separated")
    p.add_argument("--seeds", type=int, default=curve.seeds, help="K-shot draws (and demonstration orders) per K")
    p.add_argument("--test-limit", type=int, default=curve.test, help="first N examples of the fixed test set")
    p.add_argument("--prompt-max-k", type=int, default=None,
                   help="prompting stops at this K (default: the largest K in --shots, at most 32)")
    p.add_argument("--template", default="",
                   help=r"prompt template with {text} and a final {label}, e.g. 'Review: {text}\nSentiment:{label}'")
    p.add_argument("--verbalizers", default="", help="label=word pairs, e.g. 'positive= good,negative= bad'")
    p.add_argument("--calibrate", action="store_true", help="contextual calibration of the prompt scores")
    p.add_argument("--label-text", action="append", metavar="LABEL=TEXT",
                   help="what a label means, e.g. 'ham=an ordinary personal email' (repeatable or comma-separated); "
                        "similarity embeds it, prompting shows it before the demonstrations")
    p.add_argument("--epochs", type=int, default=curve.epochs, help="fine-tuning epochs per K-shot sample")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--no-save", action="store_true", help="do not store the run in the runs store")
    p.set_defaults(func=run)
