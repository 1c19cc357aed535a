"""The e-mail that tells a student a classmate invited them into a group (sent by the worker: audit/notify.py)."""
from __future__ import annotations

from django.core.mail import send_mail

from coursesite.assignments.models import GroupInvitation
from coursesite.audit.notify import notification, signature, site_link


@notification
def notify_group_invitation(*, invitation_id: int) -> int:
    """Tell the invited student who invites them, into which group, and where to answer; nothing once the
    invitation is no longer waiting (withdrawn, or answered, before the worker got to it)."""
    invitation = (GroupInvitation.objects.select_related("group__assignment__course", "invited__user", "invited_by__user")
                  .filter(pk=invitation_id, status=GroupInvitation.Status.PENDING).first())
    if invitation is None or not invitation.invited.user.email:
        return 0
    assignment = invitation.group.assignment
    course = assignment.course
    members = ", ".join(m.user.display_name for m in invitation.group.students())
    link = site_link("assignments:group", course.slug, assignment.key)
    body = (f"Hello {invitation.invited.user.display_name},\n\n"
            f"{invitation.invited_by.user.display_name} invites you into their group for {assignment.title} "
            f"(now: {members}). Accept or decline on your group page:\n{link}\n\n"
            f"In a group, one submission counts for every member, and every member gets its grade.\n" + signature(course))
    return send_mail(f"{invitation.invited_by.user.display_name} invites you into a group for {assignment.title}",
                     body, None, [invitation.invited.user.email], fail_silently=False)
