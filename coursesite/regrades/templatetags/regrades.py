"""`{% regrade_link submission viewer %}`: on a student's own submission page, once its grades are released,
the link to ask for a regrade (while the window is open) and the requests made on it."""
from django import template
from django.utils import timezone

from coursesite.regrades.selectors import (
    grades_released,
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
    if submission.member_id != viewer.id or not grades_released(assignment, now):
        return {"shown": False}
    return {
        "shown": True, "submission": submission, "closes": regrade_window_closes_at(assignment),
        "window_open": regrade_window_is_open(assignment, now),
        "requests": regrade_requests_on_submission(submission),
    }
