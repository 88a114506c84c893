"""Sample sets: fixed disjoint splits, reproducible sampling; every bad-CSV case has its own message."""

import pandas as pd
import pytest

from plm_core.data import DATASETS, get_dataset, load_csv, resolve_dataset, split_pool_test
from plm_core.errors import PLMError


@pytest.mark.parametrize("name", list(DATASETS))
def test_split_is_fixed_and_disjoint(name):
    ds = get_dataset(name)
    assert set(ds.pool["text"]).isdisjoint(ds.test["text"])
    assert len(ds.labels) >= 2 and set(ds.test["label"]) == set(ds.pool["label"])
    get_dataset.cache_clear()
    again = get_dataset(name)
    assert again.test["text"].tolist() == ds.test["text"].tolist()


def test_known_sizes():
    movie = get_dataset("movie-snippets")
    assert (len(movie.test), movie.labels) == (1000, ["negative", "positive"])
    assert len(movie.pool) > 9000
    wiki = get_dataset("wiki-topics")
    assert len(wiki.labels) == 11 and "Uncategorized" not in wiki.labels


def test_sample_is_reproducible_and_from_pool():
    ds = get_dataset("movie-snippets")
    a, b, c = ds.sample(50, seed=1), ds.sample(50, seed=1), ds.sample(50, seed=2)
    assert a["text"].tolist() == b["text"].tolist() != c["text"].tolist()
    assert set(a["text"]) <= set(ds.pool["text"])


def test_sample_per_class_is_stratified():
    ds = get_dataset("wiki-topics")
    k8 = ds.sample_per_class(8, seed=3)
    assert k8["label"].value_counts().to_dict() == {label: 8 for label in ds.labels}
    assert k8["text"].tolist() == ds.sample_per_class(8, seed=3)["text"].tolist()
    assert set(k8["text"]).isdisjoint(ds.test["text"])


@pytest.mark.parametrize("call, key", [
    (lambda ds: ds.sample(0), "data.err.bad_n"),
    (lambda ds: ds.sample(10**6), "data.err.n_too_large"),
    (lambda ds: ds.sample_per_class(0), "data.err.bad_k"),
    (lambda ds: ds.sample_per_class(100), "data.err.too_few_per_class"),
])
def test_bad_sampling_requests(call, key):
    with pytest.raises(PLMError) as err:
        call(get_dataset("korean-intents"))
    assert err.value.key == key


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


GOOD = "text,label\n" + "".join(f"good movie {i},pos\nbad movie {i},neg\n" for i in range(10))


def test_good_csv_gives_a_stratified_holdout():
    ds = load_csv(csv_bytes(GOOD))
    assert len(ds.pool) == 16 and len(ds.test) == 4
    assert ds.test["label"].value_counts().to_dict() == {"neg": 2, "pos": 2}
    assert load_csv(csv_bytes(GOOD)).test["text"].tolist() == ds.test["text"].tolist()


def test_csv_columns_are_case_insensitive_and_bom_is_accepted():
    ds = load_csv("\ufeffText,Label\n".encode() + GOOD.split("\n", 1)[1].encode())
    assert len(ds.pool) + len(ds.test) == 20


