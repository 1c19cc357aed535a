"""Code similarity of a coding assignment: each submission's fingerprint (computed once, stored), the archive
of earlier terms' submissions, and the comparisons run on them with the pairs they found.

Written only by coursesite/similarity/services.py. Visible to the course's instructors and education
associate, like the integrity cases a pair may lead to.
"""
from __future__ import annotations

import json
import zlib

from django.db import models
from django.db.models import Q

_QUEUED, _RUNNING = "queued", "running"


class SubmissionFingerprint(models.Model):
    """`similarity.Fingerprint.to_bytes()` of one submission's .py files, the handout's starter code subtracted.
    Computed by the first comparison that meets the submission, then reused: a submission never changes."""
    submission = models.OneToOneField("assignments.Submission", on_delete=models.CASCADE, related_name="fingerprint")
    starter = models.CharField(max_length=16, blank=True, help_text="Digest of the starter code subtracted.")
    data = models.BinaryField(help_text="Empty when the submission could not be fingerprinted (see problem).")
    problem = models.CharField(max_length=300, blank=True, help_text="Why it was left out of the comparison.")
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Fingerprint of submission {self.submission_id}"


class ArchivedSubmission(models.Model):
    """One submission of an earlier term, from a zip staff uploaded: its code and README, kept to be shown
    beside a match, and its fingerprint once a comparison computed it."""
    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.CASCADE,
                                   related_name="archived_submissions")
    term = models.CharField(max_length=60, help_text='The term it comes from, e.g. "Spring 2020".')
    name = models.CharField(max_length=200, help_text="Its folder's name in the uploaded zip.")
    sources = models.BinaryField(help_text="zlib-compressed JSON: path inside the folder -> text.")
    starter = models.CharField(max_length=16, blank=True)
    fingerprint = models.BinaryField(null=True, blank=True)
    uploaded_by = models.ForeignKey("people.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["assignment", "term", "name"],
                                               name="archived_submission_unique_in_term")]

    def __str__(self) -> str:
        return f"{self.term}: {self.name}"

    @staticmethod
    def pack(files: dict[str, str]) -> bytes:
        return zlib.compress(json.dumps(files, separators=(",", ":")).encode())

    def files(self) -> dict[str, str]:
        return json.loads(zlib.decompress(bytes(self.sources)))


class SimilarityRun(models.Model):
    """One comparison of an assignment's active submissions with each other and with its archive."""

    class Status(models.TextChoices):
        QUEUED = _QUEUED, "Queued"
        RUNNING = _RUNNING, "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    assignment = models.ForeignKey("assignments.Assignment", on_delete=models.CASCADE, related_name="similarity_runs")
    requested_by = models.ForeignKey("people.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     help_text="Empty: the run the worker starts once the assignment closed.")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(help_text="When its task was last sent to the broker (the sweep sends it again).")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    submissions = models.PositiveIntegerField(default=0, help_text="Active submissions compared.")
    archived = models.PositiveIntegerField(default=0, help_text="Archived submissions compared with them.")
    fingerprinted = models.PositiveIntegerField(default=0, help_text="Fingerprints this run computed (the rest were stored).")
    left_out = models.JSONField(default=list, blank=True, help_text="One line per submission that could not be compared.")
    problem = models.TextField(blank=True, help_text="Why the run failed, for staff.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One run waiting or running per assignment: "compare now" twice is one comparison.
            models.UniqueConstraint(fields=["assignment"], condition=Q(status__in=[_QUEUED, _RUNNING]),
                                    name="one_pending_similarity_run"),
            # The worker starts one run by itself per assignment, once it closed; staff start the others.
            models.UniqueConstraint(fields=["assignment"], condition=Q(requested_by__isnull=True),
                                    name="one_automatic_similarity_run"),
        ]

    def __str__(self) -> str:
        return f"Similarity run {self.id} of {self.assignment}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class SimilarPair(models.Model):
    """A pair a run found above the threshold: an active submission and another, or an archived one."""
    run = models.ForeignKey(SimilarityRun, on_delete=models.CASCADE, related_name="pairs")
    a = models.ForeignKey("assignments.Submission", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("assignments.Submission", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    b_archived = models.ForeignKey(ArchivedSubmission, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=4, help_text="0 to 1: the share of the smaller "
                                "side's fingerprints found in the other.")
    shared = models.PositiveIntegerField(help_text="Fingerprints the two share.")
    matches = models.JSONField(default=list, help_text='[{"a_file", "a_lines": [first, last], "b_file", "b_lines"}]')

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.CheckConstraint(condition=Q(b__isnull=False, b_archived__isnull=True)
                                              | Q(b__isnull=True, b_archived__isnull=False),
                                              name="similar_pair_other_side_is_one")]

    def __str__(self) -> str:
        return f"Pair {self.id} ({self.score})"

    @property
    def percent(self) -> int:
        return round(self.score * 100)
