"""The demo course's groups: on each project milestone, alice and bob in one group, carol in a group of one
that the staff allowed (the syllabus's "exceptions may be granted"). Formed through the groups services, so
they are in the course's history like any other, made by `source`."""
from __future__ import annotations

from datetime import datetime

from coursesite.assignments.groups_staff import group_form
from coursesite.assignments.models import Assignment, StudentGroup
from coursesite.courses.models import Course
from coursesite.people.models import Membership

DEMO_GROUPS = (("alice", "bob"), ("carol",))
EXCEPTION = "an allowed exception"


def demo_groups_form(course: Course, *, now: datetime, source: str) -> list[str]:
    """Form the demo groups on every group assignment that has none yet; returns what it formed, one line each.
    A milestone that already has groups (staff or students made them) is left alone."""
    students = {m.user.username: m for m in Membership.objects.filter(course=course).students().select_related("user")}
    formed = []
    for assignment in Assignment.objects.filter(course=course, group_size__gt=1).order_by("due_at", "key"):
        if StudentGroup.objects.filter(assignment=assignment).exists():
            continue
        for usernames in DEMO_GROUPS:
            members = [students[name] for name in usernames if name in students]
            if not members:
                continue
            note = EXCEPTION if len(members) != assignment.group_size else ""
            group_form(assignment=assignment, members=members, by=None, now=now, approved_size_note=note,
                       source=source)
            formed.append(f"{assignment.key}: group of {', '.join(usernames)}" + (f" ({note})" if note else ""))
    return formed
