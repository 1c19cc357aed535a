"""The only writers of questions, rubric items and question grades.

Every write locks the assignment's row first (`select_for_update()`), the same lock the score
services take, so two graders saving the same answer, or an item edited while a TA grades, take
turns. The assignment's `grades.Score` of a student is derived: the sum of the question scores of
the student's active submission, written through `score_set` once every question of that
submission is graded, and rewritten in the same transaction whenever an item or a question that
it used changes points, unless staff overrode the score by hand: then the override holds.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.selectors import handin_closes_at
from coursesite.display import in_course_time, plain_number
from coursesite.grades.models import Score
from coursesite.grades.services.scores import ScoreRefused, score_set
from coursesite.grades.sources import AutomaticScore
from coursesite.people.models import Membership, User
from coursesite.rubrics.models import Question, QuestionGrade, QuestionPages, RubricItem
from coursesite.rubrics.pages import format_pages
from coursesite.rubrics.scoring import total_score

log = logging.getLogger(__name__)


class RubricRefused(Exception):
    """The question, item or grade can't be saved; the message says why."""


@dataclass(frozen=True)
class RubricSaved:
    """What an edit of a question or item saved, and how many graded answers it changed."""

    saved: Question | RubricItem
    changed_answers: int


def _lock(assignment: Assignment) -> None:
    Assignment.objects.select_for_update().only("id").get(pk=assignment.pk)


def _graded_questions(submission: Submission) -> tuple[list[Question], dict[int, QuestionGrade]]:
    questions = list(Question.objects.filter(assignment_id=submission.assignment_id))
    grades = QuestionGrade.objects.filter(submission=submission).select_related("question").prefetch_related("items")
    return questions, {g.question_id: g for g in grades}


def rubric_score(submission: Submission) -> AutomaticScore | None:
    """The rubric's score of the submission: the sum of its question scores, once every question is graded."""
    questions, grades = _graded_questions(submission)
    if not questions or any(q.id not in grades for q in questions):
        return None
    parts = [(q, grades[q.id].score) for q in questions]
    summary = ", ".join(f"Q{q.number} {plain_number(s)}/{plain_number(q.points)}" for q, s in parts)
    return AutomaticScore(points=total_score(s for _, s in parts), comment=f"From the rubric: {summary}.",
                          source=Score.Source.RUBRIC, submission=submission)


def _score_sync(*, submission: Submission, by: User, now: datetime, why: str = "rubric grading") -> list[Score]:
    """Write the assignment Score of every student the submission counts for (the uploader, or each member of
    its group) from the rubric, once every question of the active submission is graded: graded once, a score
    row per member.

    Returns [] (and writes nothing) for a submission that is not active or not fully graded. A score staff
    entered by hand stays as it is (score_set leaves it alone, and keeps a member's adjustment).
    """
    automatic = rubric_score(submission) if submission.is_active else None
    if automatic is None:
        return []
    try:
        return [score_set(member=student, assignment=submission.assignment, points=automatic.points,
                          comment=automatic.comment, by=by, now=now, why=why, source=automatic.source,
                          submission=submission)
                for student in submission.students()]
    except ScoreRefused as refusal:
        raise RubricRefused(f"The assignment's score could not be written: {refusal}") from refusal


def _resync(grades: Iterable[QuestionGrade], *, by: User, now: datetime) -> None:
    submissions = {g.submission_id: g.submission for g in grades if g.submission.is_active}
    for submission in submissions.values():
        _score_sync(submission=submission, by=by, now=now)


