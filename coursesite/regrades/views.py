"""Regrade requests: a student asks about one part of a released grade; the staff take and answer them.

A request is private to the student who asked and the course staff; any other student gets 404.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coursesite.assignments.models import Assignment, Submission
from coursesite.display import names_in_words, plain_number
from coursesite.assignments.access import get_assignment_for_member, get_submission_for_user
from coursesite.people.access import get_course_for_user, require_staff, require_student
from coursesite.people.models import Membership
from coursesite.regrades import selectors
from coursesite.regrades.access import get_regrade_request_for_user, is_for_student
from coursesite.regrades.forms import QueueFilterForm, RegradeAnswerForm, RegradeRequestForm
from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.parts import WHOLE_ASSIGNMENT, regradable_parts
from coursesite.regrades.services import (
    RegradeRefused,
    check_may_open,
    check_may_open_exam,
    exam_regrade_request_open,
    may_answer,
    regrade_request_answer,
    regrade_request_decline,
    regrade_request_open,
    regrade_request_take,
    who_may_answer,
)


def open_page(request: HttpRequest, member: Membership, assignment: Assignment, submission: Submission | None,
              form: RegradeRequestForm, *, status: int = 200) -> HttpResponse:
    """The request form on a submission, or (``submission`` None) on an exam's score."""
    now = timezone.now()
    try:
        if submission is None:
            check_may_open_exam(assignment=assignment, member=member, now=now)
        else:
            check_may_open(submission=submission, member=member, now=now)
        closed_reason = ""
    except RegradeRefused as refusal:
        closed_reason = str(refusal)
    requests = (selectors.regrade_requests_on_exam(member, assignment) if submission is None
                else selectors.regrade_requests_on_submission(submission))
    return render(request, "regrades/open.html", {
        "course": assignment.course, "submission": submission, "assignment": assignment,
        "form": form, "closed_reason": closed_reason, "closes": selectors.regrade_window_closes_at(assignment),
        "requests": requests,
    }, status=status)


