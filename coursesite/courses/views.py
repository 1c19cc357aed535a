"""The public syllabus and calendar, and the home page (a member's dashboard: coursesite/pages/dashboard.py)."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from coursesite.courses.calendar import course_calendar
from coursesite.courses.selectors import syllabus_get_context
from coursesite.courses.models import Course
from coursesite.people.models import Membership


def home(request: HttpRequest) -> HttpResponse:
    memberships = []
    if request.user.is_authenticated:
        memberships = Membership.objects.filter(user=request.user).current().select_related("course")
    return render(request, "courses/home.html", {"courses": Course.objects.all(), "memberships": memberships})


def syllabus(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    return render(request, "courses/syllabus.html", syllabus_get_context(course))


def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(Course, slug=slug)
    for_staff = (request.user.is_authenticated
                 and course.memberships.staff().filter(user=request.user).exists())
    content = course_calendar(course, request.build_absolute_uri("/"), now=timezone.now(), for_staff=for_staff)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{course.slug}.ics"'
    return response
