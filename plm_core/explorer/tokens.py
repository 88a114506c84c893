"""How each tokenizer cuts a text: pieces per word, unknown pieces, and byte-level pieces made readable.

Byte-level BPE (GPT-2, SmolLM2) stores bytes as printable stand-ins ('Ġ' = space); a Korean syllable is
three UTF-8 bytes and often ends up as three pieces of one byte each. We show whole characters where a
piece holds them, and the bytes (e.g. '⟨EB⟩') where it holds only part of a character.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from plm_core.backbones.base import Backbone, Tokenized
from plm_core.explorer.polysemy import piece_offsets


@lru_cache(maxsize=1)
def _byte_decoder() -> dict[str, int]:
    """GPT-2's printable stand-in for each byte, reversed: {'Ġ': 0x20, ...}."""
    printable = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
                 + list(range(ord("®"), ord("ÿ") + 1)))
    codes = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            codes.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, codes, strict=True)}


def readable_piece(raw: str) -> str:
    """A byte-level piece as text ('Ġbank' -> '▁bank'); bytes that are only part of a character as '⟨EB⟩'."""
    table = _byte_decoder()
    if not raw or any(c not in table for c in raw):
        return raw
    return _bytes_to_text(bytes(table[c] for c in raw)).replace(" ", "▁").replace("\n", "\\n")


def _bytes_to_text(data: bytes) -> str:
    """Decode every complete UTF-8 character; show each stray byte as ⟨XX⟩."""
    out, i = [], 0
    while i < len(data):
        lead = data[i]
        size = (1 if lead < 0x80 else 2 if 0xC0 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0
                else 4 if lead >= 0xF0 else 0)
        if size and i + size <= len(data):
            try:
                out.append(data[i : i + size].decode("utf-8"))
                i += size
                continue
            except UnicodeDecodeError:
                pass
        out.append(f"⟨{lead:02X}⟩")
        i += 1
    return "".join(out)


def readable_tokens(backbone: Backbone, text: str, max_length: int | None = None) -> Tokenized:
    """`backbone.tokenize(text)` with byte-level pieces made readable."""
    tok = backbone.tokenize(text, max_length)
    raw = backbone.raw_pieces(tok.ids) if backbone.byte_level else None
    if raw is not None:
        tok.tokens = [t if s else readable_piece(r) for t, r, s in zip(tok.tokens, raw, tok.special, strict=True)]
    return tok


def words_with_pieces(backbone: Backbone, text: str, tok: Tokenized | None = None) -> pd.DataFrame:
    """One row per whitespace word: the pieces that cover it and how many."""
    tok = tok or readable_tokens(backbone, text)
    offsets = piece_offsets(backbone, text)
    rows, start = [], 0
    for word in text.split():
        begin = text.index(word, start)
        end = start = begin + len(word)
        if offsets is not None and len(offsets) == len(tok.tokens):
            idx = [i for i, (a, b) in enumerate(offsets) if b > a and a < end and b > begin]
        else:
            idx = []
        pieces = [tok.tokens[i] for i in idx]
        rows.append({"word": word, "pieces": " · ".join(pieces), "n_pieces": len(pieces)})
    return pd.DataFrame(rows, columns=["word", "pieces", "n_pieces"])


def unknown_count(backbone: Backbone, tok: Tokenized) -> int:
    unk = backbone.unknown_id
    return sum(1 for i in tok.ids if unk is not None and i == unk) + sum(1 for i in tok.ids if i == -1)


def compare_tokenizers(backbones: Mapping[str, Backbone], text: str) -> pd.DataFrame:
    """Per backbone: number of pieces, pieces per word, unknown pieces, and the pieces themselves."""
    n_words = max(len(text.split()), 1)
    rows = []
    for name, backbone in backbones.items():
        tok = readable_tokens(backbone, text)
        real = [t for t, s in zip(tok.tokens, tok.special, strict=True) if not s]
        rows.append({"backbone": name, "pieces": len(real), "pieces_per_word": round(len(real) / n_words, 2),
                     "unknown": unknown_count(backbone, tok), "cut": " · ".join(real), "truncated": tok.truncated})
    return pd.DataFrame(rows)


def has_hangul(text: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" or "\u1100" <= c <= "\u11ff" or "\u3130" <= c <= "\u318f" for c in text)


def reading_warning(backbone: Backbone, texts: list[str], threshold: float = 0.5) -> tuple[str, dict] | None:
    """(catalog key, params) when the tokenizer cannot read most of the text: most pieces are [UNK], or
    most of the pieces that carry Hangul are single characters or jamo. None when it reads the text."""
    pieces, unknown, hangul, single = 0, 0, 0, 0
    for text in texts:
        tok = readable_tokens(backbone, text)
        real = [p for p, special in zip(tok.tokens, tok.special, strict=False) if not special]
        pieces += len(real)
        n_unknown = unknown_count(backbone, tok)
        unknown += n_unknown
        korean = [p for p in real if has_hangul(p)]
        hangul += len(korean) + (n_unknown if has_hangul(text) else 0)
        single += sum(1 for p in korean if len(p.lstrip("#▁Ġ")) <= 1) + (n_unknown if has_hangul(text) else 0)
    if not pieces:
        return None
    name = backbone.spec.display
    if unknown / pieces >= threshold:
        return "tokens.warn.unknown", {"name": name, "share": f"{unknown / pieces:.0%}"}
    if hangul and single / hangul >= threshold:
        return "tokens.warn.characters", {"name": name, "share": f"{single / hangul:.0%}"}
    return None
