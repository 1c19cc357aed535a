"""Who may grade and edit rubrics, on top of coursesite/people/access.py.

Every member of staff (TA, education associate, instructor) grades; only the education
associate and the instructor edit questions and rubric items, because changing an item's
points rewrites the scores of every student whose answer used it. Students get 403 and
non-members 404 (from the people helpers); an assignment without a PDF write-up, a question
of another assignment, or a submission that is not a student's active one is 404.
"""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.access import get_assignment_for_member
from coursesite.people.models import Membership
from coursesite.rubrics.models import Question, RubricItem

RUBRIC_EDITORS = Membership.ADMIN_ROLES


def get_rubric_assignment(membership: Membership, key: str) -> Assignment:
    """A problem set or project milestone of the member's course; other kinds have no rubric (404)."""
    assignment = get_assignment_for_member(membership, key)
    if assignment.kind not in Assignment.PDF_KINDS:
        raise Http404("Only problem sets and project milestones are graded with a rubric.")
    return assignment


def get_question(assignment: Assignment, question_id: int) -> Question:
    return get_object_or_404(Question.objects.select_related("assignment__course"), assignment=assignment,
                             id=question_id)


def get_rubric_item(assignment: Assignment, item_id: int) -> RubricItem:
    return get_object_or_404(RubricItem.objects.select_related("question__assignment__course"),
                             question__assignment=assignment, id=item_id)


def get_submission_to_grade(assignment: Assignment, submission_id: int) -> Submission:
    """A student's active submission to the assignment; an older one is not graded (404)."""
    submission = get_object_or_404(
        Submission.objects.select_related("member__user", "assignment__course").prefetch_related("files"),
        assignment=assignment, id=submission_id,
    )
    if not submission.is_active:
        raise Http404("Only a student's active submission is graded.")
    return submission
