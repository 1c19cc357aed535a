"""The grading job's state machine: claim with a lease, finish by compare-and-set, the sweep."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import coursesite.autograding.services as services
from coursesite.assignments.services import submission_create, submission_make_active
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.autograding.models import GradingJob
from coursesite.autograding.services import (
    grading_job_claim,
    grading_job_fail,
    grading_job_finish,
    grading_job_release,
    grading_jobs_sweep,
)
from coursesite.grades.models import Score
from tests.factories import AssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db
UPLOAD = CheckedUpload(files=(CheckedFile("hw1.py", b"def relu(a):\n    return a\n"), CheckedFile("README.md", b"# hw1\n")))
RESULT = {"score": 75.0, "max_score": 100.0, "tests": [{"name": "relu: zeros", "score": 75.0, "max_score": 100.0,
                                                        "status": "failed", "output": "", "visibility": "visible"}]}


@pytest.fixture
def hw1(db):
    return AssignmentFactory(coding=True)


@pytest.fixture
def alice(hw1):
    return MembershipFactory(course=hw1.course)


def submit(member, assignment, **later):
    return submission_create(member=member, assignment=assignment, upload=UPLOAD, now=timezone.now() + timedelta(**later))


def test_a_coding_upload_is_queued_for_grading_only_after_commit(django_capture_on_commit_callbacks, alice, hw1):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = submit(alice, hw1)
    job = GradingJob.objects.get(submission=submission)
    assert (job.status, job.spec_name, job.attempt) == (GradingJob.Status.QUEUED, "hw1", 0)
    assert len(callbacks) == 1


def test_a_pdf_upload_makes_no_grading_job(alice):
    problem_set = AssignmentFactory(course=alice.course)
    pdf = CheckedUpload(files=(CheckedFile("w.pdf", b"%PDF-1.4"),))
    submission_create(member=alice, assignment=problem_set, upload=pdf, now=timezone.now())
    assert not GradingJob.objects.exists()


def test_only_one_claim_of_a_job_succeeds(alice, hw1):
    job = GradingJob.objects.get(submission=submit(alice, hw1))
    now = timezone.now()
    claimed = grading_job_claim(job_id=job.id, now=now)
    assert (claimed.status, claimed.attempt) == (GradingJob.Status.RUNNING, 1)
    assert grading_job_claim(job_id=job.id, now=now) is None


def test_a_running_job_past_its_lease_is_claimed_again_with_a_new_attempt(alice, hw1, settings):
    job = GradingJob.objects.get(submission=submit(alice, hw1))
    stale = grading_job_claim(job_id=job.id, now=timezone.now())
    later = timezone.now() + timedelta(seconds=settings.AUTOGRADER_LEASE_SECONDS + 1)
    fresh = grading_job_claim(job_id=job.id, now=later)
    assert fresh.attempt == 2
    assert grading_job_finish(job=stale, result=RESULT, now=later) is False  # the old attempt can't write
    assert grading_job_finish(job=fresh, result=RESULT, now=later) is True
    assert GradingJob.objects.get(id=job.id).score == 75


def test_finishing_the_active_submission_sets_the_score_scaled_to_the_assignment(alice, hw1):
    hw1.points = 50
    hw1.save()
    job = grading_job_claim(job_id=GradingJob.objects.get(submission=submit(alice, hw1)).id, now=timezone.now())
    grading_job_finish(job=job, result=RESULT, now=timezone.now())
    assert Score.objects.get(member=alice, assignment=hw1).points == 37.5


def test_choosing_an_older_graded_submission_brings_its_score_back(alice, hw1):
    first = submit(alice, hw1)
    job = grading_job_claim(job_id=first.grading_job.id, now=timezone.now())
    grading_job_finish(job=job, result=RESULT, now=timezone.now())
    second = submit(alice, hw1, minutes=1)
    perfect = {**RESULT, "score": 100.0}
    job = grading_job_claim(job_id=second.grading_job.id, now=timezone.now())
    grading_job_finish(job=job, result=perfect, now=timezone.now())
    assert Score.objects.get(member=alice).points == 100
    first.refresh_from_db()
    submission_make_active(submission=first)
    assert Score.objects.get(member=alice).points == 75


def test_a_released_job_can_be_claimed_by_the_retry(alice, hw1):
    job = grading_job_claim(job_id=GradingJob.objects.get(submission=submit(alice, hw1)).id, now=timezone.now())
    assert grading_job_release(job=job)
    assert grading_job_claim(job_id=job.id, now=timezone.now()).attempt == 2


def test_the_sweep_resends_jobs_left_queued_and_fails_those_out_of_attempts(alice, hw1, settings, monkeypatch):
    waiting = GradingJob.objects.get(submission=submit(alice, hw1))
    tired = GradingJob.objects.get(submission=submit(MembershipFactory(course=hw1.course), hw1))
    GradingJob.objects.filter(id=tired.id).update(status=GradingJob.Status.RETRY, attempt=settings.AUTOGRADER_MAX_ATTEMPTS)
    sent = []
    later = timezone.now() + timedelta(seconds=settings.AUTOGRADER_RESEND_SECONDS + 1)
    monkeypatch.setattr(services, "enqueue", sent.append)  # what would go to the broker
    assert grading_jobs_sweep(now=later) == [waiting.id]
    assert sent == [waiting.id]
    tired.refresh_from_db()
    assert tired.status == GradingJob.Status.FAILED
    assert "Gave up after 3 attempts" in tired.staff_message


def test_a_job_that_runs_out_of_attempts_keeps_the_last_infrastructure_error_for_staff(alice, hw1, settings,
                                                                                          monkeypatch):
    job = GradingJob.objects.get(submission=submit(alice, hw1))
    for attempt in range(1, settings.AUTOGRADER_MAX_ATTEMPTS + 1):
        claimed = grading_job_claim(job_id=job.id, now=timezone.now())
        assert grading_job_release(job=claimed, error=f"SandboxUnavailable: bwrap failed ({attempt})")
    monkeypatch.setattr(services, "enqueue", lambda job_id: None)
    grading_jobs_sweep(now=timezone.now())
    job.refresh_from_db()
    assert (job.status, job.staff_message) == (
        GradingJob.Status.FAILED, "Gave up after 3 attempts. The last one: SandboxUnavailable: bwrap failed (3)")


def test_the_task_retries_no_more_often_than_a_job_may_be_attempted(settings):
    from coursesite.autograding.tasks import grade_submission

    assert grade_submission.max_retries + 1 == settings.AUTOGRADER_MAX_ATTEMPTS


def test_a_failed_job_stays_failed(alice, hw1):
    job = GradingJob.objects.get(submission=submit(alice, hw1))
    assert grading_job_fail(job_id=job.id, message="bwrap missing", now=timezone.now())
    assert grading_job_claim(job_id=job.id, now=timezone.now()) is None


def test_uploads_beyond_the_rate_limit_are_refused_with_the_time_to_wait(client, alice, hw1, settings):
    settings.SUBMISSION_RATE_LIMIT = (2, 600)
    client.force_login(alice.user)
    url = reverse("assignments:submission-upload", args=[hw1.course.slug, hw1.key])
    for _ in range(2):
        files = [SimpleUploadedFile("hw1.py", b"x = 1\n"), SimpleUploadedFile("README.md", b"# r\n")]
        assert client.post(url, {"files": files, "acknowledged_days_late": 0}).status_code == 302
    files = [SimpleUploadedFile("hw1.py", b"x = 1\n"), SimpleUploadedFile("README.md", b"# r\n")]
    response = client.post(url, {"files": files, "acknowledged_days_late": 0})
    assert response.status_code == 400
    assert "You have submitted 2 times in the last 10 minutes; you can submit again at" in response.content.decode()
    assert alice.submissions.count() == 2


def claimed(member, assignment, now):
    return grading_job_claim(job_id=GradingJob.objects.get(submission=submit(member, assignment)).id, now=now)


def test_a_running_job_whose_heartbeat_stopped_is_taken_back_long_before_its_lease(alice, hw1, settings, monkeypatch):
    now = timezone.now()
    job = claimed(alice, hw1, now)
    sent = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    silent = now + timedelta(seconds=settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS + 1)
    assert silent < now + timedelta(seconds=settings.AUTOGRADER_LEASE_SECONDS)
    assert grading_jobs_sweep(now=silent) == sent == [job.id]
    job.refresh_from_db()
    assert (job.status, job.attempt, job.staff_message) == (
        GradingJob.Status.RETRY, 1, "Attempt 1: its worker stopped answering.")
    assert grading_job_claim(job_id=job.id, now=silent).attempt == 2


def test_a_beating_job_is_left_to_its_worker_until_its_lease_runs_out(alice, hw1, settings, monkeypatch):
    now = timezone.now()
    job = claimed(alice, hw1, now)
    monkeypatch.setattr(services, "enqueue", lambda job_id: None)
    step = timedelta(seconds=settings.AUTOGRADER_HEARTBEAT_SECONDS)
    at = now
    while at + step < now + timedelta(seconds=settings.AUTOGRADER_LEASE_SECONDS):
        at += step
        assert services.grading_job_beat(job=job, now=at)
        assert grading_jobs_sweep(now=at) == []
        assert grading_job_claim(job_id=job.id, now=at) is None
    past_lease = now + timedelta(seconds=settings.AUTOGRADER_LEASE_SECONDS + 1)
    assert services.grading_job_beat(job=job, now=past_lease)     # alive, yet the lease is the hard bound
    assert grading_jobs_sweep(now=past_lease) == [job.id]


def test_a_worker_that_lost_its_job_can_neither_renew_its_heartbeat_nor_finish_it(alice, hw1, settings, monkeypatch):
    now = timezone.now()
    stale = claimed(alice, hw1, now)
    monkeypatch.setattr(services, "enqueue", lambda job_id: None)
    later = now + timedelta(seconds=settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS + 1)
    grading_jobs_sweep(now=later)
    assert services.grading_job_beat(job=stale, now=later) is False
    fresh = grading_job_claim(job_id=stale.id, now=later)
    assert services.grading_job_beat(job=stale, now=later) is False
    assert grading_job_finish(job=stale, result=RESULT, now=later) is False
    assert services.grading_job_beat(job=fresh, now=later) is True
    assert grading_job_finish(job=fresh, result=RESULT, now=later) is True


def test_two_sweeps_at_once_send_an_abandoned_job_once(alice, hw1, settings, monkeypatch):
    now = timezone.now()
    job = claimed(alice, hw1, now)
    waiting = GradingJob.objects.get(submission=submit(MembershipFactory(course=hw1.course), hw1))
    sent = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    later = now + timedelta(seconds=max(settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS,
                                        settings.AUTOGRADER_RESEND_SECONDS) + 1)
    assert sorted(grading_jobs_sweep(now=later) + grading_jobs_sweep(now=later)) == sorted([job.id, waiting.id])
    assert sorted(sent) == sorted([job.id, waiting.id])


def test_a_job_the_broker_refuses_is_sent_again_by_the_next_sweep(alice, hw1, settings, monkeypatch, caplog):
    from kombu.exceptions import OperationalError

    now = timezone.now()
    job = claimed(alice, hw1, now)

    def broker_down(job_id):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(services, "enqueue", broker_down)
    later = now + timedelta(seconds=settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS + 1)
    assert grading_jobs_sweep(now=later) == []
    assert f"sweep could not send grading job {job.id} (OperationalError: Error 111" in caplog.text
    sent = []
    monkeypatch.setattr(services, "enqueue", sent.append)
    assert grading_jobs_sweep(now=later + timedelta(seconds=1)) == sent == [job.id]