@transaction.atomic
def question_grade_save(
    *, submission: Submission, question: Question, items: Iterable[RubricItem], adjustment: Decimal,
    comment: str, by: User, now: datetime, why: str = "rubric grading",
) -> QuestionGrade:
    """Grade one question of the student's active submission (a second save replaces the first)."""
    _lock(question.assignment)
    items = list(items)
    if question.assignment_id != submission.assignment_id:
        raise RubricRefused(f"{question} is not a question of {submission.assignment}.")
    if not Submission.objects.filter(pk=submission.pk, is_active=True).exists():
        raise RubricRefused(f"{submission.member.user.display_name} has made another submission the graded one "
                            f"since this page was opened; grade that one instead.")
    if any(item.question_id != question.id for item in items):
        raise RubricRefused(f"Only the rubric items of question {question.number} can be ticked.")
    if abs(adjustment) > question.points:
        raise RubricRefused(f"The adjustment can be at most {plain_number(question.points)} points either way.")
    grade, _ = QuestionGrade.objects.update_or_create(
        submission=submission, question=question,
        defaults={"adjustment": adjustment, "comment": comment, "graded_by": by, "graded_at": now},
    )
    grade.items.set(items)
    submission.is_active = True         # checked under the lock above, whatever the caller's copy says
    _score_sync(submission=submission, by=by, now=now, why=why)
    log.info("question %s of submission %s graded by %s", question.number, submission.id, by.username)
    return grade


def _check_question(assignment: Assignment, question: Question | None, number: int, points: Decimal) -> None:
    others = Question.objects.filter(assignment=assignment).exclude(pk=question.pk if question else None)
    if others.filter(number=number).exists():
        raise RubricRefused(f"{assignment.title} already has a question {number}.")
    total = sum(others.values_list("points", flat=True), Decimal(0)) + points
    if total > assignment.points:
        raise RubricRefused(
            f"The questions would be worth {plain_number(total)} points in all, more than the "
            f"{plain_number(assignment.points)} points {assignment.title} is worth."
        )


@transaction.atomic
def question_save(
    *, assignment: Assignment, question: Question | None = None, number: int, title: str, points: Decimal,
    by: User, now: datetime, pages: Iterable[int] = (),
) -> RubricSaved:
    """Add a question (`question=None`) or change one; a change of points rewrites the scores it caps.

    `pages`: where the answer usually is in the write-up; the grading page opens the PDF there for a
    student who did not say where theirs is.
    """
    _lock(assignment)
    if assignment.kind not in Assignment.PDF_KINDS:
        raise RubricRefused("Only problem sets and project milestones are graded with a rubric.")
    _check_question(assignment, question, number, points)
    pages_text = format_pages(pages)
    if question is None:
        question = Question.objects.create(assignment=assignment, number=number, title=title, points=points,
                                           pages=pages_text)
        return RubricSaved(question, 0)
    old_points = Question.objects.get(pk=question.pk).points
    question.number, question.title, question.points, question.pages = number, title, points, pages_text
    question.save()
    if old_points == points:
        return RubricSaved(question, 0)
    grades = list(QuestionGrade.objects.filter(question=question).select_related("submission__member__user"))
    _resync(grades, by=by, now=now)
    log.info("question %s of %s now worth %s, by %s", number, assignment.key, points, by.username)
    return RubricSaved(question, len(grades))


@transaction.atomic
def rubric_item_save(
    *, question: Question, item: RubricItem | None = None, description: str, points: Decimal,
    by: User, now: datetime,
) -> RubricSaved:
    """Add an item to a question's rubric (`item=None`) or change one.

    A change of points changes the score of every answer that ticked the item, and the Score
    of every student whose active submission is among them is rewritten here, in this transaction.
    """
    _lock(question.assignment)
    if item is not None and item.question_id != question.id:
        raise RubricRefused(f"That rubric item belongs to another question than question {question.number}.")
    if abs(points) > question.points:
        raise RubricRefused(f"An item can give or take at most the question's {plain_number(question.points)} points.")
    if item is None:
        return RubricSaved(RubricItem.objects.create(question=question, description=description, points=points), 0)
    old_points = RubricItem.objects.get(pk=item.pk).points
    item.description, item.points = description, points
    item.save()
    if old_points == points:
        return RubricSaved(item, 0)
    grades = list(QuestionGrade.objects.filter(items=item).select_related("submission__member__user"))
    _resync(grades, by=by, now=now)
    log.info("rubric item %s of %s now %s points (%d answers), by %s",
             item.id, question.assignment.key, points, len(grades), by.username)
    return RubricSaved(item, len(grades))


def _answers(n: int) -> str:
    return f"{n} graded answer{'' if n == 1 else 's'}"


