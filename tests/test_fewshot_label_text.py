"""Label descriptions: the CLI's --label-text, the page's suggestion for short or unusual labels, the description
lines in a prompt, and (real MiniLM) similarity on a CSV with jargon labels scoring higher with descriptions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plm_core.errors import PLMError
from plm_core.fewshot.curves import prompt_with_descriptions
from plm_core.fewshot.methods import default_prompt
from plm_core.fewshot.prompting import DESCRIPTIONS_HEAD, PromptConfig, demo_prefix
from plm_core.fewshot.settings import labels_to_describe, ordinary_words, parse_label_texts

JARGON_CSV = Path(__file__).parent / "fixtures" / "jargon_reviews.csv"  # film reviews labelled FR (fresh) / RT
DESCRIBED = ["FR=I loved this wonderful, great film", "RT=I hated this boring, terrible film"]


def test_label_texts_are_repeatable_or_comma_separated_and_keep_commas_inside_a_description() -> None:
    labels = ["ham", "spam"]
    assert parse_label_texts(["ham=an ordinary personal email", "spam=an advert"], labels) == \
        {"ham": "an ordinary personal email", "spam": "an advert"}
    assert parse_label_texts(["ham=an ordinary, personal email,spam = an advert, or a scam"], labels) == \
        {"ham": "an ordinary, personal email", "spam": "an advert, or a scam"}
    assert parse_label_texts(None, labels) == {}


def test_a_label_text_for_an_unknown_label_names_the_labels() -> None:
    with pytest.raises(PLMError) as err:
        parse_label_texts(["eggs=breakfast"], ["ham", "spam"])
    assert err.value.key == "fewshot.err.unknown_label" and "ham, spam" in str(err.value.params["labels"])


def test_short_coded_or_unusual_labels_are_suggested_for_a_description() -> None:
    words = ordinary_words()
    assert words is not None and {"positive", "negative", "sports"} <= words
    assert labels_to_describe(["positive", "negative"], words) == []
    assert labels_to_describe(["ham", "spam", "FR", "class_2", "Science"], words) == ["ham", "FR", "class_2"]
    assert labels_to_describe(["qwertzuiop"], words) == ["qwertzuiop"]  # not an ordinary word
    assert labels_to_describe(["qwertzuiop"], None) == []  # no vocabulary: only short / coded labels


def test_descriptions_go_into_the_prompt_prefix_once_before_the_demonstrations() -> None:
    config = PromptConfig(descriptions={"ham": "an ordinary personal email", "spam": ""})
    prefix = demo_prefix(config, [("see you at noon", "ham")], ["ham", "spam"])
    assert prefix.startswith(f"{DESCRIPTIONS_HEAD}\nham: an ordinary personal email\n\n")
    assert "spam:" not in prefix and prefix.endswith("Review: see you at noon\nSentiment: ham\n\n")
    assert demo_prefix(PromptConfig(), [], ["ham", "spam"]) == ""  # no description: the prompt is unchanged


def test_prompting_reads_only_descriptions_a_user_wrote_not_the_data_sets_defaults() -> None:
    base = default_prompt("sentiment")
    defaults = {"positive": "a positive movie review", "negative": "a negative movie review"}
    assert prompt_with_descriptions(base, defaults, ["negative", "positive"], "sentiment").descriptions == {}
    mine = prompt_with_descriptions(base, {**defaults, "positive": "the critic  liked it"}, ["negative", "positive"],
                                    "sentiment")
    assert mine.descriptions == {"positive": "the critic liked it"} and base.descriptions == {}


def similarity_accuracy(capsys: pytest.CaptureFixture[str], *extra: str) -> float:
    from plm_core.cli import main

    code = main(["fewshot", "--data", str(JARGON_CSV), "--methods", "similarity", "--backbone", "similarity=minilm-l6",
                 "--shots", "0", "--seeds", "1", "--json", "--no-save", "--quiet", *extra])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    return float(payload["methods"]["similarity"]["points"]["0"]["mean"])


@pytest.mark.slow
def test_similarity_on_jargon_labels_scores_higher_with_label_descriptions(
        capsys: pytest.CaptureFixture[str], no_network: None, private_stores: None, one_torch_thread: None) -> None:
    bare = similarity_accuracy(capsys)
    described = similarity_accuracy(capsys, *(arg for text in DESCRIBED for arg in ("--label-text", text)))
    assert described > bare + 0.15, (bare, described)
    assert similarity_accuracy(capsys, "--label-text", ",".join(DESCRIBED)) == described  # one comma-separated flag
