"""Reading a coding submission's files back from storage, for grading on any machine.

The files go through Django's storage API (MEDIA_ROOT, or a bucket that several machines share:
settings.MEDIA_STORAGE), and storage is trusted no more than the upload was: a worker reads at most
what the upload limits allow, sizes checked before anything is read, and each file must match the
size and SHA-256 recorded when it was uploaded.
"""
from __future__ import annotations

import hashlib

from django.core.files.storage import FileSystemStorage, Storage

from coursesite.assignments.models import Submission, SubmissionFile
from coursesite.assignments.uploads import UploadLimits

try:
    from botocore.exceptions import BotoCoreError, ClientError
    STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:                     # django-storages' S3 backend not installed: file-system storage only
    STORAGE_ERRORS = (OSError,)


class StoredFileUnreadable(Exception):
    """Storage could not give a file now (unreachable, or the file not there for this machine): worth a retry."""


class StoredFileChanged(Exception):
    """Storage holds something other than what was uploaded, or more than the limits allow: a retry won't help."""


def submission_files_read(submission: Submission, limits: UploadLimits) -> dict[str, bytes]:
    """File name -> contents of the submission's files, exactly as uploaded."""
    stored_files = list(submission.files.all())
    if len(stored_files) > limits.code_max_files:
        raise StoredFileChanged(f"submission {submission.id} has {len(stored_files)} files; "
                                f"the upload limit is {limits.code_max_files}")
    files: dict[str, bytes] = {}
    room = limits.code_total_max_bytes
    for stored in stored_files:
        allowed = min(limits.code_file_max_bytes, room)
        if stored.size > allowed:
            raise StoredFileChanged(f"{stored.name} of submission {submission.id} is recorded as {stored.size} bytes, "
                                    f"above the upload limits ({limits.code_file_max_bytes} bytes a file, "
                                    f"{limits.code_total_max_bytes} in all)")
        files[stored.name] = _read_checked(stored)
        room -= stored.size
    return files


def _read_checked(stored: SubmissionFile) -> bytes:
    storage = stored.file.storage
    try:
        with storage.open(stored.file.name, "rb") as f:
            # Checked before the first read, which is when S3's file object fetches the whole object
            # (its size comes from the HEAD request that opening made).
            if f.size != stored.size:
                raise StoredFileChanged(f"{stored.name} in {describe_storage(storage)} has {f.size} bytes; "
                                        f"{stored.size} were uploaded")
            content = f.read(stored.size + 1)
    except FileNotFoundError as exc:
        raise StoredFileUnreadable(
            f"{stored.name} ({stored.file.name}) is not in {describe_storage(storage)}: does every worker use "
            f"the site's storage (MEDIA_STORAGE and its bucket, or a shared MEDIA_ROOT)?") from exc
    except STORAGE_ERRORS as exc:
        raise StoredFileUnreadable(f"{stored.name} could not be read from {describe_storage(storage)} "
                                   f"({type(exc).__name__}: {exc})") from exc
    if len(content) != stored.size or hashlib.sha256(content).hexdigest() != stored.sha256:
        raise StoredFileChanged(f"{stored.name} in {describe_storage(storage)} is not the file that was uploaded "
                                f"(its SHA-256 differs)")
    return content


def describe_storage(storage: Storage) -> str:
    """Where files are, in a message for staff: `the bucket media`, `the folder /srv/media`."""
    if isinstance(storage, FileSystemStorage):
        return f"the folder {storage.location}"
    bucket = getattr(storage, "bucket_name", None)
    return f"the bucket {bucket}" if bucket else type(storage).__name__
