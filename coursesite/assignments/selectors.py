"""A student's own times of an assignment: their due time and closing time, an extension included."""
from __future__ import annotations

from datetime import datetime

from coursesite.assignments.models import Assignment
from coursesite.people.models import Membership


def effective_due(member: Membership, assignment: Assignment) -> datetime:
    """The assignment's due time, moved by an extension granted to the student.

    Extensions belong to the grades app, which sits above this one; they are read through their
    relation to the assignment, so the upload service knows the student's times without importing it.
    """
    extended = assignment.extensions.filter(member=member).values_list("due_at", flat=True).first()
    return extended or assignment.due_at


def closes_at(member: Membership, assignment: Assignment) -> datetime:
    """The last moment the student may upload: effective due time plus the grace-day cap."""
    return assignment.closes_at(effective_due(member, assignment))
