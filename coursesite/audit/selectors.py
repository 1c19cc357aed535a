"""Reads of the history, shaped for the staff pages: newest first, times in the course's zone."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.courses.models import Course
from coursesite.people.models import Membership

# Kinds whose values are times (stored in UTC); shown in the course's time zone.
TIME_KINDS = (AuditEntry.Kind.EXTENSION, AuditEntry.Kind.RELEASE, AuditEntry.Kind.DATES)
TIME_FORMAT = "%a %b %d %Y, %H:%M %Z"


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    at: dt.datetime          # in the course's time zone
    who: str
    old: str
    new: str


def show_value(entry: AuditEntry, value: str, course: Course) -> str:
    if not value:
        return "none"
    if entry.kind in TIME_KINDS:
        try:
            return timezone.localtime(dt.datetime.fromisoformat(value), course.tz).strftime(TIME_FORMAT)
        except ValueError:
            return value
    return value


def history_lines(entries: QuerySet[AuditEntry], course: Course) -> list[HistoryLine]:
    return [
        HistoryLine(
            entry=e, at=timezone.localtime(e.at, course.tz),
            who=e.who.display_name if e.who_id else e.source, old=show_value(e, e.old_value, course),
            new=show_value(e, e.new_value, course),
        )
        for e in entries.select_related("who", "assignment", "member__user", "category").order_by("-at", "-id")
    ]


def audit_entry_list_for_student(member: Membership) -> list[HistoryLine]:
    """Every change about this student (scores, grace-day budget, extensions), newest first.

    Changes of every student's grace-day budget (the course's, in the admin) are part of it too.
    """
    course_budget = Q(member__isnull=True, kind=AuditEntry.Kind.GRACE_DAYS)
    return history_lines(AuditEntry.objects.filter(Q(member=member) | course_budget, course_id=member.course_id),
                         member.course)


def audit_entry_list_for_assignment(assignment: Assignment) -> list[HistoryLine]:
    """Every change about this assignment (its scores, extensions on it, its release), newest first."""
    return history_lines(AuditEntry.objects.filter(course_id=assignment.course_id, assignment=assignment),
                         assignment.course)
