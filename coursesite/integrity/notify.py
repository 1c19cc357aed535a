"""The e-mail that tells a student the decision of an academic-integrity case about them (sent by the worker:
coursesite/audit/notify.py). It says what the student's own page says: the decision and its reason, never the
evidence, the notes, or who else the case is about."""
from __future__ import annotations

from django.core.mail import send_mail

from coursesite.audit.notify import notification, signature, site_link
from coursesite.integrity.models import Case
from coursesite.people.models import Membership


@notification
def notify_integrity_decision(*, case_id: int, member_id: int) -> int:
    """Tell one student of a told case its decision and reason (0 if they have no e-mail address)."""
    case = Case.objects.told_to(member_id).select_related("course", "assignment").get(pk=case_id)
    member = Membership.objects.select_related("user").get(pk=member_id, course_id=case.course_id)
    if not member.user.email:
        return 0
    course = case.course
    decision = case.get_decision_display()
    if case.penalty_points is not None:
        decision += f": {case.penalty} points off your score on {case.assignment.title}"
    body = (f"Hello {member.user.display_name},\n\n"
            f"The course staff of {course.number} {course.title} reviewed the academic integrity of your work on "
            f"{case.about} and decided:\n\n{decision}\n\nWhy:\n{case.decision_reason}\n\n"
            f"Your academic-integrity page: {site_link('integrity:student', course.slug)}\n"
            f"If you have questions, write to the course's instructor.\n" + signature(course))
    return send_mail(f"Academic integrity: a decision about your work on {case.about}", body, None,
                     [member.user.email], fail_silently=False)
