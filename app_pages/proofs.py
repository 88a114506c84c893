"""Paper proofs: one card per paper — the claim, the paper's numbers beside ours (mean ± sample sd over seeds), each
compared difference with its paired bootstrap 95 % CI, and the three-way verdict with its rule.

Every card is a job preset run through the job service (slot `proof.<card>`); a second press is answered
from the result cache, with "run again live".
"""

from typing import Literal

import pandas as pd
import streamlit as st

from plm_core.evidence.cards import Card, ProofJob, ProofResult, card_ids, default_job, get_card
from plm_core.evidence.cards_figures import bars_figure, curve_figure, layers_figure
from plm_core.evidence.matrix import budget_text
from plm_core.jobs import Snapshot
from ui.common import backbone_label, dataset_label, guard, lang, md_escape, page_header, table, tr
from ui.jobs import current_job, job_panel, service, submit

BadgeColor = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
BADGE: dict[str, tuple[BadgeColor, str]] = {
    "reproduced": ("green", ":material/check_circle:"), "inconclusive": ("orange", ":material/help:"),
    "not_reproduced": ("red", ":material/cancel:")}
MEASURES = ("self_similarity", "anisotropy", "adjusted")


def variant_label(variant: str) -> str:
    from plm_core.i18n import all_messages

    if variant.startswith("few_"):
        return tr("proofs.variant.few", k=variant.split("_", 1)[1])
    objective, _, init = variant.rpartition("_")
    if init in ("pretrained", "random") and objective:
        return f"{objective} · {tr(f'proofs.variant.{init}')}"
    return tr(f"proofs.variant.{variant}") if f"proofs.variant.{variant}" in all_messages() else variant


def group_label(group: str) -> str:
    """A data set, a backbone, or 'setting · data' (the matrix card), in the user's language."""
    if " · " in group:
        setting, data = group.split(" · ", 1)
        return f"{tr(f'matrix.setting.{setting}')} · {dataset_label(data)}"
    from plm_core.backbones import specs

    return backbone_label(group) if group in specs() else dataset_label(group)


def ours_frame(result: ProofResult) -> pd.DataFrame:
    """Our rows; the sd column only where every number stands on >= 2 seeds (never "sd 0 / 1 seed")."""
    spread = all(r.n >= 2 and r.sd is not None for r in result.rows)
    return pd.DataFrame([{"group": group_label(r.group), "label": variant_label(r.variant), "value": r.value,
                          **({"sd": r.sd, "n": r.n} if spread else {})} for r in result.rows])


def paper_frame(card: Card) -> pd.DataFrame:
    """The paper's numbers as printed ("5.00" stays "5.00")."""
    return pd.DataFrame([{"group": p.group, "label": variant_label(p.variant), "value": p.printed,
                          "unit": tr(f"proofs.unit.{p.unit}")} for p in card.paper_numbers])


def difference_frame(result: ProofResult) -> pd.DataFrame:
    digits = 3 if result.metric == "similarity" else 1
    rows = []
    for d in result.verdict.differences:
        group, a, b = d.label
        what = f"{variant_label(a)} − {variant_label(b)}"
        rows.append({"compared": f"{group_label(group)}: {what}" if group else what,
                     "estimate": f"{d.estimate:+.{digits}f}", "ci": f"[{d.low:+.{digits}f}, {d.high:+.{digits}f}]",
                     "rule": tr(f"proofs.rule.{d.rule}", margin=d.margin),
                     "outcome": tr(f"proofs.verdict.{d.outcome}")})
    return pd.DataFrame(rows)


def renamed(frame: pd.DataFrame) -> pd.DataFrame:
    names = {"group": "proofs.col.group", "label": "proofs.col.variant", "value": "proofs.col.value",
             "sd": "proofs.col.sd", "n": "proofs.col.n", "unit": "proofs.col.unit", "compared": "proofs.col.compared",
             "estimate": "proofs.col.estimate", "ci": "proofs.col.ci", "rule": "proofs.col.rule",
             "outcome": "proofs.col.outcome"}
    return frame.rename(columns={c: tr(k) for c, k in names.items()})


def verdict_block(result: ProofResult) -> None:
    color, icon = BADGE[result.verdict.outcome]
    st.badge(tr(f"proofs.verdict.{result.verdict.outcome}"), color=color, icon=icon)
    st.markdown(md_escape(result.verdict.message(lang())))


