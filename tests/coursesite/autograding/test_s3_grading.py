"""Grading on a machine that shares only the bucket: a real worker, a real S3-compatible server
(tests/s3server.py), the real sandbox, and no MEDIA_ROOT in common with the site."""
from pathlib import Path

import pytest
from django.conf import settings

from coursesite.autograding.models import GradingJob
from tests.coursesite.autograding.conftest import CORRECT_HW1, wait_for
from tests.coursesite.autograding.test_pipeline import job_finished, upload
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hw1(db):
    return AssignmentFactory(course=CourseFactory(), coding=True, key="hw1-coding")


@pytest.fixture
def alice(hw1):
    return MembershipFactory(course=hw1.course, user=UserFactory(username="alice"))


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_worker_with_an_empty_media_root_of_its_own_grades_files_that_live_only_in_the_bucket(
        client, worker_factory, s3_media, hw1, alice, tmp_path):
    worker_media = tmp_path / "worker-media"
    worker_media.mkdir()
    worker_factory(env={**s3_media.environment, "MEDIA_ROOT": str(worker_media)})

    job = upload(client, alice, hw1, CORRECT_HW1)
    assert sorted(s3_media.keys()) == [f"submissions/{hw1.course.slug}/hw1-coding/{job.submission_id}/{name}"
                                       for name in ("README.md", "hw1.py")]
    job = wait_for(lambda: job_finished(job.id), timeout=120, what="the grade")
    assert (job.status, job.attempt, job.score, job.max_score) == (GradingJob.Status.DONE, 1, 100, 100)
    assert files_in(worker_media) == [] and files_in(Path(settings.MEDIA_ROOT)) == []


def test_a_worker_without_the_sites_storage_gives_up_saying_where_it_looked(
        client, worker_factory, s3_media, hw1, alice, tmp_path):
    """The misconfiguration of a second machine: its worker reads its own empty MEDIA_ROOT, not the bucket.
    Not the student's fault, so it is retried (in case storage comes back), then staff are told what to check."""
    worker_media = tmp_path / "worker-media"
    worker_media.mkdir()
    worker_factory(env={"MEDIA_STORAGE": "filesystem", "MEDIA_ROOT": str(worker_media)})

    job = upload(client, alice, hw1, CORRECT_HW1)
    job = wait_for(lambda: job_finished(job.id), timeout=120, what="the worker to give up")
    assert (job.status, job.attempt) == (GradingJob.Status.FAILED, settings.AUTOGRADER_MAX_ATTEMPTS)
    assert f"is not in the folder {worker_media}: does every worker use the site's storage" in job.staff_message
