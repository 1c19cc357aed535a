"""Who may see a regrade request, on top of coursesite/people/access.py: the student who asked and
the course staff; anyone else gets 404, so request ids can't be probed."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest


def get_regrade_request_for_user(user, request_id: int) -> tuple[RegradeRequest, Membership]:
    """The request and the viewer's membership, for the student who asked or the course staff; 404 otherwise."""
    regrade_request = get_object_or_404(
        RegradeRequest.objects.select_related("assignment__course", "member__user", "question", "submission",
                                              "handled_by", "answered_by"),
        id=request_id,
    )
    viewer = Membership.objects.filter(user=user, course=regrade_request.assignment.course).current().first()
    if viewer is None or not (viewer.is_staff_role or regrade_request.member_id == viewer.id):
        raise Http404
    return regrade_request, viewer
