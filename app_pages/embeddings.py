"""Embeddings: one word's static vector vs its contextual vectors per sentence and layer; sentence maps."""

import streamlit as st

from plm_core.backbones import POOLINGS, specs
from plm_core.backbones.capabilities import require
from plm_core.data import DATASETS
from plm_core.errors import PLMError
from plm_core.explorer import polysemy as poly
from plm_core.explorer.figures import contextuality_figure, sentence_map_figure, similarity_heatmap, word_map_figure
from plm_core.explorer.jobs import SentenceMapJob, SentenceMapResult
from plm_core.explorer.projection import METHODS
from plm_core.explorer.sentences import SentenceMap, majority_share, neighbours_table
from plm_core.explorer.tokens import reading_warning
from plm_core.i18n import t
from plm_core.jobs import DataRef
from ui import urlstate as us
from ui.common import backbone_label, backbone_labels, dataset_label, guard, lang, page_header, show_notices, tr, tr_md
from ui.common import table as show_table
from ui.explorer import option_labels, projected
from ui.figures import chart, fig_text
from ui.jobs import job_panel, snapshot, submit
from ui.lesson import Fold, lab_controls, step_bar
from ui.loaders import load_backbone_with_spinner

CONTEXTUAL = ("encoder", "decoder", "encoder-decoder", "bilm", "sentence")
CUSTOM = "custom"
SENT_SLOT = "embeddings.sentences"
PAGE = "embeddings"  # the settings' page in plm_core.urlparams


def names_of(families: tuple[str, ...]) -> list[str]:
    return [n for n, s in specs().items() if s.family in families]


def set_labels(lg: str):
    """format_func for the set box, in language `lg`: 'bank — river side / financial institution'."""

    def label(key: str) -> str:
        if key == CUSTOM:
            return t("embeddings.set.custom", lg)
        pset = poly.polysemy_sets()[key]
        return f"{pset.word} — " + " / ".join(pset.sense_name(s.key, lg) for s in pset.senses)

    return label


def word_form() -> None:
    display = backbone_labels().__getitem__  # in the user's language
    c1, c2, c3 = st.columns(3)  # the set is outside the form: a Korean set picks a Korean-reading default below
    sets = list(poly.polysemy_sets()) + [CUSTOM]
    key = c1.selectbox(tr("embeddings.set"), sets, format_func=set_labels(lang()), key=us.key(PAGE, "set", sets))
    language = poly.polysemy_sets()[key].language if key != CUSTOM else "en"
    names = names_of(CONTEXTUAL)
    default = poly.default_backbone(language, names, {n: specs()[n].languages for n in names})
    us.resolve(PAGE, "contextual", default)  # follows the set's language until another backbone is chosen
    with st.form("emb-word"):
        contextual = c2.selectbox(tr("embeddings.contextual"), names, format_func=display,
                                  key=us.key(PAGE, "contextual", names))
        statics = names_of(("static",))
        static = c3.selectbox(tr("embeddings.static"), statics, format_func=display,
                              key=us.key(PAGE, "static", statics))
        if language != "en":
            st.caption(tr("embeddings.korean_default", name=display(default)))
        with st.expander(tr("embeddings.custom.header"), expanded=key == CUSTOM):
            word = st.text_input(tr("embeddings.custom.word"), value="light", max_chars=40)
            lines = st.text_area(tr("embeddings.custom.sentences"), value=tr("embeddings.custom.default"),
                                 height=140, max_chars=6000, help=tr("embeddings.custom.help"))
            st.caption(tr("embeddings.custom.syntax"))
        submitted = st.form_submit_button(tr("embeddings.run"), type="primary")
    if submitted or "emb.word" not in st.session_state:
        with guard():
            st.session_state["emb.word"] = compute_word(key, word, lines, contextual, static)


def compute_word(key: str, word: str, lines: str, contextual: str, static: str | None) -> dict:
    pset, notices = poly.custom_set(word, lines) if key == CUSTOM else (poly.polysemy_sets()[key], [])
    backbone = load_backbone_with_spinner(contextual)
    wv = poly.word_vectors(backbone, pset)
    warning = reading_warning(backbone, list(pset.texts)[:20])
    result = {"pset": pset, "wv": wv, "notices": notices + wv.notices + ([warning] if warning else []),
              "static": None, "static_note": "", "static_name": ""}
    if static:
        sb = load_backbone_with_spinner(static)
        result["static_name"] = backbone_label(sb.spec.name)
        try:
            hover = tr("embeddings.static.hover", word=pset.word, n=len(pset.texts))
            result["static"] = poly.static_points(sb, pset, hover)
            result["nearest"] = ", ".join(w for w, _ in require(sb, "word_vectors").nearest(pset.word, 8))
        except PLMError as err:  # e.g. a Korean word is not in GloVe: say so in the panel
            result["static_note"] = err.message(lang())
    return result


