"""Uploads and submissions through the site, as a logged-in student or member of staff sees them."""
import hashlib
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursesite.assignments.models import Submission, SubmissionFile
from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.grades.models import Extension
from tests.coursesite.assignments.hostile import (
    FAKE_PDF,
    GARBAGE_PDF,
    MB,
    zip_bomb,
    zip_encrypted_flag,
    zip_lying_about_size,
    zip_with_duplicate_names,
    zip_with_symlink,
)
from tests.coursesite.assignments.support import (
    DAY,
    NOW,
    as_user,
    assert_nothing_stored,
    assert_refused,
    media_files,
    page_url,
    pdf_upload,
    post_upload,
    text_of,
)
from tests.factories import AssignmentFactory, CourseFactory
from tests.pdfs import HW1_PY, README, minimal_pdf, zip_of
from tests.world import person

pytestmark = pytest.mark.django_db

MINUTE = DAY / 24 / 60


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def code_files(**extra: bytes) -> list[SimpleUploadedFile]:
    named = {"hw1.py": HW1_PY, "README.md": README} | extra
    return [upload(name, content) for name, content in named.items()]


def a_zip(files: dict[str, bytes], name: str = "hw1.zip") -> list[SimpleUploadedFile]:
    return [upload(name, zip_of(files))]


def hidden_days_late(response) -> int:
    match = re.search(r'name="acknowledged_days_late" value="(\d+)"', response.content.decode())
    assert match, "the upload form carries the days late the page showed"
    return int(match.group(1))


def stored_contents(submission: Submission) -> dict[str, bytes]:
    contents = {}
    for stored in submission.files.all():
        with default_storage.open(stored.file.name, "rb") as f:
            contents[stored.name] = f.read()
    return contents


def download(client, stored: SubmissionFile):
    return client.get(reverse("assignments:file-download", args=[stored.submission_id, stored.id]))


# --- Hostile uploads: refused on the form, with the reason, and nothing stored -------------------


def test_text_renamed_to_pdf_is_refused(alice_client, pset):
    response = post_upload(alice_client, pset, [upload("writeup.pdf", FAKE_PDF)])
    assert_refused(response, "“writeup.pdf” is not a PDF file. Export your write-up from LaTeX as a PDF.")


def test_pdf_header_followed_by_garbage_is_refused(alice_client, pset):
    response = post_upload(alice_client, pset, [upload("writeup.pdf", GARBAGE_PDF)])
    assert_refused(response, "“writeup.pdf” could not be read as a PDF")


def test_zip_with_a_parent_folder_path_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, a_zip({"../hw1.py": HW1_PY, "README.md": README}))
    assert_refused(response, "The zip holds “../hw1.py”, a path that leads outside the submission")


def test_zip_with_an_absolute_path_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, a_zip({"/home/alice/.bashrc": b"x", "hw1.py": HW1_PY}))
    assert_refused(response, "The zip holds “/home/alice/.bashrc”, a path that leads outside the submission")


def test_zip_with_a_symlink_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.zip", zip_with_symlink("hw1.py", "/etc/passwd"))])
    assert_refused(response, "The zip holds “hw1.py”, a symbolic link; zip the files themselves.")


def test_zip_bomb_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.zip", zip_bomb())])
    assert_refused(response, "The zip unpacks to 200.0 MB; the limit is 5.0 MB.")


def test_zip_whose_header_lies_about_the_size_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.zip", zip_lying_about_size())])
    assert_refused(response, "“hw1.py” in the zip is damaged or uses an unsupported compression.")


def test_password_protected_zip_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.zip", zip_encrypted_flag())])
    assert_refused(response, "The zip is password-protected; upload it without a password.")


def test_50_mb_pdf_is_refused(alice_client, pset):
    huge = minimal_pdf() + b"%" * (50 * MB - len(minimal_pdf()))
    response = post_upload(alice_client, pset, [upload("writeup.pdf", huge)])
    # Stopped while it arrived, from its Content-Length (coursesite/bodylimits.py): no file name known yet.
    assert_refused(response, "This upload is 50.0 MB; the limit is 20.0 MB. Nothing was stored.")


def test_50_mb_code_file_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.py", b"#" * (50 * MB)), upload("README.md", README)])
    assert_refused(response, "This upload is 50.0 MB; the limit is 5.0 MB. Nothing was stored.")


