"""Korean with no English left: every page, rendered in Korean, shows only catalog text in its table columns,
chart axis / legend titles, widget labels, placeholders and tab labels (proper names by korean_screens.ALLOWED)."""

import re

import pytest
from korean_screens import english_left, offending

from conftest import open_app_page
from plm_core.urlparams import param
from ui.pages import available_pages

PAGES = [p.path for p in available_pages()]
TABBED = ("transfer", "pretraining", "models")  # pages with st.tabs (their open tab is the URL setting "tab")


def test_the_check_tells_catalog_text_from_english():
    assert offending("test_accuracy") and offending("Choose options") and offending("loss")
    assert not offending("1e-03") and not offending("2.5E+04") and offending("1e-03 rate")
    assert not offending("정확도") and not offending("MiniLM") and not offending("0.5")


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_korean_page_has_no_english_left(path):
    at = open_app_page(path, "ko", timeout=240)
    assert not at.exception, [e.message for e in at.exception]
    assert english_left(at) == []
    page = next(p.key for p in available_pages() if p.path == path)
    if page in TABBED:  # only the open tab runs: open every other one too
        for tab in param(page, "tab").choices[1:]:
            at.session_state[f"{page}.tab"] = tab
            at.run()
            assert not at.exception, [e.message for e in at.exception]
            assert english_left(at) == [], tab


@pytest.mark.slow
@pytest.mark.usefixtures("private_stores")
def test_korean_result_cards_have_no_english_left():
    """The parts that appear only after a run: result card, surgery table, diagrams, race comparison."""
    from test_transfer_pages import finished_job

    from plm_core.transfer import TrainConfig

    base = TrainConfig.of(backbone="tiny-bert-mlm", epochs=2, batch_size=4, max_length=12)
    elmo = TrainConfig.of(backbone="tiny-elmo-bilm", mode="frozen", pooling="mix", batch_size=4, max_length=12)
    at = open_app_page("app_pages/transfer_lab.py", "ko", timeout=120)
    at.session_state["job:transfer-single"] = finished_job([elmo], race=False)
    at.session_state["job:transfer-race"] = finished_job([base.with_(mode="frozen"), base.with_(mode="finetune")],
                                                         race=True)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    charts, tables, left = len(at.get("plotly_chart")), len(at.dataframe), english_left(at)
    at.session_state["transfer.tab"] = "race"  # only the open tab runs: the race's comparison is on its own tab
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert charts + len(at.get("plotly_chart")) >= 6 and tables + len(at.dataframe) >= 1
    assert left + english_left(at) == []


@pytest.mark.slow
def test_backbone_names_on_korean_screens_come_from_the_catalog():
    """A backbone's name in an option list or a message is its `backbone.<name>.display` text (Domain fit listed
    "Tiny BERT (masked LM, ours)" on the Korean screen: it read the spec's English display name)."""
    from plm_core.i18n import t

    at = open_app_page("app_pages/domain_fit.py", "ko", timeout=240)
    assert not at.exception, [e.message for e in at.exception]
    picker = next(s for s in at.selectbox if s.label == t("domain.backbone", "ko"))
    shown = list(picker.options)
    assert t("backbone.tiny-bert-mlm.display", "ko") in shown and "Tiny BERT (masked LM, ours)" not in shown
    assert [o for o in shown if offending(o)] == []


