"""The shared demo course (tests/world.py) with HW1 coding graded by the autograder: Alice 9 and Bob 12 of
15 test points, i.e. 60 and 80 of HW1's 100 points; the clock frozen at NOW."""
from decimal import Decimal as D

import pytest

from coursesite.autograding.services import autograder_score_sync
from coursesite.integrity.services import case_decide, case_open, case_tell_student
from tests.factories import GradingJobFactory, SubmissionFactory
from tests.world import DAY, NOW


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def autograde(member, assignment, score) -> None:
    """The member's active submission, graded by the autograder with `score` of 15 test points."""
    submission = SubmissionFactory(member=member, assignment=assignment, submitted_at=NOW - 2 * DAY)
    GradingJobFactory(submission=submission, queued_at=NOW - 2 * DAY, score=score, max_score=D(15))
    autograder_score_sync(submission=submission, now=NOW - 2 * DAY)


@pytest.fixture
def graded(course_world):
    autograde(course_world.member("alice"), course_world.coding, D(9))
    autograde(course_world.member("bob"), course_world.coding, D(12))
    return course_world


@pytest.fixture
def pair_case(graded):
    """A case on Alice and Bob's HW1, opened by the instructor a day ago."""
    w = graded
    return case_open(course=w.course, students=[w.member("alice"), w.member("bob")], assignment=w.coding,
                     evidence="similarity 0.93 between alice/hw1.py:12-30 and bob/hw1.py:40-58",
                     by=w.member("risteski"), now=NOW - DAY)


@pytest.fixture
def told_case(pair_case, graded):
    """The pair case, decided (a warning) and told to the students."""
    by = graded.member("risteski")
    case_decide(case=pair_case, decision="warning", reason="Your code matches another student's closely.",
                by=by, now=NOW)
    return case_tell_student(case=pair_case, by=by, now=NOW)
