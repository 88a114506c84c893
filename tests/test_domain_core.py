"""The domain-fit measures on tiny fixtures: a 12-piece WordPiece vocabulary with a random 2-layer BERT, the
tiny random decoder, hand-made corpora and CSVs; plus `prepare(init_from=...)` and the continued-pretraining job's
own checks."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from plm_core.backbones.base import BackboneSpec
from plm_core.errors import PLMError
from plm_core.evidence import domain as d
from plm_core.jobs.refs import DataRef

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "movie", "was", "good", "bad", "##s", "."]


@pytest.fixture(scope="module")
def word_bert():
    """A random 2-layer BERT with an MLM head over a 12-piece WordPiece vocabulary (exact counts by hand)."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import BertConfig, BertForMaskedLM, PreTrainedTokenizerFast

    from plm_core.backbones.hf import HFBackbone
    from plm_core.backbones.tiny import HEAD_CAPS

    raw = Tokenizer(models.WordPiece({p: i for i, p in enumerate(VOCAB)}, unk_token="[UNK]"))
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    raw.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2),
                                                                                                   ("[SEP]", 3)])
    tok = PreTrainedTokenizerFast(tokenizer_object=raw, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                  sep_token="[SEP]", mask_token="[MASK]")
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=12, num_attention_heads=3, num_hidden_layers=2,
                        intermediate_size=24, max_position_embeddings=64, pad_token_id=0)
    torch.manual_seed(0)
    model = BertForMaskedLM(config)
    spec = BackboneSpec(name="word-bert", display="word BERT", family="encoder", loader="tiny", source="tests",
                        install="", license="MIT", layers=2, hidden_size=12, heads=3, params=0, pretrained_on="-",
                        objective="-", max_length=64, head="mlm", capabilities=HEAD_CAPS["mlm"])
    return HFBackbone(spec, model, tok, head="mlm", random_init=True)


# ---- tokenizer fit and overlap ---------------------------------------------------------------------

def test_token_fit_counts_pieces_words_characters_and_unknowns(word_bert) -> None:
    fit = d.token_fit(word_bert, ["the movies was good .", "zebra movie"])
    # the movie ##s was good .  |  [UNK] movie  -> 8 pieces for 6 words, one of them unknown
    assert (fit.texts, fit.words, fit.pieces, fit.unknown) == (2, 7, 8, 1)
    assert fit.chars == len("themovieswasgood.zebramovie")
    assert fit.pieces_per_word == pytest.approx(8 / 7) and fit.unk_rate == pytest.approx(1 / 8)


def test_token_fit_reads_a_text_longer_than_the_model_limit(word_bert) -> None:
    long = " ".join(["the movie was good ."] * 40)  # 200 pieces, the model reads 64
    assert d.token_fit(word_bert, [long]).pieces == 200


def test_example_marks_unknown_pieces(word_bert) -> None:
    e = d.tokenize_example(word_bert, "the zebra")
    assert e.pieces == ["the", "[UNK]"] and e.unknown == [False, True]
    assert e.pieces_per_char == pytest.approx(2 / 8)


def test_vocab_overlap_against_the_tokenizer_and_a_corpus(word_bert) -> None:
    texts = ["the movies was good", "the zebra was bad"]
    # types: the, movies, was, good, zebra, bad; whole pieces: the, was, good, bad (movies = movie ##s)
    corpus = Counter({"the": 10, "was": 3, "movies": 1})
    ov = d.vocab_overlap(word_bert, texts, corpus)
    assert ov.types == 6 and ov.one_piece == pytest.approx(4 / 6)
    assert ov.in_corpus == pytest.approx(3 / 6)
    assert ov.tokens_in_corpus == pytest.approx(5 / 8)  # the x2, was x2, movies x1 of 8 running words
    assert ov.unseen[:1] in (["good"], ["zebra"], ["bad"]) and set(ov.unseen) == {"good", "zebra", "bad"}
    assert d.vocab_overlap(word_bert, texts).in_corpus is None


# ---- perplexities ----------------------------------------------------------------------------------

def brute_pseudo_nll(backbone, text: str) -> list[float]:
    """Mask one piece at a time, one forward pass each, the whole logit table (the definition)."""
    import torch

    ids = backbone.tokenizer(text)["input_ids"]
    out = []
    with torch.inference_mode():
        for pos in range(1, len(ids) - 1):
            masked = list(ids)
            masked[pos] = backbone.tokenizer.mask_token_id
            logits = backbone.model(input_ids=torch.tensor([masked])).logits[0, pos]  # (V,)
            out.append(-float(torch.log_softmax(logits, dim=-1)[ids[pos]]))
    return out


