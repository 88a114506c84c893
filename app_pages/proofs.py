"""Paper proofs: one card per paper — the claim, the paper's numbers beside ours, and the verdict with its rule.

Every card is a job preset run through the job service (slot `proof.<card>`); a second press is answered
from the result cache, with "run again live".
"""

from typing import Literal

import pandas as pd
import streamlit as st

from plm_core.evidence.cards import Card, ProofJob, ProofResult, card_ids, default_job, get_card
from plm_core.evidence.cards_figures import bars_figure, curve_figure, layers_figure
from plm_core.jobs import Snapshot
from ui.common import dataset_label, guard, lang, page_header, table, tr, tr_md
from ui.jobs import current_job, job_panel, service, submit

BadgeColor = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
BADGE: dict[str, tuple[BadgeColor, str]] = {
    "reproduced": ("green", ":material/check_circle:"), "partly": ("orange", ":material/change_history:"),
    "not_reproduced": ("red", ":material/cancel:")}
MEASURES = ("self_similarity", "anisotropy", "adjusted")


def variant_label(variant: str) -> str:
    if variant.startswith("few_"):
        return tr("proofs.variant.few", k=variant.split("_", 1)[1])
    objective, _, init = variant.rpartition("_")
    if init in ("pretrained", "random") and objective:
        return f"{objective} · {tr(f'proofs.variant.{init}')}"
    return tr(f"proofs.variant.{variant}")


def group_label(group: str) -> str:
    """A data set, a backbone, or 'setting · data' (the matrix card), in the user's language."""
    if " · " in group:
        setting, data = group.split(" · ", 1)
        return f"{tr(f'matrix.setting.{setting}')} · {dataset_label(data)}"
    return dataset_label(group)


def ours_frame(result: ProofResult) -> pd.DataFrame:
    return pd.DataFrame([{"group": group_label(r.group), "label": variant_label(r.variant), "value": r.value,
                          "sd": r.sd, "n": r.n} for r in result.rows])


def paper_frame(card: Card) -> pd.DataFrame:
    return pd.DataFrame([{"group": p.group, "label": variant_label(p.variant), "value": p.value,
                          "unit": tr(f"proofs.unit.{p.unit}")} for p in card.paper_numbers])


def renamed(frame: pd.DataFrame) -> pd.DataFrame:
    names = {"group": "proofs.col.group", "label": "proofs.col.variant", "value": "proofs.col.value",
             "sd": "proofs.col.sd", "n": "proofs.col.n", "unit": "proofs.col.unit"}
    return frame.rename(columns={c: tr(k) for c, k in names.items()})


def verdict_block(result: ProofResult) -> None:
    color, icon = BADGE[result.verdict.outcome]
    st.badge(tr(f"proofs.verdict.{result.verdict.outcome}"), color=color, icon=icon)
    st.markdown(tr_md(result.verdict.key, **result.verdict.params))


def chart(card: Card, result: ProofResult, frame: pd.DataFrame) -> None:
    metric = tr(f"proofs.metric.{result.metric}")
    if card.id == "gpt3":
        fig = curve_figure(result.extra["curves"], result.extra["majority"], tr("proofs.chart.ours"),
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
    st.markdown(f"**{tr('proofs.ours_table', metric=tr(f'proofs.metric.{result.metric}'))}**")
    table(renamed(frame).round(3 if result.metric == "similarity" else 1))
    chart(card, result, frame)
    if card.id == "elmo" and result.extra.get("gamma"):
        st.caption(tr("proofs.gamma", gammas=", ".join(map(str, result.extra["gamma"])),
                      weights=", ".join(map(str, result.extra["layer_weights"]))))


def card_block(card_id: str) -> None:
    card = get_card(card_id)
    slot = f"proof.{card_id}"
    with st.container(border=True):
        st.subheader(tr(f"proofs.{card_id}.title"))
        st.caption(f"{card.paper.citation} — {card.paper.where}")
        st.markdown(f"**{tr('proofs.claim')}** {tr(f'proofs.{card_id}.claim')}")
        st.markdown(f"**{tr('proofs.setup')}** {tr(f'proofs.{card_id}.setup')}")
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
    """The rule with the thresholds the verdict functions use."""
    from plm_core.evidence.cards_verdicts import Verdict

    return Verdict(card_id, "reproduced", "yes").rule(lang())


page_header("proofs")
with guard():
    for card_id in card_ids():
        card_block(card_id)
