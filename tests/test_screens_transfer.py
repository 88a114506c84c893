"""Transfer lab screens that teach: the charts, facts and the diagram read the same data the optimizer uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.figures import figure_text
from plm_core.transfer import TrainConfig, param_groups, train
from plm_core.transfer.diagram import DiagramText, diagram_rows, trainable_groups, transfer_diagram
from plm_core.transfer.figures import (
    accuracy_figure,
    layer_weights_figure,
    runs_figure,
    runs_loss_figure,
    share_text,
    surgery_display,
)

pytestmark = pytest.mark.usefixtures("private_stores")

POS = ["a warm funny film", "moving and kind", "bright clever fun"]
NEG = ["dull and too long", "a tedious mess", "flat boring plot"]


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = [f"{t} {i}" for i in range(6) for t in POS] + [f"{t} {i}" for i in range(6) for t in NEG]
    df = pd.DataFrame({"text": texts, "label": ["pos"] * 18 + ["neg"] * 18}).sample(frac=1.0, random_state=0)
    return df.iloc[:24], df.iloc[24:]


@pytest.fixture(scope="module")
def encoder():
    return tiny_random_backbone("encoder", seed=1)


def config(mode: str, **kw) -> TrainConfig:
    base = dict(backbone="tiny", mode=mode, epochs=3, batch_size=8, lr_body=1e-3, lr_head=1e-2, max_length=16)
    return TrainConfig.of(**(base | kw))


def test_layer_weight_chart_has_every_layer_including_0_on_its_axis():
    fig = layer_weights_figure([0.08, 0.54, 0.38], gamma=1.2)
    bars = fig.data[0]
    assert list(bars.x) == ["0", "1", "2"]  # numbered as the layer slider: 0 = embeddings
    assert fig.layout.xaxis.type == "category" and tuple(fig.layout.xaxis.range) == (-0.5, 2.5)
    lo, hi = fig.layout.yaxis.range
    assert lo == 0 and hi > 0.54 * 1.1  # the tallest bar and its label fit


def test_race_legends_sit_below_the_epoch_axis_title():
    history = [{"epoch": e, "train_loss": 1.0, "test_loss": 1.0, "train_accuracy": 0.5, "test_accuracy": 0.5}
               for e in (1, 2)]
    ko = figure_text("ko")
    for fig in (runs_loss_figure([("a", history, [])], ko), accuracy_figure([("a", history)], ko),
                runs_figure([], text=ko)):
        legend = fig.layout.legend
        assert legend.yanchor == "top" and legend.y < -0.25 and fig.layout.margin.b >= 100
    assert runs_loss_figure([("a", history, [])], ko).layout.yaxis.title.text == "손실"


def test_frozen_mode_history_has_no_epochs(encoder, frames):
    result = train(config("frozen"), *frames, backbone=encoder)
    assert len(result.history) == 1 and result.history[0]["epoch"] == 1  # one solve, however many epochs asked
    fine = train(config("finetune"), *frames, backbone=encoder)
    assert len(fine.history) == 3


def test_frozen_head_learning_rate_is_shown_as_a_dash(encoder, frames):
    rows = [r.as_row() for r in param_groups(encoder, "frozen", config("frozen"))]
    head = next(r for r in rows if r["name"] == "head")
    assert head["status"] == "trainable" and head["lr"] is None  # L-BFGS picks its own steps
    shown = surgery_display(rows).set_index("name")
    assert shown.loc["new head ψ", "lr"] == "—" and shown.loc["layer 1", "lr"] == "—"


def test_surgery_table_numbers_layers_as_the_slider_does(encoder):
    rows = [r.as_row() for r in param_groups(encoder, "finetune", config("finetune"))]
    names = surgery_display(rows, figure_text("ko"))["name"].tolist()
    assert names[:3] == ["임베딩 (0층)", "1층", "2층"]  # the slider: 0 = embeddings, 1..L the blocks


def test_decoder_surgery_table_lists_the_dropped_lm_head():
    for family in ("decoder", "encoder-decoder"):
        rows = [r.as_row() for r in param_groups(tiny_random_backbone(family), "finetune", config("finetune"))]
        dropped = [r for r in rows if r["status"] == "dropped"]
        assert dropped and "lm_head" in dropped[0]["name"] and not dropped[0]["trainable"]
        assert surgery_display(rows)["lr"].iloc[-len(dropped) - 1:].tolist()[-1] != "nan"


def test_trainable_share_never_reads_zero():
    assert share_text(770, 22_566_146) == "0.0034%" and share_text(1, 2) == "50.0%"


@pytest.mark.parametrize("mode", ["frozen", "finetune", "discriminative", "gradual"])
def test_diagram_groups_equal_the_optimizer_groups(mode, encoder, frames):
    from plm_core.transfer import Callback

    seen = {}

    class Spy(Callback):
        def on_epoch_begin(self, trainer, epoch) -> None:
            if epoch == 1:
                held = {id(p) for g in trainer.optimizer.param_groups for p in g["params"]}
                seen["held"] = [g.name for g in trainer.groups if g.params and all(id(p) in held for p in g.params)]
                seen["rows"] = [r.as_row() for r in trainer.surgery()]

    train(config(mode, epochs=1), *frames, backbone=encoder, callbacks=[Spy()])
    fig = transfer_diagram(seen["rows"], DiagramText(title="t"))
    assert sorted(trainable_groups(fig)) == sorted(seen["held"])
    assert len(fig.data[0].y) == len(seen["rows"])  # every group is a box, the dropped head included
    lrs = [x for x in fig.data[1].x if x is not None]
    assert len(lrs) == (0 if mode == "frozen" else len(seen["held"]))


def test_diagram_draws_new_head_on_top_and_dropped_head_last():
    rows = [r.as_row() for r in param_groups(tiny_random_backbone("decoder"), "frozen", config("frozen"))]
    ordered = [r["name"] for r in diagram_rows(rows)]
    assert ordered[0] == "embeddings" and ordered[-2] == "head" and "lm_head" in ordered[-1]
    fig = transfer_diagram(rows)
    statuses = list(fig.data[0].customdata[:, 1])
    assert statuses[-1] == "dropped" and fig.data[0].marker.pattern.shape[-1] == "x"
    assert np.all([c == "#BAB0AC" for c, s in zip(fig.data[0].marker.color, statuses, strict=False) if s == "frozen"])
