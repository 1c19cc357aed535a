"""The writers of a course's grading configuration as the admin edits it: the grace-day budgets and the
category weights. Each change moves every student's grades, so each goes into the history with its
reason, in the same transaction."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.courses.models import Course, GradingCategory
from coursesite.people.models import User

# What each audited budget is called in the history (the subject of its entries).
BUDGET_SUBJECTS = {
    "grace_days_total": "every student's budget",
    "max_grace_days_per_assignment": "the most grace days one assignment may use, for every student",
}


@transaction.atomic
def course_save(*, course: Course, old_budgets: dict[str, int], by: User, why: str) -> Course:
    """Save the course; each budget in `old_budgets` (the values it had, of those the edit changed) is recorded."""
    if old_budgets and not why.strip():
        raise ValueError("Say why the grace-day budget changes.")
    course.save()
    for name, old in old_budgets.items():
        audit_record(course=course, kind=AuditEntry.Kind.GRACE_DAYS, who=by, old=old, new=getattr(course, name),
                     why=why, subject=BUDGET_SUBJECTS[name])
    return course


@transaction.atomic
def category_weights_save(*, course: Course, save: Callable[[], object], deleted: Iterable[GradingCategory],
                          by: User, why: str) -> None:
    """Save the course's categories with `save` (the admin's formset) and record every weight that changes.

    A deleted category is recorded before it goes, while the entry can still point at it.
    """
    before = {c.pk: c.weight for c in GradingCategory.objects.filter(course=course)}
    for removed in [c for c in deleted if c.pk in before]:
        audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=by, old=before[removed.pk], new=None, why=why,
                     category=removed)
    save()
    for category in GradingCategory.objects.filter(course=course):
        if before.get(category.pk) != category.weight:
            audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=by, old=before.get(category.pk),
                         new=category.weight, why=why, category=category)
