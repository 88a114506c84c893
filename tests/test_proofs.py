"""Paper-proof cards: every verdict rule on fixed inputs (both outcomes), the card registry, the CLI, and
a small card run through the job kind and the result cache."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from plm_core.errors import PLMError
from plm_core.evidence import cards_verdicts as v
from plm_core.evidence.cards import ProofJob, card_ids, default_job, get_card
from plm_core.evidence.cards_registry import CARDS
from plm_core.i18n import all_messages

ULMFIT_BASE = {"scratch": 55.0, "finetune": 70.0, "discriminative": 71.0, "gradual": 66.0, "frozen": 64.0}


def test_ulmfit_rule() -> None:
    assert v.ulmfit_verdict(ULMFIT_BASE).outcome == "reproduced"
    assert v.ulmfit_verdict(ULMFIT_BASE | {"discriminative": 69.0, "gradual": 60.0}).outcome == "partly"
    failed = v.ulmfit_verdict(ULMFIT_BASE | {"finetune": 64.9})
    assert failed.outcome == "not_reproduced" and failed.params["gain"] == 9.9


def test_bert_rule() -> None:
    close = {"movie": {"finetune": 80.0, "concat4": 78.0}, "wiki": {"finetune": 70.0, "concat4": 67.5}}
    assert v.bert_verdict(close).outcome == "reproduced"
    assert v.bert_verdict(close | {"wiki": {"finetune": 70.0, "concat4": 60.0}}).outcome == "partly"
    far = v.bert_verdict({"movie": {"finetune": 80.0, "concat4": 70.0}})
    assert far.outcome == "not_reproduced" and "movie: 10.0" in far.params["gaps"]


def test_elmo_rule() -> None:
    assert v.elmo_verdict([54.0, 55.0], [56.0, 56.0]).outcome == "reproduced"
    assert v.elmo_verdict([54.0, 55.0], [54.5, 54.6]).reason == "tie"
    top = v.elmo_verdict([58.0, 58.0], [55.0, 55.0])
    assert top.outcome == "not_reproduced" and top.reason == "top_better" and top.params["diff"] == -3.0


def test_gpt3_rule() -> None:
    rising = {"big": {0: 50.0, 1: 55.0, 8: 62.0}, "small": {0: 50.0, 8: 51.0}}
    yes = v.gpt3_verdict(rising)
    assert yes.outcome == "reproduced" and yes.params["model"] == "big"
    flat = v.gpt3_verdict({"smollm2-135m": {0: 60.0, 1: 58.0, 8: 63.0}})
    assert flat.outcome == "not_reproduced" and flat.reason == "flat"


def test_ethayarajh_rule() -> None:
    falling, rising = [0.9, 0.7, 0.4], [0.9, 0.3, 0.5]
    assert v.ethayarajh_verdict({"a": falling, "b": falling}).outcome == "reproduced"
    assert v.ethayarajh_verdict({"a": falling, "b": rising}).outcome == "partly"
    assert v.ethayarajh_verdict({"a": rising}).outcome == "not_reproduced"


def test_setfit_rule() -> None:
    assert v.setfit_verdict({"setfit": 80.0, "frozen": 75.0, "finetune": 70.0}).outcome == "reproduced"
    assert v.setfit_verdict({"setfit": 74.0, "frozen": 75.0, "finetune": 70.0}).outcome == "partly"
    assert v.setfit_verdict({"setfit": 60.0, "frozen": 75.0, "finetune": 70.0}).outcome == "not_reproduced"


def test_matrix_rule() -> None:
    assert v.matrix_verdict({"mlm": 5.0, "clm": 3.0, "span": -1.0}).outcome == "reproduced"
    no = v.matrix_verdict({"mlm": 2.0, "clm": 9.0, "span": -3.0, "sgns": 10.0})
    assert no.outcome == "not_reproduced" and no.params["best"] == "sgns"


@pytest.mark.parametrize("card_id", list(CARDS))
def test_every_card_has_its_text_in_both_languages(card_id: str) -> None:
    messages = all_messages()
    for part in ("title", "claim", "setup", "rule"):
        assert set(messages[f"proofs.{card_id}.{part}"]) >= {"en", "ko"}
    reasons = [k for k in messages if k.startswith(f"proofs.{card_id}.v.")]
    assert len(reasons) >= 2  # at least one way to pass and one to fail
    assert f"proofs.{card_id}.v.yes" in messages
    for number in get_card(card_id).paper_numbers:
        assert f"proofs.unit.{number.unit}" in messages and f"proofs.variant.{number.variant}" in messages


def test_rule_text_carries_the_threshold_the_function_uses() -> None:
    assert f"≥ {v.ULMFIT_GAIN:.0f}" in v.Verdict("ulmfit", "reproduced", "yes").rule("en")
    assert f"{v.BERT_GAP:.0f}" in v.Verdict("bert", "reproduced", "yes").rule("ko")


def test_unknown_card_is_a_plm_error() -> None:
    with pytest.raises(PLMError) as err:
        get_card("nope")
    assert err.value.key == "proofs.err.unknown_card"


def test_default_job_uses_the_cards_preset() -> None:
    job = default_job("elmo")
    assert isinstance(job, ProofJob) and job.preset is CARDS["elmo"].preset
    assert card_ids() == ["ulmfit", "bert", "elmo", "gpt3", "ethayarajh", "setfit", "matrix"]


def test_cli_lists_cards(capsys) -> None:
    from plm_core.cli import main

    assert main(["proof", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["card"] for r in rows] == card_ids() and "Table 7" in rows[0]["where"]


def small_elmo(monkeypatch) -> None:
    card = CARDS["elmo"]
    monkeypatch.setitem(CARDS, "elmo", replace(card, preset=replace(card.preset, n=80, test_limit=80, seeds=2)))


@pytest.mark.slow
def test_a_small_card_runs_from_the_cli_then_comes_from_the_cache(private_stores, monkeypatch, capsys,
                                                                    one_torch_thread) -> None:
    from plm_core.cli import main

    small_elmo(monkeypatch)
    assert main(["proof", "elmo", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert not first["cached"] and first["verdict"] in ("reproduced", "not_reproduced")
    assert {r["variant"] for r in first["ours"]} == {"top", "mix"} and all(r["n"] == 2 for r in first["ours"])
    assert any(p["value"] == 85.2 for p in first["paper_numbers"])  # SQuAD, all layers, as printed
    assert first["rule"].startswith("Reproduced when")
    assert len(first["extra"]["gamma"]) == 2 and abs(sum(first["extra"]["layer_weights"]) - 1) < 1e-3
    assert main(["proof", "elmo", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["cached"] and second["ours"] == first["ours"]
