"""Every student's grace-day ledger, for staff; adding days to one student's budget."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coursesite.grades.forms.ledger import GraceDaysAddForm
from coursesite.grades.selectors import grace_day_ledgers
from coursesite.grades.services.ledger import grace_days_add as add_days
from coursesite.people.access import (
    PRIVATE_TEXT_HIDDEN,
    get_course_for_user,
    has_role,
    require_role,
    require_staff,
    sees_private_reasons,
)
from coursesite.people.models import Membership


def ledger_page(request, course, member, form=None, form_for=None, status=200):
    ledgers = sorted(grace_day_ledgers(course).values(),
                     key=lambda l: (l.member.user.last_name.lower(), l.member.user.first_name.lower()))
    return render(request, "grades/ledger.html", {
        "course": course, "member": member, "ledgers": ledgers, "form": form, "form_for": form_for,
        "may_add": has_role(member, *Membership.ADMIN_ROLES),
        "shows_private": sees_private_reasons(member), "hidden": PRIVATE_TEXT_HIDDEN,
    }, status=status)


@login_required
def ledger(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    return ledger_page(request, course, member)


@require_POST
@login_required
def grace_days_add(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_role(member, *Membership.ADMIN_ROLES)
    student = get_object_or_404(course.memberships.students(include_dropped=True).select_related("user"), id=member_id)
    form = GraceDaysAddForm(request.POST)
    if not form.is_valid():
        return ledger_page(request, course, member, form=form, form_for=student.id, status=400)
    grant = add_days(member=student, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"],
                     by=request.user, now=timezone.now())
    messages.success(request, f"Added {grant.days} grace day(s) to {student.user.display_name}'s budget.")
    return redirect("grades:ledger", course.slug)
