"""Staff-entered scores (exams and the rest), by form and by CSV, and the release of an assignment's grades."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from coursesite.display import names_in_words, plain_number
from coursesite.grades.release import release_preview_get, score_notes_for_assignment
from coursesite.grades.services import release as release_services

from coursesite.assignments.models import Assignment, GroupMember
from coursesite.bodylimits import takes_files
from coursesite.grades.forms.scores import (
    MAX_CSV_BYTES,
    GroupOnPage,
    GroupScoreEntryForm,
    ReleaseForm,
    ScoreAdjustForm,
    ScoreEntryForm,
    ScoreUploadForm,
    show_refusal,
)
from coursesite.grades.models import Score
from coursesite.grades.services import group_scores
from coursesite.grades.services import scores as services
from coursesite.grades.services.overrides import automatic_score_for
from coursesite.grades.services.scores import automatic_source_of
from coursesite.assignments.access import get_assignment_for_member
from coursesite.people.access import get_course_for_user, has_role, require_role, require_staff
from coursesite.people.models import Membership


def students_and_scores(assignment: Assignment) -> tuple[list[Membership], dict[int, Score]]:
    students = list(assignment.course.memberships.students().select_related("user"))
    scores = {s.member_id: s for s in Score.objects.filter(assignment=assignment).select_related("entered_by", "submission")}
    return students, scores


def groups_in_words(assignment: Assignment) -> dict[int, str]:
    """Member id -> their group's members by name ("Alice Adams and Bob Brown"), for group work; one query."""
    if not assignment.is_group_work:
        return {}
    places = (GroupMember.objects.filter(assignment=assignment)
              .select_related("member__user").order_by("member__user__last_name", "member__user__first_name"))
    names: dict[int, list[str]] = {}
    for place in places:
        names.setdefault(place.group_id, []).append(place.member.user.display_name)
    return {place.member_id: names_in_words(names[place.group_id]) for place in places}


def groups_on_page(assignment: Assignment, students: list[Membership]) -> tuple[list[GroupOnPage], list[Membership]]:
    """The groups of group work with their current students (`students`), by name, and the students without a
    group. A group whose students all dropped the course has nobody to score: it is not shown."""
    current = {student.id: student for student in students}
    members: dict[int, list[Membership]] = {}
    in_groups = set()
    for group_id, member_id in GroupMember.objects.filter(assignment=assignment).values_list("group_id", "member_id"):
        in_groups.add(member_id)
        if member_id in current:
            members.setdefault(group_id, []).append(current[member_id])

    def by_name(student: Membership) -> tuple[str, str, str]:
        return student.user.last_name, student.user.first_name, student.user.username

    groups = [GroupOnPage(group_id, sorted(people, key=by_name)) for group_id, people in members.items()]
    return sorted(groups, key=lambda group: by_name(group.members[0])), [s for s in students if s.id not in in_groups]


def entry_form_for(assignment: Assignment, students: list[Membership], scores: dict[int, Score],
                   data=None) -> ScoreEntryForm:
    """One box per student; on group work, one per group and one per student without a group."""
    if not assignment.is_group_work:
        return ScoreEntryForm(data, assignment=assignment, students=students, scores=scores)
    groups, alone = groups_on_page(assignment, students)
    return GroupScoreEntryForm(data, assignment=assignment, students=alone, scores=scores, groups=groups)


def scores_page(request: HttpRequest, member: Membership, assignment: Assignment, *,
                entry_form: ScoreEntryForm | None = None, upload_form: ScoreUploadForm | None = None,
                status: int = 200) -> HttpResponse:
    students, scores = students_and_scores(assignment)
    entry_form = entry_form or entry_form_for(assignment, students, scores)
    notes = score_notes_for_assignment(assignment, scores, now=timezone.now())
    groups = groups_in_words(assignment)
    group_rows = [(group, field, [(student, score, notes.get(student.id, "")) for student, score in members])
                  for group, field, members in getattr(entry_form, "group_rows", [])]
    return render(request, "grades/scores.html", {
        "course": member.course, "member": member, "assignment": assignment,
        "entry_form": entry_form,
        "entry_rows": [(student, field, score, notes.get(student.id, ""), groups.get(student.id, ""))
                       for student, field, score in entry_form.rows],
        "group_rows": group_rows,                    # group work: one row and one box per group
        "has_boxes": bool(entry_form.rows or group_rows),
        "scored_rows": [(student, scores.get(student.id)) for student in students],   # the Adjust and Clear forms
        "group_work": assignment.is_group_work,     # a Group column and an Adjust form per student
        "upload_form": upload_form or ScoreUploadForm(assignment=assignment, students=students),
        "scored": len(scores), "student_count": len(students), "automatic_source": automatic_source_of(assignment),
        "may_release": has_role(member, *Membership.ADMIN_ROLES),
    }, status=status)


