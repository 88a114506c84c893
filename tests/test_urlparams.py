"""The URL contract: every page's settings parse back from their encoding, bad values fall back with a problem."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plm_core import urlparams as up
from plm_core.errors import PLMError
from plm_core.i18n import all_messages
from ui.pages import PAGES

PROPERTY = settings(max_examples=120, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def value_strategy(p: up.Param) -> st.SearchStrategy:
    """Any allowed value of `p`."""
    if p.kind == "list":
        assert p.choices is not None
        return st.lists(st.sampled_from(p.choices), unique=True).map(tuple)
    if p.choices is not None:
        return st.sampled_from(p.choices)
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "int":
        return st.integers(int(p.lo), int(p.hi))  # type: ignore[arg-type]
    if p.kind == "float":
        return st.floats(p.lo, p.hi, allow_nan=False)
    return st.text(st.characters(codec="utf-8"), max_size=min(20, int(p.hi or 20)))


def values_strategy(page: str) -> st.SearchStrategy:
    return st.fixed_dictionaries({p.name: value_strategy(p) for p in up.params(page)})


def test_every_page_of_the_registry_has_an_entry_and_names_are_unique() -> None:
    assert {p.key for p in PAGES} == set(up.PAGE_PARAMS)
    for page, ps in up.PAGE_PARAMS.items():
        names = [p.name for p in ps]
        assert len(names) == len(set(names)), page
        assert not set(names) & set(up.GLOBAL_KEYS), page
        for p in ps:
            assert up.parse_value(p, up.format_value(p, p.default)) == p.default, (page, p.name)


@pytest.mark.parametrize("page", sorted(up.PAGE_PARAMS))
def test_parse_of_encode_is_the_identity(page: str) -> None:
    @PROPERTY
    @given(values_strategy(page))
    def roundtrip(values: dict) -> None:
        parsed, problems = up.parse(page, up.encode(page, values))
        assert problems == []
        assert parsed == values

    roundtrip()


def test_encode_keeps_only_changed_values_and_lists_are_comma_separated() -> None:
    values = up.defaults("transfer") | {"modes": ("frozen", "lora"), "n": 64, "lr_body": 2e-5}
    assert up.encode("transfer", values) == {"modes": "frozen,lora", "n": "64", "lr_body": "2e-05"}
    assert up.encode("transfer", up.defaults("transfer")) == {}


def test_bad_and_unknown_values_fall_back_to_defaults_with_one_problem_each() -> None:
    query = {"backbone": "gpt-99", "n": "lots", "epochs": "999", "modes": "frozen,nonsense", "colour": "red",
             "seed": "7", "lang": "ko", "u": "0123456789abcdef"}
    values, problems = up.parse("transfer", query)
    assert values == up.defaults("transfer") | {"seed": 7}
    assert sorted(e.params["name"] for e in problems) == ["backbone", "colour", "epochs", "modes", "n"]
    assert all(isinstance(e, PLMError) and e.key in all_messages() for e in problems)
    bad = next(e for e in problems if e.params["name"] == "epochs")
    assert "1–20" in bad.message("en") and "3" in bad.message("en")
    assert "999" in bad.message("ko")


@PROPERTY
@given(st.dictionaries(st.sampled_from(["n", "modes", "k", "x", "tab", "lr_body", "seed", "calibrate"]),
                       st.text(max_size=12)))
def test_any_query_gives_values_and_problems_never_an_exception(query: dict) -> None:
    for page in ("transfer", "fewshot"):
        values, problems = up.parse(page, query)
        assert set(values) == {p.name for p in up.params(page)}
        assert all(isinstance(e, PLMError) for e in problems)


def test_bool_and_float_texts() -> None:
    assert up.parse("fewshot", {"calibrate": "1"})[0]["calibrate"] is True
    assert up.parse("fewshot", {"calibrate": "off"})[0]["calibrate"] is False
    assert up.parse("transfer", {"warmup": "nan"})[1]  # not finite: a problem
    assert up.parse("transfer", {"warmup": "0.25"})[0]["warmup"] == 0.25


def test_link_holds_the_page_language_and_changed_settings_but_not_the_owner() -> None:
    url = up.link("transfer", {"backbone": "minilm-l6", "modes": ("frozen", "lora"), "n": 64},
                  "http://10.0.0.5:8501/", "ko")
    assert url == "http://10.0.0.5:8501/transfer?lang=ko&n=64&modes=frozen,lora"
    assert up.link("home", {}, "http://h:1", "en") == "http://h:1/?lang=en"


def test_experiment_settings_are_the_recipes_fields_and_their_defaults_the_cores() -> None:
    """No copied constants: a page's experiment settings are its recipes' own declarations (the same objects),
    and a recipe's defaults are the core's defaults for the same experiment."""
    from plm_core.explorer.polysemy import polysemy_sets
    from plm_core.explorer.projection import METHODS
    from plm_core.fewshot import curves
    from plm_core.fewshot.methods import available_methods
    from plm_core.recipes import FewShotCurve, SetFitRun, TransferRace, TransferRun
    from plm_core.transfer.setfit import SetFitConfig

    for page, recipes in up.PAGE_RECIPES.items():
        for recipe in recipes:
            for p in recipe.params():
                shown = up.param(page, p.name)  # one declaration per name and page: the recipes agree on it
                assert (shown.kind, shown.default, shown.choices, shown.lo, shown.hi) == \
                    (p.kind, p.default, p.choices, p.lo, p.hi), (page, p.name)
    assert up.param("transfer", "lr_body") is TransferRun.params()[[p.name for p in TransferRun.params()].index(
        "lr_body")]
    assert up.param("fewshot", "shots").choices == tuple(curves.SHOT_CHOICES)
    assert up.param("fewshot", "shots").default == tuple(curves.DEFAULT_SHOTS)
    assert up.param("fewshot", "methods").default == tuple(curves.CurveConfig().methods)
    assert up.param("fewshot", "seeds").default == curves.CurveConfig().seeds
    assert up.param("fewshot", "test").default == curves.CURVE_TEST_LIMIT  # the page's default curve
    assert up.param("fewshot", "prompt_k").default == curves.PROMPT_MAX_K
    assert set(available_methods()) <= set(up.param("fewshot", "methods").choices or ())
    assert up.param("embeddings", "set").choices == (*polysemy_sets(), "custom")
    assert up.param("embeddings", "method").choices == tuple(METHODS)
    base = importlib.import_module("plm_core.transfer.config").TrainConfig(backbone="minilm-l6").as_dict()
    for name, field in (("epochs", "epochs"), ("lr_body", "lr_body"), ("lr_head", "lr_head"),
                        ("decay", "layer_decay"), ("batch", "batch_size"), ("seed", "seed"), ("k", "k"),
                        ("rank", "lora_rank"), ("schedule", "schedule"), ("warmup", "warmup"), ("head", "head"),
                        ("budget", "length_budget"), ("max_len", "max_length")):
        assert up.param("transfer", name).default == base[field], name
    setfit = SetFitRun().job_config()
    assert (setfit.setfit.backbone, setfit.setfit.num_iterations, setfit.per_class) == \
        (SetFitConfig().backbone, SetFitConfig().num_iterations, 8)
    assert {p.name for p in FewShotCurve.params()} <= {p.name for p in up.params("fewshot")}
    assert {p.name for p in TransferRace.params()} <= {p.name for p in up.params("transfer")}


def test_no_constant_is_copied_to_be_kept_in_step_by_a_test() -> None:
    from pathlib import Path

    root = Path(up.__file__).resolve().parent
    assert [str(p) for p in root.rglob("*.py") if "a test checks" in p.read_text(encoding="utf-8")] == []


def test_base_url_prefers_the_public_url_then_the_lan_address_for_a_loopback_host() -> None:
    assert up.base_url("http://localhost:8501/transfer?x=1", "http://lab.school:80/", "10.0.0.5") == \
        "http://lab.school:80"
    assert up.base_url("http://localhost:8501/transfer?x=1", None, "10.0.0.5") == "http://10.0.0.5:8501"
    assert up.base_url("http://192.168.1.20:8599/fewshot", None, "10.0.0.5") == "http://192.168.1.20:8599"
    assert up.base_url("http://127.0.0.1:8501/", None, None) == "http://127.0.0.1:8501"
    assert up.base_url("", None, None) == "http://localhost:8501"


def test_the_qr_code_decodes_to_the_share_link() -> None:
    import io

    import zxingcpp
    from PIL import Image

    url = up.link("transfer", {"backbone": "minilm-l6", "modes": ("frozen", "lora"), "n": 64, "lr_body": 2e-5},
                  "http://10.0.0.5:8501", "ko")
    image = Image.open(io.BytesIO(up.qr_png(url))).convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [url]
