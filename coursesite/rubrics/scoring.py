"""How a rubric scores one question: a pure rule, no Django.

The scheme is *positive scoring* with signed items, as on Gradescope: a question starts at 0;
each rubric item the grader ticks adds its points, which are positive for credit ("Correct
gradient: +4") or negative for a deduction ("Forgot the bias term: -1"); the grader may add a
one-off adjustment (positive or negative) for that one answer. The sum is then held to the
question's range: never below 0, never above the question's points.

    score = min(max(sum(ticked items' points) + adjustment, 0), question points)

Scores are computed from the ticked items whenever they are read, never stored, so changing an
item's points changes every answer that ticked it.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

ZERO = Decimal(0)


def question_score(item_points: Iterable[Decimal], adjustment: Decimal, maximum: Decimal) -> Decimal:
    """The points one answer earns on a question worth `maximum` (see the module's docstring).

    Decimal only: a float among the inputs raises TypeError rather than rounding silently.
    """
    if maximum < 0:
        raise ValueError(f"a question is worth at least 0 points, not {maximum}")
    raw = sum(item_points, ZERO) + adjustment
    for value in (raw, maximum):
        if not isinstance(value, Decimal):
            raise TypeError(f"points must be Decimal, not {type(value).__name__}")
    return min(max(raw, ZERO), maximum)


def total_score(question_scores: Iterable[Decimal]) -> Decimal:
    """An assignment's points: the sum of its questions' scores."""
    return sum(question_scores, ZERO)
