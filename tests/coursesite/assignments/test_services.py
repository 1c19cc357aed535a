"""submission_create and submission_make_active: what they store, what they refuse, what stays true."""
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from coursesite.assignments.models import Submission, SubmissionFile
from coursesite.assignments.services import (
    LateNotice,
    SubmissionRefused,
    assignment_save,
    submission_create,
    submission_make_active,
)
from coursesite.audit.models import AuditEntry
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.grades.models import Extension
from coursesite.grades.selectors import late_preview
from tests.coursesite.assignments.support import DAY, NOW, assert_nothing_stored, media_files, pdf_upload
from tests.factories import AssignmentFactory
from tests.pdfs import HW1_PY, README, minimal_pdf

pytestmark = pytest.mark.django_db

CODE = CheckedUpload(files=(CheckedFile("hw1.py", HW1_PY), CheckedFile("README.md", README)))


def test_create_stores_each_file_with_its_digest_size_and_bytes(alice, coding):
    submission = submission_create(member=alice, assignment=coding, upload=CODE, now=NOW)

    stored = {f.name: f for f in submission.files.all()}
    assert sorted(stored) == ["README.md", "hw1.py"]
    for name, content in {"hw1.py": HW1_PY, "README.md": README}.items():
        assert stored[name].size == len(content)
        assert stored[name].sha256 == hashlib.sha256(content).hexdigest()
        assert stored[name].file.name == f"submissions/10707-s21/hw1-coding/{submission.id}/{name}"
        with default_storage.open(stored[name].file.name, "rb") as f:
            assert f.read() == content
    assert submission.sha256 == CODE.sha256
    assert len(media_files()) == 2


def test_create_stamps_the_time_it_is_given(alice, pset):
    submission = submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=NOW + DAY)
    submission.refresh_from_db()
    assert submission.submitted_at == NOW + DAY


def test_newest_submission_becomes_the_active_one(alice, pset):
    first = submission_create(member=alice, assignment=pset, upload=pdf_upload("v1"), now=NOW)
    second = submission_create(member=alice, assignment=pset, upload=pdf_upload("v2"), now=NOW + DAY)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_active, second.is_active) == (False, True)


def test_another_students_submission_stays_active(alice, bob, pset):
    bobs = submission_create(member=bob, assignment=pset, upload=pdf_upload(), now=NOW)
    submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=NOW)
    bobs.refresh_from_db()
    assert bobs.is_active


def test_make_active_leaves_exactly_one_active_submission(alice, pset):
    first = submission_create(member=alice, assignment=pset, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=alice, assignment=pset, upload=pdf_upload("v2"), now=NOW + DAY)

    submission_make_active(submission=first)
    submission_make_active(submission=first)                       # twice: still one

    active = Submission.objects.filter(member=alice, assignment=pset, is_active=True)
    assert list(active) == [first]


def test_database_refuses_a_second_active_submission(alice, pset):
    first = submission_create(member=alice, assignment=pset, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=alice, assignment=pset, upload=pdf_upload("v2"), now=NOW + DAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=first.pk).update(is_active=True)


def test_same_files_in_another_order_give_the_same_submission_digest(alice, coding):
    reversed_upload = CheckedUpload(files=tuple(reversed(CODE.files)))
    one = submission_create(member=alice, assignment=coding, upload=CODE, now=NOW)
    other = submission_create(member=alice, assignment=coding, upload=reversed_upload, now=NOW + DAY)
    assert one.sha256 == other.sha256 == CODE.sha256


def test_closed_assignment_is_refused_and_nothing_stored(alice, pset):
    after_cap = pset.due_at + 3 * DAY + DAY / 24 / 60            # one minute after the grace-day cap
    with pytest.raises(SubmissionRefused, match=r"^Problem set 1 closed on Sat Feb 20, 11:59 PM EST: "):
        submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=after_cap)
    assert_nothing_stored()


def test_stale_late_notice_is_refused_and_nothing_stored(alice, pset):
    # The page showed the student an on-time upload; a day passed before they sent it.
    at = pset.due_at + DAY
    notice = LateNotice(acknowledged=0, outcome=late_preview(alice, pset, at))
    with pytest.raises(SubmissionRefused) as refusal:
        submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=at, late_notice=notice)
    assert str(refusal.value).startswith("Check the late-work notice again: ")
    assert str(refusal.value).endswith(" Submit again to confirm.")
    assert_nothing_stored()