def test_empty_form_is_refused_for_a_pdf(alice_client, pset):
    assert_refused(post_upload(alice_client, pset, []), "Choose your write-up as one PDF file.")


def test_empty_form_is_refused_for_coding_work(alice_client, coding):
    response = post_upload(alice_client, coding, [])
    assert_refused(response, "Choose your files (hw1.py, README.md), or one zip file holding them.")


def test_empty_pdf_is_refused(alice_client, pset):
    assert_refused(post_upload(alice_client, pset, [upload("writeup.pdf", b"")]), "The submitted file is empty.")


def test_empty_code_file_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.py", b""), upload("README.md", README)])
    assert_refused(response, "The submitted file is empty.")


def test_missing_readme_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.py", HW1_PY)])
    assert_refused(response, "Missing required file(s): README.md. You handed in: hw1.py.")


def test_missing_readme_in_a_zip_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, a_zip({"hw1.py": HW1_PY}))
    assert_refused(response, "Missing required file(s): README.md. You handed in: hw1.py.")


def test_too_many_files_are_refused(alice_client, coding):
    response = post_upload(alice_client, coding, code_files(**{f"notes{i}.txt": b"n\n" for i in range(19)}))
    assert_refused(response, "21 files is too many; at most 20.")


def test_more_files_than_the_server_parses_are_refused_without_storing(alice_client, coding):
    # Above DATA_UPLOAD_MAX_NUMBER_FILES (25) Django refuses the request itself: a bare 400, no form.
    response = post_upload(alice_client, coding, code_files(**{f"notes{i}.txt": b"n\n" for i in range(30)}))
    assert response.status_code == 400
    assert_nothing_stored()


@pytest.mark.parametrize("name", ["hw1.exe", ".bashrc"])
def test_disallowed_file_name_is_refused(alice_client, coding, name):
    response = post_upload(alice_client, coding, code_files(**{name: b"x"}))
    assert response.status_code == 400
    assert re.search(f"“{re.escape(name)}” is not (an allowed file name|a code or text file)", text_of(response))
    assert_nothing_stored()


def test_duplicate_file_names_are_refused(alice_client, coding):
    response = post_upload(alice_client, coding, code_files() + [upload("hw1.py", b"print('other')\n")])
    assert_refused(response, "These files appear twice: hw1.py.")


def test_duplicate_names_in_a_zip_are_refused(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.zip", zip_with_duplicate_names())])
    assert_refused(response, "These files appear twice: hw1.py.")


def test_zip_with_files_in_a_sub_sub_folder_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, a_zip({"hw1/src/hw1.py": HW1_PY, "hw1/README.md": README}))
    assert_refused(response, "The zip holds “hw1/src/hw1.py” in a sub-folder; put your files at its top level.")


def test_two_pdfs_for_a_one_pdf_assignment_are_refused(alice_client, pset):
    response = post_upload(alice_client, pset, [upload("draft.pdf", minimal_pdf("draft")),
                                                upload("final.pdf", minimal_pdf("final"))])
    assert_refused(response, "Upload exactly one PDF file (your whole write-up), not several files.")


def test_pdf_form_offers_one_file_only(alice_client, pset):
    page = alice_client.get(page_url(pset)).content.decode()
    field = re.search(r'<input type="file" name="files"[^>]*>', page).group(0)
    assert "multiple" not in field


def test_file_sent_outside_the_form_field_is_refused(alice_client, pset):
    response = post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())],
                           appendix=upload("appendix.pdf", minimal_pdf("appendix")))
    assert_refused(response, "Extra file(s) not part of this form were sent: appendix.pdf. Nothing was stored")


def test_code_file_sent_outside_the_form_field_is_refused(alice_client, coding):
    response = post_upload(alice_client, coding, code_files(), extra=upload("utils.py", b"x = 1\n"))
    assert_refused(response, "Extra file(s) not part of this form were sent: utils.py.")


def test_refused_upload_keeps_the_form_to_try_again(alice_client, coding):
    response = post_upload(alice_client, coding, [upload("hw1.py", HW1_PY)])
    assert response.status_code == 400
    assert 'id="file-errors"' in response.content.decode()
    assert 'type="file" name="files"' in response.content.decode()


