"""The example builders of the five pretraining objectives (pure functions, fixed seeds)."""

from __future__ import annotations

import numpy as np
import pytest

from plm_core.pretrain import examples as ex

VOCAB = 1000
SPECIAL = [0, 1, 2, 3, 4]  # pad, unk, cls, sep, mask
MASK = 4


def test_mlm_mask_rate_and_80_10_10_split() -> None:
    rng = np.random.default_rng(0)
    ids = rng.integers(5, VOCAB, size=(400, 128))  # 51,200 ordinary tokens
    b = ex.mlm_batch(ids, rng, MASK, VOCAB, SPECIAL, first_normal_id=5)
    picked = b.labels != ex.IGNORE
    assert abs(picked.mean() - 0.15) < 0.005
    kinds = b.kinds[picked]
    assert abs((kinds == 1).mean() - 0.8) < 0.01
    assert abs((kinds == 2).mean() - 0.1) < 0.01
    assert abs((kinds == 3).mean() - 0.1) < 0.01
    assert (b.input_ids[b.kinds == 1] == MASK).all()
    assert (b.input_ids[b.kinds == 3] == ids[b.kinds == 3]).all()  # kept tokens are unchanged
    assert (b.input_ids[b.kinds == 2] >= 5).all()  # random replacements are never special tokens
    assert (b.labels[picked] == ids[picked]).all()  # the target is always the original token
    assert (b.input_ids[~picked] == ids[~picked]).all()


def test_mlm_never_picks_special_tokens_and_picks_at_least_one() -> None:
    rng = np.random.default_rng(1)
    ids = np.array([[2, 10, 11, 3, 0, 0]] * 50)
    b = ex.mlm_batch(ids, rng, MASK, VOCAB, SPECIAL)
    picked = b.labels != ex.IGNORE
    assert not picked[:, [0, 3, 4, 5]].any()
    assert picked.any(axis=1).all()


def test_clm_targets_are_inputs_shifted_by_one() -> None:
    ids = np.arange(20).reshape(2, 10)
    b = ex.clm_batch(ids)
    assert b.input_ids.shape == b.labels.shape == (2, 9)
    assert (b.labels[:, :-1] == b.input_ids[:, 1:]).all()
    assert (b.labels == ids[:, 1:]).all() and (b.input_ids == ids[:, :-1]).all()


SENTINELS = list(range(900, 932))
EOS, PAD = 3, 0


@pytest.mark.parametrize("seed", range(5))
def test_span_corruption_sentinels_and_targets(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ids = rng.integers(5, 800, size=(8, 64))
    b = ex.span_batch(ids, rng, SENTINELS, EOS, PAD)
    for row in range(8):
        noise = b.noise[row]
        assert abs(noise.sum() - round(64 * 0.15)) <= 1
        src = [t for t in b.input_ids[row] if t != PAD]
        tgt = [t for t in b.labels[row] if t != ex.IGNORE]
        used = [t for t in src if t in SENTINELS]
        assert used == SENTINELS[: len(used)]  # sentinels in order, one per span
        assert [t for t in tgt if t in SENTINELS] == used  # the target opens the same spans
        assert src[-1] == EOS and tgt[-1] == EOS
        assert [t for t in src if t not in SENTINELS][:-1] == list(ids[row][~noise])  # kept tokens
        assert [t for t in tgt if t not in SENTINELS][:-1] == list(ids[row][noise])  # dropped tokens


def test_span_example_rebuilds_the_sentence() -> None:
    vocab = [f"w{i}" for i in range(1000)]
    for i, s in enumerate(SENTINELS):
        vocab[s] = f"<extra_id_{i}>"
    ids = list(range(10, 40))
    e = ex.span_example(ids, vocab, np.random.default_rng(3), SENTINELS, EOS, PAD)
    spans: dict[str, list[str]] = {}
    key = None
    for p in e.targets[:-1]:
        if p.startswith("<extra_id_"):
            key = p
            spans[key] = []
        else:
            spans[key].append(p)
    rebuilt = [x for p in e.inputs[:-1] for x in (spans[p] if p in spans else [p])]
    assert rebuilt == [vocab[i] for i in ids]


def test_bilm_forward_and_backward_targets() -> None:
    ids = np.array([[5, 6, 7, 8]])
    b = ex.bilm_batch(ids)
    assert b.forward_labels.tolist() == [[6, 7, 8, ex.IGNORE]]
    assert b.backward_labels.tolist() == [[ex.IGNORE, 5, 6, 7]]
    padded = ex.bilm_batch(np.array([[5, 6, 0, 0]]), pad_id=0)
    assert padded.forward_labels.tolist() == [[6, ex.IGNORE, ex.IGNORE, ex.IGNORE]]
    assert padded.backward_labels.tolist() == [[ex.IGNORE, 5, ex.IGNORE, ex.IGNORE]]
    e = ex.bilm_example([5, 6, 7], ["a", "b", "c"])
    assert e.targets == ["b", "c", ""] and e.detail["backward_targets"] == ["", "a", "b"]


def test_skipgram_pairs_are_within_the_window() -> None:
    centres, contexts = ex.skipgram_pairs([10, 11, 12, 13], window=1)
    assert sorted(zip(centres.tolist(), contexts.tolist(), strict=True)) == sorted(
        [(10, 11), (11, 10), (11, 12), (12, 11), (12, 13), (13, 12)]
    )


def test_negatives_follow_unigram_075_and_never_equal_the_positive() -> None:
    counts = np.array([1000, 100, 10, 1] + [50] * 6)
    probs = ex.noise_distribution(counts)
    assert np.isclose(probs[0] / probs[1], 10 ** 0.75)
    rng = np.random.default_rng(0)
    contexts = np.zeros(20_000, dtype=np.int64)  # the most frequent word is every positive
    neg = ex.draw_negatives(contexts, 5, probs, rng)
    assert neg.shape == (20_000, 5)
    assert not (neg == contexts[:, None]).any()
    b = ex.sgns_batch(rng.integers(0, 10, size=300), rng, probs, window=2, k=5)
    assert not (b.negatives == b.contexts[:, None]).any()
    # among draws that are not the positive, frequencies follow count^0.75
    free = ex.draw_negatives(np.full(50_000, 9), 1, probs, rng)[:, 0]
    share = np.bincount(free, minlength=10)[:9] / len(free)
    expected = probs[:9] / probs[:9].sum()
    assert np.allclose(share, expected, atol=0.01)


def test_subsampling_thins_frequent_words() -> None:
    counts = np.array([100_000, 10])
    words = np.array([0] * 10_000 + [1] * 10_000)
    kept = ex.subsample(words, counts, np.random.default_rng(0), t=1e-3)
    assert (kept == 0).sum() < 1500 and (kept == 1).sum() == 10_000


def test_examples_are_reproducible_with_a_seed() -> None:
    vocab = [f"w{i}" for i in range(VOCAB)]
    ids = list(range(5, 45))
    a = ex.mlm_example(ids, vocab[5:45], vocab, np.random.default_rng(7), MASK, SPECIAL)
    b = ex.mlm_example(ids, vocab[5:45], vocab, np.random.default_rng(7), MASK, SPECIAL)
    assert a == b and a.positions and len(a.detail["kinds"]) == len(a.positions)
    c = ex.clm_example(ids, vocab[5:45])
    assert c.targets[0] == c.inputs[1]
