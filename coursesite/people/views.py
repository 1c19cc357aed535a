"""The course roster, for staff."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coursesite.people.access import get_course_for_user, require_staff


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    members = course.memberships.select_related("user").order_by("role", "user__last_name", "user__first_name")
    return render(request, "people/roster.html", {"course": course, "member": member, "members": members})
