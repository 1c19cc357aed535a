"""The only writers of an assignment's grade release, and of taking it back.

A release is a decision with consequences (students see their scores, every student is e-mailed),
so the page shows them first (grades/release.py: release_preview_get) and a release before the due
time must be confirmed explicitly: without that tick it is refused with a sentence saying why.

Both lock the assignment's row first, like every score write (grades/services/scores.py), so a
release can't interleave with an import; both are recorded in the history in the same transaction.
"""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.audit.notify import after_commit
from coursesite.display import in_course_time
from coursesite.grades.notify import notify_grades_released
from coursesite.audit.services import audit_record
from coursesite.people.models import User

log = logging.getLogger(__name__)


class ReleaseRefused(Exception):
    """The release can't be made as asked; the message says why."""


def before_due_refusal(assignment: Assignment) -> str:
    due = in_course_time(assignment.due_at, assignment.course)
    return (f"{assignment.title} is due {due}: students may still submit. To release its "
            f"grades before the due time, tick that you mean to.")


@transaction.atomic
def grades_release(*, assignment: Assignment, by: User, now: datetime, why: str = "grades released",
                   before_due_confirmed: bool = False) -> Assignment:
    """Students see the assignment's scores from now on. Releasing again keeps the first release time.

    Before the assignment's due time it needs `before_due_confirmed` (the page's tick), else
    ReleaseRefused. A release is recorded in the history, and every student is e-mailed once it commits.
    """
    Assignment.objects.select_for_update().only("id").get(pk=assignment.pk)
    if now < assignment.due_at and not before_due_confirmed:
        raise ReleaseRefused(before_due_refusal(assignment))
    if Assignment.objects.filter(pk=assignment.pk, grades_released_at__isnull=True).update(grades_released_at=now):
        log.info("grades of %s released by %s", assignment.key, by.username)
        if now < assignment.due_at:
            why = f"{why} (before the due time, confirmed)"
        audit_record(course=assignment.course, kind=AuditEntry.Kind.RELEASE, who=by, old=None, new=now, why=why,
                     assignment=assignment)
        after_commit(notify_grades_released, assignment_id=assignment.pk)
    assignment.refresh_from_db(fields=["grades_released_at"])
    return assignment


@transaction.atomic
def grades_unrelease(
    *, assignment: Assignment, by: User, now: datetime, why: str = "release taken back"
) -> Assignment:
    """Take a release back (e.g. the wrong assignment was released): students see its scores no more."""
    Assignment.objects.select_for_update().only("id").get(pk=assignment.pk)
    released_at = Assignment.objects.values_list("grades_released_at", flat=True).get(pk=assignment.pk)
    if Assignment.objects.filter(pk=assignment.pk, grades_released_at__isnull=False).update(grades_released_at=None):
        log.info("release of %s's grades taken back by %s at %s", assignment.key, by.username, now.isoformat())
        audit_record(course=assignment.course, kind=AuditEntry.Kind.RELEASE, who=by, old=released_at, new=None,
                     why=why, assignment=assignment)
    assignment.refresh_from_db(fields=["grades_released_at"])
    return assignment
