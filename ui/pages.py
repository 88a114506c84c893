"""The page registry: plain data. A page appears in the navigation once its file exists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageSpec:
    key: str  # message key prefix: "<key>.title" is the navigation title
    path: str  # file relative to the repo root
    icon: str
    section: str  # message key of the navigation section


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "app_pages/home.py", ":material/school:", "nav.section.start"),
    PageSpec("lessons", "app_pages/lessons.py", ":material/co_present:", "nav.section.start"),
    PageSpec("models", "app_pages/models_data.py", ":material/inventory_2:", "nav.section.start"),
    PageSpec("pretraining", "app_pages/pretraining.py", ":material/model_training:", "nav.section.pretrain"),
    PageSpec("embeddings", "app_pages/embeddings.py", ":material/scatter_plot:", "nav.section.inside"),
    PageSpec("attention", "app_pages/attention.py", ":material/grid_on:", "nav.section.inside"),
    PageSpec("domain", "app_pages/domain_fit.py", ":material/travel_explore:", "nav.section.transfer"),
    PageSpec("transfer", "app_pages/transfer_lab.py", ":material/swap_horiz:", "nav.section.transfer"),
    PageSpec("fewshot", "app_pages/fewshot.py", ":material/filter_1:", "nav.section.transfer"),
    PageSpec("runs", "app_pages/runs.py", ":material/table_chart:", "nav.section.transfer"),
    PageSpec("proofs", "app_pages/proofs.py", ":material/verified:", "nav.section.transfer"),
)


def available_pages() -> list[PageSpec]:
    return [p for p in PAGES if (ROOT / p.path).exists()]


def page_exists(key: str) -> bool:
    return any(p.key == key for p in available_pages())


def page_path(key: str) -> str:
    return next(p.path for p in PAGES if p.key == key)
