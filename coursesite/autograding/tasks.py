"""Celery tasks: small and idempotent. Load by id, do the work, write the result once."""
from __future__ import annotations

import logging
import resource

from celery import shared_task
from celery.signals import worker_init, worker_process_init
from django.conf import settings
from django.utils import timezone
from threadpoolctl import threadpool_limits

from coursesite.assignments.storedfiles import StoredFileChanged, StoredFileUnreadable, submission_files_read
from coursesite.assignments.uploads import UploadLimits
from coursesite.autograding.liveness import heartbeat
from coursesite.autograding.services import (
    grading_job_claim,
    grading_job_fail,
    grading_job_finish,
    grading_job_release,
)
from grader.core import SandboxUnavailable, grade
from grader.sandbox import Limits

log = logging.getLogger(__name__)


def _grade_submission_failed(self, exc, task_id, args, kwargs, einfo) -> None:
    """After the last retry, or on an error in the grader itself: a clear state, never a lost job."""
    grading_job_fail(job_id=args[0], message=f"{type(exc).__name__}: {exc}", now=timezone.now())


@shared_task(
    name="autograding.grade_submission",
    bind=True,
    acks_late=True,
    # Trouble of the machine (no sandbox, storage unreachable), never of the student's code.
    autoretry_for=(SandboxUnavailable, StoredFileUnreadable),
    retry_backoff=True,
    retry_backoff_max=60,
    # One claim an attempt: the retries end where the job's attempts do (grading_job_claim refuses more).
    max_retries=settings.AUTOGRADER_MAX_ATTEMPTS - 1,
    ignore_result=True,
    on_failure=_grade_submission_failed,
)
def grade_submission(self, job_id: int) -> None:
    job = grading_job_claim(job_id=job_id, now=timezone.now())
    if job is None:
        log.info("job %s: nothing to do (finished, or held by another worker)", job_id)
        return
    with heartbeat(job, every=settings.AUTOGRADER_HEARTBEAT_SECONDS):  # from the claim until the result is written
        try:
            # From the site's storage (maybe a bucket on another machine) into memory, bounded by the upload
            # limits; grade() copies them into its own private job folder for the sandbox.
            files = submission_files_read(job.submission, UploadLimits.from_settings())
            result = grade(job.spec_name, files, Limits(**settings.GRADER_LIMITS))
        except (SandboxUnavailable, StoredFileUnreadable) as exc:
            grading_job_release(job=job, error=f"{type(exc).__name__}: {exc}")  # RUNNING -> RETRY for the retry
            raise
        except StoredFileChanged as exc:
            log.error("job %s: %s", job_id, exc)
            grading_job_fail(job_id=job_id, message=f"The submitted files could not be graded: {exc}.",
                             now=timezone.now())
            return
        grading_job_finish(job=job, result=result.to_gradescope_json(), now=timezone.now())


@worker_init.connect
def load_grading_specs(**kwargs) -> None:
    """In the worker's main process, before its pool forks: build every grading spec's inputs once
    (``grader.core.prepare``), so that the pool processes inherit them. Otherwise each pool process's
    first grading paid for it (HW1 imports scikit-learn and loads its digits: about 1.3 s) while a
    student waited."""
    from grader.core import prepare
    from grader.specs import SPECS

    for name in SPECS:
        try:
            prepare(name)
        except Exception:                           # a warm-up only: the grading itself will report it
            log.exception("could not load grading spec %s ahead of the first grading", name)


@worker_process_init.connect
def one_blas_thread(**kwargs) -> None:
    """Each pool process grades one submission at a time and there are as many as the cores, so the
    scoring's NumPy needs no BLAS threads of its own: with every core busy they only spin and wait
    (measured with the other core busy: 35 ms of scoring CPU a submission with them, 24 ms without)."""
    threadpool_limits(limits=1, user_api="blas")


@worker_process_init.connect
def scoring_memory_limit(**kwargs) -> None:
    """Bound the address space of each pool process at what it holds now plus
    AUTOGRADER_SCORING_MEMORY_BYTES: results the sandbox wrote are read and scored here, and if a
    forged one still slipped past the grader's bounds, the allocation fails (MemoryError: that test
    or that grading fails) instead of the kernel killing the worker. The sandbox sets its own limits."""
    limit_address_space(extra_bytes=settings.AUTOGRADER_SCORING_MEMORY_BYTES)


def limit_address_space(*, extra_bytes: int) -> int:
    """Set this process's RLIMIT_AS to its current size plus `extra_bytes` (within the hard limit); returns it."""
    with open("/proc/self/status") as status:
        size_kib = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = size_kib * 1024 + extra_bytes
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return soft
