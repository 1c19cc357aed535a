"""What a student reads of a finished grading: a submission-wide message once, on top of the tests."""
import html

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.autograding.models import GradingJob
from tests.factories import AssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

UPLOAD = CheckedUpload(files=(CheckedFile("hw1.py", b"def relu(a)\n"), CheckedFile("README.md", b"# hw1\n")))
IMPORT_FAILED = "hw1.py could not be imported: raised SyntaxError: expected ':' (hw1.py, line 1)"
NOT_RUN = "not run, because hw1.py could not be imported (see the message above the tests)"


def graded(output: str):
    """Alice's submission, graded to the given top-level output with two tests that were not run."""
    hw1 = AssignmentFactory(coding=True)
    alice = MembershipFactory(course=hw1.course)
    submission = submission_create(member=alice, assignment=hw1, upload=UPLOAD, now=timezone.now())
    tests = [{"name": name, "score": 0.0, "max_score": 5.0, "status": "failed",
              "output": f"{name.split(':')[0]}: {NOT_RUN}", "visibility": "visible"}
             for name in ("relu: zeros", "softmax: one row")]
    GradingJob.objects.filter(submission=submission).update(
        status=GradingJob.Status.DONE, score=0, max_score=10,
        result={"score": 0.0, "output": output, "tests": tests},
    )
    return submission, alice


def page_text(client, submission, member) -> str:
    client.force_login(member.user)
    response = client.get(reverse("assignments:submission-detail", args=[submission.id]))
    assert response.status_code == 200
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_an_import_failure_is_shown_once_above_the_tests(client):
    submission, alice = graded(IMPORT_FAILED)
    text = page_text(client, submission, alice)
    assert text.count("could not be imported: raised SyntaxError") == 1
    assert text.index(IMPORT_FAILED) < text.index("relu: not run")


def test_a_result_without_a_message_shows_no_message_box(client):
    submission, alice = graded("")
    client.force_login(alice.user)
    response = client.get(reverse("assignments:submission-detail", args=[submission.id]))
    assert 'id="grading-output"' not in response.content.decode()
