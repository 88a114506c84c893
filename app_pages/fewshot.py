"""Zero/one/few-shot lab: accuracy against K for prompting, label similarity and training on K examples."""

import streamlit as st

from plm_core.data import DATASETS
from plm_core.fewshot import curves as fc
from plm_core.fewshot import figures as ff
from plm_core.fewshot import settings as fs
from plm_core.fewshot.jobs import CurveJob, SensitivityJob
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
from ui import urlstate as us
from ui.common import backbone_label, backbone_labels, dataset_label, guard, lang, page_header, show_notices, tr, tr_md
from ui.figures import chart
from ui.jobs import current_job, job_panel, owner_id, service, submit
from ui.lesson import step_bar
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


def prompt_from_state(ds) -> PromptConfig:
    base = default_prompt(ds.info.task)
    template = fs.template_from_line(st.session_state.get(f"fs_template_{ds.name}", fs.template_to_line(base.template)))
    words = fs.parse_pairs(st.session_state.get(f"fs_verbal_{ds.name}", ""), ds.labels)
    return PromptConfig(template=template, verbalizers=fs.spaced_words(words, template),
                        calibrate=bool(st.session_state.get("fewshot.calibrate", False)))


def backbone_box(method: str, ds) -> str:
    """The backbone of one method: by default the data set language's own (it follows a change of data set)."""
    names = method_backbones(method)
    us.resolve(PAGE, f"bb_{method}", fc.CurveConfig(language=ds.info.language).backbone_for(method))
    return str(st.selectbox(tr("fewshot.backbone_for", method=tr(f"fewshot.method.{method}")), names,
                            format_func=backbone_labels().__getitem__, key=us.key(PAGE, f"bb_{method}", names)))


def curve_estimate(ds) -> None:
    """About how long the curve in the form takes (its settings as they stand: the defaults or the link's)."""
    now = us.values_of(PAGE)
    shots = tuple(int(k) for k in now["shots"]) or fc.DEFAULT_SHOTS
    config = fc.CurveConfig(methods=tuple(now["methods"]), shots=shots, seeds=int(now["seeds"]),
                            test_limit=int(now["test"]), prompt_max_k=int(now["prompt_k"]))
    if config.methods:
        st.caption(tr("fewshot.estimate", seconds=max(1, round(fc.estimate_seconds(config, len(ds.labels))))))


def settings_form(ds, methods: list[str]) -> fc.CurveConfig | None:
    base, language = default_prompt(ds.info.task), lang()  # labels fixed now: format_func may run elsewhere
    curve_estimate(ds)
    with st.form("fewshot-settings"):
        chosen = st.multiselect(tr("fewshot.methods"), methods,
                                format_func=lambda m: t(f"fewshot.method.{m}", language),
                                help=tr("fewshot.methods_help"), placeholder=tr("common.choose"),
                                key=us.key(PAGE, "methods", methods))
        cols = st.columns(3)
        shots = cols[0].multiselect(tr("fewshot.shots"), fc.SHOT_CHOICES, placeholder=tr("common.choose"),
                                    key=us.key(PAGE, "shots", fc.SHOT_CHOICES))
        seeds = cols[1].slider(tr("fewshot.seeds"), 1, 10, help=tr("fewshot.seeds_help"), key=us.key(PAGE, "seeds"))
        test_limit = cols[2].number_input(tr("fewshot.test_limit"), 20, 1000, step=20,
                                          help=tr("fewshot.test_limit_help"), key=us.key(PAGE, "test"))
        with st.expander(tr("fewshot.backbones")):
            picked = {m: backbone_box(m, ds) for m in methods}
            epochs = st.slider(tr("fewshot.epochs"), 1, 20, key=us.key(PAGE, "epochs")) if "finetune" in methods else 10
        with st.expander(tr("fewshot.prompt_settings")):
            st.text_input(tr("fewshot.template"), fs.template_to_line(base.template), key=f"fs_template_{ds.name}",
                          help=tr("fewshot.template_help"))
            words = {k: v.strip() for k, v in verbalizers_for(base, ds.labels).items()}
            st.text_area(tr("fewshot.verbalizers"), fs.pairs_text(words), key=f"fs_verbal_{ds.name}")
            st.checkbox(tr("fewshot.calibrate"), key=us.key(PAGE, "calibrate"), help=tr("fewshot.calibrate_help"))
            prompt_k = st.select_slider(tr("fewshot.prompt_max_k"), fc.PROMPT_K_CHOICES,
                                        help=tr("fewshot.prompt_max_k_help"),
                                        key=us.key(PAGE, "prompt_k", fc.PROMPT_K_CHOICES))
            st.text_area(tr("fewshot.descriptions"), fs.pairs_text(default_descriptions(ds.labels, ds.info.task)),
                         key=f"fs_desc_{ds.name}")
        if not st.form_submit_button(tr("fewshot.run"), type="primary"):
            return None
    return fc.CurveConfig(
        data=ds.name, methods=tuple(chosen), shots=tuple(sorted(shots)), seeds=seeds, test_limit=int(test_limit),
        backbones={m: picked[m] for m in chosen}, prompt=prompt_from_state(ds), language=ds.info.language or "en",
        descriptions=fs.parse_pairs(st.session_state[f"fs_desc_{ds.name}"], ds.labels),
        finetune=fc.FinetuneSettings(epochs=epochs), prompt_max_k=int(prompt_k),
    )


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
    chart(ff.curve_figure(summary, snap.config.shots, language, metric, majority, crosses), "fewshot-curve",
          "fewshot-curve", width="stretch")
    for c in crosses:
        st.markdown(tr("fewshot.crossover", method=tr(f"fewshot.method.{c.method}"), k=c.k, acc=c.accuracy,
                       ref=c.reference))
    for s in (snap.result.skipped if snap.result else []):
        st.caption(tr("fewshot.skipped", method=tr(f"fewshot.method.{s.method}"), k=s.k,
                      reason=tr_md(s.key, **s.params)))
    st.markdown(f"**{tr('fewshot.table.title')}**")
    st.dataframe(ff.summary_table(summary, language), hide_index=True, width="stretch")


