"""Training examples of the five pretraining objectives, as pure functions of token ids and a seeded RNG.

Each `*_batch` function makes what the trainer feeds the model (numpy int64 arrays); each `*_example`
makes the same thing for one sentence, as a small dataclass the UI can render. They share one code path,
so what the page shows is exactly what the model was trained on.

    mlm   BERT: choose 15% of the tokens; of those 80% -> [MASK], 10% -> a random token, 10% unchanged
    clm   GPT: predict token t+1 from tokens <= t (targets = inputs shifted left by one)
    span  T5: replace random spans (15% of tokens, mean length 3) by sentinels; the target lists the spans
    bilm  ELMo: a forward LM predicts t+1, a backward LM predicts t-1, from the same tokens
    sgns  skip-gram: (centre, context) pairs within a window + k negatives drawn from unigram^0.75
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

IGNORE = -100  # label value that the loss skips


# ---- masked language modelling (BERT) --------------------------------------------------------------

@dataclass
class MLMBatch:
    input_ids: np.ndarray  # (B, T) with 15% of the real tokens corrupted
    labels: np.ndarray  # (B, T) original id where a prediction is asked, IGNORE elsewhere
    kinds: np.ndarray  # (B, T) 0 = untouched, 1 = [MASK], 2 = random token, 3 = kept but predicted


def mlm_batch(ids: np.ndarray, rng: np.random.Generator, mask_id: int, vocab_size: int,
              special_ids: Sequence[int], rate: float = 0.15, first_normal_id: int = 0) -> MLMBatch:
    """BERT's corruption: pick `rate` of the non-special tokens, then 80/10/10 [MASK]/random/keep.

    ids: (B, T) int. At least one token per row is picked. Random replacements are drawn from
    ids >= first_normal_id (so never a special token).
    """
    ids = np.asarray(ids, dtype=np.int64)
    candidates = ~np.isin(ids, np.asarray(list(special_ids), dtype=np.int64))  # (B, T)
    picked = (rng.random(ids.shape) < rate) & candidates  # (B, T)
    for row in np.flatnonzero(~picked.any(axis=1) & candidates.any(axis=1)):  # force one prediction per row
        picked[row, rng.choice(np.flatnonzero(candidates[row]))] = True
    roll = rng.random(ids.shape)  # (B, T) decides mask / random / keep
    kinds = np.where(picked, np.where(roll < 0.8, 1, np.where(roll < 0.9, 2, 3)), 0)
    random_ids = rng.integers(first_normal_id, vocab_size, size=ids.shape)
    inputs = np.where(kinds == 1, mask_id, np.where(kinds == 2, random_ids, ids))
    labels = np.where(picked, ids, IGNORE)
    return MLMBatch(inputs, labels, kinds)


# ---- causal language modelling (GPT) ---------------------------------------------------------------

@dataclass
class CLMBatch:
    input_ids: np.ndarray  # (B, T-1) tokens 0 .. T-2
    labels: np.ndarray  # (B, T-1) tokens 1 .. T-1: position t is asked for the token after it


def clm_batch(ids: np.ndarray) -> CLMBatch:
    """ids: (B, T) -> inputs (B, T-1) and targets shifted left by one (B, T-1)."""
    ids = np.asarray(ids, dtype=np.int64)
    return CLMBatch(ids[:, :-1], ids[:, 1:].copy())


# ---- span corruption (T5) --------------------------------------------------------------------------

@dataclass
class SpanBatch:
    input_ids: np.ndarray  # (B, Ti) kept tokens, each dropped span replaced by one sentinel, then EOS, then PAD
    labels: np.ndarray  # (B, Tt) sentinel_0 span_0 sentinel_1 span_1 ... EOS, then IGNORE
    noise: np.ndarray  # (B, T) True where the original token was dropped into a span


def span_noise_mask(length: int, rng: np.random.Generator, density: float = 0.15, mean_span: float = 3.0) -> np.ndarray:
    """T5's random_spans_noise_mask: (length,) bool, about `density` True in runs of mean `mean_span`."""
    n_noise = int(min(max(round(length * density), 1), length - 1))
    n_spans = int(max(min(round(n_noise / mean_span), n_noise, length - n_noise), 1))

    def segment(total: int) -> np.ndarray:  # total split into n_spans positive parts, in random order
        cuts: np.ndarray | list[int] = []
        if n_spans > 1:
            cuts = np.sort(rng.choice(np.arange(1, total), size=n_spans - 1, replace=False))
        return np.diff(np.concatenate([[0], cuts, [total]])).astype(int)

    noise_lens, keep_lens = segment(n_noise), segment(length - n_noise)
    mask = np.zeros(length, dtype=bool)
    pos = 0
    for keep, noise in zip(keep_lens, noise_lens, strict=True):  # starts with kept tokens, like T5
        pos += keep
        mask[pos : pos + noise] = True
        pos += noise
    return mask


