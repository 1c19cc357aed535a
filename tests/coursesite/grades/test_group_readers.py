"""Readers of "the submission graded for the student" on group work: feedback due times, the release
preview and the history of a staff choice."""
from decimal import Decimal as D

import pytest

from coursesite.assignments.services import graded_submission_choose, submission_create
from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.grades.models import Extension, Score
from coursesite.grades.release import release_preview_get
from tests.coursesite.assignments.support import pdf_upload
from tests.coursesite.grades.test_autograder_score_shown import RESULT, dashboard_row
from tests.factories import AssignmentFactory, CategoryFactory, StudentGroupFactory
from tests.world import DAY, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def coding(course):
    """Group coding work (groups of two) worth 100 points, due in two days; grades released early."""
    CategoryFactory(course=course, key="assignments", name="Assignments", weight=D(100))
    return AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding", points=D(100),
                             group_size=2, release_at=NOW - 7 * DAY, due_at=NOW + 2 * DAY,
                             grades_released_at=NOW - DAY)


@pytest.fixture
def pair(coding, alice, bob):
    return StudentGroupFactory(assignment=coding, members=[alice, bob], created_at=NOW - 7 * DAY)


def graded(submission, members, status=GradingJob.Status.DONE):
    done = status == GradingJob.Status.DONE
    job, _ = GradingJob.objects.update_or_create(submission=submission, defaults=dict(
        spec_name="hw1", queued_at=NOW, status=status, result=RESULT if done else None,
        score=D(65) if done else None, max_score=D(100), finished_at=NOW if done else None))
    for member in members:
        Score.objects.create(member=member, assignment=submission.assignment, points=D(65), entered_at=NOW,
                             source=Score.Source.AUTOGRADER, submission=submission)
    return job


def test_hidden_tests_stay_hidden_from_every_member_until_the_latest_members_due_time(
        client, frozen_clock, coding, pair, alice, bob, instructor):
    Extension.objects.create(member=bob, assignment=coding, due_at=coding.due_at + 3 * DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW)
    submission = submission_create(member=alice, assignment=coding, upload=pdf_upload(), now=NOW)
    graded(submission, [alice, bob])
    frozen_clock.move_to(coding.due_at + DAY, tick=False)              # past Alice's due time, not Bob's
    assert "75 / 100" in dashboard_row(client, alice, coding)          # the visible tests only


def test_after_the_latest_members_due_time_every_member_sees_the_full_score(
        client, frozen_clock, coding, pair, alice, bob, instructor):
    Extension.objects.create(member=bob, assignment=coding, due_at=coding.due_at + 3 * DAY, reason="medical",
                             granted_by=instructor.user, granted_at=NOW)
    submission = submission_create(member=alice, assignment=coding, upload=pdf_upload(), now=NOW)
    graded(submission, [alice, bob])
    frozen_clock.move_to(coding.due_at + 4 * DAY, tick=False)
    assert "65 / 100" in dashboard_row(client, alice, coding)


def test_the_release_preview_lists_a_groups_ungraded_submission_once(coding, pair, alice, bob):
    submission = submission_create(member=bob, assignment=coding, upload=pdf_upload(), now=NOW)
    graded(submission, [], status=GradingJob.Status.QUEUED)
    ungraded = release_preview_get(coding, now=NOW).ungraded
    assert [(u.member, u.submission) for u in ungraded] == [(bob, submission)]


def test_a_staff_choice_of_a_groups_submission_names_the_group_in_the_history(coding, pair, alice, ta):
    older = submission_create(member=alice, assignment=coding, upload=pdf_upload("v1"), now=NOW - DAY)
    submission_create(member=alice, assignment=coding, upload=pdf_upload("v2"), now=NOW)
    graded_submission_choose(submission=older, by=ta, reason="The later one was sent by mistake.", now=NOW)
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SUBMISSION)
    assert entry.why == f"The later one was sent by mistake. (group {pair.id} (Alice Adams, Bob Brown))"
