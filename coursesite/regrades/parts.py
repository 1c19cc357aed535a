"""The parts of a submission's grade a student may ask to have regraded.

- A problem set or project milestone graded with a rubric: each of its questions.
- Coding work graded by the autograder (when `coursesite.autograding` is installed and the
  submission's grading job finished with results): each test the student can see.
- Anything else (exams, work scored by the staff as a whole): the whole assignment.

`visible_test_names` applies the pure rule of `autograding.visibility`; `regradable_parts` reads the rows.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

from coursesite.assignments.models import Assignment, Submission
from coursesite.autograding.visibility import student_sees_test
from coursesite.assignments.selectors import submission_due
from coursesite.rubrics.models import Question

WHOLE = "assignment"


@dataclass(frozen=True)
class Part:
    """One regradable part. `key` is how a form names it: ``question:<id>``, ``test:<name>`` or ``assignment``."""

    key: str
    label: str
    question: Question | None = None
    test_name: str = ""


def question_part(question: Question) -> Part:
    return Part(f"question:{question.id}", f"Question {question.number}. {question.title}", question=question)


def autograder_test_part(name: str) -> Part:
    return Part(f"test:{name}", f"Test “{name}”", test_name=name)


WHOLE_ASSIGNMENT = Part(WHOLE, "The whole assignment")


def visible_test_names(tests: Iterable[dict], *, due: datetime, now: datetime) -> list[str]:
    """Names of the tests a student sees in a Gradescope-shaped result, in order, without repeats.

    Which tests those are is `autograding.visibility`'s rule, the one the feedback page follows.
    """
    names: list[str] = []
    for test in tests:
        name = str(test.get("name", "")).strip()
        if name and student_sees_test(test, due=due, now=now) and name not in names:
            names.append(name)
    return names


def autograder_installed() -> bool:
    return apps.is_installed("coursesite.autograding")


def finished_tests(submission: Submission) -> list[dict]:
    """The tests of the submission's finished grading job; [] without the autograder, a job or results."""
    if not autograder_installed():
        return []
    job = getattr(submission, "grading_job", None)      # the reverse accessor raises when there is no job
    if job is None or not job.is_finished or not isinstance(job.result, dict):
        return []
    tests = job.result.get("tests")
    return [t for t in tests if isinstance(t, dict)] if isinstance(tests, list) else []


def regradable_parts(submission: Submission, *, now: datetime) -> list[Part]:
    """The parts of `submission`'s grade its student may ask about, in the order the pages show them."""
    assignment = submission.assignment
    if assignment.kind in Assignment.PDF_KINDS:
        questions = list(Question.objects.filter(assignment=assignment).order_by("number"))
        if questions:
            return [question_part(q) for q in questions]
    if assignment.kind == Assignment.Kind.CODING:
        tests = finished_tests(submission)
        if tests:
            names = visible_test_names(tests, due=submission_due(submission), now=now)
            if names:
                return [autograder_test_part(name) for name in names]
    return [WHOLE_ASSIGNMENT]


def part_of_request(regrade_request) -> Part:
    """The Part a stored request asks about."""
    if regrade_request.question_id:
        return question_part(regrade_request.question)
    if regrade_request.test_name:
        return autograder_test_part(regrade_request.test_name)
    return WHOLE_ASSIGNMENT
