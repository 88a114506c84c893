"""What the shipped tiny models predict, and one documented probe per model (tested, listed in each README).

    fill_mask(bb, "the united [MASK] of america .")          MLM: top-k pieces for each [MASK]
    next_tokens(bb, "the united states of")                   GPT / biLM: top-k next pieces
    generate(bb, "the president of the", 12)                  GPT: greedy continuation
    fill_spans(bb, "the united <extra_id_0> of america .")    T5: the text each sentinel stands for
    bilm_predictions(bb, "the united states of america")     biLM: per piece, next (forward) and previous (backward)
    neighbours(bb, "king")                                    skip-gram: nearest words by cosine
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plm_core.backbones.base import Backbone, Ranked, top_k
from plm_core.backbones.capabilities import require
from plm_core.backbones.hf import SENTINEL_RE, join_pieces

__all__ = ["Ranked", "top_k", "SENTINEL_RE", "join_pieces"]  # re-exported for older callers


def fill_mask(bb: Backbone, text: str, k: int = 5) -> list[Ranked]:
    """MLM: the top-k pieces for each [MASK] (see `MaskedLM.fill_mask`)."""
    return require(bb, "masked_lm").fill_mask(text, top_k=k)


def next_tokens(bb: Backbone, text: str, k: int = 5) -> Ranked:
    """GPT / biLM: the top-k next pieces (see `CausalLM.next_tokens`)."""
    return require(bb, "causal_lm").next_tokens(text, top_k=k)


def generate(bb: Backbone, text: str, n_new: int = 12) -> str:
    """Greedy continuation of `text` by the causal LM (repeated 3-grams blocked), as plain text."""
    return require(bb, "causal_lm").generate(text, n_new)


def span_target(bb: Backbone, text: str, max_new: int = 16) -> list[str]:
    """T5: the target sequence the model writes for `text` (greedy), as pieces, [PAD]/[SEP] dropped."""
    return require(bb, "seq2seq").span_target(text, max_new)


def fill_spans(bb: Backbone, text: str, max_new: int = 16) -> dict[str, str]:
    """T5: {sentinel: the text the model puts there} for the sentinels in `text` (greedy decoding)."""
    return require(bb, "seq2seq").fill_spans(text, max_new)


@dataclass
class BiLMPrediction:
    piece: str
    next_top: Ranked  # forward LM at this piece: what comes after it
    previous_top: Ranked  # backward LM at this piece: what comes before it


def bilm_predictions(bb: Backbone, text: str, k: int = 3) -> list[BiLMPrediction]:
    lm = require(bb, "bidirectional_lm")
    pieces, fwd, bwd = lm.direction_logprobs(text)
    return [BiLMPrediction(p, top_k(fwd[t], k, lm.piece), top_k(bwd[t], k, lm.piece)) for t, p in enumerate(pieces)]


def neighbours(bb: Backbone, word: str, k: int = 8) -> Ranked:
    return require(bb, "word_vectors").nearest(word.lower(), k)


# ---- the documented probes ------------------------------------------------------------------------

@dataclass(frozen=True)
class Probe:
    """One documented check that a shipped model learned something sensible."""

    objective: str
    text: str  # the input
    expect: tuple[str, ...]  # at least one of these must be among the top `k`
    k: int
    what: str  # what is asked, in words


PROBES: dict[str, Probe] = {
    "mlm": Probe("mlm", "the united [MASK] of america .", ("states",), 1,
                 "fill-mask: the best piece for [MASK] must come from its neighbours (a model on the unigram "
                 "plateau says 'the', ',', 'of' whatever the sentence)"),
    "clm": Probe("clm", "to be or not to", ("be",), 5, "next piece: top-5"),
    "span": Probe("span", "the united <extra_id_0> of america . the <extra_id_1> of the whale .",
                  ("<extra_id_0>", "<extra_id_1>"), 0,
                  "span filling: the target names every sentinel of the input, in order, each followed by a span"),
    "bilm": Probe("bilm", "the united", ("states",), 5, "forward LM: top-5 next piece after the text"),
    "sgns": Probe("sgns", "king", ("queen", "prince", "duke", "emperor", "lord"), 10, "10 nearest words by cosine"),
}


EXTRA_PROBES: dict[str, tuple[str, ...]] = {  # shown in each README (not asserted by tests)
    "mlm": ("he was born in [MASK] , france .", "the white [MASK] was the largest animal in the sea .",
            "the king and the [MASK] .", "the [MASK] of the united states .", "i am [MASK] to see you ."),
    "clm": ("the president of the", "fellow citizens of the senate and", "the king of", "the united states of"),
    "span": ("the united <extra_id_0> of america .", "to be or <extra_id_0> to be ."),
    "bilm": ("the president of the", "to be or not to", "the whale"),
    "sgns": ("war", "whale", "congress", "ship", "love"),
}


NOTES: dict[str, str] = {  # what the probes show, said plainly in each README
    "mlm": "What this budget bought: for its first ~9,000 steps this tiny BERT sat on the well-known masked-LM "
           "plateau (validation loss 6.28 -> 5.90: it predicted frequent pieces such as 'the', 'of', ',' whatever "
           "the sentence), because only 15% of the pieces give a training signal and attention must first learn "
           "to find the neighbours. It left the plateau between steps 9,000 and 15,000 (5.90 -> 4.46) and ended "
           "at 3.84: it now fills a mask from its neighbours ('born in [MASK], france' -> 'france', 'the white "
           "[MASK] ... in the sea' -> 'whale'). Facts it has not seen often stay out of reach, and its "
           "probabilities are spread thin on open questions ('i am [MASK] to see you').",
    "clm": "What this budget bought (6,000 steps, validation loss 9.03 -> 4.62): the statistics of frequent "
           "phrases ('to be or not to' -> 'be', 'the president of the' -> 'united', 'fellow citizens of the senate "
           "and' -> 'house', 'the king of' -> 'france', 'england' among the first five); longer-range facts are "
           "not learned yet ('the united states of' -> 'the', because 'of the' is so frequent). Greedy "
           "generations string the corpus' stock phrases together.",
    "bilm": "What this budget bought (3,000 steps, validation loss 9.01 -> 5.28): both directions learned "
            "local statistics (forward 'the united' -> 'states' 0.86, 'to be or not to' -> 'be'; backward, the "
            "piece before 'united' -> 'the'). Like the tiny GPT, it has not learned longer-range facts.",
    "sgns": "What the optimizer fix bought: the first shipped vectors (SparseAdam on the mean pair loss, ~1 pass) "
            "had collapsed into one direction (king's neighbours all at cosine 0.98-0.99); the next (Adagrad, 100 "
            "dimensions, 5 negatives) were distinct but crowded (king's top 10 within 0.03) and noisy for rare words. "
            "Now: word2vec's own recipe (plain SGD on the summed pair losses, lr 0.025 decaying linearly), 50 "
            "dimensions, 15 negatives, subsampling 1e-3, window 1, ~4.6 passes over 3.45M words, read with the mean "
            "and the top principal direction removed (all-but-the-top; raw, every cosine shares that direction). "
            "The neighbours are people and titles of the history plays for 'king' (duke, prince, emperor), "
            "Moby-Dick for 'whale', the speeches for 'congress'. The reference check below runs gensim on the same "
            "corpus and settings. Three seeds of this recipe give king's top 10 (as read) a cosine spread of "
            "0.182 / 0.174 / 0.139 with 3 / 4 / 4 of queen, prince, emperor, throne, duke, lord; the shipped vectors "
            "are seed 0, the default.",
    "span": "The recipe: 1,500 steps in which the decoder writes out the whole sentence from the corrupted input "
            "(a copying warm-up, `PretrainConfig.reconstruct_steps`), then 4,500 steps of span corruption, the "
            "shared embedding learning at 40x the rate from step 3,000 on (`embedding_lr_scale`, "
            "`embedding_lr_from`). Span corruption alone never taught this decoder to read its encoder (12,000 "
            "steps, and 24,000: the first piece of a span scored the same with another sentence's encoder states, "
            "6.73 vs 6.74, and every span came out 'the'): a T5 decoder must find its sentinel in the encoder while "
            "the encoder learns to gather the neighbours there, and neither pays before the other. Copying pays "
            "from the first step and teaches cross-attention to find a piece in the encoder; after the switch the "
            "first-piece gap opened from 0.02 to 1.0 nats within 1,000 steps (above: the gap now). Why the "
            "embedding's own rate: T5 draws it at std 1.0, so at the common rate it barely left its random draw "
            "(cosine 0.96 to its initial rows after 6,000 steps) and, frozen, the model read movie snippets no "
            "better than its random twin (0.539 against 0.553, 5 splits). At 10x from the first step the embedding "
            "learned word similarities but the decoder never learned to read its encoder (gap 0.10; every span "
            "'the'); from step 3,000, once the decoder reads, 40x keeps the reading (gap 2.27, validation loss 3.87 "
            "instead of 4.20) and frozen it reaches 0.562 (checkpoints README). What it learned: 'the united "
            "<extra_id_0> of america' -> 'states' (p 0.69). What it did not: it writes on past the input's last "
            "sentinel (the page keeps the input's spans only), and its margin over the twin is small (3 of 5 "
            "splits).",
}


def run_probe(probe: Probe, bb: Backbone) -> tuple[Ranked | str, bool]:
    """(the model's answer, passed?) for one documented probe."""
    if probe.objective == "mlm":
        answer: Ranked = fill_mask(bb, probe.text, probe.k)[0]
    elif probe.objective in ("clm", "bilm"):
        answer = next_tokens(bb, probe.text, probe.k)
    elif probe.objective == "span":
        pieces = span_target(bb, probe.text)
        sentinels = [p for p in pieces if SENTINEL_RE.fullmatch(p)]
        spans_filled = all(i + 1 < len(pieces) and not SENTINEL_RE.fullmatch(pieces[i + 1])
                           for i, p in enumerate(pieces) if SENTINEL_RE.fullmatch(p))
        return " ".join(pieces), sentinels[: len(probe.expect)] == list(probe.expect) and spans_filled
    else:
        answer = neighbours(bb, probe.text, probe.k)
    return answer, any(w == e for w, _ in answer for e in probe.expect)


def load_from_folder(objective: str, folder: Path, random_init: bool = False) -> Backbone:
    """A backbone read from any checkpoint folder (not only the registered one)."""
    import dataclasses

    from plm_core.backbones.registry import LOADERS, get_spec
    from plm_core.paths import REPO_ROOT
    from plm_core.pretrain.models import TINY_CONFIGS

    spec = get_spec(TINY_CONFIGS[objective]["name"])
    resolved = folder.resolve()
    location = str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else str(resolved)
    spec = dataclasses.replace(spec, location=location)  # REPO_ROOT / absolute path = the absolute path
    return LOADERS[spec.loader](spec, random_init, 0)


def format_answer(answer: Ranked | str) -> str:
    if isinstance(answer, str):
        return f"`{answer}`"
    return ", ".join(f"{w} ({p:.2f})" for w, p in answer)


def write_readme(objective: str, folder: Path) -> Path:
    """The model card as README.md: figures from model_card.json plus the documented probe and its answer."""
    import dataclasses

    from plm_core.pretrain.checkpoints import model_card, write_json
    from plm_core.pretrain.pipeline import corpus_summary

    card = model_card(folder)
    probe = PROBES[objective]
    bb = load_from_folder(objective, folder)
    answer, passed = run_probe(probe, bb)
    card["probe"] = {"text": probe.text, "what": probe.what, "expect": list(probe.expect),
                     "answer": answer if isinstance(answer, str) else [[w, round(p, 4)] for w, p in answer],
                     "passed": passed}
    extra = [(text, run_probe(dataclasses.replace(probe, text=text, k=max(probe.k, 3)), bb)[0])
             for text in EXTRA_PROBES[objective]]
    card["corpus"] = corpus_summary()
    if objective == "span":  # the T5 check the loss alone cannot make: does the decoder read the sentence?
        from plm_core.pretrain.pipeline import prepare
        from plm_core.pretrain.train import encoder_reliance

        p = prepare("span", init_from=folder)
        r = encoder_reliance(p.task, p.model, p.valid)  # type: ignore[arg-type]  # prepare("span") builds a SpanTask
        card["encoder_reliance"] = {"own": round(r.own, 3), "shuffled": round(r.shuffled, 3), "first_pieces": r.spans}
    write_json(folder / "model_card.json", card)
    lines = [f"- `{text}` → {format_answer(ans)}" for text, ans in extra]
    if objective in NOTES:
        lines += ["", NOTES[objective]]
    (folder / "README.md").write_text(readme_text(card, answer) + "\n## More probes (not tested)\n\n"
                                      + "\n".join(lines) + "\n", encoding="utf-8")
    return folder / "README.md"


def reliance_lines(card: dict) -> list[str]:
    """README lines for a T5 card's encoder_reliance (train.encoder_reliance), or none."""
    from plm_core.pretrain.train import reads_input

    r = card.get("encoder_reliance")
    if not r:
        return []
    verdict = ("The decoder reads its input." if reads_input(r["own"], r["shuffled"]) else "Nearly equal: the "
               "decoder fills the spans from its own word statistics and does not yet read the input.")
    return ["## Does the decoder read its encoder?", "",
            f"Loss on the first piece of each span ({r['first_pieces']} on the validation slice), the piece only the "
            f"sentence can tell: **{r['own']:.3f}** with the sentence's own encoder states, **{r['shuffled']:.3f}** "
            f"with another sentence's (`plm_core.pretrain.train.encoder_reliance`). {verdict}", ""]


def readme_text(card: dict, answer: Ranked | str) -> str:
    c = card
    lines = [
        f"# {c['name']} — model card", "",
        f"Objective: **{c['objective']}**. Architecture: {c['architecture']}, {c['params']:,} parameters, "
        "stored in float16 (loaded as float32).", "",
        "| figure | value |", "|---|---|",
        f"| corpus | {c['corpus']['train_words']:,} training words: {'; '.join(c['corpus']['sources'].values())} |",
        f"| tokens seen | {c['tokens_seen']:,} |", f"| steps | {c['steps']:,} |",
        f"| wall time | {c['wall_time_s']:.0f} s on {c.get('torch_threads', 1)} CPU thread(s) of a 2-core machine |",
        f"| final train loss | {c['final_train_loss']:.3f} |",
        f"| final validation loss | {c['final_val_loss']:.3f} |",
        f"| validation loss at random init (same architecture, seed 0) | {c['random_init_val_loss']:.3f} |", "",
        f"Validation slice: {c['validation_slice']}.", "",
        "## Documented probe", "",
        f"Input: `{c['probe']['text']}` — {c['probe']['what']}; expected: {' / '.join(c['probe']['expect'])}.",
        "", f"Answer: {format_answer(answer)} — {'passes' if c['probe']['passed'] else 'FAILS'}.", "",
        *reliance_lines(c),
        "## Rebuild", "", "```", "python -m plm_core corpus        # only if the corpus cache is missing",
        f"python -m plm_core pretrain --objective {c['objective']}", "```", "",
        "Licence: weights MIT. Training text: Wikipedia (CC BY-SA 4.0, attribution in assets/corpus/README.md) "
        "and public-domain books and speeches.", "",
    ]
    return "\n".join(lines)


def span_candidates(bb: Backbone, text: str, k: int = 5, sentinel: str = "<extra_id_0>") -> Ranked:
    """T5: the top-k first pieces of the span behind `sentinel` (see `Seq2SeqLM.span_candidates`)."""
    return require(bb, "seq2seq").span_candidates(text, k, sentinel)
