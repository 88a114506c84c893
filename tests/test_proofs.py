"""Paper-proof cards: the statistics helper, every card's verdict rule on fixed inputs for each of its three outcomes
(the issue's BERT case never "reproduced"), the registry, and the CLI's JSON for every card."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from plm_core.errors import PLMError
from plm_core.evidence import cards_verdicts as v
from plm_core.evidence import stats
from plm_core.evidence.cards import ProofJob, ProofResult, ProofRow, card_ids, default_job, get_card
from plm_core.evidence.cards_registry import CARDS
from plm_core.evidence.stats import Arm
from plm_core.i18n import all_messages

N = 500
TRUTH = np.arange(N) % 2  # balanced binary test labels


def arm(accs: list[float], seed: int, base: np.ndarray | None = None, flips: int = 0) -> Arm:
    """Per seed, predictions right on round(acc * N) texts (a random set per arm), or `base` with `flips` changed."""
    rng = np.random.default_rng(seed)
    rows = []
    for s, acc in enumerate(accs):
        if base is not None:
            pred = base[s].copy()
            idx = rng.choice(N, size=flips, replace=False)
            pred[idx] = 1 - pred[idx]
        else:
            right = np.zeros(N, dtype=bool)
            right[rng.choice(N, size=round(acc * N), replace=False)] = True
            pred = np.where(right, TRUTH, 1 - TRUTH)
        rows.append(pred)
    return Arm(np.stack(rows), TRUTH)


# ---- the statistics ------------------------------------------------------------------------------

def test_mean_and_sample_sd_and_no_sd_for_one_seed() -> None:
    spread = stats.mean_sd([60.0, 62.0, 67.0])
    assert spread.mean == pytest.approx(63.0) and spread.sd == pytest.approx(np.std([60, 62, 67], ddof=1))
    assert stats.mean_sd([60.0]).sd is None and stats.mean_sd([60.0]).n == 1
    assert ProofRow.over_seeds("d", "v", [1.0]).sd is None


def test_paired_ci_is_seeded_and_pairing_narrows_it() -> None:
    a = arm([0.70] * 3, 1)
    close = arm([0.70] * 3, 2, base=a.predictions, flips=10)  # the same texts right, but 10
    independent = arm([0.70] * 3, 3)
    one = stats.paired_ci({"a": a, "b": close}, {"a": 1.0, "b": -1.0})
    assert one == stats.paired_ci({"a": a, "b": close}, {"a": 1.0, "b": -1.0})  # its own seeded generator
    width_paired = one[2] - one[1]
    _, low, high = stats.paired_ci({"a": a, "b": independent}, {"a": 1.0, "b": -1.0})
    assert width_paired < (high - low) / 2


def test_weighted_macro_f1_matches_the_trainers_score() -> None:
    from plm_core.transfer.trainer import classification_metrics

    rng = np.random.default_rng(0)
    truth, pred = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    got = stats.weighted_metric(pred[None, :], truth, np.ones((1, 200)), "macro_f1")[0, 0]
    assert got == pytest.approx(classification_metrics(truth, pred, 3)["macro_f1"])


@pytest.mark.parametrize(("est", "low", "high", "superior", "equivalent"), [
    (6.0, 4.0, 10.0, "reproduced", "not_reproduced"),
    (1.0, -2.0, 1.5, "not_reproduced", "reproduced"),
    (3.0, -1.0, 7.0, "inconclusive", "inconclusive"),
    (-8.0, -12.0, -4.0, "not_reproduced", "not_reproduced"),
])
def test_two_sided_rules(est: float, low: float, high: float, superior: str, equivalent: str) -> None:
    assert stats.superiority(est, low, high, 2.0) == superior
    assert stats.equivalence(est, low, high, 3.0) == equivalent


def test_paper_precision_is_kept() -> None:
    numbers = {p.printed for c in CARDS.values() for p in c.paper_numbers}
    assert {"5.00", "9.93", "91.0", "80.69", "82.96", "73.17"} <= numbers


# ---- each card's three outcomes on fixed inputs ----------------------------------------------------------

def ulmfit_arms(scratch: float, pretrained: float) -> dict[str, Arm]:
    arms = {"scratch": arm([scratch] * 3, 10)}
    for i, variant in enumerate(("finetune", "discriminative", "gradual", "frozen")):
        arms[variant] = arm([pretrained - (0.02 if variant != "gradual" else 0.0)] * 3, 11 + i)
    return arms


def test_ulmfit_three_outcomes() -> None:
    yes = v.ulmfit_verdict(ulmfit_arms(0.55, 0.70))
    assert yes.outcome == "reproduced" and yes.params["best"] == "gradual"
    assert {d.unit for d in yes.differences} == {"error_pct"} and len(yes.differences) == 2  # + Full vs Last
    assert v.ulmfit_verdict(ulmfit_arms(0.66, 0.60)).outcome == "not_reproduced"
    assert v.ulmfit_verdict(ulmfit_arms(0.60, 0.62)).outcome == "inconclusive"


def bert_arms(finetune: float, concat4: float, emb: float, paired: bool = False) -> dict[str, Arm]:
    base = arm([concat4] * 3, 20)
    ft = arm([finetune] * 3, 21, base=base.predictions, flips=6) if paired else arm([finetune] * 3, 21)
    return {"embeddings": arm([emb] * 3, 22), "second_last": arm([concat4 - 0.01] * 3, 23),
            "last": arm([concat4 - 0.02] * 3, 24), "concat4": base, "mix": arm([concat4] * 3, 25), "finetune": ft}


def test_bert_three_outcomes_and_the_issues_case() -> None:
    close = v.bert_verdict({"movie-snippets": bert_arms(0.80, 0.80, 0.60, paired=True),
                            "wiki-topics": bert_arms(0.70, 0.70, 0.50, paired=True)})
    assert close.outcome == "reproduced"
    # the issue: fine-tuning 19.4 points BELOW concat-four on Wikipedia topics (40.2 vs 59.6) is no win for features
    issue = v.bert_verdict({"movie-snippets": bert_arms(0.612, 0.611, 0.55),
                            "wiki-topics": bert_arms(0.402, 0.596, 0.50)})
    assert issue.outcome in ("not_reproduced", "inconclusive") and issue.outcome != "reproduced"
    assert issue.outcome == "not_reproduced"
    # seed 1 of the issue: the embeddings (64.2) beat concat-four (61.1), fine-tuning falls to 49.0
    seed1 = v.bert_verdict({"movie-snippets": bert_arms(0.49, 0.611, 0.642)})
    assert seed1.outcome == "not_reproduced"
    noisy = v.bert_verdict({"movie-snippets": bert_arms(0.74, 0.70, 0.55)})
    assert noisy.outcome == "inconclusive"
    # equivalent, but the embedding layer not lowest: never reproduced
    emb_high = v.bert_verdict({"movie-snippets": bert_arms(0.80, 0.80, 0.795, paired=True)})
    assert emb_high.outcome == "inconclusive" and emb_high.reason == "embeddings"


def test_elmo_three_outcomes() -> None:
    top = arm([0.60] * 3, 30)
    assert v.elmo_verdict({"top": top, "mix": arm([0.66] * 3, 31)}).outcome == "reproduced"
    assert v.elmo_verdict({"top": top, "mix": arm([0.55] * 3, 32)}).outcome == "not_reproduced"
    assert v.elmo_verdict({"top": top, "mix": arm([0.61] * 3, 33)}).outcome == "inconclusive"


def test_gpt3_three_outcomes_and_the_missing_sweep() -> None:
    rising = {0: arm([0.50] * 3, 40), 1: arm([0.60] * 3, 41), 4: arm([0.70] * 3, 42)}
    steeper = {"w32": {0: [50.0, 50.0, 50.0], 8: [51.0, 49.0, 50.0]}, "w128": {0: [50.0] * 3, 8: [80.0, 85.0, 82.0]}}
    assert v.gpt3_verdict("gemma3-270m", rising, steeper).outcome == "reproduced"
    falling = {0: arm([0.775] * 3, 43), 4: arm([0.60] * 3, 44)}  # the instruction-tuned 135M model
    no = v.gpt3_verdict("smollm2-135m", falling, None)
    assert no.outcome == "not_reproduced" and no.reason == "not_reproduced_no_sweep"
    alone = v.gpt3_verdict("gemma3-270m", rising, None)  # one model cannot say anything about scale
    assert alone.outcome == "inconclusive" and alone.reason == "inconclusive_no_sweep"
    assert "a_outcome" in alone.params and "reproduced" not in alone.message("en").split(" — ")[0]
    flat = {"w32": {0: [50.0] * 3, 8: [60.0, 62.0, 61.0]}, "w128": {0: [50.0] * 3, 8: [59.0, 61.0, 60.0]}}
    assert v.gpt3_verdict("gemma3-270m", rising, flat).outcome == "not_reproduced"
    at_ceiling = v.gpt3_verdict("gemma3-270m", rising, flat, ceiling=True)  # every width at the ideal reader
    assert at_ceiling.outcome == "inconclusive" and at_ceiling.reason == "inconclusive_ceiling"
    assert v.gpt3_verdict("smollm2-135m", falling, flat, ceiling=True).reason == "not_reproduced_ceiling"


def test_the_shipped_width_sweep_sits_at_the_ideal_readers_ceiling(tmp_path) -> None:
    import json

    from plm_core.evidence.cards_probes import SWEEP_FILE, sweep_at_ceiling

    assert sweep_at_ceiling(SWEEP_FILE)  # 16 / 32 / 64 wide all match the ideal reader within 2 points
    raw = json.loads(SWEEP_FILE.read_text(encoding="utf-8"))
    raw["widths"][0]["accuracy"] = {k: [x * 0.5 for x in v] for k, v in raw["widths"][0]["accuracy"].items()}
    (tmp_path / "sweep.json").write_text(json.dumps(raw), encoding="utf-8")
    assert not sweep_at_ceiling(tmp_path / "sweep.json")
    assert not sweep_at_ceiling(tmp_path / "missing.json")


def test_ethayarajh_three_outcomes_and_its_bootstrap() -> None:
    from plm_core.evidence.cards_probes import WordLayers, contextual_drop

    def word(top: float) -> WordLayers:
        n = 8
        cos = np.stack([np.full((n, n), c) for c in (0.9, 0.8, top)])  # (L+1, N, N)
        return WordLayers(cos, np.tile([0.3, 0.3, 0.3], (3, 1)))

    falling = contextual_drop("a", [word(0.5), word(0.55)], 3)
    assert falling.estimate == pytest.approx(0.275) and falling.outcome == "reproduced"
    flat = contextual_drop("b", [word(0.8)], 3)
    assert flat.outcome == "not_reproduced"
    assert v.ethayarajh_verdict({"a": falling, "b": falling}).outcome == "reproduced"
    assert v.ethayarajh_verdict({"a": falling, "b": flat}).outcome == "not_reproduced"
    wide = stats.judged("c: first - top", 0.03, -0.01, 0.07, "similarity", "superiority", v.ETHAYARAJH_MARGIN, 3, 40)
    assert v.ethayarajh_verdict({"a": falling, "c": wide}).outcome == "inconclusive"


def test_setfit_three_outcomes() -> None:
    probe, ft = arm([0.60] * 3, 50), arm([0.58] * 3, 51)
    assert v.setfit_verdict({"setfit": arm([0.72] * 3, 52), "frozen": probe, "finetune": ft}).outcome == "reproduced"
    assert v.setfit_verdict({"setfit": arm([0.55] * 3, 53), "frozen": probe, "finetune": ft}).outcome \
        == "not_reproduced"
    assert v.setfit_verdict({"setfit": arm([0.62] * 3, 54), "frozen": probe, "finetune": ft}).outcome \
        == "inconclusive"


def matrix_arms(mlm_gain: float, clm_gain: float) -> dict[str, Arm]:
    arms = {}
    for i, col in enumerate(("frozen · movie-snippets", "frozen · wiki-topics")):
        for j, (model, gain) in enumerate((("tiny-bert-mlm", mlm_gain), ("tiny-gpt-clm", clm_gain))):
            arms[f"{model}|random|{col}"] = arm([0.55] * 3, 60 + 10 * i + 2 * j)
            arms[f"{model}|pretrained|{col}"] = arm([0.55 + gain] * 3, 61 + 10 * i + 2 * j)
    return arms


def test_matrix_three_outcomes() -> None:
    objectives = {"tiny-bert-mlm": "mlm", "tiny-gpt-clm": "clm"}
    cols = ["frozen · movie-snippets", "frozen · wiki-topics"]
    yes = v.matrix_verdict(matrix_arms(0.12, 0.0), objectives, cols)
    assert yes.outcome == "reproduced" and yes.params["objective"] == "mlm"
    assert v.matrix_verdict(matrix_arms(0.0, 0.10), objectives, cols).outcome == "not_reproduced"
    assert v.matrix_verdict(matrix_arms(0.03, 0.02), objectives, cols).outcome == "inconclusive"


# ---- texts, names, registry ------------------------------------------------------------------------

@pytest.mark.parametrize("card_id", list(CARDS))
def test_every_card_has_its_text_in_both_languages(card_id: str) -> None:
    messages = all_messages()
    for part in ("title", "claim", "setup", "rule"):
        assert set(messages[f"proofs.{card_id}.{part}"]) >= {"en", "ko"}
    for outcome in stats.OUTCOMES:
        if card_id != "gpt3" or outcome != "reproduced":
            assert f"proofs.{card_id}.v.{outcome}" in messages
    for number in get_card(card_id).paper_numbers:
        assert f"proofs.unit.{number.unit}" in messages and f"proofs.variant.{number.variant}" in messages


def test_rule_text_carries_the_margin_the_function_uses() -> None:
    assert f"{v.ULMFIT_MARGIN:.1f}" in v.rule_text("ulmfit", "en")
    assert f"±{v.BERT_MARGIN:.0f}" in v.rule_text("bert", "ko")


def test_verdict_lines_use_catalog_names_in_korean() -> None:
    verdict = v.bert_verdict({"movie-snippets": bert_arms(0.49, 0.611, 0.642)})
    ko = verdict.message("ko")
    assert "movie-snippets" not in ko and all_messages()["dataset.movie-snippets"]["ko"] in ko
    gpt = v.gpt3_verdict("smollm2-135m", {0: arm([0.775] * 3, 43), 4: arm([0.60] * 3, 44)}, None)
    assert "smollm2-135m" not in gpt.message("ko")


def test_unknown_card_is_a_plm_error() -> None:
    with pytest.raises(PLMError) as err:
        get_card("nope")
    assert err.value.key == "proofs.err.unknown_card"


def test_default_job_and_presets_run_three_seeds_on_500_texts() -> None:
    job = default_job("elmo")
    assert isinstance(job, ProofJob) and job.preset is CARDS["elmo"].preset
    assert card_ids() == ["ulmfit", "bert", "elmo", "gpt3", "ethayarajh", "setfit", "matrix"]
    for card in CARDS.values():
        assert card.preset.seeds >= 3
    for card_id in ("ulmfit", "bert", "elmo", "setfit", "matrix"):
        assert CARDS[card_id].preset.test_limit >= 500
    assert CARDS["ulmfit"].preset.n == 512 and CARDS["matrix"].preset.settings == ("frozen",)


def test_cli_lists_cards(capsys) -> None:
    from plm_core.cli import main

    assert main(["proof", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["card"] for r in rows] == card_ids() and "Table 7" in rows[0]["where"]


FIXED = {  # card -> (rows, verdict) on fixed inputs
    "ulmfit": lambda: v.ulmfit_verdict(ulmfit_arms(0.55, 0.70)),
    "bert": lambda: v.bert_verdict({"wiki-topics": bert_arms(0.402, 0.596, 0.50)}),
    "elmo": lambda: v.elmo_verdict({"top": arm([0.6] * 3, 30), "mix": arm([0.61] * 3, 33)}),
    "gpt3": lambda: v.gpt3_verdict("gemma3-270m", {0: arm([0.5] * 3, 40), 4: arm([0.7] * 3, 42)}, None),
    "ethayarajh": lambda: v.ethayarajh_verdict({"minilm-l6": stats.judged(
        "m", 0.1, 0.05, 0.15, "similarity", "superiority", 0.02, 3, 40)}),
    "setfit": lambda: v.setfit_verdict({"setfit": arm([0.72] * 3, 52), "frozen": arm([0.6] * 3, 50),
                                        "finetune": arm([0.58] * 3, 51)}),
    "matrix": lambda: v.matrix_verdict(matrix_arms(0.12, 0.0), {"tiny-bert-mlm": "mlm", "tiny-gpt-clm": "clm"},
                                       ["frozen · movie-snippets", "frozen · wiki-topics"]),
}


@pytest.mark.parametrize("card_id", list(CARDS))
def test_proof_json_is_one_clean_object_on_stdout(card_id: str, private_stores, monkeypatch, capsys) -> None:
    """`proof NAME --json` through the door, with the card's runner replaced by its verdict code on fixed inputs
    (and noise printed by the run, as training libraries do, which must not reach stdout)."""
    from plm_core.cli import main

    def fixed_runner(preset, ctx) -> ProofResult:
        print({"embedding_loss": 0.25, "epoch": 1})  # a training log line, as SetFit's trainer prints
        verdict = FIXED[card_id]()
        return ProofResult(card_id, [ProofRow.over_seeds("movie-snippets", "finetune", [60.0, 62.0, 61.0])],
                           verdict, "accuracy")

    monkeypatch.setitem(CARDS, card_id, replace(CARDS[card_id], runner=fixed_runner))
    assert main(["proof", card_id, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seeds"] >= 3 and out["verdict"] in stats.OUTCOMES and out["differences"]
    assert all(len(d["ci95"]) == 2 and d["ci95"][0] <= d["estimate"] <= d["ci95"][1] for d in out["differences"])


def small_elmo(monkeypatch) -> None:
    card = CARDS["elmo"]
    monkeypatch.setitem(CARDS, "elmo", replace(card, preset=replace(card.preset, n=80, test_limit=80, seeds=3)))


@pytest.mark.slow
def test_a_small_card_runs_from_the_cli_then_comes_from_the_cache(private_stores, monkeypatch, capsys,
                                                                    one_torch_thread) -> None:
    from plm_core.cli import main

    small_elmo(monkeypatch)
    assert main(["proof", "elmo", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert not first["cached"] and first["verdict"] in stats.OUTCOMES and first["seeds"] == 3
    assert {r["variant"] for r in first["ours"]} == {"top", "mix"} and all(r["n"] == 3 for r in first["ours"])
    assert any(p["printed"] == "85.2" for p in first["paper_numbers"])  # SQuAD, all layers, as printed
    [diff] = first["differences"]
    assert diff["ci95"][0] <= diff["estimate"] <= diff["ci95"][1] and diff["texts"] == 80
    assert len(first["extra"]["gamma"]) == 3 and abs(sum(first["extra"]["layer_weights"]) - 1) < 1e-3
    assert main(["proof", "elmo", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["cached"] and second["ours"] == first["ours"]


def test_the_width_sweep_file_is_read_in_either_layout(tmp_path) -> None:
    from plm_core.evidence.cards_probes import read_sweep

    assert read_sweep(tmp_path / "none.json") is None  # not there yet: part (b) says so
    listed = {"widths": [{"name": "tiny-gpt-icl-128", "d_model": 128, "accuracy": {"0": [0.1, 0.1], "8": [0.9, 0.8]}},
                         {"name": "tiny-gpt-icl-32", "d_model": 32, "accuracy": {"0": [0.1, 0.1], "8": [0.2, 0.3]}}]}
    (tmp_path / "a.json").write_text(json.dumps(listed))
    sweep = read_sweep(tmp_path / "a.json")
    assert list(sweep) == ["tiny-gpt-icl-32", "tiny-gpt-icl-128"]  # narrowest first
    assert sweep["tiny-gpt-icl-128"][8] == pytest.approx([90.0, 80.0])  # fractions become points
    mapped = {"widths": {"w64": {"width": 64, "accuracy": {"0": {"per_seed": [20.0, 22.0]}, "4": [40.0, 41.0]}}}}
    (tmp_path / "b.json").write_text(json.dumps(mapped))
    assert read_sweep(tmp_path / "b.json") == {"w64": {0: [20.0, 22.0], 4: [40.0, 41.0]}}
