"""The Embeddings and Attention pages under AppTest, in both languages (they load real weights: slow)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import open_app_page
from plm_core.backbones import registry
from plm_core.backbones.tiny import tiny_random_backbone

APP = str(Path(__file__).resolve().parent.parent / "app.py")
pytestmark = pytest.mark.slow


def open_page(page: str, lang: str) -> AppTest:
    return open_app_page(page, lang, timeout=300)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def install_backbone(monkeypatch, fake) -> None:
    """Make the registry list `fake` and load it (no file on disk)."""
    monkeypatch.setitem(registry.specs(), fake.spec.name, fake.spec)
    monkeypatch.setitem(registry.LOADERS, fake.spec.loader, lambda spec, random_init, seed: fake)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_embeddings_page_draws_the_bank_set_and_a_sentence_map(lang):
    at = open_page("app_pages/embeddings.py", lang)
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3  # word map, similarity heatmap, layer chart
    at.slider[0].set_value(0).run()  # the embedding layer
    assert_clean(at)
    at.button[1].click().run()  # embed the default sample set: a job in a worker process, not in the page
    assert_clean(at)
    from plm_core.jobs import JobStatus, get_service, wait_all

    snaps = wait_all(get_service(), {0: at.session_state["job:embeddings.sentences"]}, at.session_state["owner"],
                     timeout=400)  # polled as this browser (its heartbeat), as the page's panel would
    assert snaps is not None and snaps[0].status is JobStatus.DONE, snaps
    at.run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 4 and len(at.metric) == 2


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_attention_page_every_section(lang):
    at = open_page("app_pages/attention.py", lang)
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2  # single-stack masks, encoder-decoder masks
    expected = {"weights": 4, "next": 1, "swap": 4, "tokens": 0}
    for section, charts in expected.items():
        at.button_group(key="attention.tab").set_value(section).run()
        assert_clean(at)
        assert len(at.get("plotly_chart")) == charts, section
    at.button_group(key="attention.tab").set_value("mlm").run()
    assert_clean(at)
    assert at.selectbox[1].value == "tiny-bert-mlm"  # the shipped MLM is the sandbox's default
    assert len(at.get("plotly_chart")) == 2 and len(at.dataframe) == 1  # top-k of the masked piece + attention shift


def test_attention_page_survives_a_long_text():
    at = open_page("app_pages/attention.py", "en")
    at.text_area[0].set_value("the river bank " * 300)
    at.button[0].click().run()
    at.button_group(key="attention.tab").set_value("weights").run()
    assert_clean(at)
    assert any("256" in i.value for i in at.info)  # MiniLM reads at most 256 pieces: the truncation notice


def test_mlm_sandbox_with_an_installed_mlm_backbone(monkeypatch):
    fake = tiny_random_backbone("encoder", head="mlm")
    install_backbone(monkeypatch, fake)
    at = open_page("app_pages/attention.py", "ko")
    at.button_group(key="attention.tab").set_value("mlm").run()
    at.selectbox[1].set_value(fake.spec.name).run()
    assert_clean(at)
    assert at.selectbox[1].value == fake.spec.name
    assert len(at.get("plotly_chart")) == 2  # top-k of the one masked piece + attention shift
    assert len(at.dataframe) == 1


def test_attention_page_shows_cross_attention_of_an_encoder_decoder(monkeypatch):
    fake = tiny_random_backbone("encoder-decoder")
    install_backbone(monkeypatch, fake)
    at = open_page("app_pages/attention.py", "en")
    at.selectbox[0].set_value(fake.spec.name)
    at.text_input[0].set_value("a bank")
    at.button[0].click().run()
    at.button_group(key="attention.tab").set_value("weights").run()
    assert_clean(at)
    kinds = [r for r in at.radio if r.options == ["encoder self", "decoder self (causal)", "cross (decoder → encoder)"]]
    assert len(kinds) == 1
    kinds[0].set_value("cross").run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 3  # one head, head average, grid (no rollout for cross-attention)


@pytest.mark.parametrize("contextual", ["use-multilingual", "smollm2-135m"])
def test_korean_set_with_a_sentence_encoder_and_a_decoder(contextual):
    at = open_page("app_pages/embeddings.py", "ko")
    at.selectbox[0].set_value("bae").run()  # a Korean set: the contextual box switches to a Korean reader
    assert at.selectbox[1].value == "use-multilingual"
    at.selectbox[1].set_value(contextual)
    at.button[0].click().run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) >= 2  # word map (GloVe panel says '배' is not in its vocabulary), heatmap
    if contextual == "use-multilingual":  # one vector per sentence: a notice, no layer slider, three metrics
        assert any("USE" in i.value for i in at.info)
        assert len(at.metric) == 3
    else:
        assert at.slider[0].max == 30  # SmolLM2: embedding layer + 30 blocks


def test_mask_swap_with_an_mlm_encoder_compares_predictions(monkeypatch):
    fake = tiny_random_backbone("encoder", head="mlm")
    install_backbone(monkeypatch, fake)
    at = open_page("app_pages/attention.py", "en")
    at.button_group(key="attention.tab").set_value("swap").run()
    at.selectbox[1].set_value(fake.spec.name).run()
    assert_clean(at)
    assert len(at.dataframe) == 2  # top-k with its own mask | with a causal mask
    assert len(at.get("plotly_chart")) == 4


def test_your_own_word_and_sentences():
    at = open_page("app_pages/embeddings.py", "en")
    at.selectbox[0].set_value("custom")
    at.text_input[0].set_value("spring")
    at.text_area[0].set_value("season | Flowers bloom in spring.\nseason | Spring rain is warm.\n"
                              "coil | The spring in the pen broke.\n"
                              "coil | A steel spring absorbs the shock.\nNo such word in this line.")
    at.button[0].click().run()
    assert_clean(at)
    assert any("1 sentence" in i.value for i in at.info)  # the line without the word is reported, not fatal
    assert len(at.get("plotly_chart")) == 3
