"""The e-mail that tells a student their regrade request was answered (sent by the worker:
coursesite/audit/notify.py)."""
from __future__ import annotations

from django.core.mail import send_mail

from coursesite.assignments.models import Assignment
from coursesite.audit.notify import notification, signature, site_link
from coursesite.people.models import Membership


@notification
def notify_regrade_answered(*, member_id: int, assignment_id: int, answer: str, link: str = "",
                            asked_by: str = "") -> int:
    """Tell a student their regrade request on an assignment was answered, with the answer; with `asked_by`,
    the request another member of their group made for the group (the answer applies to them too).

    For the regrade feature: `after_commit(notify_regrade_answered, member_id=..., assignment_id=...,
    answer=..., link=...)` from its answering service; `link` defaults to the student's dashboard.
    """
    member = Membership.objects.select_related("user", "course").get(pk=member_id)
    assignment = Assignment.objects.get(pk=assignment_id, course_id=member.course_id)
    if not member.user.email:
        return 0
    request = f"{asked_by}'s regrade request for your group" if asked_by else "Your regrade request"
    body = (f"Hello {member.user.display_name},\n\n{request} on {assignment.title} was answered:\n\n"
            f"{answer}\n\n{link or site_link('courses:dashboard', member.course.slug)}\n" + signature(member.course))
    subject = (f"A regrade request on {assignment.title} for your group was answered" if asked_by
               else f"Your regrade request on {assignment.title} was answered")
    return send_mail(subject, body, None, [member.user.email], fail_silently=False)
