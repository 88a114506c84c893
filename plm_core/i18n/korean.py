"""Korean particles (조사) chosen by how the word before them ends, as a reader says it aloud.

A particle has two forms: one after a final consonant (받침), one after a vowel — 은/는, 이/가, 을/를, 과/와,
으로/로 (a word ending in ㄹ takes 로), 이었/였 … Catalog templates ask for one with a format spec naming either
form: "{name:은} 고정됩니다" → "MiniLM은 고정됩니다", "frozen probe는 …";
"{said:이었}습니다" → "전체 미세조정이었습니다".

For Hangul the final consonant is read from the syllable; for Latin letters and digits a reading rule decides:
an acronym's last letter by its Korean letter name (BERT → 티, MiniLM → 엠), a lower-case word by how Korean
writes its loanword ending (frozen → 프로즌, mask → 마스크, model → 모델), a number by its last digit's Korean
name (1 → 일, 3 → 삼, 10 → 십). A trailing parenthesis ("유사도 (제로샷)") is skipped: the particle follows the
word before it, as Korean writing reads such a name.
"""

from __future__ import annotations

import re
import string
from typing import Any, Literal

Ending = Literal["vowel", "consonant", "rieul"]  # no final consonant / a final consonant / final ㄹ

# (after a consonant, after a vowel): every particle whose form depends on the final sound
PAIRS: tuple[tuple[str, str], ...] = (
    ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"), ("으로서", "로서"), ("으로써", "로써"),
    ("이었", "였"), ("이다", "다"), ("이고", "고"), ("이며", "며"), ("이나", "나"), ("이라", "라"),
    ("이라는", "라는"), ("이랑", "랑"), ("이든", "든"), ("아", "야"), ("이에요", "예요"),
)
RO = {"으로", "으로서", "으로써"}  # the particles whose consonant form a word ending in ㄹ does not take
FORMS: dict[str, tuple[str, str]] = {form: pair for pair in PAIRS for form in pair}

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL_FINAL = 8  # index of ㄹ among the 28 final consonants (0 = none)
JAMO_CONSONANTS = "ㄱㄲㄳㄴㄵㄶㄷㄸㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅃㅄㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"

# Korean names of the Latin letters (acronyms are read letter by letter): only L, M, N, R end in a consonant
LETTER_ENDINGS: dict[str, Ending] = {**{c: "vowel" for c in string.ascii_uppercase},
                                     "L": "rieul", "R": "rieul", "M": "consonant", "N": "consonant"}
# Korean names of the digits: 영 일 이 삼 사 오 육 칠 팔 구
DIGIT_ENDINGS: dict[str, Ending] = {"0": "consonant", "1": "rieul", "2": "vowel", "3": "consonant", "4": "vowel",
                                   "5": "vowel", "6": "consonant", "7": "rieul", "8": "rieul", "9": "vowel"}
TRAILING_PARENS = re.compile(r"\s*[(\[（][^()\[\]（）]*[)\]）]\s*$")
SKIPPED = " \t\n'\"‘’“”`*_\\.,;:!?…·-–—»›」』>"


def ending(word: str) -> Ending:
    """How `word` ends when read aloud: "vowel", "consonant" (a final consonant) or "rieul" (final ㄹ)."""
    text = str(word)
    while TRAILING_PARENS.search(text) and TRAILING_PARENS.sub("", text).strip(SKIPPED):
        text = TRAILING_PARENS.sub("", text)  # "유사도 (제로샷)" reads as "유사도"
    text = text.rstrip(SKIPPED)
    if not text:
        return "vowel"
    last = text[-1]
    if HANGUL_FIRST <= ord(last) <= HANGUL_LAST:
        final = (ord(last) - HANGUL_FIRST) % 28
        return "vowel" if final == 0 else "rieul" if final == RIEUL_FINAL else "consonant"
    if last in JAMO_CONSONANTS:
        return "rieul" if last == "ㄹ" else "consonant"
    if last.isdigit():
        return _number_ending(text)
    if last in "%‰":
        return "vowel"  # 퍼센트
    if last.isascii() and last.isalpha():
        return _latin_ending(text)
    return "vowel"