def saved_message(saved: services.ScoresSaved) -> str:
    message = f"Saved {saved.saved} score{'' if saved.saved == 1 else 's'}."
    if saved.unchanged:
        message += f" {saved.unchanged} {'was' if saved.unchanged == 1 else 'were'} unchanged."
    return message


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def score_entry(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_assignment_for_member(member, key)
    if request.method != "POST":
        return scores_page(request, member, assignment)
    students, scores = students_and_scores(assignment)
    form = entry_form_for(assignment, students, scores, request.POST)
    if form.is_valid():
        try:
            if isinstance(form, GroupScoreEntryForm):
                message = group_scores.group_work_scores_enter(
                    assignment=assignment, group_rows=form.cleaned_data["group_entries"],
                    student_rows=form.cleaned_data["entries"], by=request.user, now=timezone.now(),
                    above_maximum_confirmed=form.cleaned_data["confirm_above_maximum"],
                    reason=form.cleaned_data["reason"]).describe()
            else:
                message = saved_message(services.scores_import(
                    assignment=assignment, rows=form.cleaned_data["entries"], by=request.user, now=timezone.now(),
                    above_maximum_confirmed=form.cleaned_data["confirm_above_maximum"],
                    reason=form.cleaned_data["reason"]))
        except services.ScoreRefused as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, message)
            return redirect("grades:scores", assignment.course.slug, assignment.key)
    return scores_page(request, member, assignment, entry_form=form, status=400)


@takes_files(MAX_CSV_BYTES + 1024 * 1024)   # above the form's limit, so it says why (bodylimits.py)
@require_POST
@login_required
def score_upload(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_assignment_for_member(member, key)
    students, _ = students_and_scores(assignment)
    form = ScoreUploadForm(request.POST, request.FILES, assignment=assignment, students=students)
    if form.is_valid():
        try:
            saved = services.scores_import(
                assignment=assignment, rows=form.cleaned_data["rows"], by=request.user, now=timezone.now(),
                above_maximum_confirmed=form.cleaned_data["confirm_above_maximum"],
                why=f"CSV import {request.FILES['file'].name}", reason=form.cleaned_data["reason"],
            )
        except services.ScoreRefused as refusal:
            show_refusal(form, refusal, "file")
        else:
            messages.success(request, saved_message(saved))
            return redirect("grades:scores", assignment.course.slug, assignment.key)
    return scores_page(request, member, assignment, upload_form=form, status=400)


def release_page(request: HttpRequest, member: Membership, assignment: Assignment, form: ReleaseForm | None = None,
                 status: int = 200) -> HttpResponse:
    return render(request, "grades/release.html", {
        "course": member.course, "member": member, "assignment": assignment,
        "preview": release_preview_get(assignment, now=timezone.now()), "form": form or ReleaseForm(),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def score_override_clear(request: HttpRequest, slug: str, key: str, member_id: int) -> HttpResponse:
    """Hand a student's score back to the autograder or the rubric (a staff decision, in the history)."""
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_assignment_for_member(member, key)
    student = get_object_or_404(course.memberships.students(include_dropped=True).select_related("user"), pk=member_id)
    try:
        score = services.score_override_clear(member=student, assignment=assignment, by=request.user,
                                              now=timezone.now(), automatic=automatic_score_for(student, assignment))
    except services.ScoreRefused as refusal:
        messages.error(request, str(refusal))
    else:
        source = automatic_source_of(assignment) or "the automatic source"
        messages.success(request, f"{student.user.display_name}'s override is cleared: " + (
            f"{source} gives {plain_number(score.points)} points." if score else f"{source} has no score for them yet."))
    return redirect("grades:scores", assignment.course.slug, assignment.key)


@require_POST
@login_required
def score_adjust(request: HttpRequest, slug: str, key: str, member_id: int) -> HttpResponse:
    """Adjust one group member's share of the group's score (e.g. an unequal contribution), with a reason."""
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_assignment_for_member(member, key)
    student = get_object_or_404(course.memberships.students(include_dropped=True).select_related("user"), pk=member_id)
    form = ScoreAdjustForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
                             for name, errors in form.errors.items())
        messages.error(request, f"{student.user.display_name}'s score was not adjusted. {problems}")
        return redirect("grades:scores", assignment.course.slug, assignment.key)
    try:
        done = services.score_adjust(member=student, assignment=assignment, by=member, now=timezone.now(),
                                     adjustment=form.cleaned_data["adjustment"],
                                     reason=form.cleaned_data["adjustment_reason"])
    except services.ScoreRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done.describe() + ".")
    return redirect("grades:scores", assignment.course.slug, assignment.key)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def grades_release(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """GET: the consequences of releasing, to confirm. POST: release (from that page) or take a release back."""
    _, member = get_course_for_user(request.user, slug)
    require_role(member, *Membership.ADMIN_ROLES)
    assignment = get_assignment_for_member(member, key)
    if request.method != "POST":
        return release_page(request, member, assignment)
    form = ReleaseForm(request.POST)
    form.is_valid()                      # checkboxes only: always valid
    if form.cleaned_data["take_back"]:
        release_services.grades_unrelease(assignment=assignment, by=request.user, now=timezone.now())
        messages.success(request, f"The grades of {assignment.title} are hidden from students again.")
        return redirect("grades:scores", assignment.course.slug, assignment.key)
    if not form.cleaned_data["confirmed"]:
        return redirect("grades:release", assignment.course.slug, assignment.key)   # decide on the page first
    try:
        release_services.grades_release(assignment=assignment, by=request.user, now=timezone.now(),
                                        before_due_confirmed=form.cleaned_data["before_due"])
    except release_services.ReleaseRefused as refusal:
        form.add_error(None, str(refusal))
        return release_page(request, member, assignment, form=form, status=400)
    messages.success(request, f"The grades of {assignment.title} are released: students see their scores.")
    return redirect("grades:scores", assignment.course.slug, assignment.key)
