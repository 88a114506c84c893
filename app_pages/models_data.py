"""Models & data: backbone cards with a tokenizer view, sample-set charts, and the CSV upload."""

import streamlit as st

from plm_core.backbones import specs
from plm_core.backbones.gemma import TERMS_OF_USE, terms_file
from plm_core.data import DATASETS
from plm_core.explorer.tokens import has_hangul, readable_tokens, reading_warning
from plm_core.figures import architecture_table, backbone_overview, label_balance_figure, length_histogram, tokens_html
from ui import urlstate as us
from ui.common import (
    backbone_labels,
    csv_uploader,
    dataset_label,
    guard,
    lang,
    page_header,
    show_notices,
    spec_text,
    tr,
)
from ui.common import table as show_table
from ui.figures import chart, fig_text
from ui.lesson import step_bar
from ui.loaders import dataset, load_backbone_with_spinner, uploaded_dataset

EXAMPLE_CSV = "text,label\nA warm, funny and moving film.,positive\nTedious and far too long.,negative\n"


def backbone_card(spec) -> None:
    cols = st.columns(5)
    cols[0].metric(tr("models.family"), tr(f"models.family_short.{spec.family}"))
    cols[1].metric(tr("models.params"), f"{spec.params / 1e6:.1f}M")
    cols[2].metric(tr("models.layers"), spec.layers)
    cols[3].metric(tr("models.hidden"), spec.hidden_size)
    cols[4].metric(tr("models.heads"), spec.heads)
    facts = {
        tr("models.family"): tr(f"models.family.{spec.family}"),
        tr("models.pretrained_on"): spec_text(spec, "pretrained_on"),
        tr("models.objective"): spec_text(spec, "objective"),
        tr("models.license"): spec_text(spec, "license"), tr("models.source"): spec.source,
        tr("models.install"): f"`{spec.install}`",
    }
    st.markdown("\n".join(f"- **{k}**: {v}" for k, v in facts.items()))
    if spec.notes:
        st.info(spec_text(spec, "notes"), icon=":material/info:")
    terms_panel(spec)
    st.markdown(f"**{tr('models.architecture')}**")
    show_table(architecture_table(spec, lang()))


def terms_panel(spec) -> None:
    """A backbone under its own terms of use (Gemma): what they say, and the full text shipped with the package."""
    prefix = TERMS_OF_USE.get(spec.name)
    if prefix is None:
        return
    with st.container(border=True):
        st.markdown(f"**{tr(prefix + '.title')}**")
        st.markdown(tr(prefix + ".body"))
        path = terms_file()
        if path is None:
            st.caption(tr(prefix + ".missing"))
        else:
            st.download_button(tr(prefix + ".download"), path.read_bytes(), file_name=path.name, mime="text/html",
                               icon=":material/gavel:")


def tokenizer_view(spec) -> None:
    st.markdown(f"#### {tr('models.tokenizer')}")
    with st.form(f"tok-{spec.name}"):
        text = st.text_input(tr("models.tokenizer_input"), value=tr("models.tokenizer_default"), max_chars=2000)
        submitted = st.form_submit_button(tr("models.tokenizer_run"))
    if submitted or text:
        with guard():
            backbone = load_backbone_with_spinner(spec.name)
            tok = readable_tokens(backbone, text)  # byte-level pieces as characters, as on the Attention page
            st.markdown(tokens_html(tok), unsafe_allow_html=True)
            st.caption(tr("models.n_pieces", n=tok.n_tokens, words=len(text.split())))
            if backbone.byte_level and has_hangul(text):
                st.caption(tr("tokens.explain.bytes"))
            warning = reading_warning(backbone, [text])
            if warning:
                st.warning(tr(warning[0], **warning[1]), icon=":material/translate:")
            if tok.truncated:
                st.warning(tr("models.truncated"))


def backbone_gallery(table: dict) -> None:
    """Every backbone as a small card: name, family, size, licence."""
    columns, names = st.columns(4), backbone_labels()
    for i, spec in enumerate(table.values()):
        with columns[i % 4].container(border=True):
            st.markdown(f"**{names[spec.name]}**")
            family, licence = tr(f"models.family.{spec.family}"), spec_text(spec, "license")
            st.caption(f"{family} · {spec.params / 1e6:.1f}M · {licence}")


def backbones_tab() -> None:
    table = specs()
    backbone_gallery(table)
    with st.expander(tr("models.overview"), expanded=False):
        show_table(backbone_overview(table))
    name = st.selectbox(tr("models.pick"), list(table), format_func=backbone_labels().__getitem__,
                        key=us.key("models", "backbone", list(table)))
    backbone_card(table[name])
    tokenizer_view(table[name])


def sample_set_view(ds) -> None:
    cols = st.columns(3)
    cols[0].metric(tr("models.ds.pool"), len(ds.pool))
    cols[1].metric(tr("models.ds.test"), len(ds.test))
    cols[2].metric(tr("models.ds.labels"), len(ds.labels))
    st.caption(tr("models.ds.cleaned", dups=ds.duplicates_removed, cut=ds.texts_cut))
    left, right = st.columns(2)
    chart(label_balance_figure(ds.pool, ds.test, fig_text()), "models-balance", "label-balance", left, width="stretch")
    chart(length_histogram(ds.pool["text"], fig_text()), "models-lengths", "text-lengths", right, width="stretch")
    st.markdown(f"**{tr('models.ds.examples')}**")
    show_table(ds.pool.head(8)[["text", "label"]])


def datasets_tab() -> None:
    names = {n: dataset_label(n) for n in DATASETS}  # labels fixed now: format_func may run outside the page
    name = st.selectbox(tr("models.ds.pick"), list(DATASETS), format_func=names.__getitem__,
                        key=us.key("models", "data", list(DATASETS)))
    with guard():
        ds = dataset(name)
        st.caption(dataset_label(name, ".description"))
        sample_set_view(ds)
        st.caption(f"{tr('models.ds.attribution')}: {ds.info.attribution} — {tr('models.license')}: {ds.info.license}")


def csv_tab() -> None:
    st.write(tr("models.csv.help"))
    st.download_button(tr("models.csv.template"), EXAMPLE_CSV, file_name="example.csv", mime="text/csv")
    upload = csv_uploader(tr("models.csv.upload"))
    if upload is None:
        return
    with guard():
        ds = uploaded_dataset(upload.getvalue(), upload.name)
        st.session_state["uploaded_csv"] = (upload.name, upload.getvalue())
        st.success(tr("models.csv.ok", n=len(ds.pool) + len(ds.test), k=len(ds.labels), pool=len(ds.pool),
                      test=len(ds.test)))
        show_notices(ds.notices)
        sample_set_view(ds)


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("models")
tabs = us.tabs("models", ["backbones", "datasets", "csv"])  # from the URL, kept over a language switch
for tab, draw in zip(tabs, (backbones_tab, datasets_tab, csv_tab), strict=True):
    if tab.open:  # only the open tab runs
        with tab:
            draw()
