"""The registrar's roster for staff: upload a CSV, see what it changes, confirm to apply exactly that.

Everyone on the staff may preview; the instructors and education associates apply. The confirmation carries
the previewed file and a fingerprint of it and of the course's roster: a change of either refuses it.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coursesite.grades.forms.roster import RosterConfirmForm, RosterUploadForm
from coursesite.grades.services.roster import RosterRefused, roster_apply, roster_preview
from coursesite.people.access import get_course_for_user, has_role, require_role, require_staff
from coursesite.people.models import Membership
from coursesite.people.roster import plan_lines


@login_required
def roster_import(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    context = {"course": course, "member": member, "form": form,
               "may_apply": has_role(member, *Membership.ADMIN_ROLES)}
    if request.method != "POST":
        return render(request, "grades/roster_import.html", context)
    if not form.is_valid():
        return render(request, "grades/roster_import.html", context, status=400)
    data, filename = form.cleaned_data["file"], request.FILES["file"].name
    try:
        preview = roster_preview(course, data)
    except RosterRefused as refused:
        form.add_error("file", str(refused))
        return render(request, "grades/roster_import.html", context, status=400)
    context.update(plan=preview.plan, lines=plan_lines(preview.plan), filename=filename,
                   confirm=RosterConfirmForm.carry(data, filename, token=preview.token))
    return render(request, "grades/roster_import.html", context, status=400 if preview.plan.problems else 200)


@require_POST
@login_required
def roster_import_apply(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_role(member, *Membership.ADMIN_ROLES)
    form = RosterConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("grades:roster-import", course.slug)
    try:
        applied = roster_apply(course, form.cleaned_data["content"], by=request.user, source="",
                               filename=form.cleaned_data["filename"], now=timezone.now(),
                               token=form.cleaned_data["token"])
    except RosterRefused as refused:
        messages.error(request, str(refused))
        return redirect("grades:roster-import", course.slug)
    invited = (f" {len(applied.new_account_ids)} new student(s) were sent an invitation to choose a password."
               if applied.new_account_ids else "")
    messages.success(request, f"Roster {form.cleaned_data['filename']} applied: {applied.plan.summary()}.{invited}"
                     if applied.plan.changes_anything else "The roster changed nothing.")
    return redirect("people:roster", course.slug)