@pytest.mark.slow
@pytest.mark.usefixtures("private_stores")
def test_korean_runs_page_names_kinds_and_data_from_the_catalog():
    """The Runs filters and table read run kinds and data sets in Korean (they listed the stored identifiers
    "transfer", "race", "fewshot", "movie-snippets"), and an empty cell reads "—", not Streamlit's "None"; the page is
    empty on a fresh machine, so runs are stored here."""
    from plm_core.i18n import t
    from plm_core.runs import RunStore

    store = RunStore()
    for kind in ("transfer", "race", "fewshot", "setfit", "matrix"):
        store.save(kind, {"backbone": "tiny-bert-mlm", "mode": "frozen", "data": "movie-snippets"},
                   {"test_accuracy": 0.6}, {}, {"train_seconds": 1.0})
    store.save("fewshot", {"data": "movie-snippets"}, {"k0_accuracy": 0.5}, {}, {})  # no backbone, mode, accuracy
    at = open_app_page("app_pages/runs.py", "ko", timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    kinds = next(m for m in at.multiselect if m.label == t("runs.filter.kind", "ko"))
    stored = ("fewshot", "matrix", "race", "setfit", "transfer")  # the store's order (sorted identifiers)
    assert list(kinds.options) == [t(f"runs.kind.{k}", "ko") for k in stored]
    data = next(m for m in at.multiselect if m.label == t("runs.filter.data", "ko"))
    assert list(data.options) == [t("dataset.movie-snippets", "ko")]
    cells = at.dataframe[0].value
    assert set(cells["kind"]) == {t(f"runs.kind.{k}", "ko") for k in stored}
    gaps = cells[cells["kind"] == t("runs.kind.fewshot", "ko")].iloc[0]
    assert gaps["mode"] == "—" and gaps["test_accuracy"] == "—"
    assert english_left(at) == []


# ---- chart legends and reveal sentences (issue 23 item 7) ---------------------------------------------------
# Built in Korean from tiny fixed results, without a page: every figure of the Transfer, Few-shot and Pretraining
# labs and every lesson step's figure; every reveal sentence a lesson can say.

RACE_LABELS = ["frozen", "finetune", "discriminative", "gradual", "scratch", "chain_thaw", "freeze_bottom k=2",
               "embeddings_frozen", "top_k k=2", "bitfit", "lora r=8 + edits", "frozen (mean, logreg, L6)"]


def _history(offset: float) -> list[dict]:
    return [{"epoch": e, "train_loss": 1.0 - 0.1 * e, "test_loss": 1.1 - 0.1 * e, "train_accuracy": 0.5 + 0.1 * e,
             "test_accuracy": 0.5 + 0.05 * e + offset} for e in (1, 2)]


def _steps() -> list[dict]:
    return [{"step": i, "epoch": 1 + i // 2, "loss": 1.0 / (i + 1), "lr": 1e-4} for i in range(4)]


def _fake_race(labels: list[str], seeds: int = 1):
    from types import SimpleNamespace

    drift = {"embeddings": 0.0, "layer.0": 0.001, "layer.1": 0.002, "pooler": 0.0, "head": 0.5}
    runs = []
    for i, racer in enumerate(labels):
        for seed in range(seeds):
            acc = 0.6 + 0.01 * i + 0.005 * seed
            result = SimpleNamespace(test_accuracy=acc, test_macro_f1=acc, trainable_params=10 + i, total_params=100,
                                     train_seconds=1.0, peak_memory_mb=1.0, drift=drift)
            label = f"{racer} · seed {seed}" if seeds > 1 else racer
            runs.append(SimpleNamespace(label=label, racer=racer, result=result, history=_history(0.01 * i),
                                        steps=_steps()))
    return SimpleNamespace(runs=runs)


def _fake_curves():
    from types import SimpleNamespace

    from plm_core.fewshot.curves import CurvePoint

    shots = (0, 1, 4)
    points = [CurvePoint(m, 0, s, 0.55 + 0.01 * s, 0.5, 0.1) for m in ("similarity", "cloze") for s in range(2)]
    points += [CurvePoint("prompt", k, s, 0.6 + 0.01 * k + 0.01 * s, 0.5, 0.1) for k in shots for s in range(2)]
    points += [CurvePoint(m, k, s, 0.4 + 0.08 * k + 0.01 * s + 0.01 * j, 0.5, 0.1)
               for j, m in enumerate(("frozen", "finetune")) for k in (1, 4) for s in range(2)]
    return SimpleNamespace(points=points, config=SimpleNamespace(shots=shots), majority=0.5)


def korean_figures() -> dict[str, object]:
    """name -> a Plotly figure built in Korean, one for every figure builder a lab or lesson draws."""
    import numpy as np
    import pandas as pd

    from plm_core.evidence import domain_figures as df
    from plm_core.explorer import figures as xf
    from plm_core.explorer.masks import architecture_masks
    from plm_core.fewshot import figures as ff
    from plm_core.fewshot.curves import crossovers, summarize
    from plm_core.figures import figure_text
    from plm_core.lessons.outcomes import FIGURES
    from plm_core.pretrain import figures as pf
    from plm_core.transfer import figures as tf
    from plm_core.transfer.race import seed_table

    ko = figure_text("ko")
    masks = architecture_masks(["a", "b", "c"], ["<start>", "x"], 0, 2)
    next_table = pd.DataFrame({"after": ["a", "b"], "actual": ["b", "c"], "probability": [0.5, 0.25], "rank": [1, 3]})
    race = _fake_race(RACE_LABELS)
    seeded = _fake_race(["frozen", "finetune", "lora r=8"], seeds=2)
    summary = summarize(_fake_curves().points)
    runs = [{"id": i, "kind": "transfer", "config": {"backbone": "minilm-l6", "mode": m},
             "metrics": {"test_accuracy": 0.6}, "curves": {"history": _history(0.0)}}
            for i, m in enumerate(("frozen", "finetune", "discriminative"), start=1)]
    runs.append({"id": 9, "kind": "fewshot", "config": {"method": "prompt"}, "metrics": {"test_accuracy": 0.5}})
    figures = {
        "transfer.loss": tf.runs_loss_figure([(r.label, r.history, r.steps) for r in seeded.runs], ko),
        "transfer.accuracy": tf.accuracy_figure([(r.label, r.history) for r in race.runs], ko),
        "transfer.schedule": tf.schedule_figure([(r.label, r.steps) for r in race.runs], ko),
        "transfer.share": tf.share_figure(seed_table([r.racer for r in seeded.runs],
                                                     [r.result for r in seeded.runs]), ko),
        "transfer.drift": tf.drift_heatmap([r.label for r in race.runs], [r.result.drift for r in race.runs], ko),
        "transfer.confusion": tf.confusion_figure([[3, 1], [0, 4]], ["0", "1"], ko),
        "transfer.mix": tf.layer_weights_figure([0.2, 0.3, 0.5], 1.2, ko),
        "runs.compare": tf.runs_figure(runs, "test_accuracy", ko),
        "fewshot.curve": ff.curve_figure(summary, (0, 1, 4), ko, "acc", 0.5, crossovers(summary)),
        "pretrain.loss": pf.loss_curve_figure([(1, 2.0), (2, 1.5)], [(2, 1.7)], ko, 10),
        "pretrain.rank": pf.ranked_bar_figure([("▁1", 0.5), ("2", 0.2)], ko),  # the pieces are data
        "domain.curve": df.perplexity_curve_figure([(1, 3.0), (2, 2.5)], [(2, 2.7)], ko, 10),
        "domain.map": df.map_figure(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0], "side": ["target", "reference"],
                                                  "text": ["가", "나"]}), ko, "MiniLM"),
        "attention.masks": xf.mask_figure([masks["encoder"][0], masks["decoder"][0], masks["prefix"][0]],
                                          [f"attention.masks.{k}" for k in ("encoder", "decoder", "prefix_lm")], ko),
        "attention.grid": xf.attention_grid_figure(np.zeros((2 * 5, 2 * 5)), 2, 2, 4, ko),
        "attention.next": xf.probability_bars(next_table, "actual", "probability", "", ko, tuple(next_table.columns)),
        "embeddings.contextuality": xf.contextuality_figure(pd.DataFrame({
            "layer": [0, 1], "all": [0.5, 0.4], "same_sense": [0.6, 0.5], "different_sense": [0.4, 0.3],
            "baseline": [0.2, 0.2]}), ko, 1, "GloVe"),
    }
    for name, build in FIGURES.items():
        figures[f"lesson.{name}"] = build(_fake_curves() if name.startswith("curve") else race, ko)
    from plm_core.lessons import lessons
    from plm_core.lessons.figures import predictions_figure
    from ui.classroom import bar_labels

    for lesson in lessons():  # the class's answer chart of every choice question, its bars as the class sees them
        for i, step in enumerate(lesson.steps):
            if step.question is not None and step.question.choices:
                counts = {c.value: 1 + j for j, c in enumerate(step.question.choices)}
                figures[f"class.{lesson.id}.{i + 1}"] = predictions_figure(
                    counts, bar_labels(step.question, "ko"), "", "", step.question.choices[0].value)
    return figures


