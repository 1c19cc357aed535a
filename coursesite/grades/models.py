"""Grades-side records. Extensions move one student's due time for one assignment."""
from __future__ import annotations

from django.db import models


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
