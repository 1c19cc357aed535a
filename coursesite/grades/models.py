"""Grades-side records: extensions and their requests, grace days added by staff, staff-entered
scores, and letter-grade cutoffs. Written only by the services of this app."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from coursesite.display import signed_points
from coursesite.assignments.models import Assignment
from coursesite.people.models import Membership, User, seen_by, viewer_scope


class Extension(models.Model):
    """A granted extension: the student's effective due time for the assignment becomes `due_at`."""

    member = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="extensions")
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.CASCADE, related_name="extensions")
    due_at = models.DateTimeField(help_text="The student's new due time.")
    reason = models.TextField(help_text="Why it was granted (medical, family or personal emergency, approved absence).")
    granted_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "assignment"], name="one_extension_per_assignment")]

    def __str__(self) -> str:
        return f"Extension for {self.member.user.display_name} on {self.assignment} to {self.due_at:%Y-%m-%d %H:%M}"


def extension_document_path(instance: ExtensionRequest, filename: str) -> str:
    return f"extension-requests/{instance.assignment.course.slug}/{instance.member_id}/{filename}"


class ExtensionRequest(models.Model):
    """A student's request for an extension, and the staff's decision on it."""

    class Reason(models.TextChoices):
        MEDICAL = "medical", "Medical emergency"
        FAMILY = "family", "Family or personal emergency"
        ABSENCE = "absence", "University-approved absence"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    member = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="extension_requests")
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField()
    document = models.FileField(upload_to=extension_document_path, blank=True, max_length=500)
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    granted_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "assignment"], condition=Q(status="pending"), name="one_pending_extension_request"
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(granted_due_at__isnull=False), name="granted_request_has_due_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} extension request by {self.member.user.display_name} on {self.assignment}"


class GraceDayGrant(models.Model):
    """Days staff added to one student's grace-day budget (an accommodation), and why."""

    member = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="grace_day_grants")
    days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    reason = models.TextField()
    granted_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()

    class Meta:
        ordering = ["granted_at"]
        constraints = [models.CheckConstraint(condition=Q(days__gte=1), name="grant_adds_at_least_one_day")]

    def __str__(self) -> str:
        return f"+{self.days} grace day(s) for {self.member.user.display_name}"


class ScoreQuerySet(models.QuerySet):
    def released_to(self, viewer: Membership | User, now: datetime) -> ScoreQuerySet:
        """The scores `viewer` may see at `now`: a student their own, of assignments whose grades are
        released (Assignment.grades_released_q); staff every score of their course.

        The one owner of the rule for every student-facing list, report and e-mail. A Membership limits
        it to that course; a User sees across their courses.
        """
        user, _ = viewer_scope(viewer)
        own = Q(member__user=user) & Assignment.grades_released_q(now, prefix="assignment__")
        allowed = seen_by(viewer, own=own, prefix="assignment__course_id")
        return self.none() if allowed is None else self.filter(allowed)


class Score(models.Model):
    """Points a student earned on an assignment, and where they came from (its provenance).

    An automatic source (the autograder, the rubric's sum) writes the score of the student's active
    submission; a person's decision (a staff entry or override, a regrade answer) is never replaced
    by an automatic source: only staff clearing the override hands the score back to it.
    """

    class Source(models.TextChoices):
        AUTOGRADER = "autograder", "the autograder"
        RUBRIC = "rubric", "the rubric"
        REGRADE = "regrade", "a regrade request"
        STAFF = "staff", "staff"

    # Sources that are a person's decision: automatic sources leave these scores alone.
    DECIDED_BY_PERSON = (Source.REGRADE, Source.STAFF)

    member = models.ForeignKey("people.Membership", on_delete=models.CASCADE, related_name="scores")
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    comment = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        "people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty when the autograder entered it.",
    )
    entered_at = models.DateTimeField()
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF,
                              help_text="Where the points came from.")
    submission = models.ForeignKey(
        "assignments.Submission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The submission an automatic source scored; empty for a staff entry.",
    )
    reason = models.TextField(blank=True, help_text="Why staff entered or overrode it (shown with the score).")
    # Group work: points staff added to (or, negative, took from) this member's share of the group's score,
    # e.g. for an unequal contribution. Kept when the group's score changes: `points` is then the group's
    # new score plus this, never below 0.
    adjustment = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0),
                                     help_text="Points added to this member's share of the group's score.")
    adjustment_reason = models.TextField(blank=True, help_text="Why this member's share differs (shown with the score).")
    # The group's score the adjustment applies to, kept explicitly: once `points` is clamped at 0 it can no
    # longer be worked out as `points - adjustment`. Empty when there is no adjustment (`points` is the group's).
    group_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                       help_text="The group's score before this member's adjustment.")

    objects = ScoreQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "assignment"], name="one_score_per_assignment"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.points} on {self.assignment} for {self.member.user.display_name}"

    @property
    def decided_by_person(self) -> bool:
        return self.source in self.DECIDED_BY_PERSON

    @property
    def is_adjusted(self) -> bool:
        return self.adjustment != 0

    @property
    def adjustment_shown(self) -> str:
        """"+5", "−10"; "" without an adjustment."""
        return signed_points(self.adjustment) if self.adjustment else ""

    @property
    def base_points(self) -> Decimal:
        """The score before this member's adjustment: the group's (or, with no adjustment, `points`)."""
        if not self.adjustment:
            return self.points
        return self.group_points if self.group_points is not None else self.points - self.adjustment


class LetterCutoff(models.Model):
    """The lowest total (a percentage) that earns `letter`."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="letter_cutoffs")
    letter = models.CharField(max_length=4)
    minimum = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["course", "-minimum"]
        constraints = [
            models.UniqueConstraint(fields=["course", "letter"], name="letter_unique_in_course"),
            models.CheckConstraint(condition=Q(minimum__gte=0, minimum__lte=100), name="cutoff_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} from {self.minimum}%"
