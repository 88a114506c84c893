"""Small shared fixtures for the few-shot tests."""

import pandas as pd

from plm_core.data import DatasetInfo, SampleSet

LABELS = ["negative", "positive"]  # the prompt tests' label words and demonstrations
DEMOS = [("a dull and tired film", "negative"), ("warm, funny and moving", "positive"), ("far too long", "negative")]


def toy_set(n_per_class: int = 30, labels=("neg", "neu", "pos")) -> SampleSet:
    rows = [(f"{lab} text {i}", lab) for lab in labels for i in range(n_per_class)]
    df = pd.DataFrame(rows, columns=["text", "label"])
    test = df.iloc[::5].reset_index(drop=True)
    pool = df.drop(index=df.index[::5]).reset_index(drop=True)
    info = DatasetInfo("toy", "toy", "classification", "en", "", "", "", "", 0.2)
    return SampleSet(info, pool, test)
