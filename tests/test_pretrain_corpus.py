"""The corpus recipe: deterministic, deduplicated, and free of every sample set's test texts."""

from __future__ import annotations

import json

import pytest

from plm_core.pretrain import corpus as cp


def docs() -> list[cp.Document]:
    return [
        cp.Document("wiki", "wiki:Paris", ("Paris is the capital of France.",)),
        cp.Document("wiki", "wiki:Seoul", ("Seoul is the capital of South Korea.",)),
        cp.Document("wiki", "wiki:Whale", ("Whales are large marine mammals.",)),
        cp.Document("moby", "moby:chapter_1", ("Call me Ishmael. Some years ago, never mind how long.",
                                              "Call me Ishmael. Some years ago - never mind how long!",
                                              "Short one.")),
        cp.Document("sotu", "sotu:1790",
                    tuple(f"Paragraph number {i} of a long address to the Congress." for i in range(600))),
    ]


def test_exclusion_removes_test_articles_by_text_and_by_title() -> None:
    kept, removed = cp.exclude_test_texts(docs(), ["  paris is the capital of FRANCE "], titles=["Whale"])
    ids = [d.doc_id for d in kept]
    assert "wiki:Paris" not in ids and "wiki:Whale" not in ids and "wiki:Seoul" in ids
    assert removed == 2


def test_exclusion_drops_matching_paragraphs_of_other_sources() -> None:
    kept, removed = cp.exclude_test_texts(docs(), ["Short one."])
    moby = next(d for d in kept if d.source == "moby")
    assert "Short one." not in moby.paragraphs and removed == 1


def test_dedupe_keeps_first_occurrence_ignoring_case_and_punctuation() -> None:
    deduped, dropped = cp.dedupe_paragraphs(docs())
    moby = next(d for d in deduped if d.source == "moby")
    assert moby.paragraphs == ("Call me Ishmael. Some years ago, never mind how long.", "Short one.")
    assert dropped == 1


def test_assemble_is_deterministic_and_splits_by_hash() -> None:
    a = cp.assemble(docs(), ["Paris is the capital of France."])
    b = cp.assemble(docs(), ["Paris is the capital of France."])
    assert (a.train, a.valid) == (b.train, b.valid)
    assert a.train
    assert all("Paris" not in p for p in a.train + a.valid)
    sections = cp.make_sections(docs(), words=100)
    train, valid = cp.split_and_order(sections, valid_every=3)
    expected = {sid for sid, _ in sections if cp.stable_hash("split:" + sid) % 3 == 0}
    assert sum(len(p) for sid, p in sections if sid in expected) == len(valid)


def test_clean_text_normalises_quotes_dashes_and_spaces() -> None:
    assert cp.clean_text("\u201cCall\u201d  me\u2014Ishmael\u2019s\n") == "\"Call\" me - Ishmael's"


def test_play_speeches_keep_speakers_and_drop_directions() -> None:
    play = ("Front matter\n\nACT I.\n\nScene I. A room.\n\n[Enter Kent.]\n\nKent.\nI thought the King\n"
            "had more affected.\n\nGLOU\nIt did always seem so. [Aside.]\n")
    assert cp.play_speeches(play) == ["Kent. I thought the King had more affected.", "GLOU It did always seem so."]


def wiki_test_texts() -> list[str]:
    from plm_core.data import get_dataset
    from plm_core.errors import PLMError

    try:
        return [cp.clean_text(t) for t in get_dataset("wiki-topics").test["text"]]
    except PLMError as err:
        pytest.skip(f"wiki-topics not prepared: {err}")


def test_shipped_slice_has_no_test_split_text() -> None:
    shipped = cp.shipped_dir()
    text = ((shipped / "train_slice.txt").read_text(encoding="utf-8")
            + (shipped / "valid.txt").read_text(encoding="utf-8"))
    tests = wiki_test_texts()
    assert len(tests) > 1000
    assert not [t for t in tests if t[:100] in text]
    from plm_core.data import get_dataset

    pool = [cp.clean_text(t) for t in get_dataset("wiki-topics").pool["text"]]
    assert sum(t[:100] in text for t in pool[:400]) > 5  # the check does find articles that are in the corpus


def test_shipped_slice_matches_its_provenance() -> None:
    prov = json.loads((cp.shipped_dir() / "provenance.json").read_text(encoding="utf-8"))
    for name, digest in prov["shipped"].items():
        assert cp.sha256_file(cp.shipped_dir() / name) == digest
    assert prov["outputs"]["valid.txt"] == prov["shipped"]["valid.txt"]
    assert "wiki-topics" in prov["excluded_test_splits_of"]
    shipped = cp.shipped_dir()
    assert (shipped / "train_slice.txt").stat().st_size + (shipped / "valid.txt").stat().st_size < 3_000_000


@pytest.mark.slow
def test_full_corpus_rebuild_gives_the_same_bytes_and_no_leak(tmp_path) -> None:
    """Rebuilds from the downloaded packages in the cache (skipped when they are not there)."""
    raw = cp.raw_dir()
    if not all((raw / s.filename).exists() for s in cp.SOURCES.values()):
        pytest.skip("corpus sources not downloaded: run `python -m plm_core corpus`")
    out = cp.build_corpus(out=tmp_path, log=lambda m: None)
    prov = json.loads((cp.shipped_dir() / "provenance.json").read_text(encoding="utf-8"))
    assert cp.sha256_file(out / "train.txt") == prov["outputs"]["train.txt"]
    assert cp.sha256_file(out / "valid.txt") == prov["outputs"]["valid.txt"]
    text = (out / "train.txt").read_text(encoding="utf-8")
    assert not [t for t in wiki_test_texts() if t[:100] in text]
