"""Reads of a course's syllabus, shared by its page and its printable PDF."""
from __future__ import annotations

from coursesite.courses.models import Course, SyllabusSection
from coursesite.people.models import Membership


def course_exists(slug: str) -> bool:
    return Course.objects.filter(slug=slug).exists()


def syllabus_get_context(course: Course) -> dict:
    """Everything the syllabus shows: the page and its printable PDF."""
    staff = course.memberships.staff().select_related("user").order_by("order", "user__last_name")
    sections = list(course.sections.all())
    return {
        "course": course,
        "staff_by_role": [
            (label, [m for m in staff if m.role == role])
            for role, label in reversed(Membership.Role.choices) if role != Membership.Role.STUDENT
        ],
        "about": [s for s in sections if s.kind == SyllabusSection.Kind.ABOUT],
        "policies": [s for s in sections if s.kind == SyllabusSection.Kind.POLICY],
        "categories": course.categories.all(),
        "parts": course.parts.all(),
        "schedule": course.assignments.select_related("category"),
    }
