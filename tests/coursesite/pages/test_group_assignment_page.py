"""The assignment page on group work: whom an upload hands in for, and what a late upload costs each member."""
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursesite.assignments.models import Submission
from coursesite.assignments.services import submission_create
from coursesite.grades.models import Extension
from coursesite.reports.selectors import student_report_get
from tests.coursesite.assignments.support import as_user, page_url, pdf_upload, post_upload, text_of
from tests.factories import AssignmentFactory, StudentGroupFactory, SubmissionFactory
from tests.pdfs import minimal_pdf
from tests.world import DAY, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(course_world):
    """Problem set 1 as group work, for groups of two."""
    pset = course_world.pset
    pset.group_size = 2
    pset.save()
    return pset


@pytest.fixture
def pair(project, alice, bob):
    return StudentGroupFactory(assignment=project, members=[alice, bob], created_at=NOW - DAY)


def spend_grace_days(member, days: int) -> None:
    """`days` of the student's grace days used on earlier homework (3 at most per assignment)."""
    while days:
        used = min(days, 3)
        past = AssignmentFactory(course=member.course, release_at=NOW - 30 * DAY, due_at=NOW - 20 * DAY)
        SubmissionFactory(member=member, assignment=past, submitted_at=past.due_at + (used - 0.5) * DAY)
        days -= used


def pdf() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile("writeup.pdf", minimal_pdf())]


def hidden_days_late(response) -> int:
    return int(re.search(r'name="acknowledged_days_late" value="(\d+)"', response.content.decode()).group(1))


def test_the_page_names_the_group_before_the_upload_form(client, project, pair, alice):
    page = as_user(client, alice).get(page_url(project)).content.decode()
    sentence = "You hand in for your group: Alice Adams and Bob Brown."
    assert sentence in page
    assert page.index(sentence) < page.index('type="file"')


def test_the_page_says_a_student_without_a_group_hands_in_alone(client, project, carol):
    page = text_of(as_user(client, carol).get(page_url(project)))
    assert ("You are not in a group for Problem set 1 (groups of 2): uploading now hands in alone, for you only."
            in page)


def test_the_page_says_a_group_of_one_hands_in_alone(client, project, carol):
    StudentGroupFactory(assignment=project, members=[carol], created_at=NOW - DAY)
    page = text_of(as_user(client, carol).get(page_url(project)))
    assert "You hand in alone: your group for Problem set 1 is only you." in page


def test_the_page_of_work_handed_in_alone_says_nothing_of_groups(client, course_world, alice):
    page = text_of(as_user(client, alice).get(page_url(course_world.pset)))
    assert "group" not in page


def test_the_late_notice_says_what_a_late_upload_costs_each_member(client, frozen_clock, project, pair, alice, bob):
    spend_grace_days(bob, 6)
    frozen_clock.move_to(project.due_at + timedelta(hours=36), tick=False)
    page = text_of(as_user(client, alice).get(page_url(project)))
    assert ("This submission is late for your group. For each member: Alice: 2 grace days (5 left after); "
            "Bob: scores 0: only 1 grace day left.") in page


def test_the_late_notice_of_a_member_with_an_extension_says_they_are_not_late(
        client, frozen_clock, project, pair, alice, bob, instructor):
    Extension.objects.create(member=bob, assignment=project, due_at=project.due_at + 3 * DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW)
    frozen_clock.move_to(project.due_at + timedelta(hours=12), tick=False)
    page = text_of(as_user(client, alice).get(page_url(project)))
    assert "For each member: Alice: 1 grace day (6 left after); Bob: not late (by their own due time)." in page


def test_a_late_group_upload_confirmed_on_the_page_is_stored_for_the_group(
        client, frozen_clock, project, pair, alice, bob):
    spend_grace_days(bob, 6)
    frozen_clock.move_to(project.due_at + timedelta(hours=36), tick=False)
    as_user(client, bob)
    assert hidden_days_late(client.get(page_url(project))) == 2
    response = post_upload(client, project, pdf(), acknowledged_days_late=2)
    assert response.status_code == 302
    assert Submission.objects.get(assignment=project).group == pair


def test_a_late_group_upload_with_a_stale_notice_is_refused(client, frozen_clock, project, pair, bob):
    frozen_clock.move_to(project.due_at + timedelta(hours=36), tick=False)
    response = post_upload(as_user(client, bob), project, pdf(), acknowledged_days_late=1)
    assert response.status_code == 400
    assert "Check the late-work notice again" in text_of(response)
    assert not Submission.objects.exists()


def test_the_other_member_sees_the_groups_submission_in_their_list(client, project, pair, alice, bob):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    page = as_user(client, alice).get(page_url(project)).content.decode()
    row = page.split(f'id="submission-{submission.id}"')[1].split("</tr>")[0]
    assert "uploaded by Bob Brown for the group" in row


def test_the_submission_page_names_the_group_and_who_uploaded_it(client, project, pair, alice, bob):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    page = as_user(client, alice).get(reverse("assignments:submission-detail", args=[submission.id])).content.decode()
    assert '<dd id="submission-group">Alice Adams and Bob Brown</dd>' in page
    assert '<dd id="uploaded-by">Bob Brown (bob)</dd>' in page


def test_the_staff_list_names_each_submissions_group(client, project, pair, bob, ta):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    page = as_user(client, ta).get(reverse("assignments:submission-list", args=[project.course.slug, project.key]))
    row = page.content.decode().split(f'id="submission-{submission.id}"')[1].split("</tr>")[0]
    assert f"for group {pair.id}: Alice Adams, Bob Brown" in row


def test_the_other_member_may_choose_the_groups_older_submission_on_its_page(client, project, pair, alice, bob):
    older = submission_create(member=bob, assignment=project, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=bob, assignment=project, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    as_user(client, alice)
    page = client.get(reverse("assignments:submission-detail", args=[older.id])).content.decode()
    assert "Make this the graded submission" in page
    response = client.post(reverse("assignments:submission-activate", args=[older.id]))
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.is_active


def test_the_other_members_dashboard_shows_the_groups_submission(client, project, pair, alice, bob):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    page = as_user(client, alice).get(reverse("courses:dashboard", args=[project.course.slug])).content.decode()
    assert reverse("assignments:submission-detail", args=[submission.id]) in page


def test_the_other_members_report_says_when_the_group_handed_in(project, pair, alice, bob):
    submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    _, lines = student_report_get(alice, now=NOW)
    assert next(line.submitted for line in lines if line.item.assignment == project) == NOW


def test_a_groups_submissions_are_listed_as_the_groups(client, project, pair, alice):
    page = text_of(as_user(client, alice).get(page_url(project)))
    assert "Your group's submissions" in page and "Your group has not submitted anything yet." in page
