"""A course as its syllabus describes it: logistics, staff roles, policies, organization, weights."""
from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. America/New_York).")


class Course(models.Model):
    slug = models.SlugField(unique=True, help_text="Short name used in addresses, e.g. 10707-s21.")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    term = models.CharField(max_length=50)
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    starts_on = models.DateField()
    ends_on = models.DateField()
    meeting_times = models.CharField(max_length=200)
    location = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    previous_website = models.URLField(blank=True)
    qa_forum_name = models.CharField(max_length=100, blank=True)
    qa_forum_url = models.URLField(blank=True)
    contact = models.TextField(blank=True, help_text="How to reach the staff, as the syllabus says it.")
    grace_days_total = models.PositiveIntegerField(default=7)
    max_grace_days_per_assignment = models.PositiveIntegerField(default=3)
    regrade_window_days = models.PositiveIntegerField(
        default=7,
        help_text="Days after an assignment's grades are released during which a student may ask for a regrade.",
    )
    project_group_size = models.PositiveIntegerField(default=2, validators=[MinValueValidator(1)])
    project_group_exceptions = models.BooleanField(
        default=True, help_text="Staff may allow groups of another size."
    )
    project_description = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "number"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="course_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title} ({self.term})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The course must end after it starts."})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class GradingCategory(models.Model):
    """A line of the syllabus's grading scheme; a course's weights sum to exactly 100."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField()
    name = models.CharField(max_length=100)
    weight = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0))])
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name_plural = "grading categories"
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="category_key_unique_in_course"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=100), name="category_weight_0_to_100"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class SyllabusSection(models.Model):
    """A titled paragraph of the syllabus: prerequisites, materials, a policy, the course's goals..."""

    class Kind(models.TextChoices):
        ABOUT = "about", "About the course"
        POLICY = "policy", "Policy"

    # Every course states these policies; loadcourse refuses a file without them.
    REQUIRED_POLICIES = ("collaboration", "submitting", "regrades", "late-days", "extensions", "academic-integrity")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ABOUT)
    key = models.SlugField()
    heading = models.CharField(max_length=200)
    body = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["course", "kind", "order"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="section_key_unique_in_course")]

    def __str__(self) -> str:
        return self.heading


class CoursePart(models.Model):
    """One part of the course organization (supervised learning, unsupervised learning...)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    topics = models.TextField(blank=True, help_text="One topic per line.")

    class Meta:
        ordering = ["course", "order"]
        constraints = [models.UniqueConstraint(fields=["course", "title"], name="part_title_unique_in_course")]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]