def test_korean_chart_legends_axes_and_hover_text_name_no_strategy_by_code():
    """Every figure a lab or a lesson step draws, in Korean: no strategy / method / mode code name in its title,
    axis titles, tick labels, legend, marks' text or hover text, and nothing else English but proper names
    (the race legends read "frozen", "finetune"; the schedule's axis "lr")."""
    import json

    from korean_screens import code_names_in, figure_texts

    found = {}
    for name, fig in korean_figures().items():
        for where, text in figure_texts(json.loads(fig.to_json())):
            if code_names_in(text) or offending(text):
                found.setdefault(name, []).append((where, text))
    assert found == {}


def test_korean_tables_of_race_and_fewshot_results_name_no_strategy_by_code():
    from korean_screens import code_names_in

    from plm_core.fewshot import figures as ff
    from plm_core.fewshot.curves import summarize
    from plm_core.figures import figure_text
    from plm_core.transfer.figures import surgery_display

    ko = figure_text("ko")
    table = ff.summary_table(summarize(_fake_curves().points), ko)
    rows = [{"name": n, "origin": o, "status": s, "trainable": s == "trainable", "lr": 1e-3, "n_params": 10}
            for n, o, s in (("embeddings", "pretrained", "frozen"), ("layer.0", "pretrained", "trainable"),
                            ("head", "new", "trainable"))]
    cells = [str(v) for frame in (table, surgery_display(rows, ko)) for v in frame.to_numpy().ravel()]
    assert [c for c in cells if code_names_in(c) or offending(c)] == []


