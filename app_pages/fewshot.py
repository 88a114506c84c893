"""Zero/one/few-shot lab: accuracy against K for prompting, label similarity and training on K examples."""

import streamlit as st

from plm_core.data import DATASETS
from plm_core.errors import PLMError
from plm_core.fewshot import curves as fc
from plm_core.fewshot import figures as ff
from plm_core.fewshot import settings as fs
from plm_core.fewshot.methods import (
    available_methods,
    default_descriptions,
    default_prompt,
    make_task,
    method_backbones,
)
from plm_core.fewshot.prompting import PromptConfig, full_prompt, verbalizers_for
from plm_core.figures import tokens_html
from plm_core.i18n import t
from plm_core.jobs import DataRef, Snapshot
from plm_core.recipes import FewShotCurve, PromptSensitivity
from ui import urlstate as us
from ui.common import backbone_label, backbone_labels, dataset_label, guard, lang, page_header, show_notices, tr, tr_md
from ui.figures import chart, fig_text
from ui.jobs import current_job, job_panel, owner_id, service, submit
from ui.lesson import lab_controls, step_bar
from ui.loaders import dataset, load_backbone_with_spinner, uploaded_dataset

JOB, SENS = "fewshot-curves", "fewshot-sensitivity"
UPLOAD = "upload:"
PAGE = "fewshot"  # the settings' page in plm_core.urlparams


def data_choices() -> dict[str, str]:
    choices = {name: dataset_label(name) for name in DATASETS}
    if st.session_state.get("uploaded_csv"):
        choices[UPLOAD] = tr("fewshot.data.uploaded", name=st.session_state["uploaded_csv"][0])
    return choices


def data_ref(key: str) -> DataRef:
    """What the worker loads: a sample set by name, or the uploaded CSV's bytes."""
    if key == UPLOAD:
        name, data = st.session_state["uploaded_csv"]
        return DataRef(name, data)
    return DataRef(key)


def load_data(key: str):
    if key == UPLOAD:
        name, data = st.session_state["uploaded_csv"]
        return uploaded_dataset(data, name)
    return dataset(key)


def curve_recipe() -> FewShotCurve:
    """The curve the page's settings describe (the form's, or a link's)."""
    return FewShotCurve.parse(us.values_of(PAGE))[0]


def prompt_from_state(ds) -> PromptConfig:
    """The prompt as the curve will use it, with the label descriptions the user wrote (a bad line: none)."""
    recipe = curve_recipe()
    try:
        written = fs.parse_pairs(recipe.descriptions, ds.labels) if recipe.descriptions else {}
    except PLMError:
        written = {}
    return fc.prompt_with_descriptions(recipe.prompt_config(ds), written, ds.labels, ds.info.task)


def describe_hint(ds) -> bool:
    """Labels that are short or unusual words: suggest saying what each means (True when suggested)."""
    vague = fs.labels_to_describe(ds.labels, fs.ordinary_words())
    if vague:
        st.info(tr("fewshot.describe_hint", labels=", ".join(f"“{lab}”" for lab in vague), example=vague[0]),
                icon=":material/edit_note:")
    return bool(vague)


def backbone_box(method: str, ds) -> str:
    """The backbone of one method: by default the data set language's own (it follows a change of data set)."""
    names = method_backbones(method)
    us.resolve(PAGE, f"bb_{method}", fc.CurveConfig(language=ds.info.language).backbone_for(method))
    return str(st.selectbox(tr("fewshot.backbone_for", method=tr(f"fewshot.method.{method}")), names,
                            format_func=backbone_labels().__getitem__, key=us.key(PAGE, f"bb_{method}", names)))


def curve_estimate(ds) -> None:
    """About how long the curve in the form takes (its settings as they stand: the defaults or the link's)."""
    now = curve_recipe()
    config = fc.CurveConfig(methods=now.methods, shots=now.shots or fc.DEFAULT_SHOTS, seeds=now.seeds,
                            test_limit=now.test, prompt_max_k=now.prompt_k)
    if config.methods:
        st.caption(tr("fewshot.estimate", seconds=max(1, round(fc.estimate_seconds(config, len(ds.labels))))))


