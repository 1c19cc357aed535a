"""Choosing the graded submission: the student while the assignment is open, then staff with a reason."""
import html
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Submission
from coursesite.assignments.services import SubmissionRefused, graded_submission_choose, submission_create
from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.grades.models import Extension, Score
from coursesite.rubrics.models import Question, QuestionGrade
from tests.coursesite.assignments.support import DAY, NOW, as_user, page_url, pdf_upload, text_of
from tests.coursesite.assignments.test_services import CODE

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_two(alice, pset):
    """Alice's submissions to the problem set, an hour apart: (older, newer); the newer is active."""
    older = submission_create(member=alice, assignment=pset, upload=pdf_upload("v1"), now=NOW)
    newer = submission_create(member=alice, assignment=pset, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    return older, newer


def active_of(member):
    return Submission.objects.get(member=member, is_active=True)


def after_closing(assignment):
    return assignment.due_at + assignment.grace_window() + DAY / 24


def release(assignment, at):
    type(assignment).objects.filter(pk=assignment.pk).update(grades_released_at=at)
    assignment.refresh_from_db()


# The student's choice.

def test_a_student_chooses_an_older_submission_while_the_assignment_is_open(alice, alices_two):
    older, _ = alices_two
    graded_submission_choose(submission=older, by=alice, now=NOW + DAY)
    assert active_of(alice) == older


def test_a_student_cannot_choose_after_the_assignment_closed(alice, pset, alices_two):
    older, newer = alices_two
    with pytest.raises(SubmissionRefused, match="Problem set 1 closed on .* so you can no longer change which"):
        graded_submission_choose(submission=older, by=alice, now=after_closing(pset))
    assert active_of(alice) == newer


def test_a_student_cannot_choose_once_grades_are_released(alice, pset, alices_two):
    older, newer = alices_two
    release(pset, NOW + DAY)
    with pytest.raises(SubmissionRefused, match="grades of Problem set 1 are released"):
        graded_submission_choose(submission=older, by=alice, now=NOW + 2 * DAY)
    assert active_of(alice) == newer


def test_an_extension_keeps_the_choice_open_past_the_class_closing_time(alice, pset, instructor, alices_two):
    older, _ = alices_two
    Extension.objects.create(member=alice, assignment=pset, due_at=pset.due_at + 5 * DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW)
    graded_submission_choose(submission=older, by=alice, now=after_closing(pset))
    assert active_of(alice) == older


def test_a_refused_choice_leaves_the_instructors_score_alone(alice, pset, instructor, alices_two):
    older, _ = alices_two
    Score.objects.create(member=alice, assignment=pset, points=D(0), entered_by=instructor.user, entered_at=NOW,
                         reason="Plagiarised write-up")
    with pytest.raises(SubmissionRefused):
        graded_submission_choose(submission=older, by=alice, now=after_closing(pset))
    assert Score.objects.get(member=alice, assignment=pset).points == 0


def test_another_student_cannot_choose_for_her(alice, bob, alices_two):
    older, newer = alices_two
    with pytest.raises(SubmissionRefused, match="Only the student who made a submission"):
        graded_submission_choose(submission=older, by=bob, now=NOW)
    assert active_of(alice) == newer


# Staff, with a reason, audited.

def test_staff_must_say_why(alice, ta, alices_two):
    older, newer = alices_two
    with pytest.raises(SubmissionRefused, match="Say why the graded submission changes"):
        graded_submission_choose(submission=older, by=ta, reason="  ", now=NOW)
    assert active_of(alice) == newer


def test_staff_switch_after_release_with_a_reason(alice, pset, instructor, alices_two):
    older, _ = alices_two
    release(pset, NOW + DAY)
    graded_submission_choose(submission=older, by=instructor, reason="Uploaded the wrong file; showed the right one "
                             "in office hours before the deadline.", now=after_closing(pset))
    assert active_of(alice) == older


def test_a_staff_switch_is_in_the_history_with_both_submissions_and_their_times(alice, instructor, alices_two):
    older, newer = alices_two
    graded_submission_choose(submission=older, by=instructor, reason="Wrong file uploaded last.", now=NOW + DAY)
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SUBMISSION)
    assert (entry.who, entry.member, entry.why) == (instructor.user, alice, "Wrong file uploaded last.")
    assert entry.old_value == f"submission #{newer.id} (submitted Wed Feb 10, 1:00 PM EST)"
    assert entry.new_value == f"submission #{older.id} (submitted Wed Feb 10, 12:00 PM EST)"


def test_a_students_own_choice_is_in_the_history_too(alice, alices_two):
    older, _ = alices_two
    graded_submission_choose(submission=older, by=alice, now=NOW + DAY)
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SUBMISSION)
    assert (entry.who, entry.why) == (alice.user, "chosen by the student while the assignment was open")


