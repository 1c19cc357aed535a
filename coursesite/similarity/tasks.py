"""The comparison task: small and idempotent. Load the run by id, claim it, compare, write the result once."""
from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from coursesite.assignments.storedfiles import StoredFileUnreadable
from coursesite.similarity.services import similarity_run_claim, similarity_run_execute, similarity_run_fail

log = logging.getLogger(__name__)


@shared_task(name="similarity.compare_submissions", acks_late=True, ignore_result=True,
             soft_time_limit=settings.SIMILARITY_TIME_LIMIT_SECONDS,
             time_limit=settings.SIMILARITY_TIME_LIMIT_SECONDS + 30)
def compare_submissions(run_id: int) -> None:
    run = similarity_run_claim(run_id=run_id, now=timezone.now())
    if run is None:
        log.info("similarity run %s: nothing to do (finished, or running elsewhere)", run_id)
        return
    try:
        similarity_run_execute(run=run, clock=timezone.now)
    except StoredFileUnreadable as exc:
        similarity_run_fail(run_id=run_id, now=timezone.now(),
                            problem=f"The submissions' storage could not be read ({exc}); compare again later.")
    except Exception as exc:        # whatever it was, the run must not stay "running" for the sweep to find
        log.exception("similarity run %s failed", run_id)
        similarity_run_fail(run_id=run_id, now=timezone.now(), problem=f"The comparison failed: {type(exc).__name__}: "
                            f"{exc}. This is the site's fault, not the students': tell the site's maintainers.")