def text_setting(widget, name: str, default: str, **kwargs) -> None:
    """A free-text setting whose default is the data set's own text (the URL leaves that out)."""
    us.resolve(PAGE, name, default)
    widget(us.label(PAGE, name), key=us.key(PAGE, name), max_chars=int(us.spec(PAGE, name).hi or 0), **kwargs)


def settings_form(ds, methods: list[str]) -> FewShotCurve | None:
    """The curve's form, drawn from the recipe's fields; its recipe when submitted."""
    base, language = default_prompt(ds.info.task), lang()  # labels fixed now: format_func may run elsewhere
    curve_estimate(ds)
    hint = describe_hint(ds)
    with st.form("fewshot-settings"):
        st.multiselect(us.label(PAGE, "methods"), methods, format_func=lambda m: t(f"fewshot.method.{m}", language),
                       help=tr("fewshot.methods_help"), placeholder=tr("common.choose"),
                       key=us.key(PAGE, "methods", methods))
        cols = st.columns(3)
        us.chosen(cols[0].multiselect, PAGE, "shots", placeholder=tr("common.choose"))
        us.ranged(cols[1].slider, PAGE, "seeds", help=tr("fewshot.seeds_help"))
        us.ranged(cols[2].number_input, PAGE, "test", step=20, help=tr("fewshot.test_limit_help"))
        with st.expander(tr("fewshot.backbones")):
            for m in methods:
                backbone_box(m, ds)
            if "finetune" in methods:
                us.ranged(st.slider, PAGE, "epochs")
        with st.expander(tr("fewshot.prompt_settings"), expanded=hint):
            line = fs.template_to_line(base.template)
            text_setting(st.text_input, "template", line, help=tr("fewshot.template_help"))
            words = {k: v.strip() for k, v in verbalizers_for(base, ds.labels).items()}
            text_setting(st.text_area, "words", fs.pairs_text(words))
            st.checkbox(us.label(PAGE, "calibrate"), key=us.key(PAGE, "calibrate"), help=tr("fewshot.calibrate_help"))
            us.chosen(st.select_slider, PAGE, "prompt_k", help=tr("fewshot.prompt_max_k_help"))
            text_setting(st.text_area, "desc", fs.pairs_text(default_descriptions(ds.labels, ds.info.task)))
        if not st.form_submit_button(tr("fewshot.run"), type="primary"):
            return None
    return curve_recipe()


def prompt_backbone(lms: list[str]) -> str:
    """The prompting method's backbone as chosen in the settings (else the first language model)."""
    chosen = st.session_state.get("fewshot.bb_prompt")
    return str(chosen) if chosen in lms else lms[0]


def explanation(ds, task) -> None:
    with st.expander(tr("fewshot.explain.title")):
        st.markdown(tr("fewshot.explain.body"))
        lms = method_backbones("prompt")
        if not lms:
            st.info(tr("fewshot.explain.no_lm"))
            return
        cols = st.columns([1, 2])
        k = cols[1].slider(tr("fewshot.explain.example_k"), 0, 4, 1)
        if not cols[0].toggle(tr("fewshot.explain.show"), key="fs_show_prompt"):  # loads the LM only when asked
            return
        with guard():
            lm = load_backbone_with_spinner(prompt_backbone(lms))
            cfg = prompt_from_state(ds)
            prompt = full_prompt(cfg, list(task.draw(k, 0).itertuples(index=False, name=None)), ds.labels,
                                 task.test["text"].iloc[0])
            st.code(prompt, language=None)
            n_tokens = sum(not special for special in lm.tokenize(prompt).special)  # the pieces the model reads
            words = ", ".join(f"“{w}”" for w in verbalizers_for(cfg, ds.labels).values())
            st.caption(tr_md("fewshot.explain.example_caption", model=backbone_label(lm.spec.name), tokens=n_tokens,
                          demos=k * len(ds.labels), words=words))
            st.markdown(f"**{tr('fewshot.explain.pieces')}**")
            st.markdown(tokens_html(lm.tokenize(prompt, max_length=4096)), unsafe_allow_html=True)


