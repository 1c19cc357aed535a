"""The only writers of grading jobs: create and enqueue after commit, claim with a lease, renew its
heartbeat, finish by compare-and-set, release for a retry, fail, and the sweep that bounds lateness."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from kombu.exceptions import KombuError

from coursesite.assignments.models import Submission
from coursesite.autograding.models import GradingJob
from coursesite.autograding.selectors import scaled_points
from coursesite.display import plain_number, signed_number
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_set
from coursesite.grades.sources import AutomaticScore, adjustment_for

log = logging.getLogger(__name__)
S = GradingJob.Status


def lease() -> timedelta:
    """How long one attempt may run before the sweep takes it back, heartbeat or not; far above the task's hard
    limit, so it binds only a worker whose heartbeat outlived its grading."""
    return timedelta(seconds=settings.AUTOGRADER_LEASE_SECONDS)


def abandoned(now: datetime) -> Q:
    """Running jobs whose worker is gone: no heartbeat for the heartbeat timeout (a killed worker, a lost
    machine), or past the lease, which a live heartbeat does not extend."""
    silent = now - timedelta(seconds=settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS)
    return Q(status=S.RUNNING) & (Q(heartbeat_at__lt=silent) | Q(claimed_at__lt=now - lease()))


def enqueue(job_id: int) -> None:
    # Sent by name: the task module imports this one, so the import goes one way only.
    current_app.send_task("autograding.grade_submission", args=[job_id])


def grading_job_create(*, submission: Submission, now: datetime) -> GradingJob:
    """A queued job for the submission; the task is sent only once the transaction commits.

    `robust=True`: if the broker is down the upload still succeeds (the row is committed and
    the sweep sends it later); the error is logged, not shown to the student.
    """
    job = GradingJob.objects.create(submission=submission, spec_name=submission.assignment.autograder_spec, queued_at=now)

    def send_grading_job() -> None:  # not a partial: Django names a failing robust hook by its __qualname__
        enqueue(job.id)

    transaction.on_commit(send_grading_job, robust=True)
    return job


def grading_job_claim(*, job_id: int, now: datetime) -> GradingJob | None:
    """QUEUED/RETRY, or RUNNING but abandoned -> RUNNING with the next attempt number.

    None when another worker holds it, it is finished, or it used all its attempts.
    """
    claimable = Q(status__in=[S.QUEUED, S.RETRY]) | abandoned(now)
    updated = GradingJob.objects.filter(claimable, id=job_id, attempt__lt=settings.AUTOGRADER_MAX_ATTEMPTS).update(
        status=S.RUNNING, attempt=F("attempt") + 1, claimed_at=now, heartbeat_at=now
    )
    return GradingJob.objects.select_related("submission__assignment").get(id=job_id) if updated else None


def grading_job_beat(*, job: GradingJob, now: datetime) -> bool:
    """Renew the heartbeat of the attempt being graded. False once the job is no longer this attempt's (taken
    back, claimed again, finished): a worker that lost its job can never keep it looking alive."""
    return bool(GradingJob.objects.filter(id=job.id, status=S.RUNNING, attempt=job.attempt).update(heartbeat_at=now))


def grading_job_finish(*, job: GradingJob, result: dict, now: datetime) -> bool:
    """Write the result once: only the attempt that still owns the job may finish it.

    The student's Score follows when this is their active submission.
    """
    score = Decimal(str(result["score"]))
    max_score = sum((Decimal(str(t["max_score"])) for t in result.get("tests", [])), Decimal(0))
    with transaction.atomic():
        updated = GradingJob.objects.filter(id=job.id, status=S.RUNNING, attempt=job.attempt).update(
            status=S.DONE, result=result, score=score, max_score=max_score, finished_at=now
        )
        if updated:
            autograder_score_sync(submission=Submission.objects.get(pk=job.submission_id), now=now)
    if not updated:
        log.warning("job %s attempt %s lost its lease before finishing; result dropped", job.id, job.attempt)
    return bool(updated)


def autograder_score(submission: Submission) -> AutomaticScore | None:
    """The autograder's score of the submission: its finished result scaled to the assignment's points
    (the spec's total may differ), plus the changes of the regrade requests answered on that submission,
    so a student who makes another submission the graded one and later goes back finds the regrade
    still there. None while the submission has no finished result."""
    job = GradingJob.objects.filter(submission=submission, status=S.DONE).first()
    if job is None or not job.max_score:
        return None
    assignment = submission.assignment
    scaled = scaled_points(job.score, job.max_score, assignment.points)
    regraded = adjustment_for(submission)
    comment = f"Autograder: {plain_number(job.score)} of {plain_number(job.max_score)} test points."
    if regraded:
        comment += f" Regrade requests: {signed_number(regraded)} points."
    return AutomaticScore(points=max(scaled + regraded, Decimal(0)), comment=comment,
                          source=Score.Source.AUTOGRADER, submission=submission)


def autograder_score_sync(*, submission: Submission, now: datetime) -> None:
    """Set the Score of every student the submission counts for (the uploader, or each member of its group)
    from the autograder when it is the active submission: graded once, one score row per member.

    A score a person decided (a staff entry or override, a regrade of an exam-like score) stays:
    score_set leaves it alone, as it keeps a member's adjustment of a group's score. Nothing to do for
    other submissions or unfinished jobs.
    """
    automatic = autograder_score(submission) if submission.is_active else None
    if automatic is None:
        return
    assignment = submission.assignment
    for student in submission.students():
        score_set(member=student, assignment=assignment, points=automatic.points, comment=automatic.comment,
                  by=None, now=now, above_maximum_confirmed=automatic.points > assignment.points,  # confirmed by staff
                  why=f"autograder, submission #{submission.id}", source=automatic.source, submission=submission)


def grading_job_release(*, job: GradingJob, error: str = "") -> bool:
    """RUNNING -> RETRY (same attempt) so that the retry of the task can claim it again; `error`, the
    infrastructure trouble that stopped this attempt, is kept for staff (the last one wins)."""
    return bool(GradingJob.objects.filter(id=job.id, status=S.RUNNING, attempt=job.attempt).update(
        status=S.RETRY, staff_message=error[:2000]))


def grading_job_fail(*, job_id: int, message: str, now: datetime) -> bool:
    """Give up on a job that is not finished: the student sees "could not be graded", staff the reason."""
    updated = GradingJob.objects.filter(id=job_id).exclude(status__in=GradingJob.FINISHED).update(
        status=S.FAILED, staff_message=message, finished_at=now
    )
    return bool(updated)


def grading_jobs_sweep(*, now: datetime) -> list[int]:
    """Re-send jobs whose message may be lost; fail those out of attempts. Returns the re-sent ids.

    A queued job older than the resend delay may have been enqueued while the broker was down; an
    abandoned running job belonged to a worker that died, and goes back to RETRY (its attempt can then
    neither finish nor beat). Each job is taken by compare-and-set on what made it due, so sweeps running
    at once in several workers send it once; sending twice would be harmless anyway (one claim wins).
    """
    resend_before = now - timedelta(seconds=settings.AUTOGRADER_RESEND_SECONDS)
    waiting = Q(status__in=[S.QUEUED, S.RETRY])
    exhausted = GradingJob.objects.filter(abandoned(now) | waiting, attempt__gte=settings.AUTOGRADER_MAX_ATTEMPTS)
    for job_id, last_error in exhausted.values_list("id", "staff_message"):
        message = f"Gave up after {settings.AUTOGRADER_MAX_ATTEMPTS} attempts."
        grading_job_fail(job_id=job_id, message=f"{message} The last one: {last_error}" if last_error else message,
                         now=now)
    due = list(GradingJob.objects.filter(waiting, queued_at__lt=resend_before).values_list("id", flat=True))
    sent = []
    for job_id, attempt in GradingJob.objects.filter(abandoned(now)).values_list("id", "attempt"):
        taken = GradingJob.objects.filter(abandoned(now), id=job_id, attempt=attempt).update(
            status=S.RETRY, queued_at=now, staff_message=f"Attempt {attempt}: its worker stopped answering.")
        if taken and not _resend(job_id, now=now):
            return sent      # the broker is down: the rest stay due, for the next sweep
        sent += [job_id] if taken else []
    for job_id in due:
        taken = GradingJob.objects.filter(waiting, id=job_id, queued_at__lt=resend_before).update(queued_at=now)
        if taken and not _resend(job_id, now=now):
            return sent
        sent += [job_id] if taken else []
    if sent:
        log.info("sweep re-sent grading jobs %s", sent)
    return sent


def _resend(job_id: int, *, now: datetime) -> bool:
    """Send a job the sweep took; if the broker refuses it, make the job due again at the next sweep."""
    try:
        enqueue(job_id)
    except (KombuError, OSError) as exc:
        GradingJob.objects.filter(id=job_id, status__in=[S.QUEUED, S.RETRY], queued_at=now).update(
            queued_at=now - timedelta(seconds=settings.AUTOGRADER_RESEND_SECONDS + 1))
        log.warning("sweep could not send grading job %s (%s: %s); the next sweep tries again",
                    job_id, type(exc).__name__, exc)
        return False
    return True


def submission_stored(*, submission: Submission, now: datetime) -> None:
    """A new submission of an autograded assignment gets its grading job (assignments.grading)."""
    if submission.assignment.autograder_spec:
        grading_job_create(submission=submission, now=now)
