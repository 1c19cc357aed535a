"""A problem set with two rubric questions, three students who handed it in, and its staff (the shared
world's people, tests/world.py)."""
import io
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


def pdf_of_pages(count: int, title: str = "Write-up") -> bytes:
    """A valid PDF of `count` pages, each saying "<title>, page N" in large type (to see which page a viewer shows)."""
    font = 3 + 2 * count
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)),
                                                              count)]
    for n in range(1, count + 1):
        stream = f"BT /F1 36 Tf 72 700 Td ({title}, page {n}) Tj ET".encode()
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (len(objects) + 2, font))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


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
