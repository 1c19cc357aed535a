"""What grades a submission, as the upload service sees it.

The apps that grade (the autograder) sit above the assignments. When a submission is stored, or becomes
the student's graded one, the service calls here, inside its own transaction, and each grading app
registered from its ready() does its part: the autograder writes its grading job in that transaction
(sent to a worker once it commits, and found by the sweep if the broker was down) and moves the
student's score to the submission now graded. So the service never imports them.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from coursesite.assignments.models import Submission


@dataclass(frozen=True)
class Grader:
    stored: Callable[..., None]             # (submission=, now=) for a new submission
    made_active: Callable[..., None]        # (submission=, now=) for the one now graded


_GRADERS: list[Grader] = []


def register(grader: Grader) -> None:
    if grader not in _GRADERS:
        _GRADERS.append(grader)


def submission_stored(*, submission: Submission, now: datetime) -> None:
    for grader in _GRADERS:
        grader.stored(submission=submission, now=now)


def submission_made_active(*, submission: Submission, now: datetime) -> None:
    for grader in _GRADERS:
        grader.made_active(submission=submission, now=now)
