"""Academic-integrity cases: staff open one on a pair of students (or one student), for an assignment or the
course as a whole, add notes, decide, and choose when to tell the student.

A case is private to the course's instructors and education associate; a student sees the decision on their
own case, and its reason, only once staff have told them (`told_student_at`). Written only by
coursesite/integrity/services.py.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from coursesite.display import plain_number

# Status values for the constraints below (Meta can't see the nested TextChoices).
_OPEN, _DECIDED, _PENALTY = "open", "decided", "penalty"


class CaseQuerySet(models.QuerySet):
    def told_to(self, member) -> "CaseQuerySet":
        """The cases a student has been told the decision of, and only theirs (a student's own page)."""
        return self.filter(students=member, told_student_at__isnull=False)


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = _OPEN, "Open"
        DECIDED = _DECIDED, "Decided"

    class Decision(models.TextChoices):
        NO_ACTION = "no_action", "No action"
        WARNING = "warning", "Warning"
        PENALTY = _PENALTY, "Score penalty"
        REFERRAL = "referral", "Referral to the university's Office of Community Standards and Integrity"

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="integrity_cases")
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="integrity_cases",
                                   help_text="Empty: the case is about the course as a whole.")
    students = models.ManyToManyField("people.Membership", related_name="integrity_cases",
                                      help_text="The one or two students the case is about.")
    opened_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    evidence = models.TextField(blank=True, help_text="What made staff open the case, e.g. a similarity score "
                                                      "and the matched lines. Never shown to students.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True, help_text="Shown to the students once they are told.")
    penalty_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                         help_text="Points taken off each student's score (a score penalty only).")
    decided_by = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    told_student_at = models.DateTimeField(null=True, blank=True,
                                           help_text="Empty: the students have been told nothing.")
    told_by = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=_OPEN, decision="", decided_at__isnull=True, decided_by__isnull=True)
                           | (Q(status=_DECIDED, decided_at__isnull=False, decided_by__isnull=False)
                              & ~Q(decision="") & ~Q(decision_reason=""))),
                name="integrity_case_decided_has_decision"),
            models.CheckConstraint(
                condition=Q(decision=_PENALTY, penalty_points__gt=0, assignment__isnull=False)
                | (~Q(decision=_PENALTY) & Q(penalty_points__isnull=True)),
                name="integrity_case_penalty_has_points"),
            models.CheckConstraint(condition=Q(told_student_at__isnull=True) | Q(status=_DECIDED),
                                   name="integrity_case_told_after_decided"),
        ]

    def __str__(self) -> str:
        return f"Case {self.id} ({self.about})"

    @property
    def about(self) -> str:
        return self.assignment.title if self.assignment_id else "the course as a whole"

    @property
    def penalty(self) -> str:
        """The penalty's points as the pages and e-mails write them ("20", "2.5"); "" for other decisions."""
        return plain_number(self.penalty_points) if self.penalty_points is not None else ""

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Note on case {self.case_id} by {self.author}"