def _number_ending(text: str) -> Ending:
    """The last digit by its Korean name; a number ending in zeros by its power of ten (십, 백, 천, 만)."""
    digits = re.search(r"[0-9][0-9,]*$", text)
    number = (digits.group(0) if digits else text[-1]).replace(",", "")
    if number.strip("0") == "" or not number.endswith("0"):
        return DIGIT_ENDINGS[number[-1]]
    return "consonant"  # 십, 백, 천, 만 (and 억 …) all end in a consonant


def _latin_ending(text: str) -> Ending:
    """A Latin word's ending: upper-case last letter = an acronym read by letter names; else loanword rules."""
    word = re.search(r"[A-Za-z]+$", text)
    letters = word.group(0) if word else text[-1]
    last = letters[-1]
    if last.isupper() or len(letters) == 1:
        return LETTER_ENDINGS[last.upper()]
    return _loanword_ending(letters.lower())


def _loanword_ending(w: str) -> Ending:
    """How Korean writes an English word's end: -n/-m/-ng keep their consonant (프로즌, 모델의 -l → ㄹ), a final
    -k/-p/-t/-b/-g/-c after a vowel closes the syllable (북, 톱, 비트핏, 웹), anything else ends in a vowel
    (마스크, 램프, 테스트, 컴퓨터, 클로즈)."""
    vowels = "aeiou"
    if w.endswith("le") or w.endswith("l"):
        return "rieul"
    if w[-1] in "mn" or w.endswith("me") or w.endswith("ne"):
        return "consonant"
    if w.endswith("ck"):
        return "vowel"
    if w[-1] in "kptbgc" and len(w) > 1 and w[-2] in vowels:
        return "consonant"
    return "vowel"


def particle(word: Any, form: str) -> str:
    """The form of the particle `form` ("은", "는", "은/는", "으로" …) that follows `word`."""
    pair = FORMS.get(form.split("/")[0]) if "/" in form else FORMS.get(form)
    if pair is None:
        raise ValueError(f"unknown Korean particle {form!r}; known: {', '.join(sorted(FORMS))}")
    end = ending(str(word))
    if end == "vowel" or (end == "rieul" and pair[0] in RO):
        return pair[1]
    return pair[0]


def attach(word: Any, form: str) -> str:
    """`word` followed by the right form of the particle: attach("MiniLM", "은") -> "MiniLM은"."""
    return f"{word}{particle(word, form)}"


QUOTES = {"'": "'", '"': '"', "“": "”", "‘": "’", "「": "」"}  # an opening quote in a particle spec -> its closing one


class ParticleFormatter(string.Formatter):
    """`str.format` that also reads a particle as a format spec: "{name:은}", "{acc:.1f이}" (spec, then the
    particle), "{word:'을}" / "{name:“은}" (the value in quotes, the particle after the closing one); every other
    spec is formatted as `str.format` does."""

    def format_field(self, value: Any, format_spec: str) -> str:
        for size in (3, 2, 1):  # the longest particle the spec ends with
            form = format_spec[-size:]
            if len(format_spec) >= size and form in FORMS:
                spec = format_spec[:-size]
                opening = spec[:1] if spec[:1] in QUOTES else ""
                text = format(value, spec[len(opening):])
                if opening:
                    text = opening + text + QUOTES[opening]
                return text + particle(text, form)
        return format(value, format_spec)


FORMATTER = ParticleFormatter()
HAS_PARTICLE = re.compile(r"\{[^{}]*:[^{}]*[가-힣]\}")  # a field whose spec ends in a Hangul particle


def format_message(template: str, params: dict[str, Any]) -> str:
    """`template.format(**params)`, with particle specs resolved (the plain `str.format` where there are none)."""
    if HAS_PARTICLE.search(template):
        return FORMATTER.vformat(template, (), params)
    return template.format(**params)