def test_pseudo_perplexity_is_the_masked_one_at_a_time_definition(word_bert) -> None:
    texts = ["the movie was good .", "the movies was bad", "zebra"]
    batched = d.pseudo_nll(word_bert, texts)
    expected = [v for text in texts for v in brute_pseudo_nll(word_bert, text)]
    assert len(batched) == 5 + 5 + 1  # every real piece scored, the [UNK] included; [CLS]/[SEP] not
    # rows are sorted by length inside pseudo_nll: compare as multisets
    assert np.sort(batched) == pytest.approx(np.sort(expected), abs=1e-4)
    ppl = d.lm_perplexity(word_bert, texts)
    assert ppl.kind == "pseudo" and ppl.pieces == 11
    assert ppl.value == pytest.approx(math.exp(np.mean(expected)), rel=1e-4)


def test_causal_perplexity_uses_the_next_piece_log_probabilities(tiny_decoder) -> None:
    texts = ["the movie was good", "a bad film"]
    nll = d.causal_nll(tiny_decoder, texts)
    expected = np.concatenate([-tiny_decoder.token_logprobs(t)[1] for t in texts])
    assert nll == pytest.approx(expected, abs=1e-5)
    assert d.lm_perplexity(tiny_decoder, texts).kind == "causal"


def test_a_backbone_without_an_lm_head_names_those_that_have_one(tiny_encoder) -> None:
    with pytest.raises(PLMError) as err:
        d.lm_perplexity(tiny_encoder, ["the movie"])
    assert err.value.key == "domain.err.no_lm"
    assert "Tiny BERT" in err.value.params["have"] and "Tiny GPT" in err.value.params["have"]
    assert "MiniLM" not in err.value.params["have"]


# ---- embedding map ---------------------------------------------------------------------------------

def test_nearest_same_side_tells_apart_from_mixed() -> None:
    rng = np.random.default_rng(0)
    apart = np.concatenate([rng.normal(size=(20, 8)) + 10 * np.eye(8)[0], rng.normal(size=(20, 8)) - 10 * np.eye(8)[0]])
    sides = np.array(["target"] * 20 + ["reference"] * 20)
    assert d.nearest_same_side(apart, sides) == 1.0
    mixed = rng.normal(size=(400, 8))
    assert 0.35 < d.nearest_same_side(mixed, np.array(["target", "reference"] * 200)) < 0.65


def test_embedding_map_has_one_point_per_text(tiny_encoder) -> None:
    frame, share = d.embedding_map(tiny_encoder, ["a good movie", "a bad movie"], ["the senate met", "the whale"])
    assert list(frame["side"]) == ["target", "target", "reference", "reference"]
    assert frame[["x", "y"]].notna().all().all() and 0.0 <= share <= 1.0


# ---- targets ---------------------------------------------------------------------------------------

def csv_bytes(n: int, header: str = "text", labelled: bool = False) -> bytes:
    rows = [f"review number {i} was good" + (f",{'pos' if i % 2 else 'neg'}" if labelled else "") for i in range(n)]
    return (header + (",label" if labelled else "") + "\n" + "\n".join(rows)).encode()


def test_csv_without_a_text_column_or_with_too_few_rows() -> None:
    with pytest.raises(PLMError) as err:
        d.csv_texts("x.csv", csv_bytes(30, header="review"))
    assert err.value.key == "domain.err.no_text_column" and err.value.params["found"] == "review"
    with pytest.raises(PLMError) as err:
        d.csv_texts("x.csv", csv_bytes(d.MIN_TEXTS - 1))
    assert err.value.key == "domain.err.too_few_rows" and err.value.params["n"] == d.MIN_TEXTS - 1


def test_csv_texts_are_split_into_pool_and_heldout() -> None:
    target = d.csv_texts("x.csv", csv_bytes(30))
    assert len(target.pool) == 24 and len(target.heldout) == 6 and not target.labelled
    assert not set(target.pool) & set(target.heldout)
    assert d.csv_texts("x.csv", csv_bytes(30, labelled=True)).labelled


