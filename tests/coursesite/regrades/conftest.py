"""A course whose problem set (two rubric questions), project (scored as a whole) and coding homework
(autograder tests) have released grades; the shared world's people (tests/world.py): students Alice and
Bob, the staff; the clock frozen at NOW.

Grades were released two days before NOW; the course's window is 7 days, so requests close at
NOW + 5 days.
"""
import html
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from coursesite.assignments.models import Submission
from coursesite.autograding.services import autograder_score_sync
from coursesite.grades.models import Score
from coursesite.grades.services.scores import score_set
from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.parts import WHOLE_ASSIGNMENT, question_part
from coursesite.regrades.services import regrade_request_open, regrade_request_take
from coursesite.rubrics.models import Question, QuestionGrade, RubricItem
from coursesite.rubrics.services import question_grade_save
from tests.factories import AssignmentFactory, GradingJobFactory, SubmissionFactory
from tests.world import DAY, NOW

RELEASED = NOW - 2 * DAY
CLOSES = RELEASED + 7 * DAY


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def hand_in(member, assignment, when=None, active=True) -> Submission:
    """A submission row as the upload service leaves it (the files don't matter to regrades)."""
    return SubmissionFactory(member=member, assignment=assignment, submitted_at=when or NOW - 15 * DAY,
                             is_active=active)


def release(assignment, at=RELEASED):
    assignment.grades_released_at = at
    assignment.save(update_fields=["grades_released_at"])
    return assignment


@pytest.fixture
def pset(course):
    """Problem set 1, worth 20: question 1 (10 points) and question 2 (10 points)."""
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1", points=D(20),
                             release_at=NOW - 30 * DAY, due_at=NOW - 14 * DAY)


@pytest.fixture
def q1(pset):
    question = Question.objects.create(assignment=pset, number=1, title="Perceptron", points=D(10))
    RubricItem.objects.create(question=question, description="Correct update rule", points=D(10))
    RubricItem.objects.create(question=question, description="Sign error", points=D(-3))
    return question


@pytest.fixture
def q2(pset, q1):
    question = Question.objects.create(assignment=pset, number=2, title="Backpropagation", points=D(10))
    RubricItem.objects.create(question=question, description="Chain rule set up", points=D(6))
    return question


def grade(submission, question, *descriptions, by, adjustment=D(0)):
    items = [question.items.get(description=d) for d in descriptions]
    return question_grade_save(submission=submission, question=question, items=items, adjustment=adjustment,
                               comment="", by=by.user, now=NOW - 3 * DAY)


@pytest.fixture
def graded_pset(pset, q1, q2, alice, ta):
    """Alice's submission graded 7 (10 - 3) on question 1 and 6 on question 2: 13 of 20; grades released."""
    submission = hand_in(alice, pset)
    grade(submission, q1, "Correct update rule", "Sign error", by=ta)
    grade(submission, q2, "Chain rule set up", by=ta)
    release(pset)
    return submission


@pytest.fixture
def project(course):
    """A project milestone without a rubric: staff score it as a whole, out of 50."""
    return AssignmentFactory(course=course, key="proposal", title="Project proposal", kind="project", points=D(50),
                             release_at=NOW - 30 * DAY, due_at=NOW - 14 * DAY)


@pytest.fixture
def scored_project(project, alice, instructor):
    """Alice's proposal, scored 40 of 50; grades released."""
    submission = hand_in(alice, project)
    score_set(member=alice, assignment=project, points=D(40), by=instructor.user, now=NOW - 3 * DAY)
    release(project)
    return submission


@pytest.fixture
def coding(course):
    return AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding", points=D(30),
                             release_at=NOW - 30 * DAY, due_at=NOW - 14 * DAY)


RESULT = {"score": 9.0, "tests": [
    {"name": "sigmoid: values", "score": 3.0, "max_score": 3.0, "output": "", "visibility": "visible"},
    {"name": "softmax: rows sum to 1", "score": 1.0, "max_score": 3.0, "output": "off by 1e-3",
     "visibility": "visible"},
    {"name": "mlp_backward: gradient check", "score": 5.0, "max_score": 6.0, "output": "",
     "visibility": "after_due_date"},
    {"name": "train_mlp: held-out accuracy", "score": 0.0, "max_score": 3.0, "output": "", "visibility": "hidden"},
]}


def finish_grading(submission, result=RESULT, status="done", score=D("9")):
    return GradingJobFactory(submission=submission, status=status, queued_at=NOW - 15 * DAY,
                             finished_at=NOW - 15 * DAY, score=score, max_score=D("15"), result=result)


@pytest.fixture
def graded_coding(coding, alice, instructor):
    """Alice's HW1, graded by the autograder; her score 18 of 30; grades released."""
    submission = hand_in(alice, coding)
    finish_grading(submission)
    autograder_score_sync(submission=submission, now=NOW - 3 * DAY)
    release(coding)
    return submission


def ask(submission, part, why="My answer is right: see page 2."):
    return regrade_request_open(submission=submission, member=submission.member, part=part, justification=why,
                                now=timezone.now())


@pytest.fixture
def q2_request(graded_pset, q2):
    """Alice asks about question 2 of the problem set."""
    return ask(graded_pset, question_part(q2))


@pytest.fixture
def project_request(scored_project):
    return ask(scored_project, WHOLE_ASSIGNMENT)


def take(regrade_request, by):
    return regrade_request_take(regrade_request=regrade_request, by=by, now=NOW)


def as_user(client, membership):
    client.force_login(membership.user)
    return client


def text_of(response) -> str:
    """The response's text as a person reads it: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def open_url(submission):
    return reverse("regrades:open", args=[submission.id])


def detail_url(regrade_request):
    return reverse("regrades:detail", args=[regrade_request.id])


def take_url(regrade_request):
    return reverse("regrades:take", args=[regrade_request.id])


def answer_url(regrade_request):
    return reverse("regrades:answer", args=[regrade_request.id])


def queue_url(course, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return reverse("regrades:queue", args=[course.slug]) + (f"?{query}" if query else "")


def score_of(member, assignment):
    return Score.objects.get(member=member, assignment=assignment).points


def adjustment_of(submission, question):
    return QuestionGrade.objects.get(submission=submission, question=question).adjustment


def fresh(regrade_request) -> RegradeRequest:
    return RegradeRequest.objects.get(pk=regrade_request.pk)

