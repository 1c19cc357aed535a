"""A student's request that the staff look again at one part of a released grade, and the staff's answer.

The part is a rubric question, an autograder test (by name), or, for work with no parts, the whole
assignment (neither); work with no submission (an exam) is asked about as a whole, with no submission.
A request goes open -> taken -> answered or declined; at most one request per student and part is
open or taken at a time. Written only by coursesite/regrades/services.py.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from coursesite.display import signed_number


# Status values for the constraints below (Meta can't see the nested TextChoices).
_WAITING = ("open", "taken")
_FINISHED = ("answered", "declined")


class RegradeRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a member of staff"
        TAKEN = "taken", "Being looked at"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"

    WAITING = (Status.OPEN, Status.TAKEN)
    FINISHED = (Status.ANSWERED, Status.DECLINED)

    submission = models.ForeignKey("assignments.Submission", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="regrade_requests",
                                   help_text="The student's active submission the grade came from; none for an exam.")
    member = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="regrade_requests")
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.CASCADE, related_name="regrade_requests")
    question = models.ForeignKey("rubrics.Question", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="regrade_requests", help_text="The rubric question asked about.")
    test_name = models.CharField(max_length=300, blank=True, help_text="The autograder test asked about.")
    justification = models.TextField(help_text="Why the student thinks the grade is wrong.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   help_text="The member of staff who took the request.")
    opened_at = models.DateTimeField()
    answered_by = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True, help_text="The staff's note to the student.")
    score_change = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                       help_text="Points added (or taken, if negative); 0 when declined.")
    old_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                    help_text="The part's score before the answer.")
    new_score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                    help_text="The part's score after the answer.")

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [models.Index(fields=["assignment", "status", "opened_at"], name="regrade_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "assignment", "question"],
                condition=Q(status__in=_WAITING, question__isnull=False), name="one_open_regrade_request_per_question",
            ),
            models.UniqueConstraint(
                fields=["member", "assignment", "test_name"],
                condition=Q(status__in=_WAITING, question__isnull=True),
                name="one_open_regrade_request_per_test_or_assignment",
            ),
            models.CheckConstraint(condition=Q(question__isnull=True) | Q(test_name=""),
                                   name="regrade_request_asks_about_one_part"),
            models.CheckConstraint(condition=Q(submission__isnull=False) | Q(question__isnull=True, test_name=""),
                                   name="regrade_request_without_submission_is_on_the_whole"),
            models.CheckConstraint(condition=Q(status__in=[*_WAITING, *_FINISHED]),
                                   name="regrade_request_status_known"),
            models.CheckConstraint(
                condition=Q(status="open", handled_by__isnull=True) | (~Q(status="open") & Q(handled_by__isnull=False)),
                name="regrade_request_taken_has_handler",
            ),
            models.CheckConstraint(
                condition=Q(status__in=_WAITING) | Q(answered_at__isnull=False, answered_by__isnull=False,
                                                    score_change__isnull=False),
                name="finished_regrade_request_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(old_score__isnull=False, new_score__isnull=False),
                name="answered_regrade_request_has_scores",
            ),
        ]

    def __str__(self) -> str:
        who = self.member.user.display_name
        return f"Regrade request #{self.id} by {who} on {self.part_label} of {self.assignment}"

    @property
    def part_label(self) -> str:
        """What was asked about, as the pages say it (select_related `question` when listing many)."""
        if self.question_id:
            return f"Question {self.question.number}. {self.question.title}"
        if self.test_name:
            return f"test “{self.test_name}”"
        return "the whole assignment"

    @property
    def scored_part(self) -> str:
        """Whose score the answer changes: the question's, or (for a test or the whole) the assignment's."""
        return f"Question {self.question.number}" if self.question_id else self.assignment.title

    @property
    def out_of(self):
        """The most the part's score can be: the question's points, else the assignment's."""
        return self.question.points if self.question_id else self.assignment.points

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING

    @property
    def signed_change(self) -> str:
        """``+2``, ``-1.5``, ``0``."""
        if self.score_change is None:
            return ""
        return signed_number(self.score_change)
