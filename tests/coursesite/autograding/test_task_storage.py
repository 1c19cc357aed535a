"""The grading task and the stored files: what storage holds must be what was uploaded."""
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.autograding.models import GradingJob
from coursesite.autograding.tasks import grade_submission
from tests.factories import AssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db
HW1 = b"def relu(a):\n    return a * (a > 0)\n"


def test_a_file_changed_in_storage_fails_its_job_at_once_and_tells_staff_and_student(client):
    hw1 = AssignmentFactory(coding=True)
    alice = MembershipFactory(course=hw1.course)
    upload = CheckedUpload(files=(CheckedFile("hw1.py", HW1), CheckedFile("README.md", b"# HW1\n")))
    submission = submission_create(member=alice, assignment=hw1, upload=upload, now=timezone.now())
    stored = submission.files.get(name="hw1.py")
    (Path(settings.MEDIA_ROOT) / stored.file.name).write_bytes(HW1.replace(b"*", b"+"))

    grade_submission(GradingJob.objects.get(submission=submission).id)     # in this process: no worker, no retry

    job = GradingJob.objects.get(submission=submission)
    assert (job.status, job.attempt) == (GradingJob.Status.FAILED, 1)
    assert job.staff_message.startswith("The submitted files could not be graded: hw1.py in the folder ")
    assert job.staff_message.endswith("is not the file that was uploaded (its SHA-256 differs).")
    client.force_login(alice.user)
    page = client.get(reverse("autograding:feedback", args=[submission.id])).content.decode()
    assert "Your submission could not be graded automatically. This is not your fault" in page
