"""Reads that feed the pure late-policy rules from the database."""
from __future__ import annotations

from datetime import datetime

from coursesite.assignments.models import Assignment, Submission
from coursesite.courses.models import Course
from coursesite.grades.latepolicy import LatePolicy, LateOutcome, LateWork, allocate_grace_days, preview_late_submission
from coursesite.grades.models import Extension
from coursesite.people.models import Membership


def late_policy_for(course: Course) -> LatePolicy:
    return LatePolicy(
        grace_days_total=course.grace_days_total, max_per_assignment=course.max_grace_days_per_assignment
    )


def extension_due_times(member: Membership) -> dict[int, datetime]:
    """Assignment id -> the student's extended due time."""
    return dict(Extension.objects.filter(member=member).values_list("assignment_id", "due_at"))


def effective_due(member: Membership, assignment: Assignment) -> datetime:
    extended = Extension.objects.filter(member=member, assignment=assignment).values_list("due_at", flat=True).first()
    return extended or assignment.due_at


def closes_at(member: Membership, assignment: Assignment) -> datetime:
    """The last moment the student may upload: effective due time plus the grace-day cap."""
    return effective_due(member, assignment) + assignment.grace_window()


def late_work_for(member: Membership) -> list[LateWork]:
    """One LateWork per assignment that takes uploads, with the student's active submission time."""
    extended = extension_due_times(member)
    active = dict(
        Submission.objects.filter(member=member, is_active=True).values_list("assignment_id", "submitted_at")
    )
    return [
        LateWork(
            assignment=assignment.key,
            due=extended.get(assignment.id, assignment.due_at),
            submitted=active.get(assignment.id),
            uses_grace_days=assignment.uses_grace_days,
        )
        for assignment in member.course.assignments.exclude(kind=Assignment.Kind.EXAM)
    ]


def late_outcomes_for(member: Membership) -> dict[str, LateOutcome]:
    return allocate_grace_days(late_policy_for(member.course), late_work_for(member))


def late_preview(member: Membership, assignment: Assignment, at: datetime) -> LateOutcome:
    """What a submission made `at` would cost, with the student's other work as it stands."""
    return preview_late_submission(
        late_policy_for(member.course), late_work_for(member), 0, assignment.key, at
    )
