"""The labelled examples a run trains on and the fixed test set it is scored on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from plm_core.data import SampleSet, fixed_test_order
from plm_core.errors import PLMError

MAX_TRAIN = 5000  # this lab is about small data; larger N only makes the CPU wait


@dataclass
class Split:
    """Training examples, test examples and the label list (the classifier's output order)."""

    train: pd.DataFrame  # columns text, label
    test: pd.DataFrame  # columns text, label
    labels: list[str]

    def encode(self, labels: pd.Series) -> np.ndarray:
        index = {lab: i for i, lab in enumerate(self.labels)}
        return np.array([index[lab] for lab in labels], dtype=np.int64)  # (N,)


def make_split(ds: SampleSet, n: int | None = None, per_class: int | None = None, seed: int = 0,
               test_limit: int | None = None) -> Split:
    """N examples (or K per class) from the pool and the first `test_limit` of the fixed test set."""
    if (n is None) == (per_class is None):
        raise PLMError("transfer.err.n_or_k")
    n_classes = len(ds.labels)
    if n is not None:
        if n < max(2, n_classes) and n >= 1:
            raise PLMError("transfer.err.too_few_examples", n=n, classes=n_classes, least=max(2, n_classes))
        if n > MAX_TRAIN:
            raise PLMError("transfer.err.too_many_examples", n=n, most=MAX_TRAIN)
        train = ds.sample(n, seed)
    else:
        assert per_class is not None  # exactly one of n and per_class, checked above
        if per_class * n_classes > MAX_TRAIN:
            raise PLMError("transfer.err.too_many_examples", n=per_class * n_classes, most=MAX_TRAIN)
        train = ds.sample_per_class(int(per_class), seed)
    if train["label"].nunique() < 2:
        raise PLMError("transfer.err.one_class_drawn", n=len(train), label=str(train["label"].iloc[0]))
    if test_limit is not None and test_limit < 1:
        raise PLMError("transfer.err.bad_test_limit", limit=test_limit)
    test = fixed_test_order(ds.test)
    test = test if test_limit is None else test.head(test_limit)
    return Split(train[["text", "label"]].reset_index(drop=True), test[["text", "label"]].reset_index(drop=True),
                 labels=sorted(set(ds.pool["label"]) | set(ds.test["label"])))


def split_from_frames(train_df: pd.DataFrame, test_df: pd.DataFrame) -> Split:
    """A Split from two DataFrames with `text` and `label` columns (what `train()` receives)."""
    for name, df in (("train_df", train_df), ("test_df", test_df)):
        missing = {"text", "label"} - set(df.columns)
        if missing:
            raise PLMError("transfer.err.frame_columns", frame=name, missing=", ".join(sorted(missing)))
        if df.empty:
            raise PLMError("transfer.err.empty_frame", frame=name)
    if train_df["label"].astype(str).nunique() < 2:
        raise PLMError("transfer.err.one_class_drawn", n=len(train_df), label=str(train_df["label"].iloc[0]))
    train = pd.DataFrame({"text": train_df["text"].astype(str), "label": train_df["label"].astype(str)})
    test = pd.DataFrame({"text": test_df["text"].astype(str), "label": test_df["label"].astype(str)})
    labels = sorted(set(train["label"]) | set(test["label"]))
    return Split(train.reset_index(drop=True), test.reset_index(drop=True), labels)
