"""Plain-text e-mail to students when something about their grade is decided.

Services call `after_commit(notify_..., id=...)`: once the transaction commits, the notification is
enqueued (ids and plain strings only) and a Celery worker sends it (`coursesite.audit.tasks.
send_notification`), so a release to 300 students sends no e-mail inside the request. The hook is
`robust`: a broker that is down is logged and never undoes or breaks the action (the e-mail is then
lost: there is no sweep for notifications). A mail server that is down or refuses a message makes the
task retry a bounded number of times, then log the failure for staff.

Each `notify_*` function runs in the worker: it reads the committed rows, sends its e-mail, returns
how many it sent, and raises on a failed send (the task retries it).
"""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.grades.models import ExtensionRequest, Score
from coursesite.people.models import Membership

DUE_FORMAT = "%a %b %d, %H:%M %Z"


def enqueue(kind: str, **arguments: int | str) -> None:
    """Send the notification `kind` (a `notify_*` name) to the broker for a worker to send."""
    from coursesite.audit.tasks import send_notification

    send_notification.delay(kind, **arguments)


def after_commit(notify: Callable[..., int], **arguments: int | str) -> None:
    """Enqueue `notify(**arguments)` once the surrounding transaction commits (right away outside one).

    Pass ids and text, never model objects: the worker reads the committed rows.
    """
    kind = notify.__name__
    if NOTIFICATIONS.get(kind) is not notify:
        raise ValueError(f"{kind} is not a notification the worker can send")

    def enqueue_notification() -> None:  # not a partial: Django names a failing robust hook by its __qualname__
        enqueue(kind, **arguments)

    transaction.on_commit(enqueue_notification, robust=True)


def site_link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def signature(course) -> str:
    return f"\n-- \n{course.number} {course.title} ({course.term})\n"


def notify_grades_released(*, assignment_id: int) -> int:
    """Fan out: one notification per student of the course with an e-mail address, each its own task,
    so that a retry after a failed send repeats one student's e-mail, not the whole course's.

    Returns how many were enqueued; 0 if the release was taken back.
    """
    released = Assignment.objects.grades_released(timezone.now()).select_related("course")
    assignment = released.filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    students = list(assignment.course.memberships.students().exclude(user__email="").values_list("id", flat=True))
    for member_id in students:
        enqueue("notify_grade_released_to_student", assignment_id=assignment_id, member_id=member_id)
    return len(students)


def notify_grade_released_to_student(*, assignment_id: int, member_id: int) -> int:
    """Tell one student that the assignment's grades are out, and whether they have a score (0 if the release
    was taken back meanwhile). What the student may see is Score.objects.released_to's, as on their pages."""
    now = timezone.now()
    assignment = Assignment.objects.grades_released(now).select_related("course").filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    member = Membership.objects.select_related("user").get(pk=member_id, course_id=assignment.course_id)
    course = assignment.course
    if not member.user.email:
        return 0
    link = site_link("courses:dashboard", course.slug)
    scored = Score.objects.released_to(member, now).filter(member=member, assignment=assignment).exists()
    where = ("Your score is on your dashboard" if scored
             else "You have no score for it; if you handed it in, ask the course staff. Your dashboard")
    body = (f"Hello {member.user.display_name},\n\n"
            f"Grades for {assignment.title} in {course.number} {course.title} are released. "
            f"{where}:\n{link}\n" + signature(course))
    return send_mail(f"Grades for {assignment.title} are released", body, None, [member.user.email],
                     fail_silently=False)


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
    return send_mail(subject, body, None, [student.email], fail_silently=False)


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
    return send_mail(f"Your regrade request on {assignment.title} was answered", body, None,
                     [member.user.email], fail_silently=False)


# What the worker may send, by name (the task carries the name, never a function).
NOTIFICATIONS: dict[str, Callable[..., int]] = {
    notify.__name__: notify
    for notify in (notify_grades_released, notify_grade_released_to_student, notify_extension_decided,
                   notify_regrade_answered)
}
