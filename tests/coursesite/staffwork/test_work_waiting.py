"""The counts of work waiting for the staff, as each member of staff sees them, and where each leads."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coursesite.grades.models import ExtensionRequest
from coursesite.regrades.models import RegradeRequest
from coursesite.rubrics.models import Question
from coursesite.staffwork.selectors import work_waiting
from tests.coursesite.staffwork.conftest import failed_grading, grade, hand_in, regrade_request
from tests.factories import ExtensionRequestFactory
from tests.world import NOW, person

pytestmark = pytest.mark.django_db


def waiting(course_world, username):
    return work_waiting(course_world.course, course_world.member(username), NOW)


# Regrade requests: all that wait, and those for you.

def test_open_and_taken_regrade_requests_wait(course_world, alice, bob, carol, ta):
    regrade_request(alice, course_world.pset)
    regrade_request(bob, course_world.pset, taken_by=ta)
    regrade_request(carol, course_world.pset, status=RegradeRequest.Status.DECLINED, handled_by=ta.user,
                    answered_by=ta.user, answered_at=NOW, score_change=Decimal(0))
    assert waiting(course_world, "abasu").regrade_requests == 2


def test_requests_for_you_are_the_open_ones_and_those_you_took(course_world, alice, bob, carol, ta, other_ta):
    regrade_request(alice, course_world.pset)
    regrade_request(bob, course_world.pset, taken_by=ta)
    regrade_request(carol, course_world.pset, taken_by=other_ta)
    assert waiting(course_world, "abasu").regrade_requests_for_you == 2
    assert waiting(course_world, "bliu").regrade_requests_for_you == 2


def test_a_request_another_member_of_staff_took_is_not_for_the_instructor(course_world, alice, ta, instructor):
    regrade_request(alice, course_world.pset, taken_by=ta)
    counts = waiting(course_world, "risteski")
    assert (counts.regrade_requests, counts.regrade_requests_for_you) == (1, 0)


def test_the_line_says_how_many_are_for_you(course_world, alice, bob, ta, other_ta):
    regrade_request(alice, course_world.pset)
    regrade_request(bob, course_world.pset, taken_by=other_ta)
    [line] = waiting(course_world, "abasu").lines()
    assert (line.text, line.url) == ("2 regrade requests (1 for you)", "/courses/10707-s21/regrades/")


def test_none_for_you_says_only_the_count(course_world, alice, other_ta):
    regrade_request(alice, course_world.pset, taken_by=other_ta)
    assert [line.text for line in waiting(course_world, "abasu").lines()] == ["1 regrade request"]


# Extension requests: for those who decide them.

def test_pending_extension_requests_wait_for_the_associate_and_the_instructor(course_world, alice, bob):
    ExtensionRequestFactory(member=alice, assignment=course_world.pset)
    ExtensionRequestFactory(member=bob, assignment=course_world.pset, status=ExtensionRequest.Status.DECLINED)
    assert waiting(course_world, "fjeffrey").extension_requests == 1
    [line] = waiting(course_world, "risteski").lines()
    assert (line.text, line.url) == ("1 extension request", "/courses/10707-s21/extensions/")


def test_a_ta_who_does_not_decide_extensions_is_not_shown_them(course_world, alice):
    ExtensionRequestFactory(member=alice, assignment=course_world.pset)
    assert waiting(course_world, "abasu").extension_requests == 0
    assert waiting(course_world, "abasu").lines() == []


# Ungraded answers, per rubric question of work past its due time.

def test_ungraded_answers_are_counted_per_question(course_world, alice, bob, carol, ta, ps0, questions):
    q1, q2 = questions
    for student in (alice, bob, carol):
        grade(hand_in(student, ps0), q1, ta)
    grade(ps0.submissions.get(member=alice), q2, ta)
    lines = waiting(course_world, "abasu").lines()
    assert [(line.text, line.url) for line in lines] == [
        ("Problem set 0, question 2: 2 ungraded", f"/courses/10707-s21/assignments/ps0/grading/{q2.id}/next/")]


def test_only_active_submissions_wait_to_be_graded(course_world, alice, ta, ps0, questions):
    earlier = hand_in(alice, ps0)
    grade(hand_in(alice, ps0), questions[0], ta)
    grade(earlier, questions[1], ta)           # graded before the student chose another one
    [question] = waiting(course_world, "abasu").questions
    assert (question.question, question.ungraded) == (questions[1], 1)


def test_work_not_yet_due_is_not_waiting_to_be_graded(course_world, alice):
    Question.objects.create(assignment=course_world.pset, number=1, title="Softmax", points=Decimal(5))
    hand_in(alice, course_world.pset)
    assert waiting(course_world, "abasu").questions == ()


# Gradings that failed.

def test_submissions_that_could_not_be_graded_are_counted_if_active(course_world, alice, bob):
    failed_grading(alice, course_world.coding)
    failed_grading(bob, course_world.coding)
    hand_in(bob, course_world.coding)          # a later upload: the failed one is no longer graded
    [line] = waiting(course_world, "abasu").lines()
    assert (line.text, line.url) == ("1 submission could not be graded", "/courses/10707-s21/could-not-be-graded/")


def test_nothing_waiting_makes_no_line(course_world, alice, ta, ps0, questions):
    submission = hand_in(alice, ps0)
    for question in questions:
        grade(submission, question, ta)
    assert waiting(course_world, "risteski").lines() == []


def test_the_lines_come_in_the_dashboards_order(course_world, alice, bob, ps0, questions):
    regrade_request(alice, course_world.pset)
    ExtensionRequestFactory(member=bob, assignment=course_world.pset)
    hand_in(alice, ps0)
    failed_grading(bob, course_world.coding)
    assert [line.text for line in waiting(course_world, "risteski").lines()] == [
        "1 regrade request (1 for you)", "1 extension request", "Problem set 0, question 1: 1 ungraded",
        "Problem set 0, question 2: 1 ungraded", "1 submission could not be graded"]


def test_the_count_of_queries_does_not_grow_with_the_students(course_world, ps0, questions, ta):
    def queries_with(students):
        for n, student in enumerate(students):
            hand_in(student, ps0)
            regrade_request(student, course_world.pset)
            ExtensionRequestFactory(member=student, assignment=course_world.pset, requested_at=timezone.now())
            failed_grading(student, course_world.coding)
            if n % 2:
                grade(ps0.submissions.get(member=student, is_active=True), questions[0], ta)
        with CaptureQueriesContext(connection) as queries:
            work_waiting(course_world.course, course_world.member("risteski"), NOW).lines()
        return len(queries)

    few = queries_with(course_world.students)
    many = queries_with([person(course_world.course, f"student{n}") for n in range(12)])
    assert few == many <= 4