def curves_panel() -> None:
    if current_job(JOB) is None:
        st.info(tr("fewshot.empty"))
        return
    job_panel(JOB, curves_view)


def sensitivity_section(ds, task) -> None:
    st.subheader(tr("fewshot.sens.title"))
    st.caption(tr("fewshot.sens.lead"))
    lms = method_backbones("prompt")
    base = default_prompt(ds.info.task).template
    with st.form("fewshot-sensitivity"):
        cols = st.columns(3)
        k = cols[0].selectbox(tr("fewshot.sens.k"), [1, 2, 4, 8], key=us.key(PAGE, "sens_k"))
        orders = cols[1].slider(tr("fewshot.sens.orders"), 2, 8, key=us.key(PAGE, "sens_orders"))
        limit = cols[2].number_input(tr("fewshot.test_limit"), 20, 500, step=20, key=us.key(PAGE, "sens_test"))
        lines = st.text_area(tr("fewshot.sens.templates"), fs.sensitivity_lines(base))
        go = st.form_submit_button(tr("fewshot.sens.run"), disabled=not lms)
    if go:
        with guard():
            words = fs.parse_pairs(st.session_state.get(f"fs_verbal_{ds.name}", ""), ds.labels)
            configs = tuple(PromptConfig(template=fs.template_from_line(line),
                                         calibrate=bool(st.session_state.get("fewshot.calibrate", False)),
                                         verbalizers=fs.spaced_words(words, fs.template_from_line(line)))
                            for line in lines.splitlines() if line.strip())
            backbone = prompt_backbone(lms)
            submit(SENS, "fewshot.sensitivity", SensitivityJob(data_ref(key), backbone, int(k), configs, int(orders),
                                                                int(limit)))
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
        chart(ff.sensitivity_figure(rows, lang()), "fewshot-sensitivity", "prompt-sensitivity", width="stretch")
        st.dataframe(ff.sensitivity_table(rows, lang()), hide_index=True, width="stretch")


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("fewshot")
methods = available_methods()
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
    config = settings_form(ds, methods)
    if config is not None:
        fc.validate(config)
        previous = current_job(JOB)
        if previous is not None:  # a new curve replaces the old one: stop it rather than let it run on
            service().stop(previous, owner_id())
        submit(JOB, "fewshot.curves", CurveJob(config, data_ref(key)))
    curves_panel()
    sensitivity_section(ds, task)
    setfit_block(key)
