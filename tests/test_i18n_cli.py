"""Message catalog completeness, and the CLI's JSON contract."""

import json
import re
import subprocess
import sys

import pytest

from conftest import REPO
from plm_core.i18n import LANGUAGES, all_messages, t

HANGUL = re.compile("[\uac00-\ud7a3]")
KEY_IN_CODE = re.compile(r"""\btr\(\s*["']([a-z0-9_.\-]+)["']""")


def test_every_message_has_english_and_korean():
    for key, texts in all_messages().items():
        assert set(texts) >= set(LANGUAGES), key
        assert texts["en"].strip() and texts["ko"].strip(), key
        field = r"(?<!{){(\w+)(?::[^{}]*)?}"  # a value, with or without a format spec (Korean: a particle, {name:은})
        assert set(re.findall(field, texts["en"])) == set(re.findall(field, texts["ko"])), key


def test_korean_texts_are_korean():
    korean = [k for k, v in all_messages().items() if HANGUL.search(v["ko"])]
    assert len(korean) >= 0.9 * len(all_messages())


def test_every_literal_key_used_by_pages_exists():
    used = set()
    for path in list((REPO / "app_pages").glob("*.py")) + list((REPO / "ui").glob("*.py")):
        used |= set(KEY_IN_CODE.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if k not in all_messages())
    assert used and not missing, missing


def test_t_fills_parameters_and_falls_back():
    assert t("common.loading_model", "en", name="MiniLM") == "Loading MiniLM…"
    assert t("common.loading_model", "ko", name="MiniLM") == "MiniLM 불러오는 중…"
    assert t("no.such.key", "ko") == "no.such.key"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "plm_core", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_cli_backbones_json():
    out = cli("backbones", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert {"minilm-l6", "smollm2-135m", "glove-6b-50d", "use-multilingual"} <= set(rows)
    for row in rows.values():
        assert {"name", "family", "params", "layers", "hidden_size", "source", "license"} <= set(row)
        assert isinstance(row["params"], int) and row["params"] > 0
    assert rows["minilm-l6"]["params"] == 22_713_216 and rows["smollm2-135m"]["family"] == "decoder"


def test_cli_datasets_json():
    out = cli("datasets", "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert {"movie-snippets", "rt-reviews", "wiki-topics", "korean-intents"} <= set(rows)
    for row in rows.values():
        assert {"name", "task", "labels", "n_pool", "n_test", "license"} <= set(row)
    assert rows["movie-snippets"]["n_test"] == 1000 and len(rows["wiki-topics"]["labels"]) == 11


@pytest.mark.parametrize("args, fragment", [(("train", "--nope"), ""), (("bogus",), "invalid choice")])
def test_cli_rejects_bad_usage(args, fragment):
    out = cli(*args)
    assert out.returncode != 0 and fragment in out.stderr


def test_every_catalog_module_is_listed():
    """The catalog's modules are listed by hand (no import by name): a module in the folder but not in CATALOGS
    would silently drop its messages."""
    from plm_core.i18n.catalog import CATALOGS

    files = {p.stem for p in (REPO / "plm_core" / "i18n" / "catalog").glob("*.py") if p.stem != "__init__"}
    assert files == {m.__name__.rsplit(".", 1)[1] for m in CATALOGS}
