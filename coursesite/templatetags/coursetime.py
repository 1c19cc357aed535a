"""Times on pages, in the course's zone with the zone named: ``{% load coursetime %}`` then
``{{ r.opened_at|coursetime:course }}`` -> ``Mon Mar 15, 12:00 PM EDT``. The format is coursesite.display's;
a page names only which course's clock to read, so it needs no ``{% timezone %}`` block and no format string,
and a reader in another zone sees the course's time."""
from django import template

from coursesite.display import in_course_date, in_course_time, in_course_time_to_the_second

register = template.Library()


@register.filter
def coursetime(moment, course):
    """``Mon Mar 15, 12:00 PM EDT`` (the year when it isn't the year of the course's term); "" for no time."""
    return "" if moment is None else in_course_time(moment, course)


@register.filter
def coursedate(moment, course):
    """``Mon Mar 15``: the day, for calendars and "granted on" lines; a date is shown as it is."""
    return "" if moment is None else in_course_date(moment, course)


@register.filter
def coursesecond(moment, course):
    """``Mon Mar 15, 11:59:58 PM EDT``: when a submission was received, to the second."""
    return "" if moment is None else in_course_time_to_the_second(moment, course)
