"""Assignments of a course and the submissions students make to them."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from coursesite.people.models import Membership, User, seen_by, viewer_scope


class AssignmentQuerySet(models.QuerySet):
    def grades_released(self, now: datetime) -> AssignmentQuerySet:
        """The assignments whose grades students see at `now` (Assignment.grades_released, in SQL)."""
        return self.filter(Assignment.grades_released_q(now))


class Assignment(models.Model):
    class Kind(models.TextChoices):
        PROBLEM_SET = "problem_set", "Problem set (PDF write-up)"
        CODING = "coding", "Coding assignment (files and a README)"
        PROJECT = "project", "Project milestone (PDF)"
        EXAM = "exam", "Exam"

    # What students upload for each kind; exams are scored by staff, not uploaded.
    PDF_KINDS = (Kind.PROBLEM_SET, Kind.PROJECT)

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="assignments")
    key = models.SlugField(help_text="Short name used in addresses, e.g. hw1-coding.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    category = models.ForeignKey("courses.GradingCategory", on_delete=models.RESTRICT, related_name="assignments")
    points = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    release_at = models.DateTimeField(help_text="Students see it and may submit from this time (exam: start).")
    due_at = models.DateTimeField(help_text="Due time (exam: end).")
    uses_grace_days = models.BooleanField(default=True)
    group_size = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1)],
        help_text="Students a group hands in for; 1: everyone hands in alone.")
    students_form_groups = models.BooleanField(
        default=True, help_text="Students invite each other into groups (otherwise only staff form them).")
    groups_lock_at = models.DateTimeField(
        null=True, blank=True, help_text="After this, only staff change groups. Empty: at the due time.")
    autograder_spec = models.CharField(max_length=64, blank=True, help_text="Grading spec name, e.g. hw1.")
    required_files = models.JSONField(default=list, blank=True, help_text='Coding work, e.g. ["hw1.py", "README.md"].')
    description = models.TextField(blank=True)
    grades_released_at = models.DateTimeField(
        null=True, blank=True, help_text="When staff released its grades; students see none before."
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["course", "due_at", "key"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="assignment_key_unique_in_course"),
            models.CheckConstraint(condition=Q(due_at__gt=models.F("release_at")), name="assignment_due_after_release"),
            models.CheckConstraint(condition=Q(points__gt=0), name="assignment_points_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    # The single-row rules, by the field each is about, in the words of the admin's form.
    RULES = {
        "due_at": "The due time must be after the release time.",
        "required_files": "Coding work names the files students must hand in.",
        "kind": "Only coding work has an autograder spec and required files.",
        "uses_grace_days": "Exams do not draw on grace days.",
    }

    @classmethod
    def rules_broken(cls, *, kind: str, release_at: datetime | None, due_at: datetime | None,
                     required_files: list, autograder_spec: str, uses_grace_days: bool) -> list[str]:
        """The fields (keys of RULES) whose rule these values break; the one owner of the rules,
        asked by `clean()` and by the course file's reader (which words them for its file)."""
        broken = []
        if release_at and due_at and due_at <= release_at:
            broken.append("due_at")
        if kind == cls.Kind.CODING and not required_files:
            broken.append("required_files")
        if kind != cls.Kind.CODING and (autograder_spec or required_files):
            broken.append("kind")
        if kind == cls.Kind.EXAM and uses_grace_days:
            broken.append("uses_grace_days")
        return broken

    def clean(self) -> None:
        broken = self.rules_broken(kind=self.kind, release_at=self.release_at, due_at=self.due_at,
                                   required_files=self.required_files, autograder_spec=self.autograder_spec,
                                   uses_grace_days=self.uses_grace_days)
        if broken:
            raise ValidationError({name: self.RULES[name] for name in broken})

    @property
    def takes_pdf(self) -> bool:
        """A written write-up (graded with a rubric), not code or an exam."""
        return self.kind in self.PDF_KINDS

    @property
    def accepts_uploads(self) -> bool:
        return self.kind != self.Kind.EXAM

    def is_released(self, now: datetime) -> bool:
        return now >= self.release_at

    @property
    def is_group_work(self) -> bool:
        """Students hand it in as groups (of `group_size`, or another size staff approved)."""
        return self.group_size > 1

    def groups_locked(self, now: datetime) -> bool:
        """Students may no longer form, join or leave groups: only staff change them from `now`."""
        return now >= (self.groups_lock_at or self.due_at)

    @staticmethod
    def grades_released_q(now: datetime, prefix: str = "") -> Q:
        """Students see the assignment's grades: staff released them at or before `now`.

        The one owner of the rule, as a filter on assignments (`prefix`: the lookup to the assignment
        from another model, e.g. "assignment__"); `grades_released` is the same rule on one row, and a
        test holds the two to the same answers.
        """
        return Q(**{f"{prefix}grades_released_at__isnull": False, f"{prefix}grades_released_at__lte": now})

    def grades_released(self, now: datetime) -> bool:
        """`grades_released_q` on this row, without a query: every page, report and service asks this."""
        return self.grades_released_at is not None and self.grades_released_at <= now

    def grace_window(self) -> timedelta:
        """How long after the (effective) due time late work is still taken."""
        if not self.uses_grace_days:
            return timedelta(0)
        return timedelta(days=self.course.max_grace_days_per_assignment)

    def closes_at(self, due: datetime | None = None) -> datetime:
        """When the assignment closes for a student whose due time is `due` (their extension's, or by
        default the class's): the last moment late work is taken. The one owner of the closing time."""
        return (due or self.due_at) + self.grace_window()


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, viewer: Membership | User) -> SubmissionQuerySet:
        """The submissions `viewer` may see: a student their own, staff every one of their course.

        The one owner of the rule for every list of submissions. A Membership limits it to that course;
        a User sees across their courses.
        """
        user, _ = viewer_scope(viewer)
        if not user.is_authenticated:
            return self.none()
        # A student the registrar dropped keeps their submissions on record, but no longer sees them.
        # A group's submission is its members' (as the group is now), whoever uploaded it; a subquery, so a
        # group's submission is listed once however many members it has.
        mine = Q(group__isnull=True, member__user=user, member__dropped_at__isnull=True)
        groups = GroupMember.objects.filter(member__user=user, member__dropped_at__isnull=True).values("group_id")
        allowed = seen_by(viewer, own=mine | Q(group__in=groups), prefix="assignment__course_id")
        return self.none() if allowed is None else self.filter(allowed)

    def active(self) -> SubmissionQuerySet:
        return self.filter(is_active=True)


