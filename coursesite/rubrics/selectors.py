"""Reads for rubric grading: progress per question, the next answer to grade, a student's feedback."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.uploads import read_pdf_bounded
from coursesite.people.models import Membership
from coursesite.rubrics.models import Question, QuestionGrade, QuestionPages, RubricItem
from coursesite.rubrics.pages import QuestionPlace, question_place
from coursesite.rubrics.scoring import total_score


@dataclass(frozen=True)
class QuestionProgress:
    question: Question
    graded: int         # active submissions with this question graded
    submissions: int    # active submissions in all

    @property
    def to_grade(self) -> int:
        return self.submissions - self.graded


def active_submissions(assignment: Assignment):
    """The submissions that are graded: each student's active one, in a fixed order (by id)."""
    return Submission.objects.filter(assignment=assignment, is_active=True).order_by("id")


def question_progress_list(assignment: Assignment) -> list[QuestionProgress]:
    total = active_submissions(assignment).count()
    questions = assignment.questions.annotate(
        graded=Count("grades", filter=Q(grades__submission__is_active=True))
    ).order_by("number")
    return [QuestionProgress(q, q.graded, total) for q in questions]


def question_progress_get(question: Question) -> QuestionProgress:
    graded = QuestionGrade.objects.filter(question=question, submission__is_active=True).count()
    return QuestionProgress(question, graded, active_submissions(question.assignment).count())


def next_ungraded_submission(question: Question, after: Submission | None = None) -> Submission | None:
    """The first active submission (by id) whose answer to `question` is not graded yet.

    With `after`, the first one after it, wrapping round to the start, so that a grader moves on
    through the pile instead of coming back to an answer that someone skipped.
    """
    ungraded = active_submissions(question.assignment).exclude(question_grades__question=question)
    if after is not None:
        later = ungraded.filter(id__gt=after.id).first()
        if later is not None:
            return later
    return ungraded.first()


def question_grade_get(submission: Submission, question: Question) -> QuestionGrade | None:
    return QuestionGrade.objects.filter(submission=submission, question=question).prefetch_related("items").first()


def answers_using_items(assignment: Assignment) -> dict[int, int]:
    """Rubric item id -> how many graded answers ticked it (whose score changes with its points)."""
    items = RubricItem.objects.filter(question__assignment=assignment).annotate(answers=Count("grades"))
    return {item.id: item.answers for item in items}


def pdf_of(submission: Submission):
    """The write-up to show beside the rubric: the submission's first PDF file, or None."""
    return next((f for f in submission.files.all() if f.name.lower().endswith(".pdf")), None)


def pdf_page_count(submission: Submission) -> int | None:
    """How many pages the submission's PDF has, read as the upload check reads it (CPU-bounded, in a child
    process); None when it has no PDF or the PDF can no longer be read."""
    pdf = pdf_of(submission)
    if pdf is None:
        return None
    with pdf.file.open("rb") as stored:
        content = stored.read()
    outcome, detail = read_pdf_bounded(content, cpu_seconds=settings.PDF_CHECK_CPU_SECONDS)
    return int(detail) if outcome == "pages" else None


def question_pages_chosen(submission: Submission) -> dict[int, str]:
    """Question id -> the pages a student of the submission said answer it ("3-4"); questions not chosen left out."""
    return dict(QuestionPages.objects.filter(submission=submission).values_list("question_id", "pages"))


def question_place_get(submission: Submission, question: Question) -> QuestionPlace:
    """Where the grading page opens the submission's PDF for `question`: the student's pages, else the rubric's."""
    chosen = QuestionPages.objects.filter(submission=submission, question=question).values_list("pages", flat=True)
    return question_place(chosen.first() or "", question.pages)


@dataclass(frozen=True)
class QuestionFeedback:
    question: Question
    grade: QuestionGrade | None     # None: not graded yet

    @property
    def ticked(self) -> list[RubricItem]:
        return list(self.grade.items.all()) if self.grade else []


@dataclass(frozen=True)
class Feedback:
    questions: list[QuestionFeedback]
    released: bool

    @property
    def total(self) -> Decimal | None:
        if not self.questions or any(f.grade is None for f in self.questions):
            return None
        return total_score(f.grade.score for f in self.questions)

    @property
    def points(self) -> Decimal:
        return total_score(f.question.points for f in self.questions)


def feedback_for_submission(submission: Submission, viewer: Membership, now: datetime) -> Feedback | None:
    """Per-question feedback on a submission, or None when the viewer may not see it (yet).

    A student sees it only once the assignment's grades are released (released at or before
    `now`); the staff always see it. None too when the assignment has no rubric.
    """
    assignment = submission.assignment
    released = assignment.grades_released(now)
    if not (released or viewer.is_staff_role):
        return None
    questions = list(assignment.questions.order_by("number"))
    if not questions:
        return None
    grades = {
        g.question_id: g
        for g in QuestionGrade.objects.filter(submission=submission).select_related("question").prefetch_related("items")
    }
    return Feedback([QuestionFeedback(q, grades.get(q.id)) for q in questions], released)
