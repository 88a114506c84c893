"""Leak-free splits, separator sniffing, missing-value labels and the count of cut texts."""

from __future__ import annotations

import pandas as pd
import pytest

from plm_core.data import get_dataset, load_csv, normalise_text
from plm_core.errors import PLMError
from plm_core.transfer.split import make_split

ROWS = [(f"good movie number {i}", "pos") for i in range(20)] + [(f"bad movie number {i}", "neg") for i in range(20)]


def doubled_csv() -> bytes:
    """Every row twice, the second copy with other case and spacing."""
    lines = ["text,label"] + [f"{t},{lab}" for t, lab in ROWS] + [f"  {t.upper()}   ,{lab}" for t, lab in ROWS]
    return "\n".join(lines).encode()


def test_every_row_twice_never_puts_a_test_text_in_the_pool() -> None:
    ds = load_csv(doubled_csv())
    pool = set(ds.pool["text"].map(normalise_text))
    test = set(ds.test["text"].map(normalise_text))
    assert pool.isdisjoint(test) and len(pool) + len(test) == len(ROWS)
    assert ds.duplicates_removed == len(ROWS) and ds.summary()["duplicates_removed"] == len(ROWS)
    assert ("data.notice.duplicates", {"n": len(ROWS)}) in ds.notices
    split = make_split(ds, n=len(ds.pool), seed=0)
    assert set(split.train["text"].map(normalise_text)).isdisjoint(split.test["text"].map(normalise_text))


def test_packaged_sets_report_their_duplicates() -> None:
    ds = get_dataset("movie-snippets")
    assert ds.summary()["duplicates_removed"] >= 2  # two exact repeats in the VADER file
    assert set(ds.pool["text"].map(normalise_text)).isdisjoint(ds.test["text"].map(normalise_text))


@pytest.mark.parametrize("sep, name", [(";", ";"), ("\t", "tab")])
def test_semicolon_and_tab_files_are_read_with_their_separator(sep, name) -> None:
    text = f"text{sep}label\n" + "".join(f"good, warm film {i}{sep}pos\nbad, cold film {i}{sep}neg\n" for i in range(6))
    ds = load_csv(text.encode())
    assert len(ds.pool) + len(ds.test) == 12 and ds.labels == ["neg", "pos"]
    assert ds.notices[0] == ("data.notice.separator", {"sep": name})
    assert "good, warm film 0" in set(ds.pool["text"]) | set(ds.test["text"])


def test_a_semicolon_header_with_wrong_names_hints_the_separator() -> None:
    with pytest.raises(PLMError) as err:
        load_csv(b"review;sentiment\nnice;pos\nbad;neg\n")
    assert err.value.key == "data.err.missing_column_sep" and "';'" in str(err.value)
    assert "구분자" in err.value.message("ko")


@pytest.mark.parametrize("value", ["NaN", "nan", "NULL", "None", "N/A"])
def test_missing_value_labels_are_rejected_with_rows(value) -> None:
    text = "text,label\n" + "".join(f"good {i},pos\nbad {i},neg\n" for i in range(4)) + f"odd one,{value}\n"
    with pytest.raises(PLMError) as err:
        load_csv(text.encode())
    assert err.value.key == "data.err.na_labels" and "rows 10" in str(err.value) and value in str(err.value)


def test_cut_texts_are_counted() -> None:
    text = ("text,label\n" + "".join(f"good {i},pos\nbad {i},neg\n" for i in range(4))
            + f"{'x' * 60},pos\n{'y' * 70},neg\n")
    ds = load_csv(text.encode(), max_chars=20)
    assert ds.texts_cut == 2 and ds.summary()["texts_cut"] == 2
    assert max(map(len, pd.concat([ds.pool, ds.test])["text"])) == 20
