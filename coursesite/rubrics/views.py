"""Rubric grading of PDF write-ups: the rubric, progress per question, and grading one answer after another."""
from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coursesite.assignments.models import Assignment, Submission
from coursesite.display import names_in_words, plain_number
from coursesite.grades.models import Score
from coursesite.people.access import get_course_for_user, has_role, require_role, require_staff
from coursesite.people.models import Membership
from coursesite.rubrics import selectors
from coursesite.rubrics.access import (
    RUBRIC_EDITORS, get_question, get_rubric_assignment, get_rubric_item, get_submission_to_grade,
)
from coursesite.rubrics.forms import QuestionForm, QuestionGradeForm, rubric_edit_form, rubric_page_forms
from coursesite.rubrics.models import Question, QuestionGrade
from coursesite.rubrics.services import (
    RubricRefused, RubricSaved, question_delete, question_grade_save, question_save, rubric_item_delete, rubric_item_save,
)


def rubric_page(request: HttpRequest, member: Membership, assignment: Assignment, *, failed=None,
                status: int = 200) -> HttpResponse:
    blocks, new_question = rubric_page_forms(assignment, selectors.answers_using_items(assignment), failed)
    return render(request, "rubrics/edit.html", {
        "course": member.course, "assignment": assignment, "blocks": blocks, "new_question": new_question,
        "failed": failed, "question_points": sum((b.question.points for b in blocks), Decimal(0)),
    }, status=status)


def save_rubric_form(form, assignment: Assignment, request: HttpRequest) -> RubricSaved:
    data, now = form.cleaned_data, timezone.now()
    if isinstance(form, QuestionForm):
        return question_save(assignment=assignment, question=data["question"], number=data["number"],
                             title=data["title"], points=data["points"], pages=data["pages"], by=request.user,
                             now=now)
    return rubric_item_save(question=data["question"], item=data["item"], description=data["description"],
                            points=data["points"], by=request.user, now=now)


def saved_message(result: RubricSaved) -> str:
    what = str(result.saved) if isinstance(result.saved, Question) else f"the rubric item “{result.saved}”"
    n = result.changed_answers
    changed = f" {n} graded answer{'' if n == 1 else 's'} changed." if n else ""
    return f"Saved {what}.{changed}"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rubric_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_role(member, *RUBRIC_EDITORS)
    assignment = get_rubric_assignment(member, key)
    if request.method != "POST":
        return rubric_page(request, member, assignment)
    form = rubric_edit_form(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            result = save_rubric_form(form, assignment, request)
        except RubricRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, saved_message(result))
            return redirect("rubrics:edit", assignment.course.slug, assignment.key)
    return rubric_page(request, member, assignment, failed=form, status=400)


@require_POST
@login_required
def delete_question(request: HttpRequest, slug: str, key: str, question_id: int) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_role(member, *RUBRIC_EDITORS)
    question = get_question(get_rubric_assignment(member, key), question_id)
    try:
        question_delete(question=question, by=request.user, now=timezone.now())
    except RubricRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Deleted {question}.")
    return redirect("rubrics:edit", slug, key)


@require_POST
@login_required
def delete_item(request: HttpRequest, slug: str, key: str, item_id: int) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_role(member, *RUBRIC_EDITORS)
    item = get_rubric_item(get_rubric_assignment(member, key), item_id)
    try:
        rubric_item_delete(item=item, by=request.user)
    except RubricRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Deleted the rubric item “{item}” from question {item.question.number}.")
    return redirect("rubrics:edit", slug, key)


@require_safe
@login_required
def grading_progress(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_rubric_assignment(member, key)
    return render(request, "rubrics/progress.html", {
        "course": member.course, "assignment": assignment, "progress": selectors.question_progress_list(assignment),
        "may_edit": has_role(member, *RUBRIC_EDITORS),
    })


def go_to_next(request: HttpRequest, question: Question, after: Submission | None = None) -> HttpResponse:
    """To the next answer to `question` that is not graded, or back to the progress page when none is left."""
    assignment = question.assignment
    following = selectors.next_ungraded_submission(question, after=after)
    if following is None:
        messages.success(request, f"All graded for question {question.number}.")
        return redirect("rubrics:progress", assignment.course.slug, assignment.key)
    return redirect("rubrics:grade", assignment.course.slug, assignment.key, question.id, following.id)


@require_safe
@login_required
def grade_next(request: HttpRequest, slug: str, key: str, question_id: int) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_staff(member)
    question = get_question(get_rubric_assignment(member, key), question_id)
    return go_to_next(request, question)


def grade_page(request: HttpRequest, question: Question, submission: Submission, form: QuestionGradeForm,
               stored: QuestionGrade | None, *, status: int = 200) -> HttpResponse:
    following = selectors.next_ungraded_submission(question, after=submission)
    items = form.fields["items"].queryset.count()
    return render(request, "rubrics/grade.html", {
        "course": question.assignment.course, "assignment": question.assignment, "question": question,
        "submission": submission, "form": form, "pdf": selectors.pdf_of(submission),
        "place": selectors.question_place_get(submission, question),
        "keyed_items": min(items, 9),   # digits 1-9 tick the first nine items (static/coursesite/grading-keys.js)
        # A group's submission: who the group is (the score goes to each of them) and who of it uploaded it.
        "group_students": submission.students() if submission.group_id else [],
        "grade": stored,
        "progress": selectors.question_progress_get(question),
        "questions": question.assignment.questions.order_by("number"),
        "skip_to": following if following is not None and following.id != submission.id else None,
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def grade(request: HttpRequest, slug: str, key: str, question_id: int, submission_id: int) -> HttpResponse:
    _, member = get_course_for_user(request.user, slug)
    require_staff(member)
    assignment = get_rubric_assignment(member, key)
    question, submission = get_question(assignment, question_id), get_submission_to_grade(assignment, submission_id)
    stored = selectors.question_grade_get(submission, question)
    if request.method != "POST":
        return grade_page(request, question, submission, QuestionGradeForm(question=question, grade=stored), stored)
    form = QuestionGradeForm(request.POST, question=question, grade=stored)
    if form.is_valid():
        try:
            question_grade_save(submission=submission, question=question, items=form.cleaned_data["items"],
                                adjustment=form.cleaned_data["adjustment"], comment=form.cleaned_data["comment"],
                                by=request.user, now=timezone.now())
        except RubricRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            students = submission.students()
            whose = names_in_words([s.user.display_name for s in students])
            messages.success(request, f"Saved question {question.number} for "
                                      f"{'the group of ' if submission.group_id else ''}{whose}.")
            overrides = (Score.objects.filter(member__in=students, assignment=question.assignment,
                                              source__in=Score.DECIDED_BY_PERSON)
                         .select_related("entered_by", "member__user"))
            for override in overrides:
                who = "Their" if not submission.group_id else f"{override.member.user.display_name}'s"
                by = override.entered_by.display_name if override.entered_by_id else "staff"
                messages.warning(request, f"{who} score on {question.assignment.title} stays "
                                 f"{plain_number(override.points)}: {by} overrode it "
                                 f"by hand ({override.reason or 'no reason given'}). Clear the override on the "
                                 f"scores page to let the rubric set it.")
            return go_to_next(request, question, after=submission)
    return grade_page(request, question, submission, form, stored, status=400)
