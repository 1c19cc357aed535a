"""The automatic sources of a score (the autograder, the rubric) as the grades see them.

The apps that grade sit above the grades: they write their scores through grades.services.scores. What
the grades ask back of them (whether a source scores an assignment, what it makes of a submission, which
submissions it has not finished, what a student is shown of its score before the due date) each source
answers by registering here from its app's ready(). So this app never imports the apps above it, and
a page of the grades learns of a new source without a change here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from coursesite.assignments.models import Assignment, Submission
from coursesite.grades.models import Score

# Which source holds when more than one could score an assignment: a coding assignment with rubric
# questions is scored by its autograder.
PRECEDENCE = (Score.Source.AUTOGRADER, Score.Source.RUBRIC)

# (member id, assignment id) -> (points, comment or None: as stored)
Shown = dict[tuple[int, int], tuple[Decimal, str | None]]


@dataclass(frozen=True)
class AutomaticScore:
    """What an automatic source makes of a student's active submission."""

    points: Decimal
    comment: str
    source: str                 # Score.Source.AUTOGRADER or RUBRIC
    submission: Submission


@dataclass(frozen=True)
class AutomaticSource:
    source: str                                                     # a Score.Source of PRECEDENCE
    label: str                                                      # as the pages name it: "the autograder"
    scores: Callable[[Assignment], bool]                            # whether it scores this assignment
    score: Callable[[Submission], AutomaticScore | None]            # None: nothing finished yet
    # The active submissions it has not finished: submission id -> its state in words ("queued").
    unfinished: Callable[[Assignment, Sequence[Submission]], dict[int, str]]
    # What students are shown of its scores at `now`; None: the scores as stored.
    shown_to_students: Callable[[Sequence[Score], dict[int, Assignment], datetime], Shown] | None = None


_SOURCES: dict[str, AutomaticSource] = {}


def register(source: AutomaticSource) -> None:
    if source.source not in PRECEDENCE:
        raise ValueError(f"{source.source!r} is not an automatic source of a score")
    _SOURCES[source.source] = source


def registered() -> list[AutomaticSource]:
    """Every registered source, the one that holds first."""
    return [_SOURCES[name] for name in PRECEDENCE if name in _SOURCES]


def source_for(assignment: Assignment) -> AutomaticSource | None:
    """The source that scores the assignment; None when staff enter every score by hand."""
    return next((s for s in registered() if s.scores(assignment)), None)


def shown_to_students(scores: Iterable[Score], assignments: dict[int, Assignment], now: datetime) -> Shown:
    """What students are shown at `now` of the automatic scores among `scores` (others: as stored)."""
    scores = list(scores)
    shown: Shown = {}
    for source in registered():
        if source.shown_to_students is not None:
            mine = [s for s in scores if s.source == source.source and s.submission_id]
            if mine:
                shown.update(source.shown_to_students(mine, assignments, now))
    return shown


# Points added on top of the autograder's score of one submission: the answered regrade requests on the
# whole of it. The regrades app sits above and registers how to count them (its ready()).
_ADJUSTMENTS: list[Callable[[Submission], Decimal]] = []


def register_adjustment(adjustment: Callable[[Submission], Decimal]) -> None:
    if adjustment not in _ADJUSTMENTS:
        _ADJUSTMENTS.append(adjustment)


def adjustment_for(submission: Submission) -> Decimal:
    return sum((adjust(submission) for adjust in _ADJUSTMENTS), Decimal(0))
