"""Zero/one/few-shot lab: accuracy against K for prompting, label similarity and training on K examples."""

import streamlit as st

from plm_core.backbones import specs
from plm_core.data import DATASETS
from plm_core.fewshot import curves as fc
from plm_core.fewshot import figures as ff
from plm_core.fewshot import settings as fs
from plm_core.fewshot.jobs import curve_job, sensitivity_job
from plm_core.fewshot.methods import available_methods, default_descriptions, default_prompt, make_task, method_backbones
from plm_core.fewshot.prompting import PromptConfig, PromptScorer, full_prompt, verbalizers_for
from plm_core.figures import tokens_html
from plm_core.i18n import t
from ui.common import guard, lang, page_header, show_error, show_notices, tr, tr_md
from ui.loaders import dataset, load_backbone_with_spinner, uploaded_dataset

JOB, SENS = "fewshot_job", "fewshot_sens_job"
UPLOAD = "upload:"


def data_choices() -> dict[str, str]:
    choices = {name: info.display for name, (info, _) in DATASETS.items()}
    if st.session_state.get("uploaded_csv"):
        choices[UPLOAD] = tr("fewshot.data.uploaded", name=st.session_state["uploaded_csv"][0])
    return choices


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
                        calibrate=st.session_state.get("fs_calibrate", False))


def settings_form(ds, methods: list[str]) -> fc.CurveConfig | None:
    base, language = default_prompt(ds.info.task), lang()  # labels fixed now: format_func may run elsewhere
    with st.form("fewshot-settings"):
        chosen = st.multiselect(tr("fewshot.methods"), methods, default=[m for m in fc.CurveConfig().methods if m in methods],
                                format_func=lambda m: t(f"fewshot.method.{m}", language), help=tr("fewshot.methods_help"))
        cols = st.columns(3)
        shots = cols[0].multiselect(tr("fewshot.shots"), fc.SHOT_CHOICES, default=list(fc.DEFAULT_SHOTS))
        seeds = cols[1].slider(tr("fewshot.seeds"), 1, 10, 3, help=tr("fewshot.seeds_help"))
        test_limit = cols[2].number_input(tr("fewshot.test_limit"), 20, 1000, 300, step=20, help=tr("fewshot.test_limit_help"))
        with st.expander(tr("fewshot.backbones")):
            picked = {m: st.selectbox(tr("fewshot.backbone_for", method=tr(f"fewshot.method.{m}")), method_backbones(m),
                                      index=method_backbones(m).index(fc.CurveConfig(language=ds.info.language).backbone_for(m)),
                                      format_func=lambda n: specs()[n].display, key=f"fs_bb_{m}_{ds.name}") for m in methods}
            epochs = st.slider(tr("fewshot.epochs"), 1, 20, 10) if "finetune" in methods else 10
        with st.expander(tr("fewshot.prompt_settings")):
            st.text_input(tr("fewshot.template"), fs.template_to_line(base.template), key=f"fs_template_{ds.name}",
                          help=tr("fewshot.template_help"))
            words = {k: v.strip() for k, v in verbalizers_for(base, ds.labels).items()}
            st.text_area(tr("fewshot.verbalizers"), fs.pairs_text(words), key=f"fs_verbal_{ds.name}")
            st.checkbox(tr("fewshot.calibrate"), key="fs_calibrate", help=tr("fewshot.calibrate_help"))
            st.text_area(tr("fewshot.descriptions"), fs.pairs_text(default_descriptions(ds.labels, ds.info.task)),
                         key=f"fs_desc_{ds.name}")
        if not st.form_submit_button(tr("fewshot.run"), type="primary"):
            return None
    return fc.CurveConfig(
        data=ds.name, methods=tuple(chosen), shots=tuple(sorted(shots)), seeds=seeds, test_limit=int(test_limit),
        backbones={m: picked[m] for m in chosen}, prompt=prompt_from_state(ds), language=ds.info.language or "en",
        descriptions=fs.parse_pairs(st.session_state[f"fs_desc_{ds.name}"], ds.labels),
        finetune=fc.FinetuneSettings(epochs=epochs),
    )


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
            lm = load_backbone_with_spinner(st.session_state.get(f"fs_bb_prompt_{ds.name}", lms[0]))
            cfg = prompt_from_state(ds)
            prompt = full_prompt(cfg, list(task.draw(k, 0).itertuples(index=False, name=None)), ds.labels,
                                 task.test["text"].iloc[0])
            st.code(prompt, language=None)
            n_tokens = len(lm.tokenizer(prompt, add_special_tokens=False)["input_ids"])
            words = ", ".join(f"“{w}”" for w in verbalizers_for(cfg, ds.labels).values())
            st.caption(tr_md("fewshot.explain.example_caption", model=lm.spec.display, tokens=n_tokens,
                          demos=k * len(ds.labels), words=words))
            st.markdown(f"**{tr('fewshot.explain.pieces')}**")
            st.markdown(tokens_html(lm.tokenize(prompt, max_length=4096)), unsafe_allow_html=True)


