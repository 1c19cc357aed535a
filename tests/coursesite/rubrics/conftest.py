"""A problem set with two rubric questions, three students who handed it in, and its staff (the shared
world's people, tests/world.py)."""
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.rubrics.models import Question, RubricItem
from coursesite.rubrics.services import question_grade_save
from tests.coursesite.assignments.support import pdf_upload
from tests.factories import AssignmentFactory
from tests.pdfs import pdf_of_pages
from tests.world import DAY, NOW


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def pset(course):
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1", points=D(20),
                             release_at=NOW - 7 * DAY, due_at=NOW + 7 * DAY)


@pytest.fixture
def q1(pset):
    question = Question.objects.create(assignment=pset, number=1, title="Perceptron", points=D(10))
    RubricItem.objects.create(question=question, description="Correct update rule", points=D(10))
    RubricItem.objects.create(question=question, description="Sign error", points=D(-3))
    RubricItem.objects.create(question=question, description="Partial derivation", points=D(5))
    return question


@pytest.fixture
def q2(pset, q1):
    question = Question.objects.create(assignment=pset, number=2, title="Backpropagation", points=D(10))
    RubricItem.objects.create(question=question, description="Correct gradients", points=D(10))
    RubricItem.objects.create(question=question, description="Chain rule set up", points=D(4))
    return question


def hand_in(member, assignment, text="Problem 1"):
    return submission_create(member=member, assignment=assignment, upload=pdf_upload(text), now=timezone.now())


def hand_in_pages(member, assignment, count: int):
    """`member` hands in a write-up of `count` pages."""
    upload = CheckedUpload(files=(CheckedFile("writeup.pdf", pdf_of_pages(count, member.user.username)),))
    return submission_create(member=member, assignment=assignment, upload=upload, now=timezone.now())


@pytest.fixture
def submissions(pset, alice, bob, carol):
    """Alice's, Bob's and Carol's active submissions, in that (id) order."""
    return [hand_in(m, pset, m.user.username) for m in (alice, bob, carol)]


def item(question, description):
    return question.items.get(description=description)


def grade(submission, question, *descriptions, adjustment=D(0), comment="", by):
    return question_grade_save(
        submission=submission, question=question, items=[item(question, d) for d in descriptions],
        adjustment=adjustment, comment=comment, by=by.user, now=timezone.now(),
    )


def grade_url(question, submission):
    a = question.assignment
    return reverse("rubrics:grade", args=[a.course.slug, a.key, question.id, submission.id])


def next_url(question):
    a = question.assignment
    return reverse("rubrics:next", args=[a.course.slug, a.key, question.id])


def progress_url(assignment):
    return reverse("rubrics:progress", args=[assignment.course.slug, assignment.key])


def edit_url(assignment):
    return reverse("rubrics:edit", args=[assignment.course.slug, assignment.key])
