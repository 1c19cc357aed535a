"""Uploads graded by a real Celery worker on a real broker, with the real sandbox."""
import os
import signal
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.conf import settings
from django.utils import timezone

from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.autograding.services import grading_jobs_sweep
from coursesite.autograding.tasks import grade_submission
from coursesite.grades.models import Score
from grader import cgroups
from grader.core import orphan_job_folders
from tests.coursesite.autograding.conftest import CORRECT_HW1, HANDOUT_README, wait_for
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A correct solution whose relu takes its time: long enough to kill a worker in the middle.
SLOW_HW1 = CORRECT_HW1 + b"""

import time as _time
_fast_relu = relu


def relu(a):
    _time.sleep(1.5)
    return _fast_relu(a)
"""


@pytest.fixture
def hw1(db):
    course = CourseFactory()
    return AssignmentFactory(course=course, coding=True, key="hw1-coding")


@pytest.fixture
def alice(hw1):
    return MembershipFactory(course=hw1.course, user=UserFactory(username="alice"))


def upload(client, member, assignment, hw1_py: bytes):
    client.force_login(member.user)
    files = [SimpleUploadedFile("hw1.py", hw1_py), SimpleUploadedFile("README.md", HANDOUT_README)]
    response = client.post(reverse("assignments:submission-upload", args=[assignment.course.slug, assignment.key]),
                           {"files": files, "acknowledged_days_late": 0})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return GradingJob.objects.get(submission__member=member)


def job_finished(job_id):
    job = GradingJob.objects.get(id=job_id)
    return job if job.is_finished else None


def test_an_upload_is_graded_by_a_real_worker_and_its_page_shows_the_feedback(client, worker_factory, hw1, alice):
    worker_factory()
    job = upload(client, alice, hw1, CORRECT_HW1)
    job = wait_for(lambda: job_finished(job.id), what="the grade")
    assert (job.status, job.attempt, job.score, job.max_score) == (GradingJob.Status.DONE, 1, 100, 100)
    assert Score.objects.get(member=alice, assignment=hw1).points == hw1.points
    page = client.get(reverse("autograding:feedback", args=[job.submission_id])).content.decode()
    visible = [t for t in job.result["tests"] if t["visibility"] == "visible"]
    hidden = len(job.result["tests"]) - len(visible)
    assert hidden > 0 and f"{hidden} more tests will be shown after the due date" in page
    assert f"Autograder score: {sum(t['score'] for t in visible):g} / {sum(t['max_score'] for t in visible):g}" in page
    assert 'data-finished="1"' in page


def test_a_second_delivery_of_a_graded_job_changes_nothing(client, worker_factory, hw1, alice):
    worker_factory()
    uploaded = upload(client, alice, hw1, CORRECT_HW1)
    job = wait_for(lambda: job_finished(uploaded.id), what="the grade")
    grade_submission.delay(job.id)
    grade_submission.delay(job.id)
    sentinel = upload(client, MembershipFactory(course=hw1.course), hw1, CORRECT_HW1)
    wait_for(lambda: job_finished(sentinel.id), what="the job sent after the duplicates")  # one worker: in order
    again = GradingJob.objects.get(id=job.id)
    assert (again.attempt, again.finished_at, again.result) == (1, job.finished_at, job.result)
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=alice).count() == 1


def parents() -> dict[int, int]:
    """Each process's parent."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            found[int(stat.parent.name)] = int(stat.read_text().rpartition(")")[2].split()[1])
        except OSError:                     # gone meanwhile
            continue
    return found


def grading_pool_process(worker) -> int | None:
    """The pool process of `worker` that runs a sandbox (an idle worker's pool processes have no child)."""
    tree = parents()
    return next((parent for parent in tree.values() if tree.get(parent) == worker.pid), None)


def grading_in(worker) -> bool:
    return grading_pool_process(worker) is not None


def test_a_worker_killed_mid_grade_is_regraded_by_another_within_seconds_and_once(client, worker_factory, hw1, alice,
                                                                                 capsys):
    workers = [worker_factory(), worker_factory()]
    job = upload(client, alice, hw1, SLOW_HW1)
    grading = wait_for(lambda: next((w for w in workers if grading_in(w)), None), what="a grading sandbox")
    (other,) = [w for w in workers if w is not grading]
    grading.kill()
    killed = time.monotonic()
    assert GradingJob.objects.filter(id=job.id, status=GradingJob.Status.RUNNING, attempt=1).exists()
    # No message brings it back (the broker's own redelivery waits for the visibility timeout): the sweep of
    # the worker left takes the job back once its heartbeat is stale, and sends it again.
    wait_for(lambda: GradingJob.objects.filter(id=job.id, attempt=2).exists(), timeout=60, what="the take-back")
    reclaimed = time.monotonic() - killed
    job = wait_for(lambda: job_finished(job.id), timeout=90, what="the regrade after the kill")
    graded = time.monotonic() - killed
    with capsys.disabled():
        print(f"\nkill -9 to regrade: claimed again after {reclaimed:.1f} s, graded after {graded:.1f} s "
              f"(heartbeat timeout {settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS:g} s, "
              f"sweep every {settings.AUTOGRADER_SWEEP_SECONDS:g} s, lease {settings.AUTOGRADER_LEASE_SECONDS} s)")
    assert reclaimed < 30                                   # the lease (140 s) would have taken far longer
    assert (job.status, job.attempt, job.staff_message) == (
        GradingJob.Status.DONE, 2, "Attempt 1: its worker stopped answering.")
    assert other.alive()
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=alice).count() == 1
    assert Score.objects.filter(member=alice, assignment=hw1).count() == 1
    assert cgroups.run_groups() == []                       # the killed run's own, removed by the next run
    assert orphan_job_folders() == []                       # and its job folder


def test_a_pool_process_killed_mid_grade_is_regraded_once_by_its_own_worker(client, worker_factory, hw1, alice):
    worker = worker_factory()
    job = upload(client, alice, hw1, SLOW_HW1)
    os.kill(wait_for(lambda: grading_pool_process(worker), what="a grading sandbox"), signal.SIGKILL)  # as OOM does
    # The worker's main process lives on: it forks a new pool process (while its sweep thread runs) and, some
    # seconds later, puts the message back (task_reject_on_worker_lost). Whichever comes first once the
    # heartbeat is stale, that delivery or the sweep, takes the job back.
    job = wait_for(lambda: job_finished(job.id), timeout=90, what="the regrade after the kill")
    assert (job.status, job.attempt) == (GradingJob.Status.DONE, 2)
    assert worker.alive()
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=alice).count() == 1


def test_a_live_grading_slower_than_the_heartbeat_timeout_stays_with_its_worker(client, worker_factory, hw1, alice,
                                                                               settings):
    settings.AUTOGRADER_HEARTBEAT_SECONDS = 0.5       # here and in the worker's environment
    settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS = 2
    settings.AUTOGRADER_SWEEP_SECONDS = 0.5
    worker_factory()
    job = upload(client, alice, hw1, SLOW_HW1)
    swept = []

    def finished_while_sweeping():
        swept.extend(grading_jobs_sweep(now=timezone.now()))   # besides the worker's own sweeps
        return job_finished(job.id)

    job = wait_for(finished_while_sweeping, timeout=90, what="the slow grading")
    assert (job.status, job.attempt, job.staff_message, swept) == (GradingJob.Status.DONE, 1, "", [])
    took = (job.finished_at - job.claimed_at).total_seconds()
    assert took > 2 * settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS, f"the grading took only {took:.1f} s"
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=alice).count() == 1