def test_staff_see_the_history_of_the_graded_submission_on_the_students_page(client, alice, instructor, alices_two):
    older, _ = alices_two
    graded_submission_choose(submission=older, by=instructor, reason="Wrong file uploaded last.", now=NOW)
    as_user(client, instructor)
    page = text_of(client.get(reverse("audit:student", args=[alice.course.slug, alice.id])))
    assert f"→ submission #{older.id} (submitted Wed Feb 10, 12:00 PM EST) Wrong file uploaded last." in page


def test_choosing_the_submission_already_graded_records_nothing(alice, instructor, alices_two):
    _, newer = alices_two
    graded_submission_choose(submission=newer, by=instructor, reason="Checking.", now=NOW)
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.SUBMISSION).exists()


# The pages.

def test_the_page_says_why_a_student_can_no_longer_choose(alice_client, pset, alices_two):
    release(pset, NOW - DAY / 24)
    page = text_of(alice_client.get(page_url(pset)))
    assert "The grades of Problem set 1 are released, so you can no longer change which submission is graded." in page
    assert "Make active" not in page


def test_a_refused_choice_shows_the_message_and_changes_nothing(alice_client, alice, pset, alices_two):
    older, newer = alices_two
    release(pset, NOW - DAY / 24)
    response = alice_client.post(reverse("assignments:submission-activate", args=[older.id]))
    assert response.status_code == 400
    assert "you can no longer change which submission is graded" in text_of(response)
    assert active_of(alice) == newer


def test_staff_switch_from_the_submission_page_with_a_reason(client, ta, alice, alices_two):
    older, _ = alices_two
    as_user(client, ta)
    response = client.post(reverse("assignments:submission-activate", args=[older.id]),
                           {"reason": "Asked by e-mail before the deadline."}, follow=True)
    assert "This submission is now the one that will be graded." in text_of(response)
    assert active_of(alice) == older


# Each submission's score in the list.

RESULT = {"score": 7.0, "tests": [
    {"name": "sigmoid: values", "score": 3.0, "max_score": 4.0, "output": "", "visibility": "visible"},
    {"name": "softmax: hard inputs", "score": 4.0, "max_score": 6.0, "output": "", "visibility": "after_due_date"},
]}


def graded(submission, result=RESULT):
    GradingJob.objects.filter(submission=submission).update(
        status=GradingJob.Status.DONE, result=result, score=D(str(result["score"])),
        max_score=sum(D(str(t["max_score"])) for t in result["tests"]), finished_at=NOW)
    return submission


def test_before_the_due_date_a_student_sees_each_submissions_visible_test_points(alice_client, alice, coding):
    first = graded(submission_create(member=alice, assignment=coding, upload=CODE, now=NOW))
    submission_create(member=alice, assignment=coding, upload=CODE, now=NOW + DAY / 24)   # still grading
    page = alice_client.get(page_url(coding)).content.decode()
    row = text_of_row(page, first)
    assert "3 / 4 test points (the tests you can see; 1 more test after the due date)" in row
    assert "7 / 10" not in page


def test_after_the_due_date_a_student_sees_every_tests_points(alice_client, alice, coding, frozen_clock):
    first = graded(submission_create(member=alice, assignment=coding, upload=CODE, now=NOW))
    frozen_clock.move_to(coding.due_at + DAY / 24)
    assert "7 / 10 test points" in text_of_row(alice_client.get(page_url(coding)).content.decode(), first)


def test_the_staff_list_shows_each_submissions_full_test_points(client, ta, alice, coding):
    graded(submission_create(member=alice, assignment=coding, upload=CODE, now=NOW))
    as_user(client, ta)
    page = text_of(client.get(reverse("assignments:submission-list", args=[coding.course.slug, coding.key])))
    assert "7 / 10 test points" in page


@pytest.fixture
def rubric_graded(alice, pset, ta, alices_two):
    """Both of alice's write-ups graded on the problem set's one question: the older 8, the newer 5 of 10."""
    question = Question.objects.create(assignment=pset, number=1, title="Backpropagation", points=D(10))
    for submission, adjustment in zip(alices_two, (D(8), D(5))):
        QuestionGrade.objects.create(submission=submission, question=question, adjustment=adjustment,
                                     graded_by=ta.user, graded_at=NOW)
    return alices_two


def test_a_student_sees_rubric_totals_only_once_grades_are_released(alice_client, pset, rubric_graded):
    older, _ = rubric_graded
    before = text_of_row(alice_client.get(page_url(pset)).content.decode(), older)
    assert "8 / 10" not in before
    release(pset, NOW - DAY / 24)
    assert "8 / 10 (rubric)" in text_of_row(alice_client.get(page_url(pset)).content.decode(), older)


def text_of_row(page: str, submission) -> str:
    row = page.split(f'id="submission-{submission.id}"')[1].split("</tr>")[0]
    return " ".join(html.unescape(strip_tags(row)).split())
