"""Attention and masks: mask matrices of every architecture, real attention heads, MLM and next-token views,
the mask-swap experiment, and how tokenizers cut a text. One section is computed at a time."""

import numpy as np
import streamlit as st

from plm_core.backbones import Backbone
from plm_core.explorer import attention as attn
from plm_core.explorer import figures as figs
from plm_core.explorer.lm import fill_masks, next_token_stats, next_tokens
from plm_core.explorer.masks import architecture_masks
from plm_core.explorer.tokens import compare_tokenizers, readable_tokens, words_with_pieces
from plm_core.figures import tokens_html
from ui import diagrams
from ui import urlstate as us
from ui.common import backbone_label, backbone_labels, guard, page_header, show_notices, table, tr
from ui.explorer import attention_names, display, memo, names_that_can, names_where, option_labels
from ui.figures import chart, fig_text
from ui.lesson import Fold, lab_controls, step_bar
from ui.loaders import load_backbone_with_spinner as load

SECTIONS = ("masks", "weights", "mlm", "next", "swap", "tokens")
PAGE = "attention"  # the settings' page in plm_core.urlparams
MASK_MAX_TOKENS = 40  # the mask pictures show at most this many pieces


def input_form() -> dict:
    with st.form("att-input"):
        us.resolve(PAGE, "text", tr("attention.default_text"))  # follows the language until edited
        text = st.text_area(tr("attention.text"), height=90, max_chars=8000, key=us.key(PAGE, "text"))
        c1, c2 = st.columns(2)
        name = c1.selectbox(tr("attention.backbone"), attention_names(), format_func=backbone_labels().__getitem__,
                            key=us.key(PAGE, "backbone", attention_names()))
        target = c2.text_input(tr("attention.target"), help=tr("attention.target_help"), max_chars=2000,
                               key=us.key(PAGE, "target"))
        st.form_submit_button(tr("attention.run"), type="primary")
    return {"text": text, "name": name, "target": target.strip()}


def section_backbone(fold: Fold, name: str, label: str, names: list[str], default: str) -> str:
    """A section's own backbone box (with the controls): `default` until another one is chosen (setting `name`)."""
    us.resolve(PAGE, name, default)
    return str(fold.controls().selectbox(label, names, format_func=backbone_labels().__getitem__,
                                         key=us.key(PAGE, name, names)))


