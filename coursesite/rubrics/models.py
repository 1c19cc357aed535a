"""Questions of a PDF write-up, their rubric items, and the grading of one question of one submission.

A question's score is never stored: it is computed from the ticked items when read
(coursesite/rubrics/scoring.py), so changing an item's points changes every answer that used it.
Written only by coursesite/rubrics/services.py.
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from coursesite.assignments.models import Assignment
from coursesite.display import signed_number
from coursesite.rubrics.pages import MAX_TEXT as PAGES_MAX_TEXT
from coursesite.rubrics.scoring import question_score


class Question(models.Model):
    """One question of a problem set or project milestone, e.g. "2. Backpropagation", worth 10 points."""

    assignment = models.ForeignKey(
        "assignments.Assignment", on_delete=models.CASCADE, related_name="questions",
        limit_choices_to={"kind__in": Assignment.PDF_KINDS},
    )
    number = models.PositiveIntegerField(validators=[MinValueValidator(1)], help_text="Its number; also its order.")
    title = models.CharField(max_length=200)
    points = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    pages = models.CharField(
        max_length=PAGES_MAX_TEXT, blank=True,
        help_text="Where the answer usually is in the write-up, e.g. 3-4 or 2, 5 (coursesite/rubrics/pages.py's "
                  "normal form); the grading page opens the PDF there unless the student chose other pages.",
    )

    class Meta:
        ordering = ["assignment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="question_number_unique_in_assignment"),
            models.CheckConstraint(condition=Q(points__gt=0), name="question_points_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="question_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"Question {self.number}. {self.title}"

    def clean(self) -> None:
        if self.assignment_id and self.assignment.kind not in Assignment.PDF_KINDS:
            raise ValidationError({"assignment": "Only problem sets and project milestones are graded with a rubric."})


class RubricItem(models.Model):
    """One line of a question's rubric. Positive points are credit, negative points a deduction."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(max_length=300)
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["question", "id"]

    def __str__(self) -> str:
        return f"{self.signed_points} {self.description}"

    @property
    def signed_points(self) -> str:
        """``+2``, ``-0.5``, ``0``: how the rubric shows an item's points."""
        return signed_number(self.points)


class QuestionGrade(models.Model):
    """The grading of one question of one (active) submission: the ticked items, an adjustment, a comment."""

    submission = models.ForeignKey("assignments.Submission", on_delete=models.CASCADE, related_name="question_grades")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="grades")
    items = models.ManyToManyField(RubricItem, blank=True, related_name="grades")
    adjustment = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal(0), help_text="A one-off change for this answer alone."
    )
    comment = models.TextField(blank=True)
    graded_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField()

    class Meta:
        ordering = ["question", "submission"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="one_grade_per_question_and_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.question} of submission {self.submission_id}"

    @property
    def score(self) -> Decimal:
        """Computed from the items as they are now (prefetch `items` and `question` when reading many)."""
        return question_score((item.points for item in self.items.all()), self.adjustment, self.question.points)


class QuestionPages(models.Model):
    """The pages of a submission's PDF that answer a question, as a student of it chose them after the upload
    (Gradescope's "which pages answer question 2?"). Optional; the grading page opens the PDF there."""

    submission = models.ForeignKey("assignments.Submission", on_delete=models.CASCADE, related_name="question_pages")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="student_pages")
    pages = models.CharField(max_length=PAGES_MAX_TEXT, help_text="In coursesite/rubrics/pages.py's normal form, e.g. 3-4, 7.")
    chosen_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "question"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="one_page_choice_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: pages {self.pages} of submission {self.submission_id}"
