"""A submission's files read back from storage for grading: exactly what was uploaded, within the upload limits."""
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings

from coursesite.assignments.services import submission_create
from coursesite.assignments.storedfiles import StoredFileChanged, StoredFileUnreadable, submission_files_read
from coursesite.assignments.uploads import CheckedFile, CheckedUpload, UploadLimits
from tests.coursesite.assignments.support import NOW

HW1 = b"def relu(a):\n    return a * (a > 0)\n"
README = b"# HW1\n"


@pytest.fixture
def submission(alice, coding):
    upload = CheckedUpload(files=(CheckedFile("hw1.py", HW1), CheckedFile("README.md", README)))
    return submission_create(member=alice, assignment=coding, upload=upload, now=NOW)


def stored_path(submission, name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / submission.files.get(name=name).file.name


def test_the_files_are_read_back_as_uploaded(submission):
    assert submission_files_read(submission, UploadLimits.from_settings()) == {"hw1.py": HW1, "README.md": README}


def test_a_file_changed_in_storage_is_refused_by_its_digest(submission):
    stored_path(submission, "hw1.py").write_bytes(HW1.replace(b"a * (a > 0)", b"a + (a > 0)"))  # same size
    with pytest.raises(StoredFileChanged, match=r"hw1.py in the folder .* is not the file that was uploaded"):
        submission_files_read(submission, UploadLimits.from_settings())


def test_a_file_grown_to_10_gb_in_storage_is_refused_before_it_is_read(submission):
    path = stored_path(submission, "hw1.py")
    with path.open("r+b") as f:
        f.truncate(10 << 30)                          # sparse: reading it whole would take 10 GB of memory
    with pytest.raises(StoredFileChanged, match=rf"has {10 << 30} bytes; {len(HW1)} were uploaded"):
        submission_files_read(submission, UploadLimits.from_settings())


def test_files_above_the_upload_limits_are_not_read(submission):
    limits = replace(UploadLimits.from_settings(), code_total_max_bytes=len(HW1) + len(README) - 1)
    with pytest.raises(StoredFileChanged, match="above the upload limits"):
        submission_files_read(submission, limits)


def test_a_missing_file_is_worth_a_retry_and_says_where_it_was_looked_for(submission):
    stored_path(submission, "README.md").unlink()
    with pytest.raises(StoredFileUnreadable, match=rf"README.md \(.*\) is not in the folder {settings.MEDIA_ROOT}: "
                                                   r"does every worker use the site's storage"):
        submission_files_read(submission, UploadLimits.from_settings())