def test_late_notice_that_still_holds_is_taken(alice, pset):
    at = pset.due_at + DAY
    notice = LateNotice(acknowledged=1, outcome=late_preview(alice, pset, at))
    submission = submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=at, late_notice=notice)
    assert submission.is_active


def test_upload_at_the_closing_moment_is_taken(alice, pset):
    submission = submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=pset.due_at + 3 * DAY)
    assert submission.is_active


def test_unreleased_assignment_is_refused(alice, course):
    later = AssignmentFactory(course=course, release_at=NOW + DAY, due_at=NOW + 8 * DAY)
    with pytest.raises(SubmissionRefused, match="is not released yet"):
        submission_create(member=alice, assignment=later, upload=pdf_upload(), now=NOW)
    assert_nothing_stored()


def test_exam_is_refused(alice, course):
    exam = AssignmentFactory(course=course, exam=True, title="Midterm")
    with pytest.raises(SubmissionRefused, match="Midterm is an exam; its scores are entered by the course staff."):
        submission_create(member=alice, assignment=exam, upload=pdf_upload(), now=exam.release_at)
    assert_nothing_stored()


def test_staff_cannot_submit(ta, pset):
    with pytest.raises(SubmissionRefused, match="Only students of the course hand in work."):
        submission_create(member=ta, assignment=pset, upload=pdf_upload(), now=NOW)
    assert_nothing_stored()


def test_extension_keeps_the_assignment_open_past_the_class_cap(alice, pset, instructor):
    Extension.objects.create(member=alice, assignment=pset, due_at=pset.due_at + 5 * DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW)
    submission = submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=pset.due_at + 6 * DAY)
    assert submission.is_active


def test_failure_half_way_removes_the_files_already_written(alice, coding, monkeypatch):
    saves = []
    original_save = SubmissionFile.save

    def fail_on_second_file(self, *args, **kwargs):
        saves.append(self.name)
        if len(saves) == 2:
            raise OSError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(SubmissionFile, "save", fail_on_second_file)
    with pytest.raises(OSError, match="disk full"):
        submission_create(member=alice, assignment=coding, upload=CODE, now=NOW)
    assert_nothing_stored()


def test_failure_keeps_the_previous_submission_active(alice, coding, monkeypatch):
    earlier = submission_create(member=alice, assignment=coding, upload=CODE, now=NOW)

    def fail(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(SubmissionFile, "save", fail)
    with pytest.raises(OSError):
        submission_create(member=alice, assignment=coding, upload=CODE, now=NOW + DAY)
    assert list(Submission.objects.all()) == [earlier]
    earlier.refresh_from_db()
    assert earlier.is_active
    assert len(media_files()) == 2


def test_pdf_is_stored_under_its_name(alice, pset):
    content = minimal_pdf()
    submission = submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=NOW)
    (stored,) = submission.files.all()
    assert (stored.name, stored.size, stored.sha256) == ("writeup.pdf", len(content),
                                                         hashlib.sha256(content).hexdigest())
    with stored.file.open("rb") as f:
        assert f.read() == content


def test_a_moved_due_time_is_saved_and_recorded_with_its_reason(pset, instructor):
    old = pset.due_at
    pset.due_at = old + DAY
    assignment_save(assignment=pset, old_times={"due_at": old}, by=instructor.user, why="snow day")
    pset.refresh_from_db()
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.DATES)
    assert pset.due_at == old + DAY
    assert (entry.subject, entry.why, entry.assignment_id) == ("due time of Problem set 1", "snow day", pset.id)


def test_a_moved_due_time_without_a_reason_is_refused_and_not_saved(pset, instructor):
    old = pset.due_at
    pset.due_at = old + DAY
    with pytest.raises(ValueError, match="Say why the assignment's times change."):
        assignment_save(assignment=pset, old_times={"due_at": old}, by=instructor.user, why="")
    pset.refresh_from_db()
    assert pset.due_at == old and not AuditEntry.objects.exists()
