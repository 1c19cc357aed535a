"""Group work: one submission for the group, uploaded by any member, seen and chosen by every member."""
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from coursesite.assignments.models import Submission
from coursesite.assignments.selectors import active_submission_for, submission_due
from coursesite.assignments.services import SubmissionRefused, graded_submission_choose, submission_create
from coursesite.audit.models import AuditEntry
from coursesite.grades.models import Extension
from coursesite.grades.selectors import grace_day_ledger_for
from tests.coursesite.assignments.support import DAY, NOW, as_user, pdf_upload
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, StudentGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(pset):
    """The problem set as group work, for groups of two."""
    pset.group_size = 2
    pset.save()
    return pset


@pytest.fixture
def pair(project, alice, bob):
    return StudentGroupFactory(assignment=project, members=[alice, bob], created_at=NOW - DAY)


def extend(member, assignment, days, by):
    Extension.objects.create(member=member, assignment=assignment, due_at=assignment.due_at + days * DAY,
                             reason="medical", granted_by=by.user, granted_at=NOW)


def after_closing(assignment):
    return assignment.due_at + assignment.grace_window() + DAY / 24


def test_a_members_upload_is_the_groups_and_records_who_uploaded_it(project, pair, bob):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    assert (submission.group, submission.member, submission.is_active) == (pair, bob, True)


def test_the_groups_submission_is_graded_for_every_member(project, pair, alice, bob):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    assert active_submission_for(alice, project) == submission
    assert active_submission_for(bob, project) == submission


def test_the_other_member_sees_the_groups_submission(client, project, pair, alice, bob):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    response = as_user(client, alice).get(reverse("assignments:submission-detail", args=[submission.id]))
    assert response.status_code == 200


def test_a_student_outside_the_group_gets_404_for_its_submission(client, project, pair, bob, carol):
    submission = submission_create(member=bob, assignment=project, upload=pdf_upload(), now=NOW)
    response = as_user(client, carol).get(reverse("assignments:submission-detail", args=[submission.id]))
    assert response.status_code == 404


def test_an_upload_by_the_other_member_replaces_the_groups_active_submission(project, pair, alice, bob):
    first = submission_create(member=alice, assignment=project, upload=pdf_upload("v1"), now=NOW)
    second = submission_create(member=bob, assignment=project, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    first.refresh_from_db()
    assert (first.is_active, second.is_active) == (False, True)
    assert list(Submission.objects.filter(group=pair, is_active=True)) == [second]


def test_a_group_of_one_hands_in_like_a_student_alone(project, alice, bob):
    StudentGroupFactory(assignment=project, members=[alice], created_at=NOW - DAY)
    late = project.due_at + DAY / 2
    submission_create(member=alice, assignment=project, upload=pdf_upload(), now=late)
    submission_create(member=bob, assignment=project, upload=pdf_upload(), now=late)
    assert grace_day_ledger_for(alice).lines == grace_day_ledger_for(bob).lines


def test_a_member_with_an_extension_uploads_for_the_group_after_the_others_closing_time(
        project, pair, alice, bob, instructor):
    extend(bob, project, 5, instructor)
    submission = submission_create(member=alice, assignment=project, upload=pdf_upload(), now=after_closing(project))
    assert submission.group == pair


def test_nobody_uploads_for_the_group_after_its_latest_closing_time(project, pair, alice):
    with pytest.raises(SubmissionRefused, match="no more submissions are accepted"):
        submission_create(member=alice, assignment=project, upload=pdf_upload(), now=after_closing(project))


def test_the_rate_limit_counts_the_uploads_of_the_whole_group(settings, project, pair, alice, bob):
    settings.SUBMISSION_RATE_LIMIT = (2, 600)
    submission_create(member=alice, assignment=project, upload=pdf_upload("1"), now=NOW)
    submission_create(member=bob, assignment=project, upload=pdf_upload("2"), now=NOW + DAY / 1440)
    with pytest.raises(SubmissionRefused, match="2 times in the last 10 minutes"):
        submission_create(member=alice, assignment=project, upload=pdf_upload("3"), now=NOW + DAY / 720)


def test_any_member_chooses_which_of_the_groups_submissions_is_graded(project, pair, alice, bob):
    older = submission_create(member=alice, assignment=project, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=alice, assignment=project, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    graded_submission_choose(submission=older, by=bob, now=NOW + DAY / 12)
    assert active_submission_for(alice, project) == older


def test_the_history_of_a_members_choice_names_the_group(project, pair, alice, bob):
    older = submission_create(member=alice, assignment=project, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=alice, assignment=project, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    graded_submission_choose(submission=older, by=bob, now=NOW + DAY / 12)
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SUBMISSION)
    assert f"group {pair.id} (Alice Adams, Bob Brown)" in entry.why and "Bob Brown" in entry.why


def test_a_student_outside_the_group_cannot_choose_its_graded_submission(project, pair, alice, carol):
    older = submission_create(member=alice, assignment=project, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=alice, assignment=project, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    with pytest.raises(SubmissionRefused, match="Only the student who made a submission"):
        graded_submission_choose(submission=older, by=carol, now=NOW + DAY / 12)


def test_a_member_chooses_until_the_groups_closing_time_a_members_extension_included(
        project, pair, alice, bob, instructor):
    extend(bob, project, 5, instructor)
    older = submission_create(member=alice, assignment=project, upload=pdf_upload("v1"), now=NOW)
    submission_create(member=alice, assignment=project, upload=pdf_upload("v2"), now=NOW + DAY / 24)
    graded_submission_choose(submission=older, by=alice, now=after_closing(project))
    assert active_submission_for(bob, project) == older


def test_a_groups_feedback_opens_at_its_latest_members_due_time(project, pair, alice, bob, instructor):
    extend(bob, project, 2, instructor)
    submission = submission_create(member=alice, assignment=project, upload=pdf_upload(), now=NOW)
    assert submission_due(submission) == project.due_at + 2 * DAY


def test_a_submission_made_alone_opens_at_the_uploaders_due_time(project, alice, bob, instructor):
    extend(bob, project, 2, instructor)
    submission = submission_create(member=alice, assignment=project, upload=pdf_upload(), now=NOW)
    assert submission_due(submission) == project.due_at


@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_by_both_members_leave_exactly_one_active_for_the_group():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks need PostgreSQL (CI runs this on it); SQLite serializes whole-database writes")
    course = CourseFactory()
    members = [MembershipFactory(course=course) for _ in range(2)]
    project = AssignmentFactory(course=course, group_size=2, release_at=NOW - DAY, due_at=NOW + 30 * DAY)
    group = StudentGroupFactory(assignment=project, members=members)
    barrier = threading.Barrier(len(members))
    errors = []

    def upload(member, index):
        try:
            barrier.wait()
            for n in range(4):
                submission_create(member=member, assignment=project, upload=pdf_upload(f"{index}-{n}"),
                                  now=NOW + (index * 4 + n) * DAY / 86400)
        except Exception as exc:  # noqa: BLE001 - any error is the failure we look for
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(m, i)) for i, m in enumerate(members)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Submission.objects.filter(group=group).count() == 8
    assert Submission.objects.filter(group=group, is_active=True).count() == 1