@transaction.atomic
def question_delete(*, question: Question, by: User, now: datetime) -> None:
    """Delete a question that no answer is graded with and no regrade request asks about.

    Checked under the assignment's lock, which grading takes too, so no answer can be graded with
    it between the check and the delete. Once it is gone, a student whose other questions are all
    graded has a complete rubric: that score is written here, in this transaction, as deleted by `by`.
    """
    assignment = question.assignment
    _lock(assignment)
    graded = QuestionGrade.objects.filter(question=question).count()
    if graded:
        raise RubricRefused(f"{question} can't be deleted: {graded} answer{'' if graded == 1 else 's'} "
                            f"{'is' if graded == 1 else 'are'} graded with it, and deleting it would change "
                            "the students' scores.")
    asked = question.regrade_requests.count()
    if asked:
        raise RubricRefused(f"{question} can't be deleted: {asked} regrade request{'' if asked == 1 else 's'} "
                            f"{'is' if asked == 1 else 'are'} about it.")
    question.delete()
    grades = QuestionGrade.objects.filter(question__assignment=assignment).select_related("submission__member__user")
    for submission in {g.submission_id: g.submission for g in grades if g.submission.is_active}.values():
        _score_sync(submission=submission, by=by, now=now, why=f"question {question.number} deleted from the rubric")
    log.info("question %s of %s deleted by %s", question.number, assignment.key, by.username)


@transaction.atomic
def rubric_item_delete(*, item: RubricItem, by: User) -> None:
    """Delete a rubric item that no graded answer ticked (under the assignment's lock, as grading)."""
    _lock(item.question.assignment)
    ticked = QuestionGrade.objects.filter(items=item).count()
    if ticked:
        raise RubricRefused(f"The rubric item “{item}” can't be deleted: {_answers(ticked)} ticked it, and deleting "
                            "it would change their scores. Untick it in those answers first.")
    item.delete()
    log.info("rubric item %s of %s deleted by %s", item.description, item.question.assignment.key, by.username)


def question_pages_check_open(*, member: Membership, submission: Submission, now: datetime) -> None:
    """Raise RubricRefused unless `member` may still say which pages of the submission answer which question:
    a student it counts for (the uploader, or any member of its group), until the assignment closes for them
    (their extension, or their group's latest closing time, included)."""
    assignment = submission.assignment
    if member.role != Membership.Role.STUDENT or not submission.counts_for(member):
        raise RubricRefused("Only the students who handed in this submission say where their answers are.")
    closing = handin_closes_at(member, assignment)
    if now > closing:
        raise RubricRefused(f"{assignment.title} closed on {in_course_time(closing, assignment.course)}, so the pages of your "
                            f"answers can no longer change. The graders find them in your PDF.")


@transaction.atomic
def question_pages_save(
    *, submission: Submission, member: Membership, pages: Mapping[Question, Iterable[int]], now: datetime,
) -> list[QuestionPages]:
    """Store which pages of the submission's PDF answer each question, as a student of it chose them.

    A question given no pages loses its earlier choice (the grading page falls back to the rubric's pages).
    The pages were checked against the PDF's page count by the form; here, who may and until when.
    """
    # Two saves of one submission's pages (two tabs, two members of a group) take turns on its row, so the
    # second updates the first's choice instead of failing on the one-choice-per-question constraint.
    Submission.objects.select_for_update().only("pk").get(pk=submission.pk)
    question_pages_check_open(member=member, submission=submission, now=now)
    if any(q.assignment_id != submission.assignment_id for q in pages):
        raise RubricRefused("Only the questions of this assignment have pages.")
    saved = []
    for question, chosen in pages.items():
        text = format_pages(chosen)
        if not text:
            QuestionPages.objects.filter(submission=submission, question=question).delete()
            continue
        row, _ = QuestionPages.objects.update_or_create(
            submission=submission, question=question,
            defaults={"pages": text, "chosen_by": member.user, "chosen_at": now},
        )
        saved.append(row)
    log.info("pages of %d questions of submission %s chosen by %s", len(saved), submission.id, member.user.username)
    return saved
