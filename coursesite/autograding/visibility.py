"""Which autograder tests a student sees: the one owner of the rule (pure: no Django, no clock).

A Gradescope-shaped test says its own ``visibility``:

- ``"visible"`` (the default when a test says nothing): always shown;
- ``"after_due_date"``: shown once the student's due time has passed;
- ``"after_published"`` and ``"hidden"``: never shown to the student.

Staff see every test. The feedback page, the score a student is shown, the parts a student may
ask to have regraded and what a regrade answer tells the student all ask these functions.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime


def after_due_date_tests_shown(*, due: datetime, now: datetime) -> bool:
    """Whether "after_due_date" tests are shown at `now`: from the due time on, not before."""
    return now >= due


def student_sees_test(test: Mapping, *, due: datetime, now: datetime) -> bool:
    """Whether a student sees this test (its name, score and message) at `now`."""
    visibility = test.get("visibility", "visible")
    return visibility == "visible" or (
        visibility == "after_due_date" and after_due_date_tests_shown(due=due, now=now)
    )
