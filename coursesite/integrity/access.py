"""Who may see academic-integrity cases: the course's instructors and education associate.

A student gets 404 for the staff pages (nothing says a case exists) and sees only their own cases, once staff
have told them; a TA gets 403 with who handles cases instead.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.integrity.models import Case
from coursesite.people.access import get_course_for_user
from coursesite.people.models import Membership

HANDLED_BY = ("Academic-integrity cases are handled by the course's instructors and education associate only: "
              "bring what you found to them.")


def require_case_handler(member: Membership) -> None:
    """404 for a student (the staff pages don't exist for them), 403 with who to ask for a TA."""
    if member.role == Membership.Role.STUDENT:
        raise Http404("No such page.")
    if not member.is_course_admin:
        raise PermissionDenied(HANDLED_BY)


def get_course_for_case_handler(user, slug: str):
    course, member = get_course_for_user(user, slug)
    require_case_handler(member)
    return course, member


def get_case_for_handler(user, slug: str, case_id: int) -> tuple[Case, Membership]:
    course, member = get_course_for_case_handler(user, slug)
    case = get_object_or_404(Case.objects.select_related("course", "assignment", "opened_by", "decided_by",
                                                         "told_by"), pk=case_id, course=course)
    return case, member