# --- Accepted uploads: stored as sent --------------------------------------------------------------


def test_real_pdf_is_stored_with_its_digest_and_size(alice_client, pset, alice):
    content = minimal_pdf()
    response = post_upload(alice_client, pset, [upload("writeup.pdf", content)], follow=False)

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assignments:submission-detail", args=[submission.id])
    (stored,) = submission.files.all()
    assert (stored.name, stored.size) == ("writeup.pdf", len(content))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored_contents(submission) == {"writeup.pdf": content}
    assert (submission.member, submission.assignment, submission.is_active) == (alice, pset, True)
    assert len(media_files()) == 1


def test_student_sees_that_the_submission_was_received(alice_client, pset):
    response = alice_client.post(reverse("assignments:submission-upload", args=[pset.course.slug, pset.key]),
                                 {"files": [upload("writeup.pdf", minimal_pdf())], "acknowledged_days_late": 0},
                                 follow=True)
    assert response.status_code == 200
    assert "Your submission to Problem set 1 was received at Wed Feb 10, 12:00:00 PM EST." in text_of(response)
    assert "Active: this is the submission that is graded." in text_of(response)


def test_coding_work_as_separate_files_is_stored(alice_client, coding):
    response = post_upload(alice_client, coding, code_files(**{"notes.txt": b"thanks\n"}))
    assert response.status_code == 302
    assert stored_contents(Submission.objects.get()) == {"hw1.py": HW1_PY, "README.md": README, "notes.txt": b"thanks\n"}


def test_coding_work_as_a_zip_is_stored_as_its_files(alice_client, coding):
    response = post_upload(alice_client, coding, a_zip({"hw1.py": HW1_PY, "README.md": README}))
    assert response.status_code == 302
    assert stored_contents(Submission.objects.get()) == {"hw1.py": HW1_PY, "README.md": README}


def test_zip_of_a_folder_is_stored_without_the_folder(alice_client, coding):
    response = post_upload(alice_client, coding, a_zip({"hw1/": b"", "hw1/hw1.py": HW1_PY, "hw1/README.md": README}))
    assert response.status_code == 302
    assert stored_contents(Submission.objects.get()) == {"hw1.py": HW1_PY, "README.md": README}


def test_macos_junk_in_a_zip_is_ignored(alice_client, coding):
    junk = {"__MACOSX/": b"", "__MACOSX/hw1/._hw1.py": b"\0\5\26\7", "hw1/.DS_Store": b"Bud1"}
    response = post_upload(alice_client, coding, a_zip({"hw1/hw1.py": HW1_PY, "hw1/README.md": README} | junk))
    assert response.status_code == 302
    assert stored_contents(Submission.objects.get()) == {"hw1.py": HW1_PY, "README.md": README}


def test_submission_digest_does_not_depend_on_the_order_of_the_files(alice_client, coding, frozen_clock):
    post_upload(alice_client, coding, [upload("hw1.py", HW1_PY), upload("README.md", README)])
    frozen_clock.shift(60)
    post_upload(alice_client, coding, [upload("README.md", README), upload("hw1.py", HW1_PY)])

    first, second = Submission.objects.order_by("submitted_at")
    expected = CheckedUpload((CheckedFile("hw1.py", HW1_PY), CheckedFile("README.md", README))).sha256
    assert first.sha256 == second.sha256 == expected


def test_download_returns_the_uploaded_bytes(alice_client, pset):
    content = minimal_pdf("my answers")
    post_upload(alice_client, pset, [upload("writeup.pdf", content)])
    response = download(alice_client, SubmissionFile.objects.get())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="writeup.pdf"'
    assert b"".join(response.streaming_content) == content


# --- The server's clock ----------------------------------------------------------------------------


def test_server_stamps_the_time_and_ignores_a_posted_time(alice_client, pset, frozen_clock):
    frozen_clock.move_to(NOW + 2 * DAY, tick=False)
    post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())],
                submitted_at="2021-01-01T00:00:00-05:00", is_active="false", member=999)
    submission = Submission.objects.get()
    assert submission.submitted_at == NOW + 2 * DAY
    assert submission.is_active


# --- Which submission is graded, and who may see it -----------------------------------------------


