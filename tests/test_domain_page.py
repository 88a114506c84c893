"""The domain-fit page renders in both languages, empty and with finished jobs (fit, continued pretraining,
the Korean comparison) drawn from real jobs run by the service on tiny inputs; a Korean screen has no English."""

from __future__ import annotations

import pytest
from korean_screens import english_left

from conftest import open_app_page
from plm_core.i18n import t

PAGE = "app_pages/domain_fit.py"


def labelled_csv(n: int = 40) -> bytes:
    rows = [f"film {i} was {'good and fun' if i % 2 else 'bad and dull'}.,{'pos' if i % 2 else 'neg'}"
            for i in range(n)]
    return ("text,label\n" + "\n".join(rows)).encode()


@pytest.fixture(scope="module")
def finished_jobs():
    """Job ids of a finished fit, continued pretraining and comparison (tiny settings, through the service)."""
    from plm_core.evidence.domain import CompareJob, FitJob
    from plm_core.evidence.domain_continue import ContinueJob
    from plm_core.jobs import DataRef, JobStatus, get_service

    data = DataRef("films.csv", labelled_csv())
    jobs = {"domain-fit": ("domain.fit", FitJob("tiny-bert-mlm", data, n_texts=8)),
            "domain-continue": ("domain.continue", ContinueJob(data=data, steps=5, n_train=10, test_limit=8,
                                                               ppl_texts=8, epochs=1)),
            "domain-korean": ("domain.compare", CompareJob(DataRef("korean-intents"), backbones=("tiny-bert-mlm",),
                                                            n_texts=10))}
    service = get_service()
    ids = {slot: service.submit(kind, config, live=True) for slot, (kind, config) in jobs.items()}
    for job_id in ids.values():
        snap = service.wait(job_id, timeout=300)
        assert snap.status is JobStatus.DONE, snap.error
    return ids


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_page_renders_empty(lang: str) -> None:
    at = open_app_page(PAGE, lang, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == t("domain.title", lang)
    assert [b.label for b in at.button if b.label == t("domain.measure", lang)]
    if lang == "ko":
        assert english_left(at) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_finished_jobs_render(finished_jobs, lang: str) -> None:
    at = open_app_page(PAGE, lang, timeout=120)
    for slot, job_id in finished_jobs.items():
        at.session_state[f"job:{slot}"] = job_id
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    headers = [h.value for h in at.subheader]
    for key in ("domain.fit.header", "domain.overlap.header", "domain.map.header", "domain.cont.ppl_header",
                "domain.cont.transfer_header"):
        assert t(key, lang) in headers
    assert len(at.get("plotly_chart")) == 2  # the map and the continued-pretraining curve
    assert len(at.dataframe) == 2  # the fit table, the comparison
    assert len(at.table) == 2  # perplexity before/after, transfer before/after
    if lang == "ko":
        assert english_left(at) == []
