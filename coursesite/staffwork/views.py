"""The staff's choice of the digest e-mail (a form on their dashboard), and the page of the submissions that
could not be graded, where the dashboard's count of them leads."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from coursesite.people.access import get_course_for_user, require_staff
from coursesite.staffwork.forms import DigestForm
from coursesite.staffwork.selectors import jobs_not_graded
from coursesite.staffwork.services import digest_opt_out_set


@require_POST
@login_required
def digest_choice(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    form = DigestForm(request.POST)
    form.is_valid()     # a checkbox is always valid: absent means unticked
    wants = form.cleaned_data["wants_digest"]
    digest_opt_out_set(member=member, opt_out=not wants)
    messages.success(request, "You will get an e-mail digest when requests wait for you, at most one an hour."
                     if wants else "You will get no e-mail digests of requests waiting for you.")
    return redirect("courses:dashboard", course.slug)


@require_safe
@login_required
def could_not_be_graded(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    return render(request, "staffwork/could_not_be_graded.html", {
        "course": course, "member": member, "jobs": jobs_not_graded(course),
    })
