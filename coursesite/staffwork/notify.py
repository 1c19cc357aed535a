"""The e-mail that tells a member of staff which requests came in and wait for them (sent by the worker:
coursesite/audit/notify.py; claimed at most once an hour by services.staff_digests_send)."""
from __future__ import annotations

from datetime import datetime

from django.core.mail import send_mail

from coursesite.audit.notify import notification, signature, site_link
from coursesite.display import in_course_time, plural
from coursesite.people.models import Membership
from coursesite.staffwork.selectors import new_requests_for

HOW_TO_STOP = ("You get at most one of these e-mails an hour. To stop them, untick “E-mail me a digest when "
               "requests wait for me” there and save.\n")


@notification
def notify_staff_digest(*, member_id: int, since: str, until: str) -> int:
    """Tell a member of staff of the requests opened between `since` and `until` (ISO times) that still wait
    for them, each with its link; nothing (0) if none still waits, or they opted out meanwhile."""
    member = Membership.objects.select_related("user", "course").get(pk=member_id)
    if member.digest_opt_out or not member.is_staff_role or not member.user.email:
        return 0
    since_time = datetime.fromisoformat(since)
    new = new_requests_for(member, since=since_time, until=datetime.fromisoformat(until))
    if not new:
        return 0
    course = member.course

    def when(moment: datetime) -> str:
        return in_course_time(moment, course)

    parts = []
    if new.regrade_requests:
        parts.append("Regrade requests nobody took yet:\n" + "".join(
            f"- {r.member.user.display_name} on {r.assignment.title}, {r.part_label} (opened {when(r.opened_at)})\n"
            f"  {site_link('regrades:detail', r.id)}\n" for r in new.regrade_requests))
    if new.extension_requests:
        parts.append("Extension requests waiting for a decision:\n" + "".join(
            f"- {e.member.user.display_name} on {e.assignment.title} (asked {when(e.requested_at)})\n"
            f"  {site_link('grades:extension-detail', e.id)}\n" for e in new.extension_requests))
    count = len(new.regrade_requests) + len(new.extension_requests)
    dashboard = site_link("courses:dashboard", course.slug)
    body = (f"Hello {member.user.display_name},\n\n"
            f"{plural(count, 'request')} in {course.number} {course.title} came in since {when(since_time)} and "
            f"{'waits' if count == 1 else 'wait'} for you.\n\n" + "\n".join(parts) +
            f"\nEverything waiting for the staff is on your dashboard:\n{dashboard}\n\n" + HOW_TO_STOP
            + signature(course))
    subject = f"{course.number}: {plural(count, 'request')} waiting for you"
    return send_mail(subject, body, None, [member.user.email], fail_silently=False)
