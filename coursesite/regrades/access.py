"""Who may see a regrade request, on top of coursesite/people/access.py: the student who asked and
the course staff; anyone else gets 404, so request ids can't be probed."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest


def get_regrade_request_for_user(user, request_id: int) -> tuple[RegradeRequest, Membership]:
    """The request and the viewer's membership, for the student who asked (or, on a group's submission, any member
    of the group) or the course staff; 404 otherwise."""
    regrade_request = get_object_or_404(
        RegradeRequest.objects.select_related("assignment__course", "member__user", "question", "submission",
                                              "handled_by", "answered_by"),
        id=request_id,
    )
    viewer = Membership.objects.filter(user=user, course=regrade_request.assignment.course).current().first()
    if viewer is None or not (viewer.is_staff_role or is_for_student(regrade_request, viewer)):
        raise Http404
    return regrade_request, viewer


def is_for_student(regrade_request: RegradeRequest, member: Membership) -> bool:
    """The student asked, or the request is on their group's submission (its answer applies to them too)."""
    if regrade_request.member_id == member.id:
        return True
    submission = regrade_request.submission
    return (submission is not None and submission.group_id is not None and not member.is_staff_role
            and submission.counts_for(member))
