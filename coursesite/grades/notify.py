"""The e-mails that tell a student about a decision on their grades: a release and an extension
(sent by the worker: coursesite/audit/notify.py)."""
from __future__ import annotations

from django.core.mail import send_mail
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.audit import notify as audit_notify
from coursesite.audit.notify import notification, signature, site_link
from coursesite.display import in_course_time
from coursesite.grades.models import Extension, ExtensionRequest, Score
from coursesite.people.models import Membership


@notification
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
        # looked up at call time, so holding audit_notify.enqueue (as the tests do) holds the fan-out too
        audit_notify.enqueue("notify_grade_released_to_student", assignment_id=assignment_id, member_id=member_id)
    return len(students)


@notification
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


@notification
def notify_extension_decided(*, request_id: int) -> int:
    """Tell the student who asked whether the extension was granted (and until when) or declined (and why)."""
    extension_request = ExtensionRequest.objects.select_related("assignment__course", "member__user").get(pk=request_id)
    assignment, student = extension_request.assignment, extension_request.member.user
    course = assignment.course
    if not student.email or extension_request.status == ExtensionRequest.Status.PENDING:
        return 0
    note = extension_request.decision_note
    if extension_request.status == ExtensionRequest.Status.GRANTED:
        due = in_course_time(extension_request.granted_due_at, course)
        subject = f"Extension granted for {assignment.title}"
        decision = f"Your extension request for {assignment.title} was granted. Your new due time is {due}."
        if note:
            decision += f"\n\nNote from the course staff:\n{note}"
    else:
        subject = f"Extension request declined for {assignment.title}"
        decision = f"Your extension request for {assignment.title} was declined.\n\nNote from the course staff:\n{note}"
    body = (f"Hello {student.display_name},\n\n{decision}\n\n"
            f"Your request: {site_link('grades:extension-detail', extension_request.id)}\n" + signature(course))
    return send_mail(subject, body, None, [student.email], fail_silently=False)


@notification
def notify_group_extension(*, assignment_id: int, member_id: int) -> int:
    """Tell a member of a group that the extension another member asked for was granted to the whole group, with
    their new due time; never why it was asked for (that is the requester's own)."""
    extension = (Extension.objects.select_related("assignment__course", "member__user")
                 .filter(assignment_id=assignment_id, member_id=member_id).first())
    if extension is None or not extension.member.user.email:
        return 0
    assignment, student = extension.assignment, extension.member.user
    course = assignment.course
    due = in_course_time(extension.due_at, course)
    body = (f"Hello {student.display_name},\n\n"
            f"The course staff granted your group an extension on {assignment.title}. "
            f"Your new due time is {due}.\n\n"
            f"The assignment: {site_link('assignments:detail', course.slug, assignment.key)}\n" + signature(course))
    return send_mail(f"Extension granted to your group for {assignment.title}", body, None, [student.email],
                     fail_silently=False)
