"""The `points` filter that shows rubric points as people write them. (What feedback a viewer sees is
rubrics.selectors.feedback_for_submission, which the page's view passes to rubrics/_feedback.html.)"""
from django import template

from coursesite.display import plain_number, signed_number

register = template.Library()


@register.filter
def points(value, signed: str = ""):
    """``{{ 7.50|points }}`` -> ``7.5``; ``{{ x|points:"signed" }}`` -> ``+7.5`` (``-2``, ``0``)."""
    if value is None:
        return ""
    return signed_number(value) if signed else plain_number(value)
