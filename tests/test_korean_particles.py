"""Korean particles chosen by the word's final sound (issue 23 item 7): the helper, the catalog's particle specs,
and no "은(는)"-style fallback left in the catalog."""

from __future__ import annotations

import re

import pytest

from plm_core.i18n import all_messages, t
from plm_core.i18n.korean import attach, ending, format_message, particle


@pytest.mark.parametrize(("word", "end"), [
    ("사과", "vowel"), ("고양이", "vowel"), ("책", "consonant"), ("전체 미세조정", "consonant"), ("물", "rieul"),
    ("모델", "rieul"), ("ㄱ", "consonant"), ("ㄹ", "rieul"),
])
def test_hangul_words_end_as_their_last_syllable(word, end):
    assert ending(word) == end


@pytest.mark.parametrize(("word", "topic", "subject", "obj", "towards", "was"), [
    ("사과", "사과는", "사과가", "사과를", "사과로", "사과였"),              # vowel
    ("책", "책은", "책이", "책을", "책으로", "책이었"),                      # consonant
    ("물", "물은", "물이", "물을", "물로", "물이었"),                        # ㄹ: 로, not 으로
    ("전체 미세조정", "전체 미세조정은", "전체 미세조정이", "전체 미세조정을", "전체 미세조정으로",
     "전체 미세조정이었"),                                                   # was "전체 미세조정였습니다"
])
def test_each_particle_takes_the_form_of_the_words_ending(word, topic, subject, obj, towards, was):
    assert [attach(word, p) for p in ("은", "이", "을", "으로", "이었")] == [topic, subject, obj, towards, was]
    assert [attach(word, p) for p in ("는", "가", "를", "로", "였")] == [topic, subject, obj, towards, was]


@pytest.mark.parametrize(("word", "end"), [
    ("BERT", "vowel"), ("GPT", "vowel"), ("MiniLM", "consonant"), ("URL", "rieul"), ("SmolLM2", "vowel"),
    ("ELMo", "vowel"), ("frozen", "consonant"), ("finetune", "consonant"), ("discriminative", "vowel"),
    ("scratch", "vowel"), ("gradual", "rieul"), ("bitfit", "consonant"), ("mask", "vowel"), ("top", "consonant"),
    ("prompt", "vowel"), ("cloze", "vowel"),
])
def test_latin_words_end_as_korean_reads_them(word, end):
    """Acronyms by their last letter's Korean name (티, 엠, 엘), words as their loanword (프로즌, 마스크, 모델)."""
    assert ending(word) == end


@pytest.mark.parametrize(("number", "form"), [
    ("1", "로"), ("2", "로"), ("3", "으로"), ("6", "으로"), ("7", "로"), ("10", "으로"), ("0.5", "로"),
    ("256", "으로"), ("1,000", "으로"), ("12.5%", "로"),
])
def test_numbers_are_read_by_their_korean_names(number, form):
    assert particle(number, "으로") == form


def test_a_trailing_parenthesis_and_quotes_are_read_past():
    assert attach("유사도 (제로샷)", "은") == "유사도 (제로샷)는"
    assert attach("“MiniLM”", "이") == "“MiniLM”이"
    assert particle("책", "은/는") == "은"


def test_an_unknown_particle_is_an_error_that_lists_the_known_ones():
    with pytest.raises(ValueError, match="은"):
        particle("책", "에게")


def test_a_template_names_the_particle_in_its_format_spec():
    assert format_message("{name:은} 고정됩니다.", {"name": "MiniLM"}) == "MiniLM은 고정됩니다."
    assert format_message("{said:이었}습니다", {"said": "전체 미세조정"}) == "전체 미세조정이었습니다"
    assert format_message("{said:였}습니다", {"said": "층별 학습률"}) == "층별 학습률이었습니다"
    assert format_message("{acc:.1f이} 나왔고 {n:,를} 셌습니다", {"acc": 0.25, "n": 1000}) == (
        "0.2가 나왔고 1,000을 셌습니다")
    assert format_message("{a:.3f}", {"a": 0.5}) == "0.500"  # every other spec as str.format


def test_catalog_messages_choose_their_particles():
    said = t("lessons.reveal.wrong", "ko", said="전체 미세조정", outcome="")
    assert "전체 미세조정이었습니다" in said and "였습니다" not in said.replace("이었습니다", "")
    layered = t("lessons.reveal.wrong", "ko", said="층마다 다른 학습률", outcome="")
    assert layered.startswith("내 예측은 층마다 다른 학습률이었")
    assert "MiniLM은" in t("backbone.err.no_token_states", "ko", name="MiniLM")
    assert "USE는" in t("backbone.err.no_token_states", "ko", name="USE")


FALLBACK = re.compile(r"\((는|은|가|이|를|을|와|과|으)\)")  # 은(는), 이(가), (으)로, (이)었 …


def test_no_korean_message_has_a_particle_fallback():
    found = {key: texts["ko"] for key, texts in all_messages().items() if FALLBACK.search(texts.get("ko", ""))}
    assert found == {}


def test_every_particle_spec_in_the_catalog_is_a_known_particle():
    from plm_core.i18n.korean import FORMS

    specs = {m.group(1) for texts in all_messages().values()
             for m in re.finditer(r"\{[^{}:]*:[^{}]*?([가-힣]+)\}", texts.get("ko", ""))}
    assert specs and specs <= set(FORMS)
