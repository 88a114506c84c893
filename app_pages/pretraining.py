"""Pretraining: one sentence as each objective's training example, the shipped tiny models' predictions,
live pretraining as a job (in a worker process), and every checkpoint against its random-init twin."""

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from plm_core.jobs import Snapshot
from plm_core.pretrain import OBJECTIVES, probes
from plm_core.pretrain import figures as fg
from plm_core.pretrain.checkpoints import all_cards, checkpoint_dir, model_card
from plm_core.pretrain.models import TINY_CONFIGS
from plm_core.pretrain.studio import (
    BACKBONE_NAMES,
    LIVE_PROBES,
    LivePretrainJob,
    bilm_table,
    example_table,
    sentence_example,
    sgns_window,
)
from plm_core.pretrain.train import reads_input
from ui import diagrams
from ui import urlstate as us
from ui.common import guard, md_escape, page_header, table, tr, tr_md
from ui.figures import built, chart, fig_text
from ui.jobs import current_job, is_active, job_panel, submit
from ui.lesson import Fold, lab_controls, step_bar
from ui.loaders import load_backbone_with_spinner
from ui.matrix_section import matrix_section

SENTENCE = "The President of the United States spoke to Congress about the war."
PREDICT_DEFAULT = {"mlm": "the united [MASK] of america .", "clm": "the president of the", "span":
                   "the united <extra_id_0> of america . the <extra_id_1> of the whale", "bilm": "the king of england",
                   "sgns": "king"}
LIVE_SLOT = "pretrain-live"


def example_tab(objective: str, tab: DeltaGenerator, fold: Fold) -> None:
    with tab, st.form(f"example-{objective}"):
        us.resolve("pretraining", "sentence", SENTENCE)
        text = st.text_input(tr("pretrain.sentence"), max_chars=500, key=us.key("pretraining", "sentence"))
        seed = st.number_input(tr("pretrain.seed"), min_value=0, max_value=10_000, step=1,
                               key=us.key("pretraining", "seed"))
        st.form_submit_button(tr("pretrain.example.show"))
    with fold.results(tab), guard():
        e = sentence_example(objective, text, seed=int(seed))
        st.markdown(f"**{tr('pretrain.example.inputs')}**")
        marks = fg.example_marks(objective, e.inputs, e.positions, e.detail.get("kinds", ()))
        if objective != "sgns":
            st.markdown(fg.pieces_html(e.inputs, marks), unsafe_allow_html=True)
        if objective == "bilm":
            layers = TINY_CONFIGS["bilm"]["layers"]
            diagrams.elmo([1 / (layers + 1)] * (layers + 1), None)
            st.caption(tr("diagram.elmo.uniform"))
        if objective == "span":
            st.markdown(f"**{tr('pretrain.example.targets')}**")
            st.markdown(fg.pieces_html(e.targets, fg.example_marks("span", e.targets, [])), unsafe_allow_html=True)
        if objective == "sgns":
            words, centre, negatives = sgns_window(e, TINY_CONFIGS["sgns"]["window"])
            diagrams.sgns(words, centre, TINY_CONFIGS["sgns"]["window"], negatives)
            st.caption(tr("pretrain.example.pairs", n=len(e.detail["pairs"]), k=len(e.detail["negatives"][0])))
            if e.detail.get("unknown"):
                st.caption(tr_md("pretrain.example.unknown", words=", ".join(e.detail["unknown"])))
        kinds = {k: tr(f"term.corruption.{k}") for k in ("mask", "random", "keep")}  # what BERT did to the piece
        table(example_table(e).replace({"corruption": kinds}))


def predict_tab(objective: str, tab: DeltaGenerator, fold: Fold) -> None:
    with tab:
        if objective in ("mlm", "span"):
            st.caption(tr(f"pretrain.predict.hint.{objective}"))
        label = tr("pretrain.predict.word" if objective == "sgns" else "pretrain.predict.input")
        with st.form(f"predict-{objective}"):
            us.resolve("pretraining", "input", PREDICT_DEFAULT[objective])  # each objective's own example by default
            text = st.text_input(label, max_chars=500, key=us.key("pretraining", "input"))
            st.form_submit_button(tr("pretrain.predict.run"))
    with fold.results(tab), guard():
        bb = load_backbone_with_spinner(BACKBONE_NAMES[objective])
        show_predictions(objective, bb, text)


