"""Plain-text e-mail to students when something about their grade is decided.

Services call these through `transaction.on_commit` (see `after_commit`), with ids only, so a mail
goes out only for a change that was committed, and a mail server that is down or refuses a message
never undoes or breaks the action: the failure is logged and the page goes on.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership

log = logging.getLogger(__name__)
DUE_FORMAT = "%a %b %d, %H:%M %Z"


def after_commit(notify: Callable[..., int], **arguments: int | str) -> None:
    """Send `notify(**arguments)` once the surrounding transaction commits (right away outside one).

    Pass ids and text, never model objects: the mail reads the committed rows.
    """
    transaction.on_commit(partial(notify, **arguments), robust=True)


def site_link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def signature(course) -> str:
    return f"\n-- \n{course.number} {course.title} ({course.term})\n"


def notify_grades_released(*, assignment_id: int) -> int:
    """Tell every student of the course (with an e-mail address) that the assignment's grades are out.

    Returns how many messages were sent; 0 if sending failed (logged) or the release was taken back.
    """
    assignment = Assignment.objects.select_related("course").get(pk=assignment_id)
    course = assignment.course
    if assignment.grades_released_at is None:
        return 0
    subject = f"Grades for {assignment.title} are released"
    link = site_link("courses:dashboard", course.slug)
    messages = [
        (subject,
         f"Hello {student.user.display_name},\n\n"
         f"Grades for {assignment.title} in {course.number} {course.title} are released. "
         f"Your score is on your dashboard:\n{link}\n" + signature(course),
         None, [student.user.email])
        for student in course.memberships.students().select_related("user").exclude(user__email="")
    ]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except Exception:
        log.exception("could not e-mail the release of %s's grades (%s) to %d students",
                      assignment.key, course.slug, len(messages))
        return 0


def notify_extension_decided(*, request_id: int) -> int:
    """Tell the student who asked whether the extension was granted (and until when) or declined (and why)."""
    extension_request = ExtensionRequest.objects.select_related("assignment__course", "member__user").get(pk=request_id)
    assignment, student = extension_request.assignment, extension_request.member.user
    course = assignment.course
    if not student.email or extension_request.status == ExtensionRequest.Status.PENDING:
        return 0
    note = extension_request.decision_note
    if extension_request.status == ExtensionRequest.Status.GRANTED:
        due = timezone.localtime(extension_request.granted_due_at, course.tz)
        subject = f"Extension granted for {assignment.title}"
        decision = f"Your extension request for {assignment.title} was granted. Your new due time is {due:{DUE_FORMAT}}."
        if note:
            decision += f"\n\nNote from the course staff:\n{note}"
    else:
        subject = f"Extension request declined for {assignment.title}"
        decision = f"Your extension request for {assignment.title} was declined.\n\nNote from the course staff:\n{note}"
    body = (f"Hello {student.display_name},\n\n{decision}\n\n"
            f"Your request: {site_link('grades:extension-detail', extension_request.id)}\n" + signature(course))
    try:
        return send_mail(subject, body, None, [student.email], fail_silently=False)
    except Exception:
        log.exception("could not e-mail the decision on extension request %s to %s", request_id, student.username)
        return 0


def notify_regrade_answered(*, member_id: int, assignment_id: int, answer: str, link: str = "") -> int:
    """Tell a student their regrade request on an assignment was answered, with the answer.

    For the regrade feature: `after_commit(notify_regrade_answered, member_id=..., assignment_id=...,
    answer=..., link=...)` from its answering service; `link` defaults to the student's dashboard.
    """
    member = Membership.objects.select_related("user", "course").get(pk=member_id)
    assignment = Assignment.objects.get(pk=assignment_id, course_id=member.course_id)
    if not member.user.email:
        return 0
    body = (f"Hello {member.user.display_name},\n\nYour regrade request on {assignment.title} was answered:\n\n"
            f"{answer}\n\n{link or site_link('courses:dashboard', member.course.slug)}\n" + signature(member.course))
    try:
        return send_mail(f"Your regrade request on {assignment.title} was answered", body, None,
                         [member.user.email], fail_silently=False)
    except Exception:
        log.exception("could not e-mail the regrade answer on %s to %s", assignment.key, member.user.username)
        return 0
