"""The public syllabus and calendar, the home page, and each member's course dashboard."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.courses.calendar import course_calendar
from coursesite.courses.selectors import syllabus_get_context
from coursesite.courses.models import Course
from coursesite.grades.report import grade_report_get_for_student
from coursesite.grades.selectors import extension_due_times
from coursesite.people.access import get_course_for_user
from coursesite.people.models import Membership


def home(request: HttpRequest) -> HttpResponse:
    memberships = []
    if request.user.is_authenticated:
        memberships = Membership.objects.filter(user=request.user).select_related("course")
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


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    now = timezone.now()
    context = {"course": course, "member": member, "now": now}
    assignments = course.assignments.select_related("category")
    if member.is_staff_role:
        counts = {a.id: 0 for a in assignments}
        active = Submission.objects.visible_to(member).filter(is_active=True)
        for assignment_id in active.values_list("assignment_id", flat=True):
            counts[assignment_id] += 1
        context["rows"] = [(a, counts[a.id]) for a in assignments]
        context["student_count"] = course.memberships.students().count()
        return render(request, "courses/dashboard_staff.html", context)
    report = grade_report_get_for_student(member, now=now)
    extended = extension_due_times(member)
    active = {s.assignment_id: s
              for s in Submission.objects.visible_to(member).filter(member=member, is_active=True)}
    context["rows"] = [
        {"assignment": item.assignment, "item": item, "due": extended.get(item.assignment.id, item.assignment.due_at),
         "active": active.get(item.assignment.id), "outcome": item.outcome, "extended": item.assignment.id in extended}
        for item in report.items if item.assignment.is_released(now) or item.assignment.kind == Assignment.Kind.EXAM
    ]
    context["report"] = report
    context["ledger"] = report.ledger
    return render(request, "courses/dashboard_student.html", context)