def show_predictions(objective: str, bb, text: str) -> None:
    if objective == "mlm":
        for i, ranked in enumerate(probes.fill_mask(bb, text, 5), start=1):
            chart(fg.ranked_bar_figure(ranked, fig_text(), title=tr("pretrain.predict.mask_n", n=i)),
                  f"pretrain-mask-{i}",
                  f"mlm-mask-{i}")
    elif objective == "clm":
        chart(fg.ranked_bar_figure(probes.next_tokens(bb, text, 8), fig_text()), "pretrain-next", "clm-next-token")
        generated = probes.generate(bb, text, 12)
        st.markdown(f"**{tr('pretrain.predict.generation')}**: {md_escape(text)} **{md_escape(generated)}**")
    elif objective == "span":
        spans = probes.fill_spans(bb, text)
        st.dataframe(pd.DataFrame({tr("pretrain.predict.sentinel"): list(spans),
                                   tr("pretrain.predict.filled"): list(spans.values())}), hide_index=True)
        r = model_card(checkpoint_dir("span")).get("encoder_reliance")
        if r:  # the shipped model's own check (train.encoder_reliance, written into its card)
            key = "pretrain.predict." + ("span_reads" if reads_input(r["own"], r["shuffled"]) else "span_blind")
            st.caption(tr(key, n=r["first_pieces"], own=f"{r['own']:.2f}", shuffled=f"{r['shuffled']:.2f}"))
    elif objective == "bilm":
        table(bilm_table(probes.bilm_predictions(bb, text, 3)))
    else:
        chart(fg.ranked_bar_figure(probes.neighbours(bb, text, 10), fig_text(), value="similarity"),
              "pretrain-neighbours",
              "sgns-neighbours")
        st.caption(tr("pretrain.predict.sgns_cosine"))


def live_tab(objective: str, tab: DeltaGenerator, fold: Fold) -> None:
    with tab:
        st.caption(tr("pretrain.live.explain"))
        cols = st.columns([2, 1])
        steps = cols[0].slider(tr("pretrain.live.steps"), 50, 600, step=50, key=us.key("pretraining", "steps"))
        if cols[1].button(tr("pretrain.live.start"), disabled=is_active(LIVE_SLOT), type="primary"):
            with guard():
                submit(LIVE_SLOT, "pretrain.live", LivePretrainJob(objective, steps=int(steps)), live=True)
    with fold.results(tab):
        if current_job(LIVE_SLOT) is None:
            st.info(tr("pretrain.live.none"))
            return
        job_panel(LIVE_SLOT, live_view, every=2.0, describe=live_label)


def live_label(snap: Snapshot) -> str:
    state = snap.state
    return tr("pretrain.live.progress", step=state.step, total=state.steps_total) if state and state.history else ""


def live_view(snap: Snapshot) -> None:
    """The loss curves and the probe's answers so far (the job's live view, or its final state)."""
    state = snap.result or snap.state
    if state is None:
        return
    status = {"running": "running", "done": "done", "stopped": "stopped", "stopping": "running"}.get(
        snap.status.value, state.status)
    st.markdown(tr("pretrain.live.status", status=tr(f"pretrain.status.{status}"), step=state.step,
                   total=state.steps_total, elapsed=snap.elapsed) + f" — {tr(f'pretrain.obj.{state.objective}')}")
    chart(built(fg.loss_curve_figure, state.history, state.val_history, fig_text(), state.steps_total),
          "pretrain-live-loss", f"pretrain-{state.objective}-loss")
    st.markdown(tr("pretrain.live.probe", text=f"`{LIVE_PROBES[state.objective]}`"))
    if state.objective in ("mlm", "span"):
        st.caption(tr("pretrain.live.plateau"))
    st.dataframe(pd.DataFrame(state.probes, columns=[tr("pretrain.live.probe_step"), tr("pretrain.live.probe_answer")]),
                 hide_index=True, width="stretch")


def cards_tab() -> None:
    cards = all_cards()
    st.caption(tr("pretrain.cards.note"))
    chart(fg.checkpoint_comparison_figure(cards, fig_text()), "pretrain-cards", "tiny-checkpoints-vs-random")
    for objective, card in cards.items():
        with st.expander(f"{card['name']} — {tr(f'pretrain.obj.{objective}')}"):
            readme = checkpoint_dir(objective) / "README.md"
            st.markdown(readme.read_text(encoding="utf-8") if readme.exists() else "")


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("pretraining")
with lab_controls() as fold:  # lesson mode: the objective, the tabs and their forms folded; the outputs below
    objective = us.sections("pretraining", OBJECTIVES, tr("pretrain.objective"), lambda o: tr(f"pretrain.obj.{o}"),
                            name="objective")
    st.info(tr(f"pretrain.explain.{objective}"), icon=":material/school:")
    tabs = us.tabs("pretraining", ["example", "predict", "live", "cards"], prefix="pretrain")  # URL + language
    if tabs[0].open:  # only the open tab runs
        example_tab(objective, tabs[0], fold)
    if tabs[1].open:
        predict_tab(objective, tabs[1], fold)
    if tabs[2].open:
        live_tab(objective, tabs[2], fold)
    if tabs[3].open:
        with fold.results(tabs[3]), guard():
            cards_tab()
    with guard():
        matrix_section()  # the objective matrix (plm_core.evidence.matrix): an experiment of its own, folded too
