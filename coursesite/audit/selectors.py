"""Reads of the history, shaped for the staff pages: newest first, times in the course's zone."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from coursesite.audit.models import AuditEntry
from coursesite.audit.services import AssignmentLike
from coursesite.courses.models import Course
from coursesite.display import in_course_time
from coursesite.people.access import PRIVATE_TEXT_HIDDEN
from coursesite.people.models import Membership

# Kinds whose values are times (stored in UTC); shown in the course's time zone.
TIME_KINDS = (AuditEntry.Kind.EXTENSION, AuditEntry.Kind.RELEASE, AuditEntry.Kind.DATES, AuditEntry.Kind.INVITATION)
# Changes made for every student at once (no one student named): a due or release time, the course's
# grace-day budgets, a category weight. Each moves every student's grades.
COURSE_WIDE = Q(member__isnull=True, kind__in=(AuditEntry.Kind.GRACE_DAYS, AuditEntry.Kind.DATES, AuditEntry.Kind.WEIGHT,
                                               AuditEntry.Kind.ROSTER))


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    at: dt.datetime          # in the course's time zone
    who: str
    old: str
    new: str
    why: str                 # the reason, or that it is kept from this viewer (is_private_reason)


def show_value(entry: AuditEntry, value: str, course: Course) -> str:
    if not value:
        return "none"
    if entry.kind in TIME_KINDS:
        try:
            return in_course_time(dt.datetime.fromisoformat(value), course)
        except ValueError:
            return value
    return value


def is_private_reason(entry: AuditEntry) -> bool:
    """Days added to one student's budget: the reason is an accommodation (people.access.sees_private_reasons)."""
    return entry.kind == AuditEntry.Kind.GRACE_DAYS and entry.member_id is not None


def history_lines(entries: QuerySet[AuditEntry], course: Course, *, shows_private: bool = True) -> list[HistoryLine]:
    return [
        HistoryLine(
            entry=e, at=timezone.localtime(e.at, course.tz),
            who=e.who.display_name if e.who_id else e.source, old=show_value(e, e.old_value, course),
            new=show_value(e, e.new_value, course),
            why=e.why if shows_private or not is_private_reason(e) else f"Reason {PRIVATE_TEXT_HIDDEN}.",
        )
        for e in entries.select_related("who", "assignment", "member__user", "category").order_by("-at", "-id")
    ]


def audit_entry_list_for_student(member: Membership, *, shows_private: bool = True) -> list[HistoryLine]:
    """Every change about this student (scores, grace-day budget, extensions), newest first.

    Changes made for every student at once are part of it too: the course's grace-day budgets
    and due or release times (in the admin), which change this student's late work as well.
    """
    every_student = Q(member__isnull=True, kind__in=(AuditEntry.Kind.GRACE_DAYS, AuditEntry.Kind.DATES))
    entries = AuditEntry.objects.filter(Q(member=member) | every_student, course_id=member.course_id)
    return history_lines(_without_private_kinds(entries, shows_private), member.course, shows_private=shows_private)


def audit_entry_list_for_assignment(assignment: AssignmentLike, *, shows_private: bool = True) -> list[HistoryLine]:
    """Every change about this assignment (its scores, extensions on it, its due and release times,
    its release), newest first."""
    entries = AuditEntry.objects.filter(course_id=assignment.course_id, assignment=assignment)
    return history_lines(_without_private_kinds(entries, shows_private), assignment.course)


def _without_private_kinds(entries: QuerySet[AuditEntry], shows_private: bool) -> QuerySet[AuditEntry]:
    """Academic-integrity cases are the instructors' and the education associate's alone
    (coursesite/integrity): a TA reading a student's or an assignment's history does not learn one exists."""
    return entries if shows_private else entries.exclude(kind=AuditEntry.Kind.INTEGRITY)


def audit_entry_list_for_course(course: Course) -> list[HistoryLine]:
    """The changes made for every student at once (weights, grace-day budgets, due and release times, roster
    imports)."""
    return history_lines(AuditEntry.objects.filter(COURSE_WIDE, course_id=course.id), course)
