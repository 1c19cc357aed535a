"""Who may print whose grade report (the rule of people/access.py: another student's report is 404)."""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from coursesite.people.models import Membership


def get_student_for_report(viewer: Membership, member_id: int) -> Membership:
    """The student whose report `viewer` asks for: themself, or any student of the course for staff.

    A student asking for anyone else, and anyone asking for a member who is not a student, gets 404.
    """
    if not viewer.is_staff_role and viewer.id != member_id:
        raise Http404("You can only see your own grade report.")
    return get_object_or_404(
        viewer.course.memberships.students(include_dropped=True).select_related("user", "course"), id=member_id
    )
