"""What the automatic source of an assignment makes of a student's graded submission.

Kept apart from scores.py because it reads the autograder's and the rubric's results (through
grades.sources), whose services themselves write through scores.py.
"""
from __future__ import annotations

from coursesite.assignments.models import Assignment
from coursesite.assignments.selectors import active_submission_for
from coursesite.grades.sources import AutomaticScore, source_for
from coursesite.people.models import Membership


def automatic_score_for(member: Membership, assignment: Assignment) -> AutomaticScore | None:
    """What the automatic source makes of the student's active submission; None if it has nothing yet."""
    source = source_for(assignment)
    submission = active_submission_for(member, assignment)     # a group's, whoever of it uploaded it
    if source is None or submission is None:
        return None
    return source.score(submission)
