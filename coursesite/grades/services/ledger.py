"""Writers of grace-day grants. The ledger itself is never stored: it is recomputed from history."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction

from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.grades.models import GraceDayGrant
from coursesite.grades.selectors import extra_grace_days
from coursesite.people.models import Membership, User


@transaction.atomic
def grace_days_add(*, member: Membership, days: int, reason: str, by: User, now: datetime) -> GraceDayGrant:
    """Add `days` to one student's grace-day budget, recording who did it and why.

    Locks the student's membership row, like every change that moves their ledger, so it
    serializes with a simultaneous change of their active submissions (and two grants add up).
    The budget's old and new size go into the history with the reason.
    """
    member = Membership.objects.select_for_update().select_related("course", "user").get(pk=member.pk)
    if member.role != Membership.Role.STUDENT:
        raise ValueError("Grace days are added to students only.")
    if days < 1:
        raise ValueError("Add at least one day.")
    budget = member.course.grace_days_total + extra_grace_days(member)
    grant = GraceDayGrant.objects.create(member=member, days=days, reason=reason.strip(), granted_by=by, granted_at=now)
    audit_record(course=member.course, kind=AuditEntry.Kind.GRACE_DAYS, who=by, old=budget, new=budget + days,
                 why=grant.reason or "grace days added", member=member)
    return grant
