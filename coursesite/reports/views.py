"""Printable PDFs: the public syllabus, a student's grade report, and the staff's grade sheet."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coursesite.courses.models import Course
from coursesite.grades.report import grade_report_list_for_course
from coursesite.people.access import PRIVATE_TEXT_HIDDEN, get_course_for_user, require_staff, sees_private_reasons
from coursesite.reports.access import get_student_for_report
from coursesite.reports.pdf import pdf_response, render_pdf
from coursesite.reports.selectors import (
    assignment_list_unreleased_with_scores,
    student_report_get,
)
from coursesite.courses.selectors import syllabus_get_context


def syllabus_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Public, like the syllabus page."""
    course = get_object_or_404(Course, slug=slug)
    context = {**syllabus_get_context(course), "now": timezone.now()}
    return pdf_response(render_pdf("reports/syllabus.html", context, request=request),
                        f"{course.slug}-syllabus.pdf", inline=True)


@login_required
def student_report_pdf(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """The student's own report; staff get exactly what the student sees (released scores only)."""
    course, viewer = get_course_for_user(request.user, slug)
    student = get_student_for_report(viewer, member_id)
    now = timezone.now()
    report, lines = student_report_get(student, now=now)
    context = {"course": course, "student": student, "report": report, "lines": lines, "ledger": report.ledger,
               "now": now, "for_staff": viewer.is_staff_role,
               "shows_private": sees_private_reasons(viewer, student), "hidden": PRIVATE_TEXT_HIDDEN}
    return pdf_response(render_pdf("reports/student_report.html", context, request=request),
                        f"{course.slug}-grades-{student.user.username}.pdf")


@login_required
def gradesheet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Every student's category percentages, totals, letters and grace days; the staff's view."""
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    now = timezone.now()
    grades = grade_report_list_for_course(course, now=now)
    context = {"course": course, "grades": grades, "now": now,
               "unreleased": assignment_list_unreleased_with_scores(grades)}
    return pdf_response(render_pdf("reports/gradesheet.html", context, request=request),
                        f"{course.slug}-grade-sheet.pdf")