def chart(card: Card, result: ProofResult, frame: pd.DataFrame) -> None:
    metric = tr(f"proofs.metric.{result.metric}")
    if card.id == "gpt3":
        curves = {group_label(name): curve for name, curve in result.extra["curves"].items()}
        fig = curve_figure(curves, result.extra["majority"], tr("proofs.chart.ours"),
                           tr("proofs.chart.k"), metric, tr("proofs.chart.majority"))
    elif card.id == "ethayarajh":
        fig = layers_figure(result.extra["layers"], {m: tr(f"proofs.variant.measure.{m}") for m in MEASURES},
                            tr("proofs.chart.ours"), tr("proofs.chart.layer"), metric)
    else:
        fig = bars_figure(frame, tr("proofs.chart.ours"), metric)
    st.plotly_chart(fig, width="stretch", key=f"proof-chart-{card.id}")


def draw_result(card: Card, snap: Snapshot) -> None:
    result = snap.result
    if not isinstance(result, ProofResult):
        return
    verdict_block(result)
    frame = ours_frame(result)
    st.markdown(f"**{tr('proofs.paper_table', where=card.paper.where)}**")
    if card.paper_numbers:
        table(renamed(paper_frame(card)))
    else:
        st.caption(tr("proofs.qualitative"))
    one_seed = "sd" not in frame
    title = "proofs.ours_table_one" if one_seed else "proofs.ours_table"
    st.markdown(f"**{tr(title, metric=tr(f'proofs.metric.{result.metric}'))}**")
    digits = 3 if result.metric == "similarity" else 1
    shown = frame.assign(value=frame["value"].map(lambda x: f"{x:.{digits}f}"))
    if not one_seed:
        shown = shown.assign(sd=frame["sd"].map(lambda x: f"{x:.{digits}f}"))
    table(renamed(shown))
    st.markdown(f"**{tr('proofs.diff_table')}**")
    table(renamed(difference_frame(result)))
    chart(card, result, frame)
    if card.id == "gpt3":
        sweep_block(result)
    if card.id == "elmo" and result.extra.get("gamma"):
        st.caption(tr("proofs.gamma", gammas=", ".join(map(str, result.extra["gamma"])),
                      weights=", ".join(map(str, result.extra["layer_weights"]))))


def sweep_block(result: ProofResult) -> None:
    """Part (b): accuracy vs K per width of the tiny GPTs (mean over seeds), or why there is none."""
    sweep = result.extra.get("sweep")
    if not sweep:
        st.caption(tr("proofs.sweep_none"))
        return
    curves = {width: {k: sum(v) / len(v) for k, v in c.items()} for width, c in sweep.items()}
    fig = curve_figure(curves, 0.0, tr("proofs.sweep_title"), tr("proofs.chart.k"),
                       tr("proofs.metric.accuracy"), "")
    st.plotly_chart(fig, width="stretch", key="proof-chart-gpt3-sweep")


def card_block(card_id: str) -> None:
    card = get_card(card_id)
    slot = f"proof.{card_id}"
    with st.container(border=True):
        st.subheader(tr(f"proofs.{card_id}.title"))
        st.caption(f"{card.paper.citation} — {card.paper.where}")
        st.markdown(f"**{tr('proofs.claim')}** {tr(f'proofs.{card_id}.claim')}")
        st.markdown(f"**{tr('proofs.setup')}** {tr(f'proofs.{card_id}.setup')}")
        if card_id == "matrix":
            st.caption(budget_text(card.preset.models, lang()))
        job = default_job(card_id)
        st.markdown(f"**{tr('proofs.rule')}** {rule_text(card_id)}")
        if st.button(tr("proofs.run"), key=f"proof-run-{card_id}", icon=":material/play_arrow:") \
                or (current_job(slot) is None and in_cache(job)):  # computed on this machine: shown at once
            submit(slot, "proof", job)
        job_panel(slot, lambda snap: draw_result(card, snap))


def in_cache(job: ProofJob) -> bool:
    from plm_core.jobs.keys import cache_key

    return service().cache.get(cache_key("proof", job)) is not None


def rule_text(card_id: str) -> str:
    """The rule with the margins the verdict functions use."""
    from plm_core.evidence.cards_verdicts import rule_text as text

    return text(card_id, lang())


page_header("proofs")
with guard():
    for card_id in card_ids():
        card_block(card_id)
