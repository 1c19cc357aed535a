"""Each member's course dashboard: for staff, the work waiting for them (coursesite/staffwork) and the
assignments with their submission counts; for a student, their assignments with due times, active
submissions and grades (the grade report)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.selectors import active_submissions, invitations_waiting_for
from coursesite.grades.report import grade_report_get_for_student
from coursesite.grades.selectors import extension_due_times
from coursesite.integrity.models import Case
from coursesite.people.access import get_course_for_user
from coursesite.regrades.selectors import regrade_link_for_exam
from coursesite.staffwork.forms import DigestForm
from coursesite.staffwork.selectors import work_waiting


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
        context["waiting"] = work_waiting(course, member, now).lines()
        context["digest_form"] = DigestForm(initial={"wants_digest": not member.digest_opt_out})
        return render(request, "courses/dashboard_staff.html", context)
    report = grade_report_get_for_student(member, now=now)
    extended = extension_due_times(member)
    # The submission graded for the student: their group's (whoever uploaded it), or their own.
    active = {assignment_id: found for (_, assignment_id), found in active_submissions([member.id]).items()}
    context["rows"] = [
        {"assignment": item.assignment, "item": item, "due": extended.get(item.assignment.id, item.assignment.due_at),
         "active": active.get(item.assignment.id), "outcome": item.outcome, "extended": item.assignment.id in extended,
         "regrade": regrade_link_for_exam(item.assignment, member, now)}
        for item in report.items if item.assignment.is_released(now) or item.assignment.kind == Assignment.Kind.EXAM
    ]
    context["report"] = report
    context["invitations"] = invitations_waiting_for(member)
    context["integrity_decisions"] = Case.objects.told_to(member).count()
    context["ledger"] = report.ledger
    return render(request, "courses/dashboard_student.html", context)
