"""The history of every change to a grade or to what a grade is computed from.

An entry says who changed what, when (the server's clock), from which value to which, and why.
Entries are only ever added (audit.services.audit_record); nothing updates or deletes one.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q


class AppendOnly(Exception):
    """An entry of the history was about to be changed or deleted."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Entries of the history are never changed.")

    def delete(self):
        raise AppendOnly("Entries of the history are never deleted.")


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        SCORE = "score", "Score"
        GRACE_DAYS = "grace_days", "Grace-day budget"
        EXTENSION = "extension", "Extension"
        WEIGHT = "weight", "Category weight"
        RELEASE = "release", "Grade release"
        DATES = "dates", "Due or release time"
        SUBMISSION = "submission", "Graded submission"
        INVITATION = "invitation", "Invitation to choose a password"
        ROSTER = "roster", "Roster import"
        GROUP = "group", "Group"
        INTEGRITY = "integrity", "Academic integrity case"

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="audit_entries")
    who = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            help_text="Empty for changes made by a command, which `source` names.")
    source = models.CharField(max_length=300, blank=True,
                              help_text="What made the change when no person did, e.g. loadcourse courses/10707-s21.toml.")
    at = models.DateTimeField(help_text="The server's clock when the change was made.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What changed. The links go empty if that row is deleted later; `subject` still names it.
    member = models.ForeignKey("people.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    category = models.ForeignKey("courses.GradingCategory", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    subject = models.CharField(max_length=500, help_text="What changed, in words, as it was named then.")
    old_value = models.TextField(blank=True, help_text="Empty: there was none.")
    new_value = models.TextField(blank=True, help_text="Empty: there is none any more.")
    why = models.TextField()

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "history entry"
        verbose_name_plural = "history entries"
        indexes = [models.Index(fields=["course", "-at"], name="audit_course_at")]
        constraints = [
            models.CheckConstraint(condition=Q(who__isnull=False) | ~Q(source=""), name="audit_entry_says_who"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.subject}: {self.old_value or '—'} → {self.new_value or '—'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Entries of the history are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Entries of the history are never deleted.")


class WaitingNotification(models.Model):
    """An e-mail notification decided in a transaction, written with it, and deleted once the broker took its
    message. A row that stays was never carried (the broker was down, or the process died before the commit's
    hook ran): the workers' sweep sends it then (coursesite/audit/notify.py)."""
    kind = models.CharField(max_length=100, help_text="The notify_* function's name.")
    arguments = models.JSONField(help_text="Its ids and text.")
    waiting_since = models.DateTimeField(help_text="Written, or last handed to the broker by the sweep.")

    class Meta:
        ordering = ["waiting_since", "id"]

    def __str__(self) -> str:
        return f"{self.kind}({self.arguments}) waiting since {self.waiting_since:%Y-%m-%d %H:%M:%S}"
