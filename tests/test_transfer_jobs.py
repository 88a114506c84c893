"""Background jobs, races, figures, the message catalog, and the core's independence from Streamlit."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.errors import PLMError
from plm_core.i18n import all_messages
from plm_core.jobs import JobStatus, get_service
from plm_core.runs import RunStore
from plm_core.transfer import TrainConfig, split_from_frames
from plm_core.transfer.figures import (
    accuracy_figure,
    confusion_figure,
    drift_frame,
    drift_heatmap,
    layer_weights_figure,
    runs_figure,
    runs_loss_figure,
    surgery_display,
)
from plm_core.transfer.jobs import TransferJob
from plm_core.transfer.race import race_configs, run_race

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("private_stores")  # runs store + feature cache in tmp_path


@pytest.fixture(scope="module")
def setup():
    texts = [f"good fine film {i}" for i in range(12)] + [f"bad dull film {i}" for i in range(12)]
    df = pd.DataFrame({"text": texts, "label": ["pos"] * 12 + ["neg"] * 12})
    split = split_from_frames(df.iloc[::2], df.iloc[1::2])
    base = TrainConfig.of(backbone="tiny", epochs=2, batch_size=4, lr_body=1e-3, lr_head=1e-2, max_length=12)
    return tiny_random_backbone("encoder", seed=2), split, base


def test_race_runs_every_config_on_the_same_split(setup):
    backbone, split, base = setup
    race = run_race(race_configs(base, ["frozen", "finetune", "gradual", "scratch"]), split, backbone)
    assert race.labels == ["frozen", "finetune", "gradual", "scratch"]
    assert all(r.n_train == len(split.train) and r.n_test == len(split.test) for r in race.results)
    assert all(0 <= r.trainable_params <= r.total_params for r in race.results)
    frame = drift_frame(race.labels, [r.drift for r in race.results])
    assert (frame.loc["frozen"] == 0).all() and frame.loc["finetune", "layer.1"] > 0
    assert frame.loc["gradual", "embeddings"] == 0  # not yet unfrozen after 2 epochs
    assert list(frame.columns) == ["embeddings", "layer.0", "layer.1", "pooler"]


def test_race_size_and_seed_are_checked(setup):
    backbone, split, base = setup
    with pytest.raises(PLMError) as info:
        run_race([base], split, backbone)
    assert info.value.key == "transfer.err.race_size"
    with pytest.raises(PLMError) as info:
        run_race([base, base.with_(seed=1)], split, backbone)
    assert info.value.key == "transfer.err.race_seed"


def test_job_reports_progress_and_stores_runs(setup):
    _, split, base = setup
    base = base.with_(backbone="tiny-bert-mlm")
    service = get_service()
    job = TransferJob(tuple(race_configs(base, ["frozen", "discriminative"])), split=split, race=True)
    job_id = service.submit("transfer", job)
    seen = []
    while not (snap := service.snapshot(job_id)).finished:
        seen.append(snap.fraction)
        time.sleep(0.05)
    assert snap.status is JobStatus.DONE and snap.fraction == pytest.approx(1.0)
    assert seen == sorted(seen)  # the bar never goes back
    runs = snap.result.runs
    assert all(r.result is not None for r in runs)
    assert len(runs[1].history) == 2 and runs[1].steps
    deadline = time.monotonic() + 10
    while len(service.snapshot(job_id).saved) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # stored right after the result is shown
    rows = RunStore().list("race")
    assert len(rows) == 2 and rows["race"].nunique() == 1 and set(rows["racer"]) == {"frozen", "discriminative"}
    assert sorted(service.snapshot(job_id).saved) == sorted(rows["id"].tolist())
    stored = RunStore().get(int(rows["id"].iloc[0]))
    assert stored["curves"]["history"] and stored["curves"]["param_groups"] and stored["timings"]["train_seconds"] > 0


def test_job_errors_are_plm_errors(setup):
    _, split, base = setup
    bad = TransferJob((base.with_(backbone="tiny-bert-mlm", mode="finetune", lr_body=10.0),), split=split)
    snap = get_service().wait(get_service().submit("transfer", bad), timeout=120)
    assert snap.status is JobStatus.ERROR and snap.error.key.startswith("transfer.err.")


def test_figures_are_built_from_plain_data():
    history = [{"epoch": 1, "train_loss": 0.7, "test_loss": 0.6, "train_accuracy": 0.5, "test_accuracy": 0.6},
               {"epoch": 2, "train_loss": 0.5, "test_loss": 0.5, "train_accuracy": 0.7, "test_accuracy": 0.7}]
    steps = [{"step": i, "epoch": 1 + i // 3, "loss": 1.0 / (i + 1)} for i in range(6)]
    assert len(runs_loss_figure([("a", history, steps), ("b", history, [])]).data) == 3
    assert len(accuracy_figure([("a", history)]).data) == 2
    assert confusion_figure([[3, 1], [0, 4]], ["neg", "pos"]).data[0].z.tolist() == [[3, 1], [0, 4]]
    assert len(layer_weights_figure([0.2, 0.3, 0.5], 1.2).data[0].y) == 3
    fig = drift_heatmap(["x", "y"], [{"layer.1": 0.1, "embeddings": 0.0, "head": 5.0}, None])
    assert list(fig.data[0].x) == ["embeddings (layer 0)", "layer 2"]  # layers numbered as the slider (layer.1 = 2nd)
    rows = [{"name": "head", "origin": "new", "status": "trainable", "trainable": True, "lr": 1e-3,
             "n_params": 770, "unfreeze_epoch": None}]
    assert surgery_display(rows).loc[0, "lr"] == "1.0e-03"
    run = {"id": 1, "kind": "transfer", "config": {"backbone": "b", "mode": "frozen"}, "metrics": {},
           "curves": {"history": history}}
    assert len(runs_figure([run]).data) == 1


def test_catalog_has_every_key_in_both_languages():
    messages = all_messages()
    source = "\n".join(p.read_text() for p in [*(ROOT / "plm_core" / "transfer").glob("*.py"),
                                               ROOT / "plm_core" / "runs.py",
                                               ROOT / "ui" / "transfer.py", ROOT / "app_pages" / "transfer_lab.py",
                                               ROOT / "app_pages" / "runs.py"])
    used = set(re.findall(r'"((?:transfer|runs)\.[a-z_.]+)"', source))
    used = {k for k in used if not k.endswith((".", ".csv", ".json"))}  # file names are not message keys
    missing = sorted(k for k in used if k not in messages)
    assert not missing, missing
    for key, texts in messages.items():
        if key.startswith(("transfer.", "runs.")):
            assert texts.get("en") and texts.get("ko"), key
    assert "transfer.lead" in messages and "runs.lead" in messages


def test_core_never_imports_streamlit():
    code = ("import sys; import plm_core.transfer, plm_core.transfer.cli, plm_core.transfer.jobs, "
            "plm_core.transfer.figures, plm_core.runs; assert 'streamlit' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)