@pytest.fixture
def alices_two(alice, pset):
    """Alice's submissions to the problem set, an hour apart: (older, newer)."""
    older = submission_create(member=alice, assignment=pset, upload=pdf_upload("v1"), now=NOW)
    newer = submission_create(member=alice, assignment=pset, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    return older, newer


def test_latest_submission_is_active(alice_client, pset, frozen_clock):
    post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf("v1"))])
    frozen_clock.shift(3600)
    post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf("v2"))])

    older, newer = Submission.objects.order_by("submitted_at")
    assert (older.is_active, newer.is_active) == (False, True)
    page = text_of(alice_client.get(page_url(pset)))
    assert page.count("Make active") == 1


def test_student_can_make_an_older_submission_active(alice_client, alices_two):
    older, newer = alices_two
    response = alice_client.post(reverse("assignments:submission-activate", args=[older.id]), follow=True)

    assert "This submission is now the one that will be graded." in text_of(response)
    assert list(Submission.objects.filter(is_active=True)) == [older]


def test_another_student_gets_404_on_alices_submission(client, bob, alices_two):
    older, newer = alices_two
    bobs = submission_create(member=bob, assignment=newer.assignment, upload=pdf_upload("bob"), now=NOW)
    alices_file = newer.files.get()
    as_user(client, bob)

    assert client.get(reverse("assignments:submission-detail", args=[newer.id])).status_code == 404
    assert client.post(reverse("assignments:submission-activate", args=[older.id])).status_code == 404
    assert download(client, alices_file).status_code == 404
    # Guessing: alice's file id under bob's own submission.
    guessed = reverse("assignments:file-download", args=[bobs.id, alices_file.id])
    assert client.get(guessed).status_code == 404
    assert list(Submission.objects.filter(member__user__username="alice", is_active=True)) == [newer]


def test_student_of_another_course_gets_404(client, alices_two):
    outsider = person(CourseFactory(slug="10708-s21"), "dave")
    as_user(client, outsider)
    older, newer = alices_two
    assert client.get(reverse("assignments:submission-detail", args=[newer.id])).status_code == 404
    assert download(client, newer.files.get()).status_code == 404


def test_ta_can_view_and_download_but_not_activate_without_a_reason(client, ta, alices_two):
    older, newer = alices_two
    as_user(client, ta)

    detail = client.get(reverse("assignments:submission-detail", args=[newer.id]))
    assert detail.status_code == 200
    assert "(alice)" in text_of(detail)
    response = download(client, newer.files.get())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == minimal_pdf("v2")
    response = client.post(reverse("assignments:submission-activate", args=[older.id]))
    assert response.status_code == 400
    assert "Say why the graded submission changes" in text_of(response)
    assert list(Submission.objects.filter(is_active=True)) == [newer]


def test_anonymous_visitor_is_sent_to_log_in(client, alices_two):
    response = client.get(reverse("assignments:submission-detail", args=[alices_two[0].id]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["ta", "instructor"])
def test_staff_cannot_upload(client, pset, request, role):
    as_user(client, request.getfixturevalue(role))
    response = post_upload(client, pset, [upload("writeup.pdf", minimal_pdf())])
    assert response.status_code == 403
    assert_nothing_stored()


# --- When uploads are taken -------------------------------------------------------------------------


def test_upload_before_release_is_404(alice_client, course):
    later = AssignmentFactory(course=course, key="ps9", release_at=NOW + DAY, due_at=NOW + 8 * DAY)
    assert alice_client.get(page_url(later)).status_code == 404
    assert post_upload(alice_client, later, [upload("writeup.pdf", minimal_pdf())]).status_code == 404
    assert_nothing_stored()


def test_upload_after_the_grace_cap_is_refused_as_closed(alice_client, pset, frozen_clock):
    frozen_clock.move_to(pset.due_at + 3 * DAY + MINUTE, tick=False)
    response = post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())], acknowledged_days_late=4)
    assert_refused(response, "Problem set 1 closed on Sat Feb 20, 11:59 PM EST: no more submissions are accepted.")
    assert 'type="file"' not in response.content.decode()


def test_upload_at_the_last_minute_of_the_grace_cap_is_taken(alice_client, pset, frozen_clock):
    frozen_clock.move_to(pset.due_at + 3 * DAY, tick=False)
    response = post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())], acknowledged_days_late=3)
    assert response.status_code == 302
    assert Submission.objects.count() == 1


