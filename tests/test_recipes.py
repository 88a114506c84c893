"""One recipe per experiment: the page's form, the lesson step and the CLI's flags give one cache key.

The form runs under AppTest from the step's own URL (its submit is caught where the page hands the job to the
service); the CLI runs `main([...])` up to the door (`jobs.run_here`), where the job is caught.
"""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO
from plm_core import urlparams as up
from plm_core.cli import build_parser, main
from plm_core.errors import PLMError
from plm_core.i18n import t
from plm_core.jobs.keys import cache_key, recipe_key
from plm_core.lessons import get_lesson, lessons
from plm_core.lessons.jobs import step_job
from plm_core.recipes import RECIPES, FewShotCurve, ProofCard, TransferRace, TransferRun

pytestmark = pytest.mark.usefixtures("private_stores")


class Caught(Exception):
    """Raised where a job would start: it carries (kind, config)."""


def job_steps() -> list[tuple[str, int]]:
    return [(lesson.id, i) for lesson in lessons() for i, step in enumerate(lesson.steps)
            if step_job(step) is not None]


def test_every_lesson_with_long_work_is_covered() -> None:
    steps = job_steps()
    assert {lesson for lesson, _ in steps} >= {"2-transfer", "4-elmo", "5-fewshot"} and len(steps) >= 8


def test_parse_names_the_bad_key_and_encode_keeps_only_changes() -> None:
    recipe, problems = TransferRun.parse({"n": "256", "epochs": "99", "mode": "lora", "lr_body": "3e-4"})
    assert (recipe.n, recipe.mode, recipe.epochs) == (256, "lora", TransferRun().epochs)
    assert sorted(str(e.params["name"]) for e in problems) == ["epochs", "lr_body"]
    assert all(isinstance(e, PLMError) for e in problems)
    assert recipe.encode() == {"n": "256", "mode": "lora"}
    assert TransferRun.parse(recipe.encode())[0] == recipe
    loose, problems = TransferRun.parse({"lr_body": 3e-4, "seed": 2**32 - 1}, bounds=False)  # the CLI's values
    assert not problems and (loose.lr_body, loose.seed) == (3e-4, 2**32 - 1)


def test_normalized_resolves_what_the_form_and_a_lesson_write_differently() -> None:
    lesson = TransferRun(backbone="minilm-l6", n=256)  # layer -1, pooling auto
    form = TransferRun(backbone="minilm-l6", n=256, layer=6, pooling="mean", k=5, lora_rank=32)  # unused k, rank
    assert lesson.normalized() == form.normalized() and lesson.normalized().layer == 6
    assert recipe_key(lesson) == recipe_key(form)
    assert recipe_key(lesson) != recipe_key(lesson.with_(layer=3))
    assert TransferRun(backbone="tiny-elmo-bilm").normalized().pooling == "mix"
    assert TransferRun(backbone="glove-6b-50d", layer=0).normalized().layer == -1  # no layers: one state
    curve = FewShotCurve(shots=(16, 8, 0, 2), methods=("prompt", "frozen"))  # K in numeric order; methods kept
    assert curve.normalized().shots == (0, 2, 8, 16) and curve.normalized().methods == ("prompt", "frozen")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_describe_is_in_the_users_language(lang: str) -> None:
    text = TransferRace(modes=("frozen", "lora"), n=64).describe(lang)
    assert text.startswith(t("transfer.tab.race", lang)) and t("transfer.size", lang) in text and "64" in text


def test_every_recipe_declares_its_kind_and_a_label() -> None:
    from plm_core.jobs.kinds import KINDS

    for name, recipe in RECIPES.items():
        assert recipe.kind in KINDS and recipe.label and recipe.params(), name
        assert all(p.label == "" or p.label in __import__("plm_core.i18n", fromlist=["x"]).all_messages()
                   for p in recipe.params()), name


# ---- one key: the form (from the step's URL), the lesson, the CLI -------------------------------------

def lesson_key(lesson_id: str, index: int) -> str:
    job = step_job(get_lesson(lesson_id).steps[index])
    assert job is not None
    return recipe_key(job.recipe)


