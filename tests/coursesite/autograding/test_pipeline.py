"""Uploads graded by a real Celery worker on a real broker, with the real sandbox."""
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
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


def test_a_worker_killed_mid_grade_loses_nothing_and_grades_it_once(client, worker_factory, hw1, alice, settings):
    settings.AUTOGRADER_LEASE_SECONDS = 3
    first = worker_factory()
    job = upload(client, alice, hw1, SLOW_HW1)
    wait_for(lambda: GradingJob.objects.filter(id=job.id, status=GradingJob.Status.RUNNING).exists(), what="running")
    first.kill()
    assert GradingJob.objects.get(id=job.id).status == GradingJob.Status.RUNNING  # the lease still holds it
    worker_factory()
    assert grading_jobs_sweep(now=timezone.now()) == []  # lease not expired yet: nothing to take back
    time.sleep(settings.AUTOGRADER_LEASE_SECONDS + 0.5)  # the workers compare the lease with the real clock
    assert grading_jobs_sweep(now=timezone.now()) == [job.id]
    job = wait_for(lambda: job_finished(job.id), timeout=90, what="the regrade after the kill")
    assert (job.status, job.attempt) == (GradingJob.Status.DONE, 2)
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=alice).count() == 1
    assert Score.objects.filter(member=alice, assignment=hw1).count() == 1
    assert cgroups.run_groups() == []                       # the killed run's own, removed by the next run
    assert orphan_job_folders() == []                       # and its job folder
