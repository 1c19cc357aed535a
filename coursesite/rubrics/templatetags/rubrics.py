"""`{% rubric_feedback submission viewer %}`: a student's per-question feedback, once grades are released;
and the `points` filter that shows rubric points as people write them."""
from django import template
from django.utils import timezone

from coursesite.display import plain_number, signed_number
from coursesite.rubrics.selectors import feedback_for_submission

register = template.Library()


@register.inclusion_tag("rubrics/_feedback.html")
def rubric_feedback(submission, viewer):
    """Renders nothing for a student before the assignment's grades are released, or without a rubric."""
    return {"feedback": feedback_for_submission(submission, viewer, timezone.now())}


@register.filter
def points(value, signed: str = ""):
    """``{{ 7.50|points }}`` -> ``7.5``; ``{{ x|points:"signed" }}`` -> ``+7.5`` (``-2``, ``0``)."""
    if value is None:
        return ""
    return signed_number(value) if signed else plain_number(value)