FALLBACK = re.compile(r"\((는|은|가|이|를|을|와|과|으)\)")


@pytest.mark.parametrize("lesson_id", ["1", "2", "3", "4", "5"])
def test_korean_reveal_sentences_name_strategies_and_choose_their_particles(lesson_id):
    """Every question of the course, revealed in Korean with each of its choices (or a strategy / method code)
    as the outcome: no code name, no "(는)"-style fallback, and the particle the name's last sound takes."""
    from plm_core.i18n.korean import particle
    from plm_core.lessons import get_lesson
    from plm_core.lessons.outcomes import Outcome, outcome_sentence

    keys = {"race_winner": "lessons.outcome.race_winner", "race_lead": "lessons.outcome.race_winner",
            "curves_best": "lessons.outcome.curves_best", "curves_cross": "lessons.outcome.cross"}
    for step in get_lesson(lesson_id).steps:
        question = step.question
        if question is None or question.answer_from not in keys:
            continue
        fewshot = question.answer_from.startswith("curves")
        values = [c.value for c in question.choices] or (
            ["similarity", "prompt", "cloze", "frozen", "finetune"] if fewshot else RACE_LABELS)
        for value in values:
            other = "prompt" if fewshot else "lora r=8"
            params = ({"method": value, "k": 4, "accuracy": 71.0} if fewshot else
                      {"winner": value, "second": other, "points": 2.0})
            sentence = outcome_sentence(Outcome(value, keys[question.answer_from], params), "ko", question)
            assert not code_names_in_sentence(sentence) and not FALLBACK.search(sentence), sentence
            shown = question.choice_label(value, "ko") if question.choices else None
            if shown is not None:
                form = "이" if question.answer_from != "curves_cross" else "은"
                assert f"{shown}{particle(shown, form)}" in sentence, sentence


def code_names_in_sentence(text: str) -> list[str]:
    from korean_screens import code_names_in

    return code_names_in(text)


def test_a_strategy_race_reveal_reads_right_in_korean():
    """The sentences the issue quoted: "결과: frozen", "전체 미세조정였습니다", "frozen — 특징 추출은(는)"."""
    from plm_core.i18n import t
    from plm_core.lessons.outcomes import Outcome, outcome_sentence

    won = outcome_sentence(Outcome("frozen", "lessons.outcome.race_winner",
                                   {"winner": "frozen", "second": "finetune", "points": 1.5}), "ko")
    assert won == "본체 고정이 전체 미세조정보다 1.5%p 앞서 이겼습니다."
    said = t("lessons.reveal.wrong", "ko", said=t("term.strategy.finetune", "ko"), outcome=won)
    assert said.startswith("내 예측은 전체 미세조정이었습니다.")
    best = outcome_sentence(Outcome("prompt", "lessons.outcome.curves_best",
                                    {"method": "prompt", "k": 4, "accuracy": 71.0}), "ko")
    assert best == "K = 4에서 프롬프트 (문맥 내)가 71.0%로 가장 좋았습니다."