BAD_CASES = {
    "too_large": (b"text,label\n" + b"x,y\n" * 10, dict(max_bytes=20), "data.err.too_large", "limit"),
    "empty_file": (b"   \n", {}, "data.err.empty_file", "empty"),
    "header_only": (b"text,label\n", {}, "data.err.no_rows", "no rows"),
    "not_utf8": ("text,label\ncafé,a\nthé,b\n".encode("latin-1"), {}, "data.err.not_utf8", "UTF-8"),
    "unreadable": (b'text,label\n"unclosed quote,a\nb,c,d,e\n', {}, "data.err.unreadable", "could not be read"),
    "missing_column": (b"review,sentiment\nnice,pos\nbad,neg\n", {}, "data.err.missing_column", "review, sentiment"),
    "all_empty_texts": (b"text,label\n ,pos\n,neg\n", {}, "data.err.all_texts_empty", "Every row"),
    "empty_texts": (b"text,label\ngood,pos\n,neg\nbad,neg\n", {}, "data.err.empty_texts", "rows 3"),
    "blank_labels": (b"text,label\ngood,pos\nbad, \nok,neg\n", {}, "data.err.blank_labels", "rows 3"),
    "single_class": (b"text,label\ngood,pos\ngreat,pos\n", {}, "data.err.single_class", "'pos'"),
    "class_too_small": (b"text,label\ngood,pos\ngreat,pos\nbad,neg\n", {}, "data.err.class_too_small_to_split",
                        "'neg'"),
    # a second header row (was: "Class 'label' has only 1 example")
    "repeated_header": (csv_bytes(GOOD.replace("\n", "\ntext,label\n", 1)), {}, "data.err.repeated_header", "Row 2 "),
    # an unquoted comma in the first example (was: read shifted, "20 rows have a blank label")
    "shifted_columns": (csv_bytes(GOOD.replace("\n", "\ngreat, fun movie,pos\n", 1)), {}, "data.err.shifted_columns",
                        "Row 2 (the first example, starting “great”) has 3 fields but the header has 2"),
    # an unquoted comma further down (was: pandas' English "Expected 2 fields in line 23, saw 3")
    "extra_fields": (csv_bytes(GOOD + "great, fun movie,pos\n"), {}, "data.err.extra_fields",
                     "Row 22 (starting “great”) has 3 fields"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_every_bad_csv_case_has_its_own_message(case):
    data, kwargs, key, fragment = BAD_CASES[case]
    with pytest.raises(PLMError) as err:
        load_csv(data, **kwargs)
    assert err.value.key == key
    assert fragment in str(err.value)
    korean = err.value.message("ko")
    assert korean != str(err.value) and any("\uac00" <= ch <= "\ud7a3" for ch in korean)


def test_distinct_messages_per_case():
    assert len({key for _, _, key, _ in BAD_CASES.values()}) == len(BAD_CASES)


def test_long_texts_are_truncated_with_a_notice():
    long_row = "x" * 50
    ds = load_csv(csv_bytes(GOOD + f"{long_row},pos\n"), max_chars=20)
    assert ds.notices and ds.notices[0][0] == "data.notice.truncated"
    assert ds.notices[0][1]["n"] == 1 and ds.notices[0][1]["rows"] == "22"
    assert max(map(len, pd.concat([ds.pool, ds.test])["text"])) == 20


def test_too_few_per_class_after_upload():
    ds = load_csv(csv_bytes(GOOD))
    with pytest.raises(PLMError) as err:
        ds.sample_per_class(9)
    assert err.value.key == "data.err.too_few_per_class" and "pos (8)" in str(err.value)


def test_resolve_dataset_accepts_names_and_csv_paths(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert resolve_dataset(str(path)).name == "mine.csv"
    assert resolve_dataset("movie-snippets").name == "movie-snippets"
    with pytest.raises(PLMError) as err:
        resolve_dataset("imdb")
    assert err.value.key == "data.err.unknown"
    with pytest.raises(PLMError) as err:
        resolve_dataset(str(tmp_path / "missing.csv"))
    assert err.value.key == "data.err.no_such_file"


def test_split_pool_test_share():
    df = pd.DataFrame({"text": [f"t{i}" for i in range(100)], "label": ["a"] * 50 + ["b"] * 50})
    pool, test = split_pool_test(df, 0.2)
    assert len(test) == 20 and test["label"].value_counts().to_dict() == {"a": 10, "b": 10}


def test_a_first_row_ending_in_a_comma_is_not_shifted():
    """'good movie,pos,' as the first example made pandas take the texts as row names (every label blank)."""
    ds = load_csv(csv_bytes(GOOD.replace("\n", "\nfine movie,pos,\n", 1)))
    assert sorted(ds.labels) == ["neg", "pos"] and len(ds.pool) + len(ds.test) == 21


@pytest.mark.parametrize("spelling, shown", [
    ("pos\u200d", "“pos⟨U+200D⟩” (22, 23, 24)"),  # a zero-width joiner: two classes that looked the same
    ("\ufeffpos\u200b", "“⟨U+FEFF⟩pos⟨U+200B⟩” (22, 23, 24)"),  # BOM and zero-width space
    (" pos ", "“⟨space⟩pos⟨space⟩” (22, 23, 24)"),  # spaces around it
])
def test_labels_that_look_the_same_are_one_class_and_the_merge_is_reported(spelling, shown):
    extra = "".join(f"nice movie {i},{spelling}\n" for i in range(3))
    ds = load_csv(csv_bytes(GOOD + extra))
    assert ds.labels == ["neg", "pos"]
    assert (pd.concat([ds.pool, ds.test])["label"] == "pos").sum() == 13
    assert ds.notices == [("data.notice.labels_merged", {"n": 1, "merges": f"“pos” ← {shown}"})]


def test_unicode_forms_of_a_label_are_one_class():
    extra = "nice film,caf\u00e9\nfine film,cafe\u0301\nneat film,caf\u00e9\n"
    ds = load_csv(csv_bytes(GOOD + extra))
    assert ds.labels == ["café", "neg", "pos"] and "café" == "caf\u00e9"
    assert ds.notices[0][1]["merges"] == "“café” ← “cafe⟨U+0301⟩” (23)"


def test_a_label_of_invisible_characters_only_is_blank():
    with pytest.raises(PLMError) as err:
        load_csv(csv_bytes(GOOD + "odd movie,\u200d\n"))
    assert err.value.key == "data.err.blank_labels" and err.value.params["rows"] == "22"
