"""Academic-integrity cases: the course's list, opening a case, a case's page with its notes, decision and
history, and a student's page of the decisions they were told.

Staff pages are for the instructors and the education associate (integrity.access); a student sees only their
own told cases: the assignment, the decision, its reason and any penalty, never the evidence, the notes or the
other student of a pair (the reason is written for them to read).
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case as CaseWhen, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coursesite.audit.models import AuditEntry
from coursesite.audit.selectors import HistoryLine, history_lines
from coursesite.integrity.access import get_case_for_handler, get_course_for_case_handler
from coursesite.integrity.forms import CaseDecideForm, CaseNoteForm, CaseOpenForm
from coursesite.integrity.models import Case
from coursesite.integrity.sections import case_list_sections
from coursesite.integrity.services import (
    CaseRefused,
    case_decide,
    case_note_add,
    case_open,
    case_subject,
    case_tell_student,
)
from coursesite.people.access import get_course_for_user, require_student


@require_safe
@login_required
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_case_handler(request.user, slug)
    open_first = CaseWhen(When(status=Case.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    cases = (Case.objects.filter(course=course).select_related("assignment", "opened_by")
             .prefetch_related("students__user").order_by(open_first, "-opened_at", "-id"))
    return render(request, "integrity/list.html", {"course": course, "member": member, "cases": cases,
                                                   "sections": case_list_sections(course)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def case_open_page(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_case_handler(request.user, slug)
    # A GET may prefill the form (?students=alice+bob&assignment=<id>&evidence=...): how another page (the
    # similarity pairs) opens a case on what it found, which the admin reads before opening it.
    prefill = {name: request.GET[name] for name in ("students", "assignment", "evidence") if name in request.GET}
    form = CaseOpenForm(request.POST or None, course=course, initial=prefill)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_open(course=course, students=form.cleaned_data["students"], by=member,
                             assignment=form.cleaned_data["assignment"], evidence=form.cleaned_data["evidence"],
                             now=timezone.now())
        except CaseRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Case {case.id} is open. The students see nothing until you tell them "
                                      f"a decision.")
            return redirect("integrity:case-detail", course.slug, case.id)
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/open.html", {"course": course, "member": member, "form": form}, status=status)


def case_page(request: HttpRequest, case: Case, member, *, note_form=None, decide_form=None, refusal: str = "",
              status: int = 200) -> HttpResponse:
    entries = AuditEntry.objects.filter(course=case.course, kind=AuditEntry.Kind.INTEGRITY,
                                        subject__startswith=case_subject(case))
    return render(request, "integrity/detail.html", {
        "course": case.course, "member": member, "case": case,
        "students": case.students.select_related("user"), "notes": case.notes.select_related("author"),
        "note_form": note_form or CaseNoteForm(),
        "decide_form": (decide_form or CaseDecideForm()) if case.is_open else None,
        "refusal": refusal, "steps": _steps(history_lines(entries, case.course)),
    }, status=status)


def _steps(lines: list[HistoryLine]) -> list[tuple[HistoryLine, list[str]]]:
    """The case's history, one line per step: a step records an entry for each student of a pair (so each
    student's own history has it); here the pair's two entries are one line naming both."""
    steps: dict[tuple, tuple[HistoryLine, list[str]]] = {}
    for line in lines:
        key = (line.entry.at, line.who, line.old, line.new, line.why)
        steps.setdefault(key, (line, []))[1].append(line.entry.member.user.username if line.entry.member_id else "")
    return [(line, sorted(filter(None, names))) for line, names in steps.values()]


@require_safe
@login_required
def case_detail(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, member = get_case_for_handler(request.user, slug, case_id)
    return case_page(request, case, member)


@require_POST
@login_required
def case_note(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, member = get_case_for_handler(request.user, slug, case_id)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            case_note_add(case=case, text=form.cleaned_data["text"], by=member, now=timezone.now())
        except CaseRefused as refusal:
            return case_page(request, case, member, note_form=form, refusal=str(refusal), status=400)
        messages.success(request, "Your note was added to the case.")
        return redirect("integrity:case-detail", slug, case.id)
    return case_page(request, case, member, note_form=form, status=400)


@require_POST
@login_required
def case_decide_page(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, member = get_case_for_handler(request.user, slug, case_id)
    form = CaseDecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = case_decide(case=case, decision=data["decision"], reason=data["reason"], by=member,
                               now=timezone.now(),
                               penalty_points=data["penalty_points"] if data["decision"] == Case.Decision.PENALTY
                               else None)
        except CaseRefused as refusal:
            return case_page(request, case, member, decide_form=form, refusal=str(refusal), status=400)
        messages.success(request, f"Case {case.id} is decided: {case.get_decision_display().lower()}. "
                                  f"The students see nothing until you tell them.")
        return redirect("integrity:case-detail", slug, case.id)
    return case_page(request, case, member, decide_form=form, status=400)


@require_POST
@login_required
def case_tell(request: HttpRequest, slug: str, case_id: int) -> HttpResponse:
    case, member = get_case_for_handler(request.user, slug, case_id)
    try:
        case_tell_student(case=case, by=member, now=timezone.now())
    except CaseRefused as refusal:
        return case_page(request, case, member, refusal=str(refusal), status=400)
    messages.success(request, "The students can now read the decision and its reason on their academic-integrity "
                              "page, and are being e-mailed.")
    return redirect("integrity:case-detail", slug, case.id)


@require_safe
@login_required
def student_cases(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_student(member, "This page shows a student the decisions about their own work; staff find cases on "
                            "the course's case list.")
    cases = Case.objects.told_to(member).filter(course=course).select_related("assignment").order_by("-decided_at")
    return render(request, "integrity/student.html", {"course": course, "member": member, "cases": cases})
