"""Where things live: packaged model folders, the repo's assets, and the user's cache.

Environment variables:
    PLM_LAB_CACHE    cache root (default: ~/.cache/plm_lab) for prepared data, converted models,
                     extracted features.
    PLM_LAB_RUNS_DB  SQLite file of the runs store (default: <cache>/runs.sqlite).
    PLM_LAB_FEATURES_DIR  folder of cached extracted features (default: <cache>/features).
    PLM_LAB_SMOLLM_DIR    folder of the converted SmolLM2 (default: <cache>/models/smollm2-135m).
"""

from __future__ import annotations

import os
import sqlite3
import sys
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


def open_sqlite(path: Path, schema: str, timeout: float = 30.0) -> sqlite3.Connection:
    """A fresh connection to the SQLite file `path` (its folder made), waiting up to `timeout` s for a lock,
    with `schema` (CREATE ... IF NOT EXISTS) applied. The caller closes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=timeout)
    conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    conn.executescript(schema)
    return conn


def package_dir(module: str) -> Path | None:
    """Folder of an installed package (`a` or `a.b`), found on sys.path without importing it (some packages'
    __init__s import dependencies that are not installed); None when no entry of sys.path has it."""
    if not module or any(not part.isidentifier() for part in module.split(".")):
        return None
    for entry in sys.path:
        folder = Path(entry or ".").joinpath(*module.split("."))
        if folder.is_dir():
            return folder
    return None
