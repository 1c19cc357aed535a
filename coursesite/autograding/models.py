"""The state of grading one submission. The database is the source of truth; the broker only
carries job ids. A job is claimed with a lease and finished by compare-and-set on its attempt,
so a second delivery of the same job can never write a second grade. While it grades, the worker
renews the job's heartbeat; a job whose heartbeat stopped, or whose lease ran out, is taken back."""
from __future__ import annotations

from django.db import models
from django.db.models import Q


class GradingJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        RETRY = "retry", "Waiting to retry"
        DONE = "done", "Graded"
        FAILED = "failed", "Could not be graded"

    FINISHED = (Status.DONE, Status.FAILED)

    submission = models.OneToOneField("assignments.Submission", on_delete=models.CASCADE, related_name="grading_job")
    spec_name = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempt = models.PositiveIntegerField(default=0, help_text="Claims so far; a finish must match the current one.")
    queued_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the current attempt began; the lease runs from it.")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Renewed every few seconds while a worker grades; a stale one is taken back."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    result = models.JSONField(null=True, blank=True, help_text="Gradescope-shaped results.json of the run.")
    staff_message = models.TextField(blank=True, help_text="Why it could not be graded (infrastructure), for staff.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(result__isnull=False, score__isnull=False), name="done_job_has_result"
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"Grading of submission {self.submission_id}: {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED
