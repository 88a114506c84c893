"""Streamlit widgets of the Transfer lab: the settings form, the live panel and the result cards.

Everything computed lives in `plm_core.transfer`; this module only reads widgets and draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from plm_core.backbones import BackboneSpec
from plm_core.jobs import Snapshot
from plm_core.recipes import TransferRace, TransferRun
from plm_core.recipes.transfer import K_STRATEGIES
from plm_core.transfer.config import (
    MODES,
    TrainConfig,
    applicable_modes,
    applicable_poolings,
    applicable_strategies,
    default_pooling,
)
from plm_core.transfer.figures import (
    accuracy_figure,
    confusion_figure,
    drift_heatmap,
    layer_weights_figure,
    runs_loss_figure,
    schedule_figure,
    share_figure,
    share_text,
    surgery_display,
)
from ui import urlstate as us
from ui.common import backbone_label, csv_uploader, dataset_label, show_error, show_notices, table, tr, tr_md
from ui.figures import built, chart, fig_text

UPLOAD = "__upload__"
PAGE = "transfer"  # the settings' page in plm_core.urlparams: the fields of its recipes (plm_core.recipes)


def data_source(key: str) -> str:
    """Sample set, or the CSV uploaded here or on the Models & data page."""
    from plm_core.data import DATASETS

    with st.expander(tr("transfer.upload")):
        upload = csv_uploader(tr("transfer.upload"), key=f"{key}-upload", label_visibility="collapsed")
        if upload is not None:
            st.session_state["uploaded_csv"] = (upload.name, upload.getvalue())
    options = list(DATASETS) + ([UPLOAD] if "uploaded_csv" in st.session_state else [])
    names = {n: dataset_label(n) for n in DATASETS}
    names[UPLOAD] = tr("transfer.data.uploaded", name=st.session_state.get("uploaded_csv", ("",))[0])
    choice = st.selectbox(tr("transfer.data"), options, key=us.key(PAGE, "data", options),
                          format_func=names.__getitem__)
    if choice == UPLOAD:  # cut texts, removed duplicates, the separator: said before training
        from plm_core.errors import PLMError
        from ui.loaders import uploaded_dataset

        name, raw = st.session_state["uploaded_csv"]
        try:
            show_notices(uploaded_dataset(raw, name).notices)
        except PLMError as err:
            show_error(err)
    return choice


def backbone_notes(spec: BackboneSpec) -> None:
    if applicable_modes(spec) == ("frozen",):
        st.info(tr("transfer.only_frozen", name=backbone_label(spec.name), family=spec.family),
                icon=":material/ac_unit:")
    if spec.family == "decoder" and spec.params > 50_000_000:
        st.warning(tr("transfer.slow_decoder", name=backbone_label(spec.name),
                      params=round(spec.params / 1e6)),
                   icon=":material/hourglass:")


def labels(prefix: str, keys: Sequence[str]) -> dict[str, str]:
    """Option key -> label in the user's language (a dict, so widgets format the same way later)."""
    return {k: tr(f"{prefix}.{k}") for k in keys}


def strategy_name(strategy: str) -> str:
    """The five classic modes keep their labels; the other presets have their own."""
    return tr(f"transfer.mode.{strategy}" if strategy in MODES else f"transfer.strategy.{strategy}")


def strategy_picker(key: str, spec: BackboneSpec, race: bool) -> None:
    """Strategy (or racers), k and LoRA rank, the editable group table (single run), seeds (race): above the
    form, as they shape the group table (so they rerun on every change)."""
    options = list(applicable_strategies(spec))
    names = {o: strategy_name(o) for o in options}  # computed now, in the user's language
    if race:
        racers = us.key(PAGE, "modes", options)
        st.session_state[racers] = st.session_state[racers][:5]  # a link may name more than the box takes
        chosen = st.multiselect(us.label(PAGE, "modes"), options, format_func=names.__getitem__,
                                placeholder=tr("common.choose"), max_selections=5, key=racers)
    else:
        chosen = [st.radio(us.label(PAGE, "mode"), options, format_func=names.get, horizontal=True,
                           key=us.key(PAGE, "mode", options))]
    c1, c2, c3 = st.columns(3)
    k, rank = us.spec(PAGE, "k").default, us.spec(PAGE, "rank").default  # shown only where a strategy reads them
    if any(s in K_STRATEGIES for s in chosen) and spec.layers:
        k = c1.slider(us.label(PAGE, "k"), 0, spec.layers, key=us.key(PAGE, "k", lo=0, hi=spec.layers))
    if "lora" in chosen:
        rank = us.chosen(c2.select_slider, PAGE, "rank")
    if race:
        us.chosen(c3.select_slider, PAGE, "seeds")
    groups = group_editor(key, spec, chosen[0], k, rank) if not race and chosen and spec.transformer else ""
    st.session_state[us.key(PAGE, "groups")] = groups  # the table's edits are a setting of the run (and its link)


def group_editor(key: str, spec: BackboneSpec, strategy: str, k: int, rank: int) -> str:
    """The preset as an editable table (behind a toggle); the edits as a `--groups` string."""
    import pandas as pd

    from plm_core.transfer.strategies import GroupSetting, format_edits, group_names, preset_settings

    if not st.toggle(tr("transfer.groups_table"), key=f"{key}-edit-groups"):
        return ""
    st.caption(tr("transfer.groups_help"))
    params = TrainConfig.of(backbone=spec.name, k=k, lora_rank=rank)  # the form's k and rank, default rates
    preset = preset_settings(strategy, group_names(spec.layers), spec.layers, params)
    frame = pd.DataFrame([{"group": s.name, "trainable": s.trainable, "lr": s.lr, "lora_rank": s.lora_rank,
                           "bias_only": s.bias_only, "unfreeze_epoch": s.unfreeze_epoch} for s in preset])
    column = st.column_config
    edited = st.data_editor(frame, hide_index=True, width="stretch", key=f"{key}-groups-{strategy}-{k}-{rank}",
                            disabled=["group"], column_config={
                                "group": column.TextColumn(tr("transfer.col.group")),
                                "trainable": column.CheckboxColumn(tr("transfer.col.trainable")),
                                "lr": column.NumberColumn(tr("transfer.col.lr"), format="%.1e", min_value=1e-7,
                                                          max_value=1.0),
                                "lora_rank": column.NumberColumn(tr("transfer.col.lora_rank"), min_value=0,
                                                                 max_value=64, step=1),
                                "bias_only": column.CheckboxColumn(tr("transfer.col.bias_only")),
                                "unfreeze_epoch": column.NumberColumn(tr("transfer.col.unfreeze"), min_value=1,
                                                                      max_value=50, step=1),
                            })
    rows = edited.to_dict(orient="records")
    after = [GroupSetting(s.name, bool(r["trainable"]), float(r["lr"]), int(r["lora_rank"] or 0), bool(r["bias_only"]),
                          None if pd.isna(r["unfreeze_epoch"]) else int(r["unfreeze_epoch"]), s.thaw_epochs)
             for s, r in zip(preset, rows, strict=False)]
    edits = format_edits(preset, after)
    if edits:
        st.caption(tr("transfer.groups_edited", edits=edits))
    return edits


def race_estimate(spec: BackboneSpec, race: TransferRace) -> None:
    """The time a race will take, before it starts."""
    from plm_core.transfer.jobs import estimate_seconds

    configs = list(race.job_config().configs)
    seconds = estimate_seconds(configs, race.n, race.race_test, race.seeds, spec.params)
    st.caption(tr("transfer.estimate", seconds=max(1, round(seconds)), runs=len(configs) * race.seeds))


def settings_form(key: str, spec: BackboneSpec, race: bool) -> TransferRun | TransferRace | None:
    """The strategy picker and group table, then the form, drawn from the recipe's fields (choices, bounds,
    labels); returns the recipe of the page's settings when submitted, else None."""
    strategy_picker(key, spec, race)
    poolings = list(applicable_poolings(spec))
    names = labels("transfer.pooling", poolings) | labels("transfer.head", us.options(PAGE, "head")) \
        | labels("transfer.size", us.options(PAGE, "sizing")) \
        | labels("transfer.schedule", us.options(PAGE, "schedule"))  # in the user's language
    if race:
        race_estimate(spec, TransferRace.parse(us.values_of(PAGE))[0])
    with st.form(f"{key}-form"):
        c1, c2, c3 = st.columns(3)
        us.chosen(c1.radio, PAGE, "sizing", format_func=names.get)
        us.ranged(c2.number_input, PAGE, "n", step=8)
        us.ranged(c3.number_input, PAGE, "epochs")
        c1, c2, c3 = st.columns(3)
        us.resolve(PAGE, "pooling", default_pooling(spec))
        c1.selectbox(us.label(PAGE, "pooling"), poolings, format_func=names.__getitem__,
                     key=us.key(PAGE, "pooling", poolings))
        us.chosen(c2.radio, PAGE, "head", format_func=names.__getitem__, horizontal=True)
        top = max(spec.layers, 0)
        us.resolve(PAGE, "layer", top)  # the default: the top layer of this backbone
        if top:
            c3.slider(us.label(PAGE, "layer"), 0, top, key=us.key(PAGE, "layer", lo=0, hi=top))
        c1, c2, c3 = st.columns(3)
        for column, name in ((c1, "lr_body"), (c2, "lr_head")):
            us.chosen(column.select_slider, PAGE, name, format_func=lambda v: f"{v:.0e}")
        us.ranged(c3.slider, PAGE, "decay", step=0.05)
        st.caption(tr("transfer.lr_help"))
        c1, c2 = st.columns(2)
        us.chosen(c1.selectbox, PAGE, "schedule", format_func=names.__getitem__)
        us.ranged(c2.slider, PAGE, "warmup", step=0.05)
        with st.expander(tr("transfer.advanced")):
            c1, c2, c3, c4 = st.columns(4)
            us.ranged(c1.number_input, PAGE, "seed")
            lengths = {0: tr("transfer.max_length_auto")} | {v: str(v) for v in us.options(PAGE, "max_len")[1:]}
            us.chosen(c2.select_slider, PAGE, "max_len", format_func=lengths.get)
            us.chosen(c2.select_slider, PAGE, "budget")
            us.ranged(c3.number_input, PAGE, "race_test" if race else "test", step=50)  # a race scores every racer
            us.chosen(c4.select_slider, PAGE, "batch")
        submitted = st.form_submit_button(tr("transfer.start_race" if race else "transfer.start"), type="primary")
    if not submitted:
        return None
    return (TransferRace if race else TransferRun).parse(us.values_of(PAGE))[0]


def start_job(recipe: TransferRun | TransferRace, data: str, slot: str) -> str:
    """Hand the recipe's job to the job service (a worker draws the split and trains); an uploaded CSV travels
    as its bytes."""
    from dataclasses import replace

    from plm_core.transfer.race import check_race
    from ui.jobs import submit

    job = recipe.job_config()
    if job.race:
        check_race(list(job.configs))  # before queueing: a bad race is the form's message, not the job's
    if data == UPLOAD:
        job = replace(job, data=data_ref(data))
    return submit(slot, recipe.kind, job)


def data_ref(data: str) -> Any:
    """The sample set by name, or the uploaded CSV's bytes (what a worker loads)."""
    from plm_core.jobs import DataRef

    if data == UPLOAD:
        name, raw = st.session_state["uploaded_csv"]
        return DataRef(name, raw)
    return DataRef(data)


def progress_label(snap: Snapshot) -> str:
    """'frozen: extracting features' in the user's language (the job's own line is in English)."""
    state = snap.state
    if not state:
        return tr("transfer.phase.starting")
    run = state.runs[state.current]
    return f"{fig_text().run(run.label)}: {tr(f'transfer.phase.{run.phase}')}"


def curves(state: Any, key: str = "transfer") -> None:
    """Loss, schedule and accuracy of every run so far; `key` tells two panels on one page apart."""
    runs = [r for r in state.runs if r.history or r.steps] if state else []
    if not runs:
        return
    left, middle, right = st.columns(3)
    chart(built(runs_loss_figure, [(r.label, r.history, r.steps) for r in runs], fig_text()), f"{key}-loss",
          f"{key}-loss", left, width="stretch")
    chart(built(schedule_figure, [(r.label, r.steps) for r in runs], fig_text()), f"{key}-schedule",
          f"{key}-learning-rates", middle, width="stretch")
    chart(built(accuracy_figure, [(r.label, r.history) for r in runs], fig_text()), f"{key}-accuracy",
          f"{key}-accuracy", right, width="stretch")


SURGERY_WORDS = ("embeddings", "head", "mix", "pooler", "lm_head", "lm_head (tied)", "decoder + lm_head", "vectors",
                 "encoder", "body", "pretrained", "random", "new", "trainable", "frozen", "unused", "dropped")


def surgery_names() -> dict[str, str]:
    """Group names, origins and statuses of the surgery table and diagram in the user's language."""
    return {w: tr(f"surgery.{w}") for w in SURGERY_WORDS}


def transfer_diagram_chart(rows: list[dict], key: str) -> None:
    """The transfer diagram drawn from the same optimizer rows as the surgery table."""
    from plm_core.transfer.diagram import DiagramText, transfer_diagram

    names = surgery_names()
    text = DiagramText(tr("diagram.transfer.title"), tr("diagram.transfer.body"), tr("diagram.transfer.head"),
                       tr("diagram.transfer.lr"), tr("surgery.layer"),
                       {s: names[s] for s in ("trainable", "frozen", "unused", "dropped")}, names)
    chart(transfer_diagram(rows, text), key, "transfer-diagram", width="stretch")
    st.caption(tr("diagram.transfer.caption"))


def surgery_table(rows: list[dict], key: str = "surgery") -> None:
    if rows:
        transfer_diagram_chart(rows, f"{key}-diagram")
        st.markdown(f"**{tr('transfer.surgery')}**")
        st.caption(tr("transfer.surgery_help"))
        table(surgery_display(rows, fig_text()))


def short_count(n: int) -> str:
    """770 -> '770', 22_566_146 -> '22.6M' (metrics are narrow)."""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def result_card(result: Any, label: str) -> None:
    """Scores, parameter counts, time, memory, confusion matrix, layer weights, surgery table."""
    st.markdown(f"#### {tr('transfer.result', label=fig_text().run(label))}")
    cols = st.columns(5)
    cols[0].metric(tr("transfer.metric.accuracy"), f"{result.test_accuracy:.3f}")
    cols[1].metric(tr("transfer.metric.f1"), f"{result.test_macro_f1:.3f}")
    cols[2].metric(tr("transfer.metric.trainable"), f"{short_count(result.trainable_params)} / "
                   f"{short_count(result.total_params)}")
    cols[2].caption(tr("transfer.metric.share", share=share_text(result.trainable_params, result.total_params)))
    cols[3].metric(tr("transfer.metric.time"), f"{result.train_seconds:.1f} s")
    cols[4].metric(tr("transfer.metric.memory"), f"{result.peak_memory_mb:,.0f} MB")
    st.caption(tr("transfer.metric.examples", train=result.n_train, test=result.n_test))
    if result.lengths:
        st.caption(tr("transfer.length_report", **result.lengths))
    for key, params in result.notices:
        st.warning(tr_md(key, **params))
    if result.stop_reason == "user":
        st.info(tr("transfer.stopped_early", epochs=len(result.history)))
    if result.timings.get("cache_hit"):
        st.caption(tr("transfer.cache_hit"))
    left, right = st.columns(2)
    if result.confusion:
        chart(confusion_figure(result.confusion, result.labels, fig_text()), f"result-{label}-confusion",
              f"{label}-confusion", left, width="stretch")
    if result.layer_weights:
        chart(layer_weights_figure(result.layer_weights, result.mix_gamma, fig_text()), f"result-{label}-mix",
              f"{label}-layer-weights", right, width="stretch")
        from ui import diagrams

        diagrams.elmo(result.layer_weights, result.mix_gamma)
        st.caption(tr("diagram.elmo.caption"))
    surgery_table(result.param_groups, f"result-{label}")


def race_summary(state: Any) -> None:
    """Mean ± sd per strategy (with the seed-noise notes), accuracy against trainable share, weight drift."""
    from plm_core.transfer.race import seed_table

    done = [r for r in state.runs if r.result is not None] if state else []
    if not done:
        return
    seeds_frame = seed_table([r.racer or r.label for r in done], [r.result for r in done])
    seeds = int(seeds_frame["seeds"].max())
    st.markdown(f"#### {tr('transfer.compare')} · {tr('transfer.compare_seeds', n=seeds)}")
    shown = seeds_frame.assign(strategy=seeds_frame["strategy"].map(fig_text().run),
                               accuracy=[f"{m:.3f} ± {s:.3f}" for m, s in
                                         zip(seeds_frame["accuracy_mean"], seeds_frame["accuracy_sd"], strict=True)])
    formats = {"macro_f1_mean": "%.3f", "trainable_params": "localized", "trainable_share": "percent",
               "seconds_mean": "%.1f", "peak_memory_mb": "%.0f"}
    table(shown[["strategy", "seeds", "accuracy", "macro_f1_mean", "trainable_params", "trainable_share",
                 "seconds_mean", "peak_memory_mb", "within_noise"]],
          column_config={c: st.column_config.NumberColumn(tr(f"col.{c}"), format=f) for c, f in formats.items()})
    best = seeds_frame.loc[seeds_frame["best"], "strategy"].iloc[0]
    for name in seeds_frame.loc[seeds_frame["within_noise"], "strategy"]:
        st.info(tr("transfer.within_noise", a=fig_text().run(name), b=fig_text().run(best)), icon=":material/casino:")
    if seeds == 1:
        st.caption(tr("transfer.one_seed_note"))
    left, right = st.columns(2)
    chart(share_figure(seeds_frame, fig_text()), "race-share", "race-accuracy-vs-share", left, width="stretch")
    chart(drift_heatmap([r.label for r in done], [r.result.drift for r in done], fig_text()), "race-drift",
          "race-weight-drift", right, width="stretch")
    st.caption(tr("transfer.drift_help"))
