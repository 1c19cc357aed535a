"""Sending invitations: a new member gets an e-mail with a link to choose a password (people.invitations
makes and checks the link). One writer, `invite_after_commit`, used by the roster page, the `invite` command
and the roster import: it records who invited whom (an Invitation row and a history entry) and enqueues one
e-mail per member once the transaction commits.

It lives here rather than in coursesite.people because the history and the e-mail machinery sit above people
(pyproject.toml's layers).
"""
from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from coursesite.audit.models import AuditEntry
from coursesite.audit.notify import after_commit_many, notification, signature, site_link
from coursesite.audit.services import audit_record_many
from coursesite.display import in_course_time
from coursesite.people.invitations import invitation_lifetime, invitation_link_args, latest_invitation
from coursesite.people.models import Invitation, Membership, User


class InvitationRefused(Exception):
    """Said to the staff member or script that asked: why no invitation was sent."""


def invitation_refusal(member: Membership) -> str:
    """Why `member` cannot be invited, in words for staff; '' if they can."""
    if not member.user.email:
        return f"{member.user.display_name} has no e-mail address; add one before inviting them."
    if member.user.has_usable_password():
        return (f"{member.user.display_name} has already chosen a password; if they forgot it, "
                f"“Forgot your password?” on the sign-in page sends them a link.")
    return ""


@transaction.atomic
def invite_after_commit(member_ids: list[int], *, by: User | None = None, source: str = "") -> list[Invitation]:
    """Invite each member (all of one course); the e-mails leave once the transaction commits.

    `by` is the staff member who asked; a script run by no one passes None and names itself in `source`.
    Refuses all of them (InvitationRefused) if any one cannot be invited, so nothing is half done.
    """
    members = list(Membership.objects.select_related("user", "course").filter(id__in=member_ids).order_by("id"))
    missing = sorted(set(member_ids) - {m.id for m in members})
    if missing:
        raise InvitationRefused(f"No such member: {missing}.")
    if len({m.course_id for m in members}) > 1:
        raise InvitationRefused("Invite the members of one course at a time.")
    refusals = [reason for reason in map(invitation_refusal, members) if reason]
    if refusals:
        raise InvitationRefused(" ".join(refusals))
    now = timezone.now()
    # In bulk: a first roster import invites every student of the course at once.
    previous = {}
    for invitation in Invitation.objects.filter(member__in=members).order_by("sent_at", "id"):
        previous[invitation.member_id] = invitation          # the latest of each member wins
    invitations = Invitation.objects.bulk_create([Invitation(member=m, sent_at=now, sent_by=by) for m in members])
    audit_record_many([
        {"course": member.course, "kind": AuditEntry.Kind.INVITATION, "who": by, "source": source, "member": member,
         "old": previous[member.id].sent_at if member.id in previous else None, "new": now,
         "why": "Resent the invitation to choose a password." if member.id in previous
         else "Invited to choose a password."}
        for member in members
    ])
    after_commit_many(notify_invitation, [{"invitation_id": invitation.id} for invitation in invitations])
    return invitations


@notification
def notify_invitation(*, invitation_id: int) -> int:
    """E-mail the invitation's link, made now (so it expires INVITATION_TIMEOUT_DAYS from now).

    Nothing is sent (0) if a newer invitation replaced this one (that one sends its own link) or if the person
    chose a password meanwhile.
    """
    invitation = (Invitation.objects.select_related("member__user", "member__course", "sent_by")
                  .filter(pk=invitation_id).first())
    if invitation is None or latest_invitation(invitation.member) != invitation:
        return 0
    member, user = invitation.member, invitation.member.user
    course = member.course
    if not user.email or user.has_usable_password():
        return 0
    link = site_link("people:invitation-accept", *invitation_link_args(member))
    expires = in_course_time(timezone.now() + invitation_lifetime(), course)
    inviter = invitation.sent_by.display_name if invitation.sent_by else "The course staff"
    days = invitation_lifetime().days
    body = (f"Hello {user.display_name},\n\n"
            f"{inviter} invited you to {course.number} {course.title} ({course.term}) on the course site. "
            f"Your username is {user.get_username()}. Choose a password here to sign in:\n{link}\n\n"
            f"The link works once and expires on {expires} (in {days} days). "
            f"If it no longer works, ask the course staff to send you a new invitation.\n" + signature(course))
    return send_mail(f"Welcome to {course.number} {course.title}: choose a password", body, None, [user.email],
                     fail_silently=False)
