"""Work waiting for the staff, in the shared world (tests/world.py) with the clock stopped at its NOW: Problem
set 0 (two rubric questions) was due two days ago; Problem set 1 and HW1 coding are due in a week."""
from decimal import Decimal

import pytest
from django.utils import timezone

from coursesite.autograding.models import GradingJob
from coursesite.regrades.models import RegradeRequest
from coursesite.rubrics.models import Question, QuestionGrade
from tests.factories import AssignmentFactory, GradingJobFactory, RegradeRequestFactory, SubmissionFactory
from tests.world import DAY, NOW


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def ps0(course_world):
    return AssignmentFactory(course=course_world.course, category=course_world.categories["assignments"], key="ps0",
                             title="Problem set 0", release_at=NOW - 14 * DAY, due_at=NOW - 2 * DAY)


@pytest.fixture
def questions(ps0):
    return [Question.objects.create(assignment=ps0, number=n, title=title, points=Decimal(10))
            for n, title in ((1, "Perceptron"), (2, "Backpropagation"))]


def hand_in(member, assignment, **fields):
    return SubmissionFactory(member=member, assignment=assignment, submitted_at=timezone.now(), **fields)


def grade(submission, question, by):
    return QuestionGrade.objects.create(submission=submission, question=question, graded_by=by.user,
                                        graded_at=timezone.now())


def regrade_request(member, assignment, *, taken_by=None, **fields):
    """An open request on the whole of the member's active submission (taken, with `taken_by`)."""
    submission = assignment.submissions.filter(member=member, is_active=True).first() or hand_in(member, assignment)
    if taken_by is not None:
        fields.update(status=RegradeRequest.Status.TAKEN, handled_by=taken_by.user)
    return RegradeRequestFactory(submission=submission, **fields)


def failed_grading(member, assignment, why="The sandbox could not start: bubblewrap is missing."):
    return GradingJobFactory(submission=hand_in(member, assignment), status=GradingJob.Status.FAILED, score=None,
                             max_score=None, result=None, finished_at=timezone.now(), staff_message=why)
