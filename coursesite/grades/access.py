"""Who may see an extension request, on top of coursesite/people/access.py: the student who asked and the
course staff; anyone else gets 404."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership


def get_extension_request_for_user(user, request_id: int) -> tuple[ExtensionRequest, Membership]:
    """The request and the viewer's membership, for the student who asked or the course staff; 404 otherwise."""
    extension_request = get_object_or_404(
        ExtensionRequest.objects.select_related("assignment__course", "member__user", "decided_by"), id=request_id
    )
    viewer = Membership.objects.filter(user=user, course=extension_request.assignment.course).current().first()
    if viewer is None or not (viewer.is_staff_role or extension_request.member_id == viewer.id):
        raise Http404
    return extension_request, viewer