class StudentGroup(models.Model):
    """Students who hand in one assignment together: one submission, graded once, a score for each member.

    Its members are the GroupMember rows. A group of the assignment's `group_size` needs nobody's approval;
    staff allow another size (the exceptions the syllabus grants) by setting `approved_size`.
    Written only by assignments.groups.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="groups")
    created_at = models.DateTimeField()
    approved_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="A size other than the assignment's that staff allowed for this group.")
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approval_note = models.TextField(blank=True, help_text="Why staff allowed the other size.")
    size_request = models.TextField(blank=True, help_text="Why the students ask for another size.")

    class Meta:
        ordering = ["assignment", "id"]

    def __str__(self) -> str:
        names = ", ".join(m.member.user.display_name for m in self.members.all()) or "no members"
        return f"Group {self.id} on {self.assignment}: {names}"

    def students(self) -> list[Membership]:
        """The members, by name."""
        return sorted((m.member for m in self.members.select_related("member__user")),
                      key=lambda m: (m.user.last_name, m.user.first_name, m.user.username))

    def size_allowed(self, size: int) -> bool:
        """A group of `size` needs no more approval: the assignment's size, or the one staff approved."""
        return size == self.assignment.group_size or size == self.approved_size


class GroupMember(models.Model):
    """A student's place in a group; at most one group per student and assignment."""

    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="members")
    # The group's assignment, repeated so the database holds "one group per student and assignment".
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="group_places")
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["group", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "member"], name="one_group_per_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.member.user.display_name} in group {self.group_id}"


class GroupInvitation(models.Model):
    """A student's invitation to a classmate to join their group, and the answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="invitations")
    invited = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="group_invitations")
    invited_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "invited"], condition=Q(status="pending"),
                                    name="one_pending_invitation_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.invited_by.user.display_name} invites {self.invited.user.display_name} ({self.get_status_display()})"


class Submission(models.Model):
    """One upload, alone or for a group; the server stamps its time. Written only by services."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="submissions")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="submissions",
                               help_text="Who uploaded it.")
    group = models.ForeignKey(StudentGroup, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="submissions", help_text="The group it was handed in for; empty: alone.")
    submitted_at = models.DateTimeField()
    is_active = models.BooleanField(default=False, help_text="The one that is graded.")
    sha256 = models.CharField(max_length=64, help_text="Digest over the names and digests of its files.")

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "member"], condition=Q(is_active=True, group__isnull=True),
                name="one_active_submission",
            ),
            models.UniqueConstraint(fields=["group"], condition=Q(is_active=True), name="one_active_group_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} by {self.member.user.display_name} at {self.submitted_at:%Y-%m-%d %H:%M}"

    def students(self) -> list[Membership]:
        """Whom it counts for: the group's members as the group is now, or the student who uploaded it."""
        return self.group.students() if self.group_id else [self.member]

    def counts_for(self, member: Membership) -> bool:
        if self.group_id:
            return GroupMember.objects.filter(group_id=self.group_id, member=member).exists()
        return self.member_id == member.id


def submission_file_path(instance: SubmissionFile, filename: str) -> str:
    submission = instance.submission
    return f"submissions/{submission.assignment.course.slug}/{submission.assignment.key}/{submission.id}/{filename}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255, help_text="The file's name as the student handed it in.")
    file = models.FileField(upload_to=submission_file_path, max_length=500)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["submission", "name"], name="file_name_unique_in_submission")]

    def __str__(self) -> str:
        return self.name


class RefusedUpload(models.Model):
    """An upload the checks refused. Nothing of it is stored, but it counts toward the upload rate limit:
    checking costs the site (a PDF is parsed), so refused attempts may not be repeated without bound."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="refused_uploads")
    member = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="refused_uploads")
    refused_at = models.DateTimeField()
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["-refused_at", "-id"]
        indexes = [models.Index(fields=["member", "assignment", "refused_at"], name="refused_upload_window")]

    def __str__(self) -> str:
        return f"{self.assignment} by {self.member.user.display_name}, refused at {self.refused_at:%Y-%m-%d %H:%M}"
