"""`{% regrade_link submission viewer %}`: on a student's own submission page, once its grades are released,
the link to ask for a regrade (while the window is open) and the requests made on it.

`{% exam_regrade_link assignment member %}`: the same for an exam's score on the student's dashboard (an exam
has no submission page): the link while the window is open, and the student's requests on it."""
from django import template
from django.utils import timezone

from coursesite.regrades.selectors import (
    regrade_requests_on_exam,
    regrade_requests_on_submission,
    regrade_window_closes_at,
    regrade_window_is_open,
)

register = template.Library()


@register.inclusion_tag("regrades/_open_link.html")
def regrade_link(submission, viewer):
    """Renders nothing for the staff, or before the assignment's grades are released."""
    now = timezone.now()
    assignment = submission.assignment
    if submission.member_id != viewer.id or not assignment.grades_released(now):
        return {"shown": False}
    return {
        "shown": True, "submission": submission, "closes": regrade_window_closes_at(assignment),
        "window_open": regrade_window_is_open(assignment, now),
        "requests": regrade_requests_on_submission(submission),
    }


@register.inclusion_tag("regrades/_exam_link.html")
def exam_regrade_link(assignment, member):
    """Renders nothing for the staff, for work handed in, or before the exam's grades are released."""
    now = timezone.now()
    if member.is_staff_role or assignment.accepts_uploads or not assignment.grades_released(now):
        return {"shown": False}
    return {
        "shown": True, "assignment": assignment, "closes": regrade_window_closes_at(assignment),
        "window_open": regrade_window_is_open(assignment, now),
        "requests": list(regrade_requests_on_exam(member, assignment)),
    }
