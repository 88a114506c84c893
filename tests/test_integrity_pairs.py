"""Few-shot 'label = word' lines: labels may contain any character, '=' and ' = ' included."""

from __future__ import annotations

import pytest

from plm_core.errors import PLMError
from plm_core.fewshot.settings import pairs_text, parse_pairs

ODD_LABELS = ["a=b", "a", "x = y", "=start", "end=", "긍정=좋음", "100%", "semi;colon", "c,d"]


def test_a_label_with_equals_round_trips() -> None:
    words = {"a=b": "good", "a": "bad = worse"}
    assert parse_pairs(pairs_text(words), ["a", "a=b"]) == words


def test_every_odd_label_round_trips() -> None:
    words = {label: f"word{i}" for i, label in enumerate(ODD_LABELS)}
    assert parse_pairs(pairs_text(words), ODD_LABELS) == words


@pytest.mark.parametrize("line, expected", [
    ("a=b=good", {"a=b": "good"}),
    ("a = b=good", {"a": "b=good"}),
    ("x = y = yes", {"x = y": "yes"}),
    ("  a=b   =  spaced  ", {"a=b": "spaced"}),
])
def test_the_longest_known_label_wins(line, expected) -> None:
    assert parse_pairs(line, ODD_LABELS) == expected


@pytest.mark.parametrize("text, key", [
    ("no separator here", "fewshot.err.bad_pair"),
    ("= word", "fewshot.err.bad_pair"),
    ("ab = word", "fewshot.err.unknown_label"),
])
def test_bad_lines_are_messages(text, key) -> None:
    with pytest.raises(PLMError) as err:
        parse_pairs(text, ["a", "b"])
    assert err.value.key == key


def test_cli_verbalizers_accept_labels_with_equals() -> None:
    from plm_core.fewshot.cli import parse_verbalizers

    assert parse_verbalizers("a=b= good,a= bad", ["a", "a=b"]) == {"a=b": " good", "a": " bad"}
    with pytest.raises(PLMError) as err:
        parse_verbalizers("c= nope", ["a", "b"])
    assert err.value.key == "fewshot.err.unknown_label"