def curves_view(snap: Snapshot) -> None:
    """The chart grows point by point while the job runs; crossovers and skips once it has ended."""
    language = lang()
    metric = st.radio(tr("fewshot.metric"), ["acc", "f1"], format_func=lambda m: t(f"fewshot.metric.{m}", language),
                      horizontal=True, key=us.key(PAGE, "metric"))
    summary = fc.summarize(snap.result.points if snap.result else snap.items)
    crosses = fc.crossovers(summary) if snap.finished else []
    majority = snap.result.majority if snap.result else None
    chart(ff.curve_figure(summary, snap.config.shots, fig_text(), metric, majority, crosses), "fewshot-curve",
          "fewshot-curve", width="stretch")
    for c in crosses:
        st.markdown(tr("fewshot.crossover", method=tr(f"fewshot.method.{c.method}"), k=c.k, acc=c.accuracy,
                       ref=c.reference))
    for s in (snap.result.skipped if snap.result else []):
        st.caption(tr("fewshot.skipped", method=tr(f"fewshot.method.{s.method}"), k=s.k,
                      reason=tr_md(s.key, **s.params)))
    st.markdown(f"**{tr('fewshot.table.title')}**")
    st.dataframe(ff.summary_table(summary, fig_text()), hide_index=True, width="stretch")


def progress_line(snap: Snapshot) -> str:
    """The job's own line ("prompt K=4") with the method by its name in the user's language."""
    method, _, rest = (snap.current or "").partition(" ")
    return f"{fig_text().method(method)} {rest}".strip() if method else ""


def curves_panel() -> None:
    if current_job(JOB) is None:
        st.info(tr("fewshot.empty"))
        return
    job_panel(JOB, curves_view, describe=progress_line)


def sensitivity_section(ds, task) -> None:
    st.subheader(tr("fewshot.sens.title"))
    st.caption(tr("fewshot.sens.lead"))
    lms = method_backbones("prompt")
    base = default_prompt(ds.info.task).template
    with st.form("fewshot-sensitivity"):
        cols = st.columns(3)
        us.chosen(cols[0].selectbox, PAGE, "sens_k")
        us.ranged(cols[1].slider, PAGE, "sens_orders")
        us.ranged(cols[2].number_input, PAGE, "sens_test", step=20)
        text_setting(st.text_area, "sens_templates", fs.sensitivity_lines(base))
        go = st.form_submit_button(tr("fewshot.sens.run"), disabled=not lms)
    if go:
        with guard():
            recipe = PromptSensitivity.parse(us.values_of(PAGE) | {"bb_prompt": prompt_backbone(lms)})[0]
            submit(SENS, recipe.kind, recipe.job_config(data_ref(key)))
    job_panel(SENS, sensitivity_view)


def setfit_block(key: str) -> None:
    """SetFit as a few-shot method: contrastive fine-tuning on K labelled examples (a job, like the curves)."""
    from ui.setfit import setfit_section

    st.subheader(tr("setfit.title"))
    setfit_section("fewshot", lambda: data_ref(key))


def sensitivity_view(snap: Snapshot) -> None:
    if snap.items:
        import pandas as pd

        rows = pd.DataFrame(snap.items)
        chart(ff.sensitivity_figure(rows, fig_text()), "fewshot-sensitivity", "prompt-sensitivity", width="stretch")
        st.dataframe(ff.sensitivity_table(rows, fig_text()), hide_index=True, width="stretch")


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("fewshot")
methods = available_methods()
with lab_controls() as fold:  # lesson mode: the data, the forms and the side experiments folded; the curve below
    choices = data_choices()
    key = str(st.selectbox(tr("fewshot.data"), list(choices), format_func=choices.__getitem__,
                          key=us.key(PAGE, "data", list(choices))))  # never None: the sample sets are always there
    with guard():
        ds = load_data(key)
        show_notices(ds.notices)
        task = make_task(ds, None)
        explanation(ds, task)
        if not methods:
            st.warning(tr("fewshot.no_methods"))
            st.stop()
        st.subheader(tr("fewshot.settings"))
        recipe = settings_form(ds, methods)
        if recipe is not None:
            job = recipe.job_config(data_ref(key))
            fc.validate(job.config)
            previous = current_job(JOB)
            if previous is not None:  # a new curve replaces the old one: stop it rather than let it run on
                service().stop(previous, owner_id())
            submit(JOB, recipe.kind, job)
        with fold.results():
            curves_panel()
        sensitivity_section(ds, task)
        setfit_block(key)
