"""K-per-class draws and the fixed test set: stratified, reproducible, never overlapping."""

import pandas as pd
import pytest

from fewshot_helpers import toy_set
from plm_core.data import SampleSet
from plm_core.errors import PLMError
from plm_core.fewshot.methods import fixed_test, make_task


def test_draw_is_stratified_and_reproducible() -> None:
    task = make_task(toy_set(), test_limit=None)
    for k in (1, 4, 8):
        a, b = task.draw(k, seed=3), task.draw(k, seed=3)
        assert a["label"].value_counts().to_dict() == {"neg": k, "neu": k, "pos": k}
        pd.testing.assert_frame_equal(a, b)
    assert set(task.draw(8, 0)["text"]) != set(task.draw(8, 1)["text"])  # another seed, another sample
    assert task.draw(0, 0).empty


def test_draw_comes_from_its_seed_not_the_process_rng() -> None:
    """A K-shot draw is the run's own (issue 11): the process-wide numpy RNG plays no part."""
    import numpy as np

    np.random.seed(1)
    a = make_task(toy_set(), test_limit=None).draw(4, seed=2)
    np.random.seed(99)
    np.random.random(10)
    b = make_task(toy_set(), test_limit=None).draw(4, seed=2)
    pd.testing.assert_frame_equal(a, b)


def test_draw_order_is_shuffled_by_seed() -> None:
    task = make_task(toy_set(), test_limit=None)
    orders = {tuple(task.draw(4, s)["label"]) for s in range(6)}
    assert len(orders) > 1  # demonstrations are not grouped by class in one fixed order


def test_demonstrations_never_include_test_texts() -> None:
    ds = toy_set()
    leaked = ds.test.iloc[:3]
    ds = SampleSet(ds.info, pd.concat([ds.pool, leaked], ignore_index=True), ds.test)  # duplicates in the pool
    task = make_task(ds, test_limit=None)
    test_texts = set(task.test["text"])
    assert not set(task.data.pool["text"]) & test_texts
    for seed in range(5):
        assert not set(task.draw(task.max_k(), seed)["text"]) & test_texts


def test_fixed_test_is_deterministic_and_limited() -> None:
    ds = toy_set()
    a, b = fixed_test(ds, 10), fixed_test(ds, 10)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 10 and set(a["text"]) <= set(ds.test["text"])
    assert a["label"].nunique() > 1  # a shuffled prefix, not the first rows of one class
    with pytest.raises(PLMError):
        fixed_test(ds, 0)


def test_too_large_k_is_refused_with_a_reason() -> None:
    task = make_task(toy_set(n_per_class=5), test_limit=None)
    with pytest.raises(PLMError) as err:
        task.draw(task.max_k() + 1, 0)
    assert err.value.key == "data.err.too_few_per_class"
