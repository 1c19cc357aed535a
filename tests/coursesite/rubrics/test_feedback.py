"""A student's per-question feedback on their submission: never before the grades are released."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment
from coursesite.rubrics.selectors import feedback_for_submission
from tests.coursesite.rubrics.conftest import grade

FEEDBACK = Template('{% include "rubrics/_feedback.html" %}')


def feedback_seen_by(viewer, submission) -> str:
    submission.assignment.refresh_from_db()
    feedback = feedback_for_submission(submission, viewer, timezone.now())
    return " ".join(strip_tags(FEEDBACK.render(Context({"feedback": feedback}))).split())


@pytest.fixture
def graded(submissions, q1, q2, ta):
    grade(submissions[0], q1, "Correct update rule", "Sign error", comment="Check the sign of the update.", by=ta)
    grade(submissions[0], q2, "Chain rule set up", adjustment=D("0.5"), by=ta)
    return submissions[0]


def release(assignment, at):
    Assignment.objects.filter(pk=assignment.pk).update(grades_released_at=at)


def test_a_student_sees_no_feedback_before_the_grades_are_released(graded, alice):
    assert feedback_seen_by(alice, graded) == ""


def test_a_student_sees_no_feedback_while_the_release_is_still_ahead(graded, alice):
    release(graded.assignment, timezone.now() + timedelta(hours=1))
    assert feedback_seen_by(alice, graded) == ""


def test_a_student_sees_each_questions_items_comment_and_score_once_released(graded, alice):
    release(graded.assignment, timezone.now())
    text = feedback_seen_by(alice, graded)
    assert ("Question 1. Perceptron — 7 of 10 points +10 Correct update rule -3 Sign error "
            "Check the sign of the update.") in text
    assert "Question 2. Backpropagation — 4.5 of 10 points +4 Chain rule set up +0.5 adjustment" in text
    assert "Total: 11.5 of 20 points" in text
    assert "not released" not in text


def test_the_staff_see_the_feedback_before_release_with_a_notice(graded, ta):
    text = feedback_seen_by(ta, graded)
    assert "Grades are not released yet: the student does not see this feedback." in text
    assert "Question 1. Perceptron — 7 of 10 points" in text


def test_a_question_not_graded_yet_says_so_and_no_total_is_shown(submissions, q1, q2, ta, alice):
    grade(submissions[0], q1, "Correct update rule", by=ta)
    release(q1.assignment, timezone.now())
    text = feedback_seen_by(alice, submissions[0])
    assert "Question 2. Backpropagation — not graded yet" in text
    assert "Total" not in text
