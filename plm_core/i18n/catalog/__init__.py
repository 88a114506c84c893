"""The message catalog's modules, one per page or area, listed here (plain data: a new module is added to
CATALOGS, and `tests/test_i18n_cli.py` fails while a module in this folder is missing from it)."""

from plm_core.i18n.catalog import (
    backbones,
    classroom,
    columns,
    common,
    data,
    domain,
    evidence,
    explorer,
    export,
    fewshot,
    gemma,
    integrity,
    jobs,
    lessonfold,
    lessons,
    models,
    names,
    pretraining,
    ray,
    screens,
    strategies,
    terms,
    transfer,
    urlstate,
)

CATALOGS = (backbones, classroom, columns, common, data, domain, evidence, explorer, export, fewshot, gemma, integrity, jobs, lessonfold, lessons, models, names, pretraining, ray, screens, strategies, terms, transfer, urlstate)