def sent(request: HttpRequest, created: RegradeRequest) -> HttpResponse:
    messages.success(request, f"Your regrade request on {created.part_label} of {created.assignment.title} "
                              f"was sent to the course staff.")
    return redirect("regrades:detail", created.id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def regrade_open(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission, member = get_submission_for_user(request.user, submission_id)
    if member.is_staff_role or not submission.counts_for(member):      # a group's submission: any member asks
        raise PermissionDenied("Students ask for regrades of their own work; the staff answer them from the queue.")
    assignment = submission.assignment
    parts = regradable_parts(submission, now=timezone.now())
    if request.method != "POST":
        return open_page(request, member, assignment, submission, RegradeRequestForm(parts=parts))
    form = RegradeRequestForm(request.POST, parts=parts)
    if form.is_valid():
        try:
            created = regrade_request_open(submission=submission, member=member, part=form.cleaned_data["part"],
                                           justification=form.cleaned_data["justification"], now=timezone.now())
        except RegradeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return sent(request, created)
    return open_page(request, member, assignment, submission, form, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def regrade_open_exam(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A student asks about their score on an exam: work with no submission, asked about as a whole."""
    _, member = get_course_for_user(request.user, slug)
    assignment = get_assignment_for_member(member, key)
    require_student(member, "Students ask for regrades of their own scores; the staff answer them from the queue.")
    if assignment.accepts_uploads:
        raise Http404("Regrades of work handed in are asked for from the submission's page.")
    if request.method != "POST":
        return open_page(request, member, assignment, None, RegradeRequestForm(parts=[WHOLE_ASSIGNMENT]))
    form = RegradeRequestForm(request.POST, parts=[WHOLE_ASSIGNMENT])
    if form.is_valid():
        try:
            created = exam_regrade_request_open(assignment=assignment, member=member, now=timezone.now(),
                                                justification=form.cleaned_data["justification"])
        except RegradeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return sent(request, created)
    return open_page(request, member, assignment, None, form, status=400)


@require_safe
@login_required
def regrade_queue(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    form = QueueFilterForm(request.GET, assignments=list(course.assignments.all()),
                           staff_usernames=selectors.staff_usernames(course))
    valid = form.is_valid()
    return render(request, "regrades/queue.html", {
        "course": course, "member": member, "form": form,
        "requests": selectors.regrade_queue(course, request.user, form.chosen()) if valid else [],
    }, status=200 if valid else 400)


def detail_page(request: HttpRequest, regrade_request: RegradeRequest, viewer: Membership, *,
                form: RegradeAnswerForm | None = None, refusal: str = "", status: int = 200) -> HttpResponse:
    if form is None and regrade_request.is_waiting and may_answer(regrade_request, viewer):
        form = RegradeAnswerForm(regrade_request=regrade_request)
    current = None
    if viewer.is_staff_role and regrade_request.is_waiting:
        current = selectors.request_part_score(regrade_request)
    for_student = is_for_student(regrade_request, viewer)
    submission = regrade_request.submission
    return render(request, "regrades/detail.html", {
        "course": regrade_request.assignment.course, "r": regrade_request, "viewer": viewer,
        "is_owner": for_student, "form": form,
        # On a group's submission: who the group is (the answer applies to each) and whether another member asked.
        "group_students": submission.students() if submission is not None and submission.group_id else [],
        "asked_by_other": for_student and regrade_request.member_id != viewer.id,
        "may_take": viewer.is_staff_role and regrade_request.status == RegradeRequest.Status.OPEN,
        "who_may_answer": who_may_answer(regrade_request) if regrade_request.is_waiting else "",
        "current": current, "refusal": refusal,
        "totals_hidden": for_student and selectors.totals_hidden_from_student(regrade_request, timezone.now()),
    }, status=status)


@require_safe
@login_required
def regrade_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    regrade_request, viewer = get_regrade_request_for_user(request.user, request_id)
    return detail_page(request, regrade_request, viewer)


@require_POST
@login_required
def regrade_take(request: HttpRequest, request_id: int) -> HttpResponse:
    regrade_request, viewer = get_regrade_request_for_user(request.user, request_id)
    require_staff(viewer)
    try:
        regrade_request_take(regrade_request=regrade_request, by=viewer, now=timezone.now())
    except RegradeRefused as refusal:
        return detail_page(request, regrade_request, viewer, refusal=str(refusal), status=400)
    messages.success(request, f"You took {regrade_request.member.user.display_name}'s regrade request; "
                              f"answer it below.")
    return redirect("regrades:detail", regrade_request.id)


@require_POST
@login_required
def regrade_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    regrade_request, viewer = get_regrade_request_for_user(request.user, request_id)
    require_staff(viewer)
    if regrade_request.is_waiting and not may_answer(regrade_request, viewer):
        raise PermissionDenied(who_may_answer(regrade_request))
    form = RegradeAnswerForm(request.POST, regrade_request=regrade_request)
    if form.is_valid():
        data, now, student = form.cleaned_data, timezone.now(), regrade_request.member.user.display_name
        try:
            if data["action"] == "answer":
                done = regrade_request_answer(regrade_request=regrade_request, by=viewer, note=data["note"],
                                              score_change=data["score_change"], now=now,
                                              above_maximum_confirmed=data.get("confirm_above_maximum", False))
                told = f"{done.scored_part}: {plain_number(done.old_score)} → {plain_number(done.new_score)}."
            else:
                regrade_request_decline(regrade_request=regrade_request, by=viewer, note=data["note"], now=now)
                told = "The score stays as it was."
        except RegradeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            submission = regrade_request.submission
            if submission is not None and submission.group_id:
                names = names_in_words([m.user.display_name for m in submission.students()])
                told += f" It applies to the whole group ({names}); each of them is told."
            messages.success(request, f"Answered {student}'s regrade request. {told}")
            return redirect("regrades:queue", regrade_request.assignment.course.slug)
    return detail_page(request, regrade_request, viewer, form=form, status=400)
