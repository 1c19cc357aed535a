"""Extensions for documented emergencies: a student asks, the education associate or instructor decides.

A request is private to the student who made it and the course staff; any other student gets 404.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from coursesite.assignments.models import Assignment
from coursesite.bodylimits import takes_files
from coursesite.display import in_course_time
from coursesite.grades.forms.extensions import (
    CONTENT_TYPES,
    DOCUMENT_MAX_BYTES,
    ExtensionDecisionForm,
    ExtensionRequestForm,
)
from coursesite.grades.models import ExtensionRequest
from coursesite.assignments.selectors import effective_due
from coursesite.grades.services.extensions import (
    ExtensionRefused,
    extension_decline,
    extension_grant,
    extension_request_create,
)
from coursesite.assignments.access import get_assignment_for_member
from coursesite.grades.access import get_extension_request_for_user
from coursesite.people.access import (
    PRIVATE_TEXT_HIDDEN,
    get_course_for_user,
    has_role,
    require_private_reasons,
    require_role,
    require_staff,
    require_student,
    sees_private_reasons,
)
from coursesite.people.models import Membership


def request_page(request: HttpRequest, member: Membership, assignment: Assignment, form, status=200):
    earlier = ExtensionRequest.objects.filter(member=member, assignment=assignment).order_by("-requested_at")
    return render(request, "grades/extension_request.html", {
        "course": member.course, "member": member, "assignment": assignment, "form": form,
        "earlier": earlier, "due": effective_due(member, assignment),
        "pending": next((r for r in earlier if r.status == ExtensionRequest.Status.PENDING), None),
    }, status=status)


# A little above the form's own limit, so that a document just over it gets the form's message with the
# request kept; anything much larger is stopped while it arrives (coursesite/bodylimits.py).
@takes_files(DOCUMENT_MAX_BYTES + 1024 * 1024)
@require_http_methods(["GET", "POST"])
@login_required
def extension_request(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    assignment = get_assignment_for_member(member, key)
    require_student(member, "Students request extensions; the education associate or instructor decides them.")
    if request.method != "POST":
        return request_page(request, member, assignment, ExtensionRequestForm())
    form = ExtensionRequestForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            created = extension_request_create(member=member, assignment=assignment, now=timezone.now(), **form.cleaned_data)
        except ExtensionRefused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, f"Your extension request for {assignment.title} was sent to the course staff.")
            return redirect("grades:extension-detail", created.id)
    return request_page(request, member, assignment, form, status=400)


@login_required
def extension_list(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    pending_first = Case(When(status=ExtensionRequest.Status.PENDING, then=Value(0)), default=Value(1),
                         output_field=IntegerField())
    requests = (
        ExtensionRequest.objects.filter(assignment__course=course)
        .select_related("member__user", "assignment", "decided_by")
        .order_by(pending_first, "requested_at", "id")
    )
    return render(request, "grades/extension_list.html", {
        "course": course, "member": member, "requests": requests,
        "pending_count": sum(r.status == ExtensionRequest.Status.PENDING for r in requests),
        "shows_private": sees_private_reasons(member), "hidden": PRIVATE_TEXT_HIDDEN,
    })


def detail_page(request: HttpRequest, extension_request: ExtensionRequest, viewer: Membership, form=None, status=200):
    may_decide = has_role(viewer, *Membership.ADMIN_ROLES)
    if form is None and may_decide and extension_request.status == ExtensionRequest.Status.PENDING:
        form = ExtensionDecisionForm(extension_request=extension_request)
    return render(request, "grades/extension_detail.html", {
        "course": extension_request.assignment.course, "extension_request": extension_request, "viewer": viewer,
        "is_owner": extension_request.member_id == viewer.id, "may_decide": may_decide, "form": form,
        "shows_private": sees_private_reasons(viewer, extension_request.member), "hidden": PRIVATE_TEXT_HIDDEN,
        "due": effective_due(extension_request.member, extension_request.assignment),
    }, status=status)


@login_required
def extension_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    extension_request, viewer = get_extension_request_for_user(request.user, request_id)
    return detail_page(request, extension_request, viewer)


@require_POST
@login_required
def extension_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    extension_request, viewer = get_extension_request_for_user(request.user, request_id)
    require_role(viewer, *Membership.ADMIN_ROLES)
    form = ExtensionDecisionForm(request.POST, extension_request=extension_request)
    if form.is_valid():
        decision, now, note = form.cleaned_data["action"], timezone.now(), form.cleaned_data["note"]
        student = extension_request.member.user.display_name
        try:
            if decision == "grant":
                whole_group = form.cleaned_data.get("whole_group", False)
                extension = extension_grant(request=extension_request, by=request.user,
                                            due_at=form.cleaned_data["due_at"], note=note, now=now,
                                            whole_group=whole_group)
                until = in_course_time(extension.due_at, extension_request.assignment.course)
                who = f"{student}'s group" if whole_group else student
                done = f"Extension granted: {who} now has until {until}."
            else:
                extension_decline(request=extension_request, by=request.user, note=note, now=now)
                done = f"The extension request of {student} was declined."
        except ExtensionRefused as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, done)
            return redirect("grades:extension-list", extension_request.assignment.course.slug)
    return detail_page(request, extension_request, viewer, form, status=400)


@login_required
def extension_document(request: HttpRequest, request_id: int) -> FileResponse:
    extension_request, viewer = get_extension_request_for_user(request.user, request_id)
    require_private_reasons(viewer, extension_request.member)
    if not extension_request.document:
        raise Http404("This request has no document.")
    name = PurePosixPath(extension_request.document.name).name
    content_type = CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    return FileResponse(extension_request.document.open("rb"), as_attachment=True, filename=name,
                        content_type=content_type)
