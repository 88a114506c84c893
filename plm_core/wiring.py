"""The composition root: the one place that knows every feature module and plugs it into the registries.

    job kinds        -> plm_core.jobs.kinds (run/store as references: a kind's module is imported when its
                        job runs, so the server that only queues and polls never imports torch for it)
    backbone specs   -> plm_core.backbones.registry.add_specs
    backbone loaders -> plm_core.backbones.registry.register_loader

Below this module nothing imports a module by name or registers itself as an import side effect.
`plm_core/__init__.py` calls `wire()`, so every entry point (app, CLI, worker, Ray actor, test) is wired.
The i18n catalog stays a folder of modules merged by discovery (each area adds its own file).
"""

from __future__ import annotations

from types import ModuleType

from plm_core.jobs.kinds import KindSpec, register_kinds


def _transfer() -> ModuleType:
    from plm_core.transfer import jobs

    return jobs


def _setfit() -> ModuleType:
    from plm_core.transfer import setfit

    return setfit


def _fewshot() -> ModuleType:
    from plm_core.fewshot import jobs

    return jobs


def _studio() -> ModuleType:
    from plm_core.pretrain import studio

    return studio


def _pipeline() -> ModuleType:
    from plm_core.pretrain import pipeline

    return pipeline


def _domain() -> ModuleType:
    from plm_core.evidence import domain

    return domain


def _continue() -> ModuleType:
    from plm_core.evidence import domain_continue

    return domain_continue


def _cards() -> ModuleType:
    from plm_core.evidence import cards

    return cards


def _matrix() -> ModuleType:
    from plm_core.evidence import matrix

    return matrix


def _explorer() -> ModuleType:
    from plm_core.explorer import jobs

    return jobs


def _testing() -> ModuleType:
    from plm_core.jobs import testing

    return testing


JOB_KINDS: tuple[KindSpec, ...] = (
    KindSpec("transfer", lambda: _transfer().run_transfer, lambda: _transfer().store_transfer),
    KindSpec("fewshot.curves", lambda: _fewshot().run_curves_job, lambda: _fewshot().store_curves),
    KindSpec("fewshot.sensitivity", lambda: _fewshot().run_sensitivity_job),
    KindSpec("setfit", lambda: _setfit().run_setfit_job, lambda: _setfit().store_setfit),
    KindSpec("pretrain.live", lambda: _studio().run_live_pretraining),
    KindSpec("pretrain.checkpoint", lambda: _pipeline().run_pretrain_job, cache=False),
    KindSpec("domain.fit", lambda: _domain().run_fit),
    KindSpec("domain.compare", lambda: _domain().run_compare),
    KindSpec("domain.continue", lambda: _continue().run_continue),
    KindSpec("proof", lambda: _cards().run_proof),
    KindSpec("matrix", lambda: _matrix().run_matrix_job, lambda: _matrix().store_matrix),
    KindSpec("explorer.sentences", lambda: _explorer().run_sentence_map),
    KindSpec("explorer.project", lambda: _explorer().run_projection),
    # jobs for the service's own tests and benchmarks (tiny, no model weights)
    KindSpec("test.sleep", lambda: _testing().run_sleep),
    KindSpec("test.fail", lambda: _testing().run_fail, cache=False),
    KindSpec("test.threads", lambda: _testing().run_threads, cache=False),
    KindSpec("test.crash", lambda: _testing().run_crash, cache=False),
    KindSpec("test.tiny_train", lambda: _testing().run_tiny_train),
)


def wire() -> None:
    """Fill the registries (idempotent)."""
    from plm_core.backbones import registry
    from plm_core.pretrain import family

    register_kinds(*JOB_KINDS)
    registry.add_specs(family.SPECS)
    registry.register_loader("bilm", family.load_bilm_backbone)
    registry.register_loader("sgns", family.load_sgns_backbone)
