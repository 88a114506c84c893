"""Command line: `python -m plm_core {backbones,datasets,prepare,...}`.

Feature modules add subcommands by exposing `add_parser(subparsers)` (which sets `func=run` as a default);
`build_parser` imports them by name in code (no module strings).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from plm_core.errors import PLMError

SEED_MAX = 2**32 - 1  # seeds are unsigned 32-bit (numpy and torch generators accept 0 .. 2**32 - 1)


def seed_arg(text: str) -> int:
    """argparse type of a --seed: a whole number in 0 .. 2**32 - 1, else a PLMError (exit 2, no traceback)."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise PLMError("cli.err.bad_seed", value=text, high=SEED_MAX) from None
    if not 0 <= value <= SEED_MAX:
        raise PLMError("cli.err.bad_seed", value=text, high=SEED_MAX)
    return value


def emit_notices(notices: list[tuple[str, dict]]) -> None:
    """The data's notices (cut texts, removed duplicates, separator) on stderr, in English."""
    for key, params in notices:
        print(f"note: {PLMError(key, **params)}", file=sys.stderr)


def exit_status(snap: Any) -> int:
    """A CLI's exit status after showing a job's result: 0, or 3 (EXIT_NOT_SAVED) with the reason on stderr
    when storing the result failed."""
    from plm_core.runs import EXIT_NOT_SAVED

    if snap.save_error is None:
        return 0
    print(f"error: {snap.save_error.message()}", file=sys.stderr)
    return EXIT_NOT_SAVED


BACKBONE_FIELDS = ("name", "family", "params", "layers", "hidden_size", "heads", "source", "license", "display")


def print_rows(rows: list[dict], as_json: bool, line: Callable[[dict], str]) -> int:
    """A listing command's output: the rows as a JSON list, or one `line(row)` each."""
    for text in [json.dumps(rows, ensure_ascii=False, indent=2)] if as_json else map(line, rows):
        print(text)
    return 0


def cmd_backbones(args: argparse.Namespace) -> int:
    from plm_core.backbones import specs

    rows = [{k: s.as_row()[k] for k in BACKBONE_FIELDS} for s in specs().values()]
    return print_rows(rows, args.json, lambda r: f"{r['name']:<20} {r['family']:<16} {r['params']/1e6:>8.2f}M  "
                      f"layers={r['layers']:<3} hidden={r['hidden_size']:<4} {r['license']}")


def cmd_datasets(args: argparse.Namespace) -> int:
    from plm_core.data import get_dataset, list_datasets

    rows = [get_dataset(name).summary() for name in list_datasets()]
    return print_rows(rows, args.json, lambda r: f"{r['name']:<16} {r['task']:<10} pool={r['n_pool']:<6} "
                      f"test={r['n_test']:<5} labels={len(r['labels'])} {r['license']}")


def cmd_prepare(args: argparse.Namespace) -> int:
    from plm_core.prepare import prepare_all

    prepare_all()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m plm_core", description="PLM Lab core: models, data, experiments.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("backbones", help="list the backbone registry")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_backbones)
    p = sub.add_parser("datasets", help="list the sample sets with their splits")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_datasets)
    p = sub.add_parser("prepare", help="download and prepare data files and converted models (idempotent)")
    p.set_defaults(func=cmd_prepare)
    from plm_core.evidence import cli as evidence_cli
    from plm_core.evidence import domain_cli
    from plm_core.fewshot import cli as fewshot_cli
    from plm_core.lessons import cli as lessons_cli
    from plm_core.pretrain import cli as pretrain_cli
    from plm_core.transfer import cli as transfer_cli

    for module in (pretrain_cli, transfer_cli, fewshot_cli, domain_cli, evidence_cli, lessons_cli):
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)  # a type check (e.g. seed_arg) may raise a PLMError
        return int(args.func(args) or 0)
    except PLMError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