def form_key(lesson_id: str, index: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """Open the step's URL in the app, press the form's run button without changing anything."""
    step = get_lesson(lesson_id).steps[index]
    caught: list[tuple[str, Any]] = []
    monkeypatch.setattr("ui.jobs.submit", lambda slot, kind, config, live=False: caught.append((kind, config)) or "")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(f"app_pages/{ {'transfer': 'transfer_lab'}.get(step.page, step.page) }.py")
    at.query_params.update({k: str(v) for k, v in step.settings.items()})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    labels = {t("transfer.start", "en"), t("transfer.start_race", "en"), t("fewshot.run", "en")}
    next(b for b in at.button if b.label in labels).click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert len(caught) == 1, caught
    return cache_key(*caught[0])


FLAGS = {"backbone": "--backbone", "data": "--data", "epochs": "--epochs", "seed": "--seed", "pooling": "--pooling",
         "layer": "--layer", "head": "--head", "lr_body": "--lr-body", "lr_head": "--lr-head", "decay": "--layer-decay",
         "batch": "--batch-size", "max_len": "--max-length", "groups": "--groups", "k": "--k", "rank": "--lora-rank",
         "schedule": "--schedule", "warmup": "--warmup", "test": "--test-limit", "race_test": "--test-limit",
         "seeds": "--seeds", "methods": "--methods", "shots": "--shots", "prompt_k": "--prompt-max-k"}


def cli_argv(page: str, settings: dict[str, Any]) -> list[str]:
    """The command a teacher would type for this step."""
    values = {k: str(v) for k, v in settings.items() if k != "tab"}
    if page == "fewshot":
        backbones = [x for k, v in values.items() if k.startswith("bb_") for x in ("--backbone", f"{k[3:]}={v}")]
        calibrate = ["--calibrate"] if values.pop("calibrate", "false").lower() in ("1", "true") else []
        return ["fewshot", *backbones, *calibrate,
                *[x for k, v in values.items() if not k.startswith("bb_") for x in (FLAGS[k], v)]]
    race = settings.get("tab") == "race"
    size = values.pop("n", str(TransferRun().n))
    argv = ["race" if race else "train", "--per-class" if values.pop("sizing", "n") == "k" else "--n", size]
    if "mode" in values:
        mode = values.pop("mode")
        argv += ["--mode" if mode in ("frozen", "finetune", "discriminative", "gradual", "scratch") else "--strategy",
                 mode]
    if "modes" in values:
        argv += ["--strategies", values.pop("modes")]
    return argv + [x for k, v in values.items() for x in (FLAGS[k], v)]


def cli_key(page: str, settings: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the step's command up to the job door (`jobs.run_here`), where its job is caught."""

    def door(recipe: Any, **kwargs: Any) -> Any:
        raise Caught(*recipe)

    monkeypatch.setattr("plm_core.jobs.run_here", door)
    with pytest.raises(Caught) as caught:
        main(cli_argv(page, settings))
    return cache_key(*caught.value.args)


@pytest.mark.parametrize("lesson_id, index", job_steps())
def test_the_lesson_the_cli_and_the_form_give_one_cache_key(lesson_id: str, index: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    step = get_lesson(lesson_id).steps[index]
    key = lesson_key(lesson_id, index)
    assert cli_key(step.page, dict(step.settings), monkeypatch) == key, cli_argv(step.page, dict(step.settings))
    assert form_key(lesson_id, index, monkeypatch) == key


def test_the_cli_defaults_are_the_recipes() -> None:
    args = build_parser().parse_args(["train", "--backbone", "minilm-l6", "--data", "movie-snippets", "--mode",
                                      "frozen", "--n", "256"])
    from plm_core.transfer.cli import recipe_from_args

    assert recipe_from_args(args) == TransferRun(n=256)
    assert up.parse("transfer", {"n": "256"})[0]["n"] == recipe_from_args(args).n


# ---- proof cards: the page's job, the recipe, `proof CARD` ------------------------------------------------

def test_every_proof_card_has_one_key_from_the_page_the_recipe_and_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    from plm_core.evidence.cards import card_ids, default_job
    from plm_core.jobs import unpack

    caught: list[tuple[str, Any]] = []  # what `proof CARD` hands to the job door
    monkeypatch.setattr("plm_core.evidence.cli.run_and_show",
                        lambda recipe, live, show: caught.append(unpack(recipe)) or 0)
    for card in card_ids():
        assert main(["proof", card]) == 0
        page = cache_key("proof", default_job(card))  # what the Proofs page submits for the card's button
        assert cache_key(*caught[-1]) == page == recipe_key(ProofCard(card=card)), card
    seeded = ProofCard.parse({"card": card_ids()[0], "seed": 7}, bounds=False)[0]
    assert main(["proof", card_ids()[0], "--seed", "7"]) == 0
    assert cache_key(*caught[-1]) == recipe_key(seeded) != recipe_key(ProofCard(card=card_ids()[0]))