def word_results(res: dict, fold: Fold) -> None:
    pset, wv = res["pset"], res["wv"]
    show_notices(res["notices"])
    names = {s.key: pset.sense_name(s.key, lang()) for s in pset.senses}
    c1, c2 = fold.controls().columns([3, 1])  # the view's settings: with the form (folded in lesson mode)
    us.resolve(PAGE, "layer", wv.n_layers)  # the default: the top layer
    layer = c1.slider(tr("embeddings.layer"), 0, wv.n_layers, key=us.key(PAGE, "layer", lo=0, hi=wv.n_layers)) \
        if wv.n_layers else 0
    method = c2.radio(tr("embeddings.method"), METHODS, format_func=option_labels("embeddings.method"), horizontal=True,
                      key=us.key(PAGE, "method", METHODS))
    with guard():
        proj = projected("emb.word.projection", poly.unit_rows(wv.vectors[min(layer, wv.vectors.shape[0] - 1)]), method)
        if proj is None:
            return
        points, proj = poly.layer_points(wv, layer, method, proj)
        show_notices(proj.notices)
        titles = (f"{res['static_name']}<br>" + tr("embeddings.panel.static", word=pset.word, n=len(pset.texts)),
                  f"{wv.backbone}<br>" + (tr("embeddings.panel.sentence", n=len(wv.texts)) if wv.sentence_level
                                          else tr("embeddings.panel.contextual", layer=layer, n=len(wv.texts))))
        chart(word_map_figure(points, res["static"], names, titles, res["static_note"], proj.method == "pca"),
              "embeddings-word-map", f"word-map-{pset.word}", width="stretch")
        st.caption(tr("embeddings.projection.time", method=tr(f"embeddings.method.{proj.method}"), s=proj.seconds))
        if res.get("nearest"):
            st.caption(tr_md("embeddings.static.nearest", word=pset.word, words=res["nearest"]))
        left, right = st.columns(2)
        sim = poly.cosine_matrix(wv.vectors[layer])
        chart(similarity_heatmap(sim, wv.labels, wv.texts, names, tr("embeddings.heatmap.title", layer=layer)),
              "embeddings-heatmap", f"similarity-layer-{layer}", left, width="stretch")
        df = poly.contextuality(wv)
        if wv.n_layers:
            static_name = res["static_name"] if res["static"] is not None else ""
            chart(contextuality_figure(df, fig_text(), layer, static_name), "embeddings-contextuality",
                  "contextuality", right, width="stretch")
            st.caption(tr("embeddings.ctx.explain"))
        else:  # one vector per sentence: no layers to compare, just the three mean similarities
            right.markdown(f"**{tr('embeddings.ctx.y')}**")
            for col in ("all", "same_sense", "different_sense"):
                right.metric(tr(f"embeddings.ctx.{col}"), f"{df[col].iloc[0]:.3f}")
        with st.expander(tr("embeddings.occurrences")):
            show_table(poly.occurrence_table(wv, pset, lang()))


