"""Helpers for the assignments tests: the frozen time, posting uploads, reading what a student sees."""
import html
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment, Submission, SubmissionFile
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.people.models import Membership
from tests.pdfs import minimal_pdf

PITTSBURGH = ZoneInfo("America/New_York")
NOW = datetime(2021, 2, 10, 12, 0, tzinfo=PITTSBURGH)        # a Wednesday noon, mid-term
DAY = timedelta(days=1)


def as_user(client, membership: Membership):
    client.force_login(membership.user)
    return client


def upload_url(assignment: Assignment) -> str:
    return reverse("assignments:submission-upload", args=[assignment.course.slug, assignment.key])


def page_url(assignment: Assignment) -> str:
    return reverse("assignments:detail", args=[assignment.course.slug, assignment.key])


def files(**named: bytes) -> list[SimpleUploadedFile]:
    """files(hw1_py=b"...") -> [SimpleUploadedFile("hw1.py", ...)]; '_' before the last part is a '.'."""
    return [SimpleUploadedFile(".".join(key.rsplit("_", 1)), content) for key, content in named.items()]


def post_upload(client, assignment: Assignment, uploads, acknowledged_days_late=0, **extra):
    data = {"acknowledged_days_late": acknowledged_days_late, **extra}
    if uploads:
        data["files"] = uploads
    return client.post(upload_url(assignment), data)


def text_of(response) -> str:
    """The response's text as the student reads it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def assert_nothing_stored() -> None:
    assert Submission.objects.count() == 0
    assert SubmissionFile.objects.count() == 0
    assert media_files() == []


def assert_refused(response, message: str) -> None:
    """Refused on the form: status 400, the message shown, and nothing stored anywhere."""
    assert response.status_code == 400
    assert message in text_of(response)
    assert_nothing_stored()


def pdf_upload(text: str = "Problem 1") -> CheckedUpload:
    return CheckedUpload(files=(CheckedFile("writeup.pdf", minimal_pdf(text)),))
