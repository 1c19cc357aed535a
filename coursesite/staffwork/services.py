"""The staff's digest of requests waiting for them, at most one an hour, and each one's choice to get it.

Every worker's sweep loop calls ``staff_digests_send`` every few seconds (registered with
``autograding.liveness.also_sweep`` by the app's ready()), so it must be cheap when nothing is due: one
query finds the courses where a request came in during the last day and still waits, and it stops there
when there are none. Then one query picks the members of staff of those courses who get digests, had none
in the last hour, and for whom something came in since their last one; each is claimed by compare-and-set
on ``digest_sent_at`` (the value read must still be there), so that two workers sweeping at once send one
digest. The e-mail itself is sent by a worker after the commit (``notify_staff_digest``), and tells of the
requests opened between the last digest and this claim that still wait.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from coursesite.audit.notify import after_commit
from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership
from coursesite.regrades.models import RegradeRequest
from coursesite.staffwork.notify import notify_staff_digest

DIGEST_EVERY = timedelta(hours=1)
# A first digest, or the first after a long pause, tells of the last day only: older requests are on the
# dashboard, and a digest of weeks of them would be read by nobody.
LOOK_BACK = timedelta(hours=24)


@dataclass(frozen=True)
class DigestDue:
    """A member of staff a digest is due to, and their `digest_sent_at` as read (the compare-and-set's value)."""

    member_id: int
    last_sent_at: datetime | None

    def since(self, now: datetime) -> datetime:
        """The digest tells of requests opened after this: the last digest, at most a day ago."""
        return max(self.last_sent_at or now - LOOK_BACK, now - LOOK_BACK)


def _latest(requests, field: str) -> Subquery:
    """When the newest of `requests` in the outer membership's course came in (None if none did)."""
    return Subquery(requests.filter(assignment__course_id=OuterRef("course_id")).order_by(f"-{field}")
                    .values(field)[:1])


def staff_digests_due(*, now: datetime) -> list[DigestDue]:
    """The members of staff a digest is due to at `now`: they did not opt out, have an e-mail address, had
    no digest in the last hour, and a request they would act on came in since their last one (in the last
    day) and still waits. One query when nothing came in during the last day, two otherwise."""
    recent = now - LOOK_BACK
    regrades = RegradeRequest.objects.filter(status=RegradeRequest.Status.OPEN, opened_at__gt=recent)
    extensions = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING, requested_at__gt=recent)
    courses = set(regrades.order_by().values_list("assignment__course_id", flat=True)
                  .union(extensions.order_by().values_list("assignment__course_id", flat=True)))
    if not courses:
        return []
    never = Q(digest_sent_at__isnull=True)
    new_regrade = Q(latest_regrade__isnull=False) & (never | Q(latest_regrade__gt=F("digest_sent_at")))
    # Only those who decide extensions hear of them (selectors.decides_extensions).
    new_extension = (Q(role__in=Membership.ADMIN_ROLES, latest_extension__isnull=False)
                     & (never | Q(latest_extension__gt=F("digest_sent_at"))))
    due = (Membership.objects.staff().filter(course_id__in=courses, digest_opt_out=False)
           .exclude(user__email="").filter(never | Q(digest_sent_at__lte=now - DIGEST_EVERY))
           .annotate(latest_regrade=_latest(regrades, "opened_at"),
                     latest_extension=_latest(extensions, "requested_at"))
           .filter(new_regrade | new_extension).order_by("id"))
    return [DigestDue(member_id, sent_at) for member_id, sent_at in due.values_list("id", "digest_sent_at")]


def staff_digest_claim(*, due: DigestDue, now: datetime) -> bool:
    """Mark the digest sent at `now` if nobody did since `due` was read (and the member still wants it);
    False when another worker claimed it first."""
    unchanged = Q(digest_sent_at__isnull=True) if due.last_sent_at is None else Q(digest_sent_at=due.last_sent_at)
    return Membership.objects.filter(unchanged, pk=due.member_id, digest_opt_out=False).update(
        digest_sent_at=now) == 1


def staff_digests_send(*, now: datetime) -> list[int]:
    """The sweep's round: claim each digest due and have a worker send it once committed. Returns the members
    claimed (whose e-mail may still turn out empty, if their requests were taken meanwhile)."""
    claimed = []
    for due in staff_digests_due(now=now):
        with transaction.atomic():      # the claim and the e-mail waiting to be sent commit together
            if staff_digest_claim(due=due, now=now):
                after_commit(notify_staff_digest, member_id=due.member_id, since=due.since(now).isoformat(),
                             until=now.isoformat())
                claimed.append(due.member_id)
    return claimed


def digest_opt_out_set(*, member: Membership, opt_out: bool) -> None:
    """A member of staff stops (or starts again) getting digests; only theirs changes."""
    if not member.is_staff_role:
        raise ValueError("Only the course staff get digests of requests waiting for them.")
    Membership.objects.filter(pk=member.pk).update(digest_opt_out=opt_out)
    member.digest_opt_out = opt_out