def test_reference_sentences_come_from_the_heldout_corpus() -> None:
    from plm_core.pretrain.corpus import read_split

    ref = d.reference_texts(20, seed=1)
    assert len(ref) == 20 and ref == d.reference_texts(20, seed=1) != d.reference_texts(20, seed=2)
    valid = "\n".join(read_split("valid", shipped=True))
    assert all(s in valid and 6 <= len(s.split()) <= 40 for s in ref)


def test_fit_report_of_a_text_only_csv(word_bert) -> None:
    job = d.FitJob("word-bert", DataRef("mine.csv", csv_bytes(40)), n_texts=8)
    report = d.fit_report(word_bert, job)
    assert report.reference == "proxy" and report.corpus_text == "" and report.overlap.in_corpus is None
    assert set(report.tokens) == {"target", "reference"} and report.tokens["target"].texts == 8
    assert report.perplexity["target"].kind == "pseudo" and report.map is not None and len(report.map) == 16
    table = report.fit_table()
    assert list(table["side"]) == ["target", "reference"] and table["perplexity"].notna().all()


def test_reference_kind_is_honest() -> None:
    assert d.reference_kind("tiny-bert-mlm") == "own" and d.reference_kind("minilm-l6") == "proxy"


# ---- continued pretraining: its pieces ---------------------------------------------------------------

def test_prepare_init_from_starts_from_the_checkpoint_and_reads_the_given_lines() -> None:
    import torch

    from plm_core.backbones import load_backbone
    from plm_core.pretrain.checkpoints import checkpoint_dir
    from plm_core.pretrain.pipeline import prepare
    from plm_core.pretrain.train import PretrainConfig

    cfg = PretrainConfig(steps=2, batch_size=2, seq_len=16, lr=1e-3, eval_batches=1)
    lines = (["the movie was good and the actors were fine ."] * 20, ["a bad film , dull and long ."] * 10)
    p = prepare("mlm", cfg, init_from=checkpoint_dir("mlm"), lines=lines)
    shipped = load_backbone("tiny-bert-mlm").model.state_dict()
    mine = p.model.state_dict()
    assert all(torch.equal(mine[k], shipped[k]) for k in shipped)
    assert p.model.training and p.model is not shipped
    assert len(p.train_stream) == 20 * (len(p.tokenizer.encode(lines[0][0], add_special_tokens=False).ids) + 1)
    fresh = prepare("mlm", cfg, lines=lines)
    assert not torch.equal(fresh.model.state_dict()["bert.embeddings.word_embeddings.weight"],
                           shipped["bert.embeddings.word_embeddings.weight"])


def test_continue_job_checks_its_settings() -> None:
    from plm_core.evidence.domain_continue import ContinueJob

    cases = ((ContinueJob(objective="span"), "domain.err.objective"), (ContinueJob(steps=0), "domain.err.steps"),
             (ContinueJob(budget_s=10_000), "domain.err.budget"))
    for job, key in cases:
        with pytest.raises(PLMError) as err:
            job.check()
        assert err.value.key == key
    a, b = ContinueJob(), ContinueJob(steps=301)
    assert a.key() == ContinueJob().key() != b.key()


def test_budget_stop_ends_on_time_or_on_request() -> None:
    import threading
    import time

    from plm_core.evidence.domain_continue import BudgetStop

    user = threading.Event()
    stop = BudgetStop(user, 0.2)
    assert not stop.is_set()
    user.set()
    assert stop.is_set()
    late = BudgetStop(threading.Event(), 0.05)
    time.sleep(0.1)
    assert late.is_set()


def test_continue_needs_labels_for_the_transfer() -> None:
    from plm_core.evidence.domain_continue import ContinueJob, run_continue

    with pytest.raises(PLMError) as err:
        run_continue(ContinueJob(data=DataRef("mine.csv", csv_bytes(40))), ctx=None)
    assert err.value.key == "domain.err.no_labels"


def test_the_live_pretraining_job_can_start_from_the_shipped_checkpoint() -> None:
    from plm_core.pretrain.checkpoints import checkpoint_dir
    from plm_core.pretrain.studio import LivePretrainJob, init_folder

    assert LivePretrainJob("mlm").init_from == "" and init_folder("mlm", "") is None
    assert init_folder("clm", "shipped") == checkpoint_dir("clm")
    with pytest.raises(PLMError) as err:
        init_folder("mlm", "elsewhere")
    assert err.value.key == "pretrain.err.bad_init_from"
