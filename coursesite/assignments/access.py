"""Who may see an assignment or a submission, on top of coursesite/people/access.py: a student sees an
assignment once it is released and only their own submissions; anyone else gets 404, so ids can't be probed."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.people.models import Membership


def get_assignment_for_member(membership: Membership, key: str) -> Assignment:
    """The assignment; students don't see it (404) before its release."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("course", "category"), course=membership.course, key=key
    )
    if not membership.is_staff_role and not assignment.is_released(timezone.now()):
        raise Http404("This assignment is not released yet.")
    return assignment


def get_submission_for_user(user, submission_id: int) -> tuple[Submission, Membership]:
    """The submission and the viewer's membership, if the viewer may see it (Submission.objects.visible_to);
    404 otherwise."""
    submission = get_object_or_404(
        Submission.objects.visible_to(user).select_related("assignment__course", "assignment__category", "member__user"),
        id=submission_id,
    )
    return submission, Membership.objects.get(user=user, course=submission.assignment.course)
