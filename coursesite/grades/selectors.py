"""Reads that feed the pure late-policy rules from the database."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from coursesite.assignments.models import Assignment
from coursesite.assignments.selectors import active_submissions, group_of
from coursesite.courses.models import Course
from coursesite.grades.latepolicy import (
    LatePolicy,
    LateOutcome,
    LateWork,
    allocate_grace_days,
    grace_days_used,
    preview_late_submission,
)
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
    """One LateWork per assignment that takes uploads, with the time of the submission graded for the student
    (their group's active one, whoever uploaded it, or their own) against their own due time."""
    extended = {(member.id, a): due for a, due in extension_due_times(member).items()}
    active = submitted_times([member.id])
    return build_late_work(member.id, member.course.assignments.exclude(kind=Assignment.Kind.EXAM), extended, active)


def submitted_times(member_ids) -> dict[tuple[int, int], datetime]:
    """(member id, assignment id) -> when the submission graded for that student was made (a group's counts
    for each of its members, each then judged by their own due time and budget)."""
    return {key: found.submitted_at for key, found in active_submissions(member_ids).items()}


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
class MemberLatePreview:
    """What an upload made now costs one student of a group: the outcome, and the grace days they have after it."""

    member: Membership
    outcome: LateOutcome
    left_after: int
    max_per_assignment: int

    @property
    def words(self) -> str:
        """`Alice: 2 grace days (5 left after)`, `Bob: scores 0: only 1 grace day left`, `Carol: not late`."""
        name = self.member.user.first_name or self.member.user.display_name
        o = self.outcome
        if not o.days_late:
            return f"{name}: not late (by their own due time)"
        if not o.zeroed:
            return f"{name}: {_days(o.grace_days_charged, 'grace day')} ({self.left_after} left after)"
        if o.days_late > self.max_per_assignment:
            return f"{name}: scores 0: {_days(o.days_late)} late, more than the {self.max_per_assignment} allowed"
        if o.days_late > self.left_after:   # a zero is charged nothing: what is left after is what was left
            left = f"only {_days(self.left_after, 'grace day')}" if self.left_after else "no grace days"
            return f"{name}: scores 0: {left} left"
        return f"{name}: scores 0: {o.reason}"      # work that takes no late submissions


@dataclass(frozen=True)
class HandinLatePreview:
    """What an upload made now costs everyone it counts for (the student alone, or each member of their group).

    Reads like a LateOutcome where the upload page and LateNotice need one: `days_late` is the most days
    late of any member (what the student confirms), `reason` says what it costs each member. Alone (or in a
    group of one) it is exactly the student's own outcome.
    """

    lines: tuple[MemberLatePreview, ...]

    @property
    def days_late(self) -> int:
        return max((line.outcome.days_late for line in self.lines), default=0)

    @property
    def zeroed(self) -> bool:
        return any(line.outcome.zeroed for line in self.lines)

    @property
    def reason(self) -> str:
        if len(self.lines) == 1:
            return self.lines[0].outcome.reason
        return "For each member: " + "; ".join(line.words for line in self.lines) + "."


def member_late_preview(member: Membership, assignment: Assignment, at: datetime) -> MemberLatePreview:
    """What a submission made `at` would cost the student, from their own budget and due time, and what is left."""
    policy = late_policy_for(member.course)
    extra = extra_grace_days(member)
    work = [replace(w, submitted=at) if w.assignment == assignment.key else w for w in late_work_for(member)]
    outcomes = allocate_grace_days(policy, work, extra)
    return MemberLatePreview(member=member, outcome=outcomes[assignment.key],
                             left_after=policy.grace_days_total + extra - grace_days_used(outcomes),
                             max_per_assignment=policy.max_per_assignment)


def handin_late_preview(member: Membership, assignment: Assignment, at: datetime) -> HandinLatePreview:
    """What an upload by the student made `at` would cost each student it counts for (their group, or them)."""
    group = group_of(member, assignment)
    members = group.students() if group is not None else [member]
    return HandinLatePreview(lines=tuple(member_late_preview(m, assignment, at) for m in members))


def _days(n: int, noun: str = "day") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


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
    active = submitted_times(ids)
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
