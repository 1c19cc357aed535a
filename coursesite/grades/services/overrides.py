"""What the automatic source of an assignment makes of a student's graded submission.

Kept apart from scores.py because it reads the autograder's and the rubric's results, whose
services themselves write through scores.py.
"""
from __future__ import annotations

from coursesite.assignments.models import Assignment, Submission
from coursesite.autograding.services import autograder_score
from coursesite.grades.services.scores import AutomaticScore
from coursesite.people.models import Membership
from coursesite.rubrics.services import rubric_score


def automatic_score_for(member: Membership, assignment: Assignment) -> AutomaticScore | None:
    """What the automatic source makes of the student's active submission; None if it has nothing yet."""
    submission = Submission.objects.filter(member=member, assignment=assignment, is_active=True).first()
    if submission is None:
        return None
    if assignment.autograder_spec:
        return autograder_score(submission)
    return rubric_score(submission)
