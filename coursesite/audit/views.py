"""The history of changes, per student and per assignment; for the course staff only."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coursesite.audit.invitations import InvitationRefused, invite_after_commit

from coursesite.audit.selectors import (
    audit_entry_list_for_assignment,
    audit_entry_list_for_course,
    audit_entry_list_for_student,
)
from coursesite.people.access import get_course_for_user, require_role, require_staff, sees_private_reasons
from coursesite.people.models import Membership


@login_required
def student_history(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    student = get_object_or_404(course.memberships.students(include_dropped=True).select_related("user", "course"), id=member_id)
    return render(request, "audit/student_history.html", {
        "course": course, "member": member, "student": student,
        "lines": audit_entry_list_for_student(student, shows_private=sees_private_reasons(member, student)),
    })


@login_required
def assignment_history(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    # Staff only, so the release rule of assignments.access does not apply; the course's own relation needs
    # no import of the assignments app, which sits above the history.
    assignment = get_object_or_404(course.assignments.select_related("course", "category"), key=key)
    return render(request, "audit/assignment_history.html", {
        "course": course, "member": member, "assignment": assignment,
        "lines": audit_entry_list_for_assignment(assignment, shows_private=sees_private_reasons(member)),
    })


@login_required
def course_history(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    return render(request, "audit/course_history.html", {
        "course": course, "member": member, "lines": audit_entry_list_for_course(course),
    })


@require_POST
@login_required
def invitation_send(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    """The course's instructors and education associates (re)send a student the invitation e-mail."""
    course, member = get_course_for_user(request.user, slug)
    require_role(member, *Membership.ADMIN_ROLES)
    invited = get_object_or_404(course.memberships.students().select_related("user"), id=member_id)
    try:
        invite_after_commit([invited.id], by=request.user)
    except InvitationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"An invitation is on its way to {invited.user.display_name} "
                                  f"({invited.user.email}); earlier invitation links no longer work.")
    return redirect("people:roster", course.slug)