def corrupt_spans(ids: Sequence[int], noise: np.ndarray, sentinel_ids: Sequence[int],
                  eos_id: int) -> tuple[list[int], list[int]]:
    """One sequence -> (input ids, target ids): span i becomes sentinel i in the input and opens it in the target."""
    inputs: list[int] = []
    targets: list[int] = []
    span = -1
    for t, tok in enumerate(ids):
        if noise[t]:
            if t == 0 or not noise[t - 1]:  # a new span starts
                span += 1
                inputs.append(int(sentinel_ids[span]))
                targets.append(int(sentinel_ids[span]))
            targets.append(int(tok))
        else:
            inputs.append(int(tok))
    return inputs + [eos_id], targets + [eos_id]


def span_batch(ids: np.ndarray, rng: np.random.Generator, sentinel_ids: Sequence[int], eos_id: int, pad_id: int,
               density: float = 0.15, mean_span: float = 3.0) -> SpanBatch:
    """ids: (B, T) -> padded inputs (B, Ti) and labels (B, Tt) of T5 span corruption."""
    ids = np.asarray(ids, dtype=np.int64)
    noise = np.stack([span_noise_mask(ids.shape[1], rng, density, mean_span) for _ in range(ids.shape[0])])
    pairs = [corrupt_spans(row, mask, sentinel_ids, eos_id) for row, mask in zip(ids, noise, strict=True)]
    width_in = max(len(p[0]) for p in pairs)
    width_out = max(len(p[1]) for p in pairs)
    inputs = np.full((len(pairs), width_in), pad_id, dtype=np.int64)
    labels = np.full((len(pairs), width_out), IGNORE, dtype=np.int64)
    for b, (src, tgt) in enumerate(pairs):
        inputs[b, : len(src)] = src
        labels[b, : len(tgt)] = tgt
    return SpanBatch(inputs, labels, noise)


# ---- bidirectional LM (ELMo) -----------------------------------------------------------------------

@dataclass
class BiLMBatch:
    input_ids: np.ndarray  # (B, T)
    forward_labels: np.ndarray  # (B, T) token t+1 (IGNORE at the last position)
    backward_labels: np.ndarray  # (B, T) token t-1 (IGNORE at the first position)


def bilm_batch(ids: np.ndarray, pad_id: int | None = None) -> BiLMBatch:
    """ids: (B, T). The forward LSTM at t predicts t+1; the backward LSTM at t predicts t-1."""
    ids = np.asarray(ids, dtype=np.int64)
    fwd = np.full_like(ids, IGNORE)
    bwd = np.full_like(ids, IGNORE)
    fwd[:, :-1] = ids[:, 1:]
    bwd[:, 1:] = ids[:, :-1]
    if pad_id is not None:  # never predict padding
        fwd[fwd == pad_id] = IGNORE
        bwd[bwd == pad_id] = IGNORE
        fwd[ids == pad_id] = IGNORE
        bwd[ids == pad_id] = IGNORE
    return BiLMBatch(ids, fwd, bwd)


# ---- skip-gram with negative sampling --------------------------------------------------------------

@dataclass
class SGNSBatch:
    centres: np.ndarray  # (P,) word ids
    contexts: np.ndarray  # (P,) a word within `window` of the centre: the positive
    negatives: np.ndarray  # (P, k) words drawn from unigram^0.75, never equal to that row's context


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """Unigram counts (V,) -> sampling probabilities (V,) proportional to count^0.75."""
    weights = np.asarray(counts, dtype=np.float64) ** power
    return weights / weights.sum()


