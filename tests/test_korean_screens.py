"""Korean with no English left: every page, rendered in Korean, shows only catalog text in its table columns,
chart axis / legend titles, widget labels, placeholders and tab labels (proper names by korean_screens.ALLOWED)."""

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

    base = TrainConfig(backbone="tiny-bert-mlm", epochs=2, batch_size=4, max_length=12)
    elmo = TrainConfig(backbone="tiny-elmo-bilm", mode="frozen", pooling="mix", batch_size=4, max_length=12)
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
