"""The one writer of the registrar's roster: preview what a CSV changes, and apply exactly that.

The rules (reading the CSV, what changes) are coursesite/people/roster.py; this module reads the course's state,
writes memberships and accounts in one transaction and records the import in the course's history. It lives
with the gradebook (above the history it writes to) because the people app sits below the history.
A fixed number of queries whatever the roster's length (bulk reads and writes; benchmarks/roster.py counts them).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from coursesite.audit.invitations import invite_after_commit
from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.courses.models import Course
from coursesite.people.models import Membership, User
from coursesite.people.roster import Current, RosterError, RosterPlan, fingerprint, parse_roster, plan_roster


class RosterRefused(Exception):
    """The roster was not applied; the message (and `problems`) say why."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True)
class RosterPreview:
    plan: RosterPlan
    token: str                      # fingerprint of the file and the course's roster as previewed


@dataclass(frozen=True)
class RosterApplied:
    plan: RosterPlan
    new_account_ids: tuple[int, ...]   # the accounts this import created, each sent an invitation


def roster_preview(course: Course, data: bytes) -> RosterPreview:
    """What `data` would change in `course`, and the token that applying it must present."""
    try:
        rows, problems = parse_roster(data)
    except RosterError as error:
        raise RosterRefused(str(error)) from error
    current, owners, students = _state(course, rows)
    plan = plan_roster(rows, current, owners, students, problems)
    return RosterPreview(plan, fingerprint(data, [*students, *current.values()]))


@transaction.atomic
def roster_apply(course: Course, data: bytes, *, by: User | None, source: str, filename: str, now: datetime,
                 token: str | None = None) -> RosterApplied:
    """Apply the roster `data` to `course`: add, update, drop and restore students, in one transaction, with an
    entry in the course's history. `token` (from roster_preview) refuses the file if it or the course's roster
    changed since that preview. A roster with bad rows changes nothing."""
    # Locks the course's memberships, so two imports (or a preview's token check and a concurrent import) serialize.
    list(Membership.objects.select_for_update().filter(course=course).values_list("id", flat=True))
    preview = roster_preview(course, data)
    plan = preview.plan
    if token is not None and token != preview.token:
        raise RosterRefused("The file or the course's roster changed since the preview: nothing was applied. "
                            "Upload the file again to see what it changes now.")
    if plan.problems:
        raise RosterRefused(f"The roster has {len(plan.problems)} bad row(s): nothing was applied.", plan.problems)
    new_ids = _write(course, plan, now)
    if plan.changes_anything:
        audit_record(course=course, kind=AuditEntry.Kind.ROSTER, who=by, source=source, old=None,
                     new=plan.summary(), why=f"roster import of {filename}", subject=f"roster ({filename})")
    if new_ids:
        # The accounts this import created have no password yet: each gets an e-mail with a link to choose
        # one (sent once the import commits; the invitations and their history are part of the import).
        invite_after_commit(list(Membership.objects.filter(course=course, user_id__in=new_ids)
                                 .values_list("id", flat=True)), by=by, source=source)
    return RosterApplied(plan, new_ids)


def _state(course: Course, rows) -> tuple[dict[str, Current], dict[str, str], list[Current]]:
    """The site's accounts for the file's usernames, owners of its e-mails, and the course's students now."""
    usernames = [r.username for r in rows]
    emails = [r.email for r in rows]
    roles = {m.user_id: m for m in Membership.objects.filter(course=course).filter(
        Q(user__username__in=usernames) | Q(role=Membership.Role.STUDENT)).select_related("user")}
    current = {}
    for user in User.objects.filter(username__in=usernames):
        member = roles.get(user.id)
        current[user.username] = Current(
            user.username, user.first_name, user.last_name, user.email.lower(),
            role=member.role if member else "", section=member.section if member else "",
            dropped=bool(member and member.dropped_at))
    # E-mails compare without case: Alice@andrew.cmu.edu is the account alice@andrew.cmu.edu already has.
    owners = dict(User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
                  .values_list("email_lower", "username"))
    students = [Current(m.user.username, m.user.first_name, m.user.last_name, m.user.email.lower(), role=m.role,
                        section=m.section, dropped=m.dropped_at is not None)
                for m in roles.values() if m.role == Membership.Role.STUDENT]
    return current, owners, students


def _write(course: Course, plan: RosterPlan, now: datetime) -> tuple[int, ...]:
    fresh = [r for r in plan.added if r.username not in plan.existing_accounts]
    new_users = User.objects.bulk_create([
        User(username=r.username, first_name=r.first_name, last_name=r.last_name, email=r.email, password="!")
        for r in fresh])                         # "!": an unusable password until the invitation sets one
    users = {u.username: u for u in User.objects.filter(
        username__in=[r.username for r in plan.added] + [u.row.username for u in plan.updated + plan.restored])}
    Membership.objects.bulk_create([
        Membership(user=users[r.username], course=course, role=Membership.Role.STUDENT, section=r.section)
        for r in plan.added])
    changed = plan.updated + plan.restored
    members = {m.user.username: m for m in Membership.objects.filter(
        course=course, user__username__in=[u.row.username for u in changed]).select_related("user")}
    edited_users, edited_members = [], []
    for update in changed:
        member = members[update.row.username]
        member.user.first_name, member.user.last_name = update.row.first_name, update.row.last_name
        member.user.email = update.row.email
        member.section, member.dropped_at = update.row.section, None
        edited_users.append(member.user)
        edited_members.append(member)
    User.objects.bulk_update(edited_users, ["first_name", "last_name", "email"])
    Membership.objects.bulk_update(edited_members, ["section", "dropped_at"])
    Membership.objects.filter(course=course, role=Membership.Role.STUDENT,
                              user__username__in=[d.username for d in plan.dropped]).update(dropped_at=now)
    return tuple(u.id for u in new_users)