def test_extension_lets_the_student_upload_after_the_class_closes(alice_client, alice, pset, instructor, frozen_clock):
    Extension.objects.create(member=alice, assignment=pset, due_at=pset.due_at + 5 * DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW)
    frozen_clock.move_to(pset.due_at + 4 * DAY, tick=False)                 # class closed a day ago

    page = alice_client.get(page_url(pset))
    assert "(your extension; the class's due time is Wed Feb 17, 11:59 PM EST)" in text_of(page)
    assert hidden_days_late(page) == 0
    response = post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())], acknowledged_days_late=0)
    assert response.status_code == 302
    assert Submission.objects.get().submitted_at == pset.due_at + 4 * DAY


def test_exam_refuses_uploads(alice_client, course):
    exam = AssignmentFactory(course=course, exam=True, title="Midterm")
    message = "Midterm is an exam; its scores are entered by the course staff."
    page = alice_client.get(page_url(exam))
    assert page.status_code == 200
    assert message in text_of(page)
    assert 'type="file"' not in page.content.decode()
    assert_refused(post_upload(alice_client, exam, [upload("writeup.pdf", minimal_pdf())]), message)


def test_exam_refuses_an_upload_form_with_no_files(alice_client, course):
    exam = AssignmentFactory(course=course, exam=True, title="Midterm")
    response = post_upload(alice_client, exam, [])
    assert_refused(response, "Midterm is an exam; its scores are entered by the course staff.")


# --- The late-work notice ---------------------------------------------------------------------------


@pytest.fixture
def two_days_past_due(course, frozen_clock):
    """A problem set that was due a day and a half ago: an upload now is 2 days late."""
    return AssignmentFactory(course=course, key="ps-late", title="Problem set 3",
                             release_at=NOW - 10 * DAY, due_at=NOW - DAY - DAY / 2)


def test_page_says_the_upload_is_late_and_uses_two_grace_days(alice_client, two_days_past_due):
    response = alice_client.get(page_url(two_days_past_due))
    page = text_of(response)
    assert "This submission is late. Submitted 2 days late; 2 grace days used." in page
    assert "Submit late" in page
    assert hidden_days_late(response) == 2


def test_page_says_the_upload_scores_0_when_the_budget_is_spent(alice_client, alice, course, two_days_past_due):
    # Two earlier problem sets, each handed in 3 days late: 6 of the 7 grace days are spent.
    for key, due in (("ps-a", NOW - 20 * DAY), ("ps-b", NOW - 10 * DAY)):
        earlier = AssignmentFactory(course=course, key=key, release_at=due - 7 * DAY, due_at=due)
        submission_create(member=alice, assignment=earlier, upload=pdf_upload(), now=due + 2 * DAY + DAY / 2)

    response = alice_client.get(page_url(two_days_past_due))
    assert "Submitted 2 days late with only 1 grace day left, so this scores 0." in text_of(response)
    assert hidden_days_late(response) == 2


def test_stale_acknowledgement_is_refused_with_the_new_notice(alice_client, pset, frozen_clock):
    frozen_clock.move_to(pset.due_at - DAY / 24, tick=False)                # the page is shown on time
    assert hidden_days_late(alice_client.get(page_url(pset))) == 0
    frozen_clock.move_to(pset.due_at + MINUTE, tick=False)                  # and posted after the due time

    response = post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())], acknowledged_days_late=0)
    assert_refused(response, "Check the late-work notice again: Submitted 1 day late; 1 grace day used. "
                             "Submit again to confirm.")
    assert "This submission is late." in text_of(response)
    assert hidden_days_late(response) == 1


def test_matching_acknowledgement_is_accepted(alice_client, pset, frozen_clock):
    frozen_clock.move_to(pset.due_at + MINUTE, tick=False)
    response = post_upload(alice_client, pset, [upload("writeup.pdf", minimal_pdf())], acknowledged_days_late=1)
    assert response.status_code == 302
    submission = Submission.objects.get()
    detail = text_of(alice_client.get(response.url))
    assert "Submitted 1 day late; 1 grace day used." in detail
    assert submission.submitted_at == pset.due_at + MINUTE
