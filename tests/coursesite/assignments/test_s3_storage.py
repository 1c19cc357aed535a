"""Submission files on S3-compatible storage (a real SeaweedFS server, see tests/s3server.py): stored in the
bucket and nowhere on disk, downloaded only through the access-checking view."""
import urllib.error
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.models import SubmissionFile
from coursesite.assignments.services import submission_create
from coursesite.assignments.storedfiles import StoredFileChanged, submission_files_read
from coursesite.assignments.uploads import CheckedFile, CheckedUpload, UploadLimits
from tests.coursesite.assignments.support import as_user, media_files, post_upload
from tests.factories import AssignmentFactory
from tests.pdfs import minimal_pdf


@pytest.fixture
def frozen_clock():
    """The clock runs here: S3 requests are signed with the time, and the server refuses one far off it."""


@pytest.fixture
def pset(course):
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1")


def download(client, stored: SubmissionFile):
    return client.get(reverse("assignments:file-download", args=[stored.submission_id, stored.id]))


def test_an_upload_is_stored_in_the_bucket_and_nothing_in_media_root(client, s3_media, alice, pset):
    response = post_upload(as_user(client, alice), pset, [_pdf("writeup.pdf", "my answers")])
    assert response.status_code == 302
    stored = SubmissionFile.objects.get()
    assert s3_media.keys() == [f"submissions/{pset.course.slug}/ps1/{stored.submission_id}/writeup.pdf"]
    assert s3_media.read(stored.file.name) == minimal_pdf("my answers")
    assert media_files() == []


def test_the_owner_downloads_a_file_from_the_bucket_and_another_student_gets_404(client, s3_media, alice, bob, pset):
    post_upload(as_user(client, alice), pset, [_pdf("writeup.pdf", "my answers")])
    stored = SubmissionFile.objects.get()

    response = download(client, stored)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="writeup.pdf"'
    assert b"".join(response.streaming_content) == minimal_pdf("my answers")

    as_user(client, bob)
    assert download(client, stored).status_code == 404


def test_a_stored_file_has_no_bucket_url_that_works_without_the_site(client, s3_media, alice, pset):
    post_upload(as_user(client, alice), pset, [_pdf("writeup.pdf", "my answers")])
    url = SubmissionFile.objects.get().file.url          # what a template or the admin would link to
    assert url.startswith(s3_media.server.endpoint_url) and "Signature" not in url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 403


def test_an_upload_failing_after_its_files_were_written_leaves_nothing_in_the_bucket(s3_media, alice, pset):
    twice = CheckedFile("writeup.pdf", minimal_pdf("my answers"))   # the form refuses this; the database too
    with pytest.raises(IntegrityError):
        submission_create(member=alice, assignment=pset, upload=CheckedUpload(files=(twice, twice)), now=timezone.now())
    assert s3_media.keys() == []
    assert SubmissionFile.objects.count() == 0


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(text))


def test_a_file_replaced_in_the_bucket_by_a_larger_one_is_refused_by_its_size(s3_media, alice, course):
    coding = AssignmentFactory(course=course, coding=True)
    upload = CheckedUpload(files=(CheckedFile("hw1.py", b"def relu(a):\n    return a\n"),
                                  CheckedFile("README.md", b"#\n")))
    submission = submission_create(member=alice, assignment=coding, upload=upload, now=timezone.now())
    s3_media.write(submission.files.get(name="hw1.py").file.name, b"#" * 3_000_000)
    with pytest.raises(StoredFileChanged, match="hw1.py in the bucket media has 3000000 bytes; 26 were uploaded"):
        submission_files_read(submission, UploadLimits.from_settings())
