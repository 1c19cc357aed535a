"""Times on a course's pages in the course's own time zone, whatever the server's TIME_ZONE."""
from __future__ import annotations

import zoneinfo

from django.utils import timezone

from coursesite.courses.models import Course


class CourseTimeZoneMiddleware:
    """Activates the time zone of the course named by the URL's ``slug`` for the view and its templates
    (Django's ``timezone.activate``, as its time-zone documentation suggests); the server's otherwise.
    Forms that read a local time read it in the same zone, so a due time typed in is the one shown."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("slug")
        if slug:
            name = Course.objects.filter(slug=slug).values_list("time_zone", flat=True).first()
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
        return None