def sentence_form() -> None:
    uploaded = st.session_state.get("uploaded_csv")
    choices = list(DATASETS) + (["uploaded"] if uploaded else [])
    uploaded_label = tr("embeddings.sent.uploaded", name=uploaded[0]) if uploaded else ""
    names = {d: dataset_label(d) for d in DATASETS}  # labels fixed now: format_func may run outside the page
    label = lambda d: uploaded_label if d == "uploaded" else names[d]  # noqa: E731
    with st.form("emb-sent"):
        c1, c2, c3, c4 = st.columns(4)
        data = c1.selectbox(tr("embeddings.sent.dataset"), choices, format_func=label,
                            key=us.key(PAGE, "sdata", choices))
        backbone = c2.selectbox(tr("embeddings.sent.backbone"), list(specs()),
                                format_func=backbone_labels().__getitem__, key=us.key(PAGE, "sbackbone", list(specs())))
        n = c3.slider(tr("embeddings.sent.n"), 50, 1000, step=50, key=us.key(PAGE, "sn"))
        pooling = c4.selectbox(tr("embeddings.sent.pooling"), POOLINGS, format_func=option_labels("embeddings.pooling"),
                               key=us.key(PAGE, "pooling", POOLINGS))
        submitted = st.form_submit_button(tr("embeddings.sent.run"), type="primary")
    if submitted:  # embedded by a worker (job kind "explorer.sentences"): up to 1,000 texts, not in the server
        name, csv = uploaded if uploaded and data == "uploaded" else (str(data), None)
        submit(SENT_SLOT, "explorer.sentences", SentenceMapJob(str(backbone), DataRef(name, csv), int(n),
                                                               str(pooling or "mean")))


def sentence_panel() -> None:
    """The sentence map's job (its progress) and, once done, its result kept for the page."""
    uploaded = st.session_state.get("uploaded_csv")
    uploaded_label = tr("embeddings.sent.uploaded", name=uploaded[0]) if uploaded else ""
    names = {d: dataset_label(d) for d in DATASETS}
    job_panel(SENT_SLOT, lambda snap: None)
    snap = snapshot(SENT_SLOT)
    if snap is not None and isinstance(snap.result, SentenceMapResult):
        smap, ref = snap.result.map, snap.config.data
        st.session_state["emb.sent"] = {"texts": smap.texts, "labels": smap.labels, "vectors": smap.vectors,
                                        "backbone": snap.config.backbone, "acc": snap.result.probe_accuracy,
                                        "data": uploaded_label if ref.csv is not None else names.get(ref.name, "")}


def sentence_results(res: dict, fold: Fold) -> None:
    # the view's settings go with the form (folded in lesson mode)
    method = fold.controls().radio(tr("embeddings.method"), METHODS, format_func=option_labels("embeddings.method"),
                                   horizontal=True, key=us.key(PAGE, "smethod", METHODS))
    texts, labels, vectors = res["texts"], res["labels"], res["vectors"]
    c1, c2 = st.columns(2)
    c1.metric(tr("embeddings.sent.probe"), f"{res['acc']:.1%}", help=tr("embeddings.sent.probe_help"))
    c2.metric(tr("embeddings.sent.majority"), f"{majority_share(labels):.1%}")
    controls = fold.controls()
    pick = controls.selectbox(tr("embeddings.sent.pick"), range(len(texts)), format_func=lambda i: texts[i][:120])
    own = controls.text_input(tr("embeddings.sent.own"), max_chars=500)
    with guard():
        skip: int | None = int(pick or 0)  # the picked sentence is not its own neighbour
        query = vectors[skip]
        if own.strip():
            query, skip = load_backbone_with_spinner(res["backbone"]).embed([own])[0], None
        table = neighbours_table(SentenceMap(texts, labels, vectors, res["backbone"], -1, ""), query, 8, skip)
        proj = projected("emb.sent.projection", vectors, method)
        if proj is None:
            return
        show_notices(proj.notices)
        neighbours = table.pop("index").tolist()
        title = tr("embeddings.sent.title", n=len(texts), data=res["data"], backbone=backbone_label(res["backbone"]))
        chart(sentence_map_figure(proj.points, labels, texts, title, None if own.strip() else pick, neighbours),
              "embeddings-sentence-map", "sentence-map", width="stretch")
        st.caption(tr("embeddings.projection.time", method=tr(f"embeddings.method.{proj.method}"), s=proj.seconds))
        st.markdown(f"**{tr('embeddings.sent.neighbours')}**")
        show_table(table)


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("embeddings")
with lab_controls() as fold:  # lesson mode: both forms (and the views' settings) folded; the maps below
    st.subheader(tr("embeddings.word.header"))
    st.write(tr("embeddings.word.intro"))
    word_form()
    if "emb.word" in st.session_state:
        with fold.results():
            word_results(st.session_state["emb.word"], fold)
    st.divider()
    st.subheader(tr("embeddings.sent.header"))
    st.write(tr("embeddings.sent.intro"))
    sentence_form()
    with fold.results():
        sentence_panel()
        if "emb.sent" in st.session_state:
            sentence_results(st.session_state["emb.sent"], fold)