def status_line(snap) -> None:
    if snap.status == "running":
        left = tr("fewshot.status.left", seconds=f"{snap.eta_seconds:.0f}") if snap.eta_seconds is not None \
            else tr("fewshot.status.estimating")
        st.progress(min(snap.fraction, 1.0), text=tr("fewshot.status.running", current=snap.current,
                                                       n=len(snap.items), left=left))
    elif snap.status == "error":
        show_error(snap.error)
    elif snap.status == "stopped":
        st.warning(tr("fewshot.status.stopped", n=len(snap.items)))
    else:
        st.success(tr("fewshot.status.done", seconds=f"{snap.elapsed:.0f}") + (
            " " + tr("fewshot.status.saved", run_id=snap.result.run_id) if getattr(snap.result, "run_id", None) else ""))


def curves_panel() -> None:
    job = st.session_state.get(JOB)
    if job is None:
        st.info(tr("fewshot.empty"))
        return
    snap = job.snapshot()
    status_line(snap)
    if snap.status == "running" and st.button(tr("fewshot.stop"), key="fs_stop"):
        job.stop()
    language = lang()
    metric = st.radio(tr("fewshot.metric"), ["acc", "f1"], format_func=lambda m: t(f"fewshot.metric.{m}", language),
                      horizontal=True, key="fs_metric")
    summary = fc.summarize(snap.items)
    done = snap.status != "running"
    crosses = fc.crossovers(summary) if done else []
    majority = snap.result.majority if snap.result else None
    st.plotly_chart(ff.curve_figure(summary, job.config.shots, lang(), metric, majority, crosses), width="stretch")
    for c in crosses:
        st.markdown(tr("fewshot.crossover", method=tr(f"fewshot.method.{c.method}"), k=c.k, acc=c.accuracy, ref=c.reference))
    for s in (snap.result.skipped if snap.result else []):
        st.caption(tr("fewshot.skipped", method=tr(f"fewshot.method.{s.method}"), k=s.k, reason=tr_md(s.key, **s.params)))
    st.markdown(f"**{tr('fewshot.table.title')}**")
    st.dataframe(ff.summary_table(summary, lang()), hide_index=True, width="stretch")
    if done and st.session_state.get("fs_live"):
        st.session_state["fs_live"] = False
        st.rerun()


def sensitivity_section(ds, task) -> None:
    st.subheader(tr("fewshot.sens.title"))
    st.caption(tr("fewshot.sens.lead"))
    lms = method_backbones("prompt")
    base = fs.template_to_line(default_prompt(ds.info.task).template)
    with st.form("fewshot-sensitivity"):
        cols = st.columns(3)
        k = cols[0].selectbox(tr("fewshot.sens.k"), [1, 2, 4, 8], index=1)
        orders = cols[1].slider(tr("fewshot.sens.orders"), 2, 8, 4)
        limit = cols[2].number_input(tr("fewshot.test_limit"), 20, 500, 100, step=20)
        lines = st.text_area(tr("fewshot.sens.templates"), "\n".join([base, "{text}\nAnswer:{label}", "Input: {text} Output:{label}"]))
        go = st.form_submit_button(tr("fewshot.sens.run"), disabled=not lms)
    if go:
        with guard():
            lm = load_backbone_with_spinner(st.session_state.get(f"fs_bb_prompt_{ds.name}", lms[0]))
            words = fs.parse_pairs(st.session_state.get(f"fs_verbal_{ds.name}", ""), ds.labels)
            configs = [PromptConfig(template=fs.template_from_line(line), calibrate=st.session_state.get("fs_calibrate", False),
                                    verbalizers=fs.spaced_words(words, fs.template_from_line(line)))
                       for line in lines.splitlines() if line.strip()]
            sub = make_task(ds, int(limit))
            st.session_state[SENS] = sensitivity_job(lambda c: PromptScorer(lm, c, ds.labels), sub, k, configs, orders)
    job = st.session_state.get(SENS)
    if job is not None:
        (st.fragment(run_every=1.0)(sensitivity_panel) if job.snapshot().status == "running" else sensitivity_panel)()


def sensitivity_panel() -> None:
    snap = st.session_state[SENS].snapshot()
    status_line(snap)
    if snap.items:
        import pandas as pd

        rows = pd.DataFrame(snap.items)
        st.plotly_chart(ff.sensitivity_figure(rows, lang()), width="stretch")
        st.dataframe(ff.sensitivity_table(rows, lang()), hide_index=True, width="stretch")


page_header("fewshot")
methods = available_methods()
choices = data_choices()
key = st.selectbox(tr("fewshot.data"), list(choices), format_func=choices.get)
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
        loaded = {config.backbone_for(m): load_backbone_with_spinner(config.backbone_for(m)) for m in config.methods}
        if st.session_state.get(JOB) is not None:
            st.session_state[JOB].stop()
        st.session_state[JOB] = curve_job(config, make_task(ds, config.test_limit), loaded.__getitem__)
        st.session_state["fs_live"] = True
    live = st.session_state.get("fs_live") and st.session_state.get(JOB) is not None
    (st.fragment(run_every=1.0)(curves_panel) if live else curves_panel)()
    sensitivity_section(ds, task)