def masks_section(inp: dict, fold: Fold) -> None:
    diagrams.architectures()
    st.caption(tr("diagram.arch.caption"))
    bb = load(inp["name"])
    tok = readable_tokens(bb, inp["text"], MASK_MAX_TOKENS)
    target = readable_tokens(bb, inp["target"] or inp["text"], MASK_MAX_TOKENS)
    if tok.truncated:
        st.info(tr("attention.notice.mask_cut", limit=MASK_MAX_TOKENS), icon=":material/content_cut:")
    c1, c2 = fold.controls().columns(2)
    n_pad = c1.slider(tr("attention.masks.padding"), 0, 4, help=tr("attention.masks.padding_help"),
                      key=us.key(PAGE, "padding"))
    us.resolve(PAGE, "prefix", len(tok.tokens) // 2)  # the default: half the text
    prefix = c2.slider(tr("attention.masks.prefix"), 0, len(tok.tokens),
                       key=us.key(PAGE, "prefix", lo=0, hi=len(tok.tokens)))
    dec = ["<start>"] + [t for t, s in zip(target.tokens, target.special, strict=True) if not s]
    masks = architecture_masks(tok.tokens, dec, n_pad, prefix)
    single = [masks["encoder"][0], masks["decoder"][0], masks["prefix"][0]]
    chart(figs.mask_figure(single, [f"attention.masks.{k}" for k in ("encoder", "decoder", "prefix_lm")], fig_text()),
          "attention-masks", "attention-masks", width="stretch")
    st.markdown(f"**{tr('attention.masks.encdec')}**")
    encdec = [f"attention.masks.{k}" for k in ("enc_self", "dec_self", "cross")]
    chart(figs.mask_figure(masks["encoder-decoder"], encdec, fig_text()), "attention-masks-encdec",
          "attention-masks-encoder-decoder", width="stretch")
    st.caption(tr("attention.masks.legend"))


def weights_section(inp: dict, fold: Fold) -> None:
    bb = load(inp["name"])
    view = memo("att.view", (inp["name"], inp["text"], inp["target"]),
                lambda: attn.compute_attentions(bb, inp["text"], inp["target"] or None), tr("attention.computing"))
    show_notices(view.notices)
    controls = fold.controls()
    which = controls.radio(tr("attention.which"), view.available, format_func=option_labels("attention.which"),
                           horizontal=True) if len(view.available) > 1 else view.available[0]
    w, q, k = view.select(which)
    hide = controls.toggle(tr("attention.hide_sink"), value=view.family == "decoder", key=f"att-sink-{inp['name']}")
    controls.caption(tr("attention.sink_why"))
    if hide:
        w = attn.hide_first_token(w)  # (L, nh, Tq, Tk), the first key's share spread over the others
    n_layers, n_heads = w.shape[:2]
    c1, c2 = controls.columns(2)
    us.resolve(PAGE, "layer", n_layers)  # the default: the top layer
    layer = c1.slider(tr("attention.layer"), 1, n_layers, key=us.key(PAGE, "layer", lo=1, hi=n_layers))
    head = c2.slider(tr("attention.head"), 1, n_heads, key=us.key(PAGE, "head", lo=1, hi=n_heads))
    chart(figs.attention_heatmap(w[layer - 1, head - 1], q, k, tr("attention.one_head", layer=layer, head=head)),
          "attention-head", f"attention-layer{layer}-head{head}", width="stretch")
    dig = memo("att.digest", (inp["name"], inp["text"], inp["target"], which, hide),
               lambda: attn.digest(w, which != "cross"))
    left, right = st.columns(2)
    chart(figs.attention_heatmap(dig.average[layer - 1], q, k, tr("attention.avg", layer=layer)),
          "attention-average", f"attention-layer{layer}-average", left, width="stretch")
    if dig.rollout is not None:
        chart(figs.attention_heatmap(dig.rollout[layer - 1], q, k, tr("attention.rollout", layer=layer),
                                     colorscale="Purples"), "attention-rollout", f"attention-layer{layer}-rollout",
              right, width="stretch")
        right.caption(tr("attention.rollout_help"))
    chart(figs.attention_grid_figure(dig.mosaic, n_layers, n_heads, dig.cell, fig_text()), "attention-grid",
          "attention-layers-heads", width="stretch")
    st.caption(tr("attention.grid_help", side=dig.cell))


def mlm_section(inp: dict, fold: Fold) -> None:
    names = names_that_can("masked_lm", "mask_swap")
    if not names:
        st.info(tr("attention.mlm.none"), icon=":material/info:")
        return
    bb = load(section_backbone(fold, "mlm_backbone", tr("attention.mlm.backbone"), names, names[0]))
    tok = readable_tokens(bb, inp["text"], 128)
    options = [i for i, s in enumerate(tok.special) if not s]
    controls = fold.controls()
    chosen = controls.pills(tr("attention.mlm.pick"), options, format_func=lambda i: tok.tokens[i],
                            selection_mode="multi", default=options[len(options) // 2 : len(options) // 2 + 1],
                            key=f"mlm.{bb.spec.name}.{hash(inp['text'])}")
    if not chosen:
        st.info(tr("attention.mlm.pick_help"))
        return
    top_k = controls.slider(tr("attention.top_k"), 3, 10, key=us.key(PAGE, "top_k"))
    res = fill_masks(bb, inp["text"], sorted(chosen), top_k)
    cols = st.columns(min(len(res.masked), 3))
    for i, pos in enumerate(res.masked):
        part = res.predictions[res.predictions["position"] == pos]
        title = tr("attention.mlm.preds", token=tok.tokens[pos])
        hover = ("prediction", "probability")
        chart(figs.probability_bars(part, "prediction", "probability", title, fig_text(), hover),
              f"attention-mlm-{pos}", f"mlm-predictions-{pos}", cols[i % len(cols)], width="stretch")
    table(res.original_rank)
    top = res.attention_masked.shape[0]
    us.resolve(PAGE, "mlm_layer", top)  # the default: the top layer
    layer = st.slider(tr("attention.layer"), 1, top, key=us.key(PAGE, "mlm_layer", lo=1, hi=top))
    shift = res.attention_masked[layer - 1] - res.attention_original[layer - 1]
    chart(figs.attention_heatmap(shift, res.tokens, res.tokens, tr("attention.mlm.shift", layer=layer), "RdBu_r",
                                 zmax=float(np.abs(shift).max()) or 1.0), "attention-mlm-shift",
          f"attention-shift-layer{layer}", width="stretch")


def next_section(inp: dict, fold: Fold) -> None:
    names = names_that_can("causal_lm", "mask_swap")
    if not names:
        st.info(tr("attention.next.none"))
        return
    bb = load(section_backbone(fold, "next_backbone", tr("attention.next.backbone"), names, names[0]))
    view = memo("att.next", (bb.spec.name, inp["text"]), lambda: next_tokens(bb, inp["text"], 10),
                tr("attention.computing"))
    st.metric(tr("attention.next.ppl"), f"{np.exp(-np.log(view.table['probability']).mean()):.1f}")
    chart(figs.probability_bars(view.table, "actual", "probability", tr("attention.next.chart"), fig_text(),
                                ("after", "actual", "probability", "rank"), log=True), "attention-next",
          "next-token-probabilities", width="stretch")
    pos = st.selectbox(tr("attention.next.position"), view.table["position"].tolist(),
                       format_func=lambda p: f"{p}: … {' '.join(view.tokens[max(0, p - 4):p])} → {view.tokens[p]}")
    table(view.topk[view.topk["position"] == pos - 1])


def swap_section(inp: dict, fold: Fold) -> None:
    names = names_that_can("mask_swap")
    start = inp["name"] if inp["name"] in names else names[0]
    bb = load(section_backbone(fold, "swap_backbone", tr("attention.swap.backbone"), names, start))
    fam = bb.spec.family
    st.write(tr(f"attention.swap.explain.{fam}"))
    swap = memo("att.swap", (bb.spec.name, inp["text"]), lambda: attn.mask_swap(bb, inp["text"]),
                tr("attention.computing"))
    layer = fold.controls().slider(tr("attention.layer"), 1, swap.native.attentions.shape[0],
                      key=us.key(PAGE, "swap_layer", lo=1, hi=swap.native.attentions.shape[0]))
    left, right = st.columns(2)
    for col, run, title in ((left, swap.native, "attention.swap.native"),
                            (right, swap.swapped, f"attention.swap.{fam}")):
        chart(figs.attention_heatmap(attn.head_average(run.attentions)[layer - 1], run.tokens, run.tokens,
                                     tr(title, layer=layer)), f"attention-{title}", f"{title}-layer{layer}", col,
              width="stretch")
    series = {"mean_cosine": tr("attention.swap.mean_cos"), "min_cosine": tr("attention.swap.min_cos")}
    chart(figs.layer_lines(swap.drift, series, tr("attention.swap.drift"), tr("attention.layer"), "cos"),
          "attention-swap-drift", "mask-swap-drift", left, width="stretch")
    series = {"native": tr("attention.swap.native_short"), "swapped": tr("attention.swap.swapped_short")}
    chart(figs.layer_lines(swap.future_share, series, tr("attention.swap.future"), tr("attention.layer"),
                           tr("attention.swap.share")), "attention-swap-future", "mask-swap-future-share", right,
          width="stretch")
    swap_predictions(bb, swap, inp["text"])


def swap_predictions(bb: Backbone, swap: attn.MaskSwap, text: str) -> None:
    if bb.spec.can("causal_lm"):
        a, b = next_token_stats(bb, swap.native), next_token_stats(bb, swap.swapped)
        df = a.table.assign(swapped=b.table["probability"])
        chart(figs.compare_bars(df, "actual", {"probability": tr("attention.swap.native_short"),
                                               "swapped": tr("attention.swap.swapped_short")},
                                tr("attention.swap.next_chart"), "P", log=True), "attention-swap-next",
              "mask-swap-next-token", width="stretch")
        st.caption(tr("attention.swap.next_help"))
    elif bb.spec.can("masked_lm"):
        options = [i for i, t in enumerate(swap.native.tokens) if i not in (0, len(swap.native.tokens) - 1)]
        pos = st.selectbox(tr("attention.swap.mask_pos"), options, format_func=lambda i: swap.native.tokens[i])
        left, right = st.columns(2)
        table(fill_masks(bb, text, [pos]).predictions, left)
        table(fill_masks(bb, text, [pos], mask_kind="causal").predictions, right)
    else:
        st.info(tr("attention.swap.no_head", name=backbone_label(bb.spec.name)))


def tokens_section(fold: Fold) -> None:
    us.resolve(PAGE, "tok_text", tr("attention.tok.default"))  # follows the language until edited
    text = fold.controls().text_input(tr("attention.tok.text"), max_chars=1000, key=us.key(PAGE, "tok_text"))
    names = names_where(lambda s: True)
    loaded = {display(n): load(n) for n in names}
    table(compare_tokenizers(loaded, text))
    for label, bb in loaded.items():
        st.markdown(f"**{label}**")
        st.markdown(tokens_html(readable_tokens(bb, text)), unsafe_allow_html=True)
    pick = st.selectbox(tr("attention.tok.words_of"), list(loaded))
    table(words_with_pieces(loaded[pick], text))


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("attention")
with lab_controls() as fold:  # lesson mode: the input form and each section's settings folded; its figures below
    inputs = input_form()
    section = us.sections(PAGE, SECTIONS, tr("attention.section"), option_labels("attention.section"))
    st.caption(tr(f"attention.section.{section}.help"))
    with fold.results(), guard():
        if section == "tokens":
            tokens_section(fold)
        else:
            {"masks": masks_section, "weights": weights_section, "mlm": mlm_section, "next": next_section,
             "swap": swap_section}[section](inputs, fold)