def skipgram_pairs(word_ids: Sequence[int] | np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (centre, context) pair with |offset| <= window, in sentence order: two (P,) arrays."""
    ids = np.asarray(word_ids, dtype=np.int64)
    centres, contexts = [], []
    for offset in [o for o in range(-window, window + 1) if o != 0]:
        lo, hi = max(0, -offset), min(len(ids), len(ids) - offset)
        if hi > lo:
            centres.append(np.arange(lo, hi))
            contexts.append(np.arange(lo, hi) + offset)
    if not centres:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    c, x = np.concatenate(centres), np.concatenate(contexts)
    order = np.lexsort((x, c))  # by centre position, then context position
    return ids[c[order]], ids[x[order]]


def draw_negatives(contexts: np.ndarray, k: int, probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(P,) positives -> (P, k) negatives from `probs`, redrawn wherever one equals its row's positive."""
    cdf = np.cumsum(probs)
    neg = np.minimum(np.searchsorted(cdf, rng.random((len(contexts), k))), len(probs) - 1)  # (P, k)
    clash = neg == contexts[:, None]
    for _ in range(100):
        if not clash.any():
            break
        neg[clash] = np.minimum(np.searchsorted(cdf, rng.random(int(clash.sum()))), len(probs) - 1)
        clash = neg == contexts[:, None]
    return neg


def sgns_batch(word_ids: Sequence[int] | np.ndarray, rng: np.random.Generator, probs: np.ndarray, window: int = 5,
               k: int = 5) -> SGNSBatch:
    """A run of word ids -> all its skip-gram pairs with k negatives each."""
    centres, contexts = skipgram_pairs(word_ids, window)
    return SGNSBatch(centres, contexts, draw_negatives(contexts, k, probs, rng))


def subsample(word_ids: np.ndarray, counts: np.ndarray, rng: np.random.Generator, t: float = 1e-4) -> np.ndarray:
    """word2vec's subsampling: drop word w with probability 1 - sqrt(t / f(w)) (frequent words thin out)."""
    freq = counts[word_ids] / counts.sum()  # (N,)
    keep = rng.random(len(word_ids)) < np.sqrt(t / np.maximum(freq, 1e-12))
    return word_ids[keep]


# ---- one sentence, for the page --------------------------------------------------------------------

@dataclass
class Example:
    """One sentence turned into a training example, in pieces a page can show as a table."""

    objective: str
    tokens: list[str]  # the sentence's pieces (words for skip-gram)
    inputs: list[str]  # what the model reads
    targets: list[str]  # what it must predict (one per predicted position, or the target sequence)
    positions: list[int]  # which input positions are predicted ([] for span/sgns)
    detail: dict  # objective-specific extras (MLM kinds, backward targets, negatives, ...)


def mlm_example(ids: Sequence[int], pieces: Sequence[str], vocab: Sequence[str], rng: np.random.Generator,
                mask_id: int, special_ids: Sequence[int], rate: float = 0.15, first_normal_id: int = 0) -> Example:
    batch = mlm_batch(np.asarray([ids]), rng, mask_id, len(vocab), special_ids, rate, first_normal_id)
    positions = np.flatnonzero(batch.labels[0] != IGNORE).tolist()
    kinds = {1: "mask", 2: "random", 3: "keep"}
    return Example(
        "mlm", list(pieces), [vocab[i] for i in batch.input_ids[0]], [pieces[p] for p in positions], positions,
        {"kinds": [kinds[int(batch.kinds[0, p])] for p in positions]},
    )


def clm_example(ids: Sequence[int], pieces: Sequence[str]) -> Example:
    batch = clm_batch(np.asarray([ids]))
    n = batch.input_ids.shape[1]
    return Example("clm", list(pieces), list(pieces[:n]), list(pieces[1:]), list(range(n)), {})


def span_example(ids: Sequence[int], vocab: Sequence[str], rng: np.random.Generator, sentinel_ids: Sequence[int],
                 eos_id: int, pad_id: int, density: float = 0.15, mean_span: float = 3.0) -> Example:
    batch = span_batch(np.asarray([ids]), rng, sentinel_ids, eos_id, pad_id, density, mean_span)
    inputs = [vocab[i] for i in batch.input_ids[0] if i != pad_id]
    targets = [vocab[i] for i in batch.labels[0] if i != IGNORE]
    return Example("span", [vocab[i] for i in ids], inputs, targets, [], {"noise": batch.noise[0].tolist()})


def bilm_example(ids: Sequence[int], pieces: Sequence[str]) -> Example:
    batch = bilm_batch(np.asarray([ids]))
    fwd = [pieces[t + 1] if label != IGNORE else "" for t, label in enumerate(batch.forward_labels[0])]
    bwd = [pieces[t - 1] if label != IGNORE else "" for t, label in enumerate(batch.backward_labels[0])]
    return Example("bilm", list(pieces), list(pieces), fwd, list(range(len(pieces))), {"backward_targets": bwd})


def sgns_example(word_ids: Sequence[int], words: Sequence[str], vocab: Sequence[str], probs: np.ndarray,
                 rng: np.random.Generator, window: int = 2, k: int = 5) -> Example:
    batch = sgns_batch(word_ids, rng, probs, window, k)
    pairs = [(vocab[c], vocab[x]) for c, x in zip(batch.centres, batch.contexts, strict=True)]
    negatives = [[vocab[n] for n in row] for row in batch.negatives]
    return Example("sgns", list(words), [c for c, _ in pairs], [x for _, x in pairs], [],
                   {"pairs": pairs, "negatives": negatives})
