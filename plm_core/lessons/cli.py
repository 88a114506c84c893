"""`python -m plm_core lesson {list,prepare,worksheet}`: lessons from the command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from plm_core.errors import PLMError


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """--set n=32 --set epochs=1 -> {"n": "32", "epochs": "1"} (applied to every step that has the setting)."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise PLMError("lessons.err.override", pair=pair)
        out[name.strip()] = value.strip()
    return out


def cmd_list(args: argparse.Namespace) -> int:
    from plm_core.lessons import lessons
    from plm_core.lessons.jobs import lesson_jobs

    for lesson in lessons():
        print(f"{lesson.id:<18} {len(lesson.steps)} steps  {len(lesson_jobs(lesson))} jobs  ~{lesson.minutes} min  "
              f"{lesson.title.get(args.lang)}")
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    from plm_core.jobs import get_service
    from plm_core.lessons import get_lesson
    from plm_core.lessons.jobs import prepare

    lesson = get_lesson(args.name)
    service, started = get_service(), time.monotonic()

    def bar(fraction: float) -> None:
        filled = round(30 * fraction)
        print(f"\r{lesson.id}: [{'#' * filled}{'.' * (30 - filled)}] {100 * fraction:5.1f}%  "
              f"{time.monotonic() - started:6.1f} s", end="", file=sys.stderr, flush=True)

    try:
        done = prepare(service, lesson, lesson_overrides(args), on_progress=bar, timeout=args.timeout)
    finally:
        print(file=sys.stderr)
        service.shutdown()
    for p in done:
        print(f"step {p.step + 1}: {p.status}{' (cached)' if p.cached else f' in {p.seconds:.1f} s'}")
    return 0 if all(p.status == "done" for p in done) else 1


def lesson_overrides(args: argparse.Namespace) -> dict[str, str]:
    return parse_overrides(args.set or [])


def cmd_worksheet(args: argparse.Namespace) -> int:
    from plm_core.lessons import get_lesson
    from plm_core.lessons.worksheet import build_worksheet

    text = build_worksheet(get_lesson(args.name), args.lang, overrides=lesson_overrides(args))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("lesson", help="the guided lessons: list, prepare ahead of class, worksheets")
    lsub = parser.add_subparsers(dest="lesson_command", required=True)
    p = lsub.add_parser("list", help="the lessons, in course order")
    p.add_argument("--lang", choices=["ko", "en"], default="en")
    p.set_defaults(func=cmd_list)
    p = lsub.add_parser("prepare", help="run every step's job now, so class gets cached results")
    p.add_argument("name", help='lesson id, number or name ("2-transfer", "2", "transfer")')
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a setting of every step")
    p.add_argument("--timeout", type=float, default=3600.0, help="give up after this many seconds")
    p.set_defaults(func=cmd_prepare)
    p = lsub.add_parser("worksheet", help="a printable HTML worksheet with the prepared figures")
    p.add_argument("name")
    p.add_argument("--lang", choices=["ko", "en"], default="ko")
    p.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="the same overrides as prepare")
    p.set_defaults(func=cmd_worksheet)
