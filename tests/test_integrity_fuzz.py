"""Property tests (hypothesis, fixed seed, bounded): any bytes give a data set or one PLMError; any CLI value
gives a result, a PLMError or argparse's usage exit (2) — never another exception."""

from __future__ import annotations

import argparse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plm_core.data import SampleSet, load_csv
from plm_core.errors import PLMError

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ---- the CSV loader --------------------------------------------------------------------------------

CELL = st.lists(st.sampled_from(list("ab =;,\t\"'\n\r|xyz가나\\") + ["NaN", "text", "label", "  "]),
                max_size=8).map("".join)


@st.composite
def csv_like(draw) -> bytes:
    """Mostly well-formed CSVs with hostile cells, separators, quotes, encodings and line ends."""
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.sampled_from(["text{s}label", "label{s}text", "Text{s}Label", "review{s}label", "text", ""]))
    rows = draw(st.lists(st.tuples(CELL, st.sampled_from(["pos", "neg", "NaN", "", "a=b", " x "]) | CELL),
                         max_size=30))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = header.format(s=sep) + end + end.join(f"{t}{sep}{lab}" for t, lab in rows)
    data = text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])), errors="replace")
    return draw(st.just(data) | st.binary(max_size=64).map(lambda b: data + b))


def loads_or_explains(data: bytes) -> None:
    try:
        ds = load_csv(data)
    except PLMError as err:
        assert err.key.startswith(("data.err.", "prepare.err.")) and str(err)
        return
    assert isinstance(ds, SampleSet) and len(ds.pool) and len(ds.test) and len(ds.labels) >= 2
    assert set(ds.pool["text"]).isdisjoint(ds.test["text"])


@FUZZ
@given(st.binary(max_size=600))
def test_any_bytes_give_a_data_set_or_a_plm_error(data: bytes) -> None:
    loads_or_explains(data)


@FUZZ
@given(csv_like())
def test_any_csv_like_file_gives_a_data_set_or_a_plm_error(data: bytes) -> None:
    loads_or_explains(data)


# ---- the command-line parsers ------------------------------------------------------------------------

VALUE = st.one_of(st.integers(min_value=-2**70, max_value=2**70).map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.sampled_from(["0", "1", "-1", "nan", "inf", "1e309", "", " ", "0x10", "4294967296", "3.5",
                                  "x" * 5000, "y" * 300 + ".csv", "a\x00b", "/", "."]),
                  st.text(max_size=12))


def checked(argv: list[str]) -> None:
    """Parse `argv` and run every validation the command does before its long work starts."""
    from plm_core.cli import build_parser

    try:
        args = build_parser().parse_args(argv)
        if args.command in ("train", "race"):
            from plm_core.transfer.cli import prepare

            modes = [args.mode] if args.command == "train" else [m for m in args.modes.split(",") if m.strip()]
            prepare(args, modes)
        elif args.command == "fewshot":
            from plm_core.data import resolve_dataset
            from plm_core.fewshot.cli import build_config, check_points, check_shots
            from plm_core.fewshot.curves import validate
            from plm_core.fewshot.methods import make_task

            ds = resolve_dataset(args.data)
            config = build_config(args, ds.labels)
            validate(config)
            check_points(args, config)
            check_shots(config, make_task(ds, args.test_limit).max_k())
    except PLMError as err:
        assert str(err) and not str(err).startswith(err.key)  # a catalog message, not a bare key
    except SystemExit as stop:
        assert stop.code == 2  # argparse: usage and a message


TRAIN_OPTIONS = ["--n", "--per-class", "--epochs", "--seed", "--test-limit", "--layer", "--lr-body", "--lr-head",
                 "--layer-decay", "--batch-size", "--max-length", "--threads", "--pooling", "--head", "--mode",
                 "--backbone", "--data"]
FEWSHOT_OPTIONS = ["--shots", "--seeds", "--test-limit", "--epochs", "--methods", "--backbone", "--template",
                   "--verbalizers", "--data"]


@pytest.fixture(autouse=True)
def quiet_stderr(capsys):
    yield


@FUZZ
@given(option=st.sampled_from(TRAIN_OPTIONS), value=VALUE, command=st.sampled_from(["train", "race"]))
def test_any_train_or_race_value_is_a_result_or_a_message(option: str, value: str, command: str) -> None:
    base = {"--backbone": "tiny-bert-mlm", "--data": "movie-snippets", "--n": "16"}
    if command == "train":
        base["--mode"] = "frozen"
    if option == "--per-class":
        base.pop("--n")
    base[option] = value
    argv = [command] + [x for k, v in base.items() for x in (k, v) if not (command == "race" and k == "--mode")]
    checked(argv)


@FUZZ
@given(option=st.sampled_from(FEWSHOT_OPTIONS), value=VALUE)
def test_any_fewshot_value_is_a_result_or_a_message(option: str, value: str) -> None:
    base = {"--data": "movie-snippets", "--methods": "similarity,frozen", "--shots": "0,1", "--test-limit": "20"}
    base[option] = value
    checked(["fewshot"] + [x for k, v in base.items() for x in (k, v)])


@FUZZ
@given(value=VALUE, option=st.sampled_from(["--seed", "--steps", "--threads", "--objective"]))
def test_any_pretrain_value_parses_or_is_a_message(value: str, option: str) -> None:
    """Parsing only: the pretrain command itself trains for minutes."""
    checked_parse(["pretrain", "--objective", "mlm", option, value])


def checked_parse(argv: list[str]) -> None:
    from plm_core.cli import build_parser

    try:
        build_parser().parse_args(argv)
    except PLMError as err:
        assert str(err)
    except SystemExit as stop:
        assert stop.code == 2


def test_the_fuzzed_parsers_are_the_real_ones() -> None:
    from plm_core.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert {"train", "race", "fewshot", "pretrain", "datasets", "backbones", "prepare"} <= set(sub.choices)
