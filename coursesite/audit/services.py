"""The one writer of the history: audit_record. Callers record inside their own transaction, so a
change and its entry are committed together or not at all."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from coursesite.audit.models import AuditEntry
from coursesite.courses.models import Course, GradingCategory
from coursesite.display import plain_number
from coursesite.people.models import Membership, User


class AssignmentLike(Protocol):
    """What the history reads of an assignment. The assignments app sits above the history (its services
    record here), so the history names the attributes it needs rather than importing the model."""

    id: int
    course_id: int
    course: Course
    title: str


Value = Decimal | int | dt.datetime | str | None


def render_value(value: Value) -> str:
    """How a value is stored: Decimals plainly (`92.5`, `45`), times in ISO 8601 in UTC, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError(f"Record a boolean as words, not {value!r}.")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a value a grade can have.")
        return plain_number(value) if value else "0"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"Times in the history must be timezone-aware, got {value!r}.")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, int | str):
        return str(value)
    raise TypeError(f"Cannot record a {type(value).__name__} in the history.")


def _describe(member: Membership | None, assignment: AssignmentLike | None, category: GradingCategory | None) -> str:
    """The entry's subject in words, e.g. `alice on Midterm 1` or `category Midterm 1`."""
    parts = []
    if member is not None:
        parts.append(member.user.username)
    if assignment is not None:
        parts.append(f"on {assignment.title}" if parts else assignment.title)
    if category is not None:
        parts.append(f"category {category.name} ({category.key})")
    return " ".join(parts) or "the course"


def audit_entry(
    *,
    course: Course,
    kind: str,
    who: User | None,
    old: Value,
    new: Value,
    why: str,
    member: Membership | None = None,
    assignment: AssignmentLike | None = None,
    category: GradingCategory | None = None,
    source: str = "",
    subject: str = "",
) -> AuditEntry:
    """One entry of the course's history, checked and stamped with the server's clock, not yet saved
    (audit_record saves one, audit_record_many many at once).

    `who` is the person who made the change; a command run by no one (loadcourse) passes None and
    names itself in `source`. `old`/`new` None means there was none / there is none any more.
    `subject` names what changed when the linked rows don't say it (e.g. the whole course's budget).
    """
    if kind not in AuditEntry.Kind.values:
        raise ValueError(f"{kind!r} is not a kind of change the history knows.")
    if who is None and not source.strip():
        raise ValueError("A change made by no person must say what made it (source).")
    if not why.strip():
        raise ValueError("Say why the value changed.")
    for linked in (member, assignment, category):
        if linked is not None and linked.course_id != course.id:
            raise ValueError(f"{linked} is not part of {course}.")
    return AuditEntry(
        course=course, who=who, source=source.strip(), at=timezone.now(), kind=kind,
        member=member, assignment=assignment, category=category, subject=(subject or _describe(member, assignment, category))[:500],
        old_value=render_value(old), new_value=render_value(new), why=why.strip(),
    )


@transaction.atomic
def audit_record(**entry) -> AuditEntry:
    """Add one entry to the course's history (the arguments of audit_entry)."""
    made = audit_entry(**entry)
    made.save()
    return made


@transaction.atomic
def audit_record_many(entries: list[dict]) -> list[AuditEntry]:
    """Add many entries in one statement (e.g. an invitation to each of 400 new students)."""
    return AuditEntry.objects.bulk_create([audit_entry(**entry) for entry in entries])
