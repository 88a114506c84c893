"""Where things live: packaged model folders, the repo's assets, and the user's cache.

Environment variables:
    PLM_LAB_CACHE    cache root (default: ~/.cache/plm_lab) for prepared data, converted models,
                     extracted features.
    PLM_LAB_RUNS_DB  SQLite file of the runs store (default: <cache>/runs.sqlite).
    PLM_LAB_FEATURES_DIR  folder of cached extracted features (default: <cache>/features).
    PLM_LAB_SMOLLM_DIR    folder of the converted SmolLM2 (default: <cache>/models/smollm2-135m).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = REPO_ROOT / "assets"


def cache_dir() -> Path:
    """Root of everything this app writes outside the repo (created on demand)."""
    root = os.environ.get("PLM_LAB_CACHE") or Path.home() / ".cache" / "plm_lab"
    path = Path(root).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_subdir(name: str) -> Path:
    path = cache_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_cache_dir() -> Path:
    """Prepared sample-set files (extracted from sdists and wheels by `scripts/prepare_assets.py`)."""
    return cache_subdir("data")


def runs_db_path() -> Path:
    env = os.environ.get("PLM_LAB_RUNS_DB")
    return Path(env).expanduser() if env else cache_dir() / "runs.sqlite"


def package_dir(module: str) -> Path | None:
    """Folder of an installed package, found without importing it (some __init__s import missing deps)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])
