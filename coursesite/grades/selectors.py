"""Reads that feed the pure late-policy rules from the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.assignments.models import Assignment, Submission
from coursesite.courses.models import Course
from coursesite.grades.latepolicy import LatePolicy, LateOutcome, LateWork, allocate_grace_days, preview_late_submission
from coursesite.grades.models import Extension, GraceDayGrant
from coursesite.people.models import Membership


def late_policy_for(course: Course) -> LatePolicy:
    return LatePolicy(
        grace_days_total=course.grace_days_total, max_per_assignment=course.max_grace_days_per_assignment
    )


def extension_due_times(member: Membership) -> dict[int, datetime]:
    """Assignment id -> the student's extended due time."""
    return dict(Extension.objects.filter(member=member).values_list("assignment_id", "due_at"))


def late_work_for(member: Membership) -> list[LateWork]:
    """One LateWork per assignment that takes uploads, with the student's active submission time."""
    extended = {(member.id, a): due for a, due in extension_due_times(member).items()}
    active = {
        (member.id, a): at
        for a, at in Submission.objects.filter(member=member, is_active=True).values_list("assignment_id", "submitted_at")
    }
    return build_late_work(member.id, member.course.assignments.exclude(kind=Assignment.Kind.EXAM), extended, active)


def build_late_work(member_id: int, assignments, extended: dict, active: dict) -> list[LateWork]:
    """The pure late-policy input for one student, from (member id, assignment id)-keyed lookups."""
    return [
        LateWork(
            assignment=a.key,
            due=extended.get((member_id, a.id), a.due_at),
            submitted=active.get((member_id, a.id)),
            uses_grace_days=a.uses_grace_days,
        )
        for a in assignments
    ]


def extra_grace_days(member: Membership) -> int:
    """Days staff added to this student's budget."""
    return sum(GraceDayGrant.objects.filter(member=member).values_list("days", flat=True))


def late_outcomes_for(member: Membership) -> dict[str, LateOutcome]:
    return {line.assignment.key: line.outcome for line in grace_day_ledger_for(member).lines}


def late_preview(member: Membership, assignment: Assignment, at: datetime) -> LateOutcome:
    """What a submission made `at` would cost, with the student's other work as it stands."""
    return preview_late_submission(
        late_policy_for(member.course), late_work_for(member), extra_grace_days(member), assignment.key, at
    )


@dataclass(frozen=True)
class LedgerLine:
    assignment: Assignment
    outcome: LateOutcome


@dataclass(frozen=True)
class GraceDayLedger:
    """A student's grace days: the budget, what each late submission used, and why."""

    member: Membership
    base_budget: int
    grants: tuple[GraceDayGrant, ...]
    lines: tuple[LedgerLine, ...]  # one per assignment taking uploads, in due order

    @property
    def extra(self) -> int:
        return sum(g.days for g in self.grants)

    @property
    def budget(self) -> int:
        return self.base_budget + self.extra

    @property
    def used(self) -> int:
        return sum(line.outcome.grace_days_charged for line in self.lines)

    @property
    def left(self) -> int:
        return self.budget - self.used

    @property
    def late_lines(self) -> tuple[LedgerLine, ...]:
        return tuple(line for line in self.lines if line.outcome.days_late)

    def outcome(self, assignment: Assignment) -> LateOutcome | None:
        return next((line.outcome for line in self.lines if line.assignment.id == assignment.id), None)


def grace_day_ledgers(course: Course, members: list[Membership] | None = None) -> dict[int, GraceDayLedger]:
    """Member id -> ledger for the course's students (or `members`), in a fixed number of queries."""
    if members is None:
        members = list(course.memberships.students().select_related("user"))
    ids = [m.id for m in members]
    assignments = list(course.assignments.exclude(kind=Assignment.Kind.EXAM))
    extended: dict[tuple[int, int], datetime] = {
        (member_id, assignment_id): due
        for member_id, assignment_id, due in Extension.objects.filter(member_id__in=ids)
        .values_list("member_id", "assignment_id", "due_at")
    }
    active: dict[tuple[int, int], datetime] = {
        (member_id, assignment_id): at
        for member_id, assignment_id, at in Submission.objects.filter(member_id__in=ids, is_active=True)
        .values_list("member_id", "assignment_id", "submitted_at")
    }
    grants: dict[int, list[GraceDayGrant]] = {member_id: [] for member_id in ids}
    for grant in GraceDayGrant.objects.filter(member_id__in=ids).select_related("granted_by"):
        grants[grant.member_id].append(grant)
    policy = late_policy_for(course)
    ledgers = {}
    for member in members:
        work = build_late_work(member.id, assignments, extended, active)
        extra = sum(g.days for g in grants[member.id])
        outcomes = allocate_grace_days(policy, work, extra)
        ledgers[member.id] = GraceDayLedger(
            member=member,
            base_budget=policy.grace_days_total,
            grants=tuple(grants[member.id]),
            lines=tuple(LedgerLine(a, outcomes[a.key]) for a in assignments),
        )
    return ledgers


def grace_day_ledger_for(member: Membership) -> GraceDayLedger:
    return grace_day_ledgers(member.course, [member])[member.id]
