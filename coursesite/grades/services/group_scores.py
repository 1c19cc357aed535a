"""Staff score a group's work once, on the scores page: every member gets the group's score.

Group work scored by hand (no rubric, no autograder: the project milestones) would otherwise need the same
score typed into each member's box, and one forgotten box leaves a member ungraded. A score entered for the
group is a staff decision about the GROUP's work, so each member's adjustment of their share (score_adjust)
stays on top of it, as it does when the autograder or a regrade scores the group (scores._share).

The checks and messages are scores_import's: all or nothing, at most 2 decimals, scores above the maximum
confirmed, a reason when the entry overrides the autograder or the rubric. Like every writer of scores, it
locks the assignment first (scores._lock) and records every changed member score in the history.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.db import transaction

from coursesite.assignments.models import Assignment, GroupMember, StudentGroup
from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.display import names_in_words, plain_number
from coursesite.grades.models import Score
from coursesite.grades.services.scores import (
    AUTOMATIC,
    EnteredScore,
    ScoreRefused,
    ScoresSaved,
    _adjustment_note,
    _check_points,
    _lock,
    _share,
    _with_reason,
    automatic_source_of,
    scores_import,
)
from coursesite.people.models import Membership, User

log = logging.getLogger(__name__)


class EnteredGroupScore(Protocol):
    """One group's score: a box of the entry form."""

    group_id: int
    points: Decimal


@dataclass(frozen=True)
class EnteredGroupPoints:
    """A group's score typed into the entry form."""

    group_id: int
    points: Decimal


@dataclass(frozen=True)
class GroupScoresSaved:
    groups: int             # groups with at least one member's score new or changed
    students: int           # member scores new or changed
    unchanged_groups: int   # every member already had the group's score: left as they were


@dataclass(frozen=True)
class _Group:
    """A group of the entry with its current students, by name, and its points."""

    id: int
    members: list[Membership]
    points: Decimal

    @property
    def names(self) -> str:
        return names_in_words([m.user.display_name for m in self.members])

    @property
    def called(self) -> str:
        return f"the group of {self.names}"


def _groups_of(assignment: Assignment, rows: list[EnteredGroupScore]) -> list[_Group]:
    """The rows' groups, refused unless each is a group of `assignment` with at least one current student."""
    ids = [row.group_id for row in rows]
    if len(set(ids)) != len(ids):
        raise ScoreRefused("A group appears more than once; each group gets one score.")
    known = set(StudentGroup.objects.filter(assignment=assignment, id__in=ids).values_list("id", flat=True))
    strangers = sorted(set(ids) - known)
    if strangers:
        raise ScoreRefused(f"Not groups of {assignment.title}: group ids {strangers}. Reload the page and enter "
                           f"the scores again; nothing was saved.")
    # Students the roster dropped keep their place in the group's history but get no new score (as scores_import).
    places = (GroupMember.objects.filter(group_id__in=ids, member__role=Membership.Role.STUDENT,
                                         member__dropped_at__isnull=True,
                                         member__course_id=assignment.course_id)
              .select_related("member__user")
              .order_by("member__user__last_name", "member__user__first_name", "member__user__username"))
    members: dict[int, list[Membership]] = {}
    for place in places:
        members.setdefault(place.group_id, []).append(place.member)
    empty = [row.group_id for row in rows if not members.get(row.group_id)]
    if empty:
        raise ScoreRefused(f"Group {empty[0]} of {assignment.title} has no students (any more): there is nobody to "
                           f"give its score to. Reload the page; nothing was saved.")
    return [_Group(row.group_id, members[row.group_id], row.points) for row in rows]


def _unchanged(stored: Score | None, group: _Group) -> bool:
    """The member already has the group's score (their adjustment, if any, on top): nothing to write."""
    return stored is not None and stored.base_points == group.points


@transaction.atomic
def group_scores_enter(
    *,
    assignment: Assignment,
    rows: Iterable[EnteredGroupScore],
    by: User,
    now: datetime,
    above_maximum_confirmed: bool = False,
    reason: str = "",
) -> GroupScoresSaved:
    """Give every member of each group the group's score, all or nothing.

    Each member's adjustment of their share is kept: their points become the group's plus it, never below 0.
    A member who already has the group's score is left alone (who entered it, and when, stay true). Each new
    or changed score is recorded in the history as entered for the group, with `reason`, which an assignment
    the autograder or the rubric scores requires: the entry overrides that source from then on.
    """
    _lock(assignment)
    if not assignment.is_group_work:
        raise ScoreRefused(f"{assignment.title} is not group work: enter each student's score instead.")
    groups = _groups_of(assignment, list(rows))
    for group in groups:
        _check_points(group.points, assignment, True, group.called)
    member_ids = [m.id for group in groups for m in group.members]
    stored = {s.member_id: s for s in Score.objects.filter(assignment=assignment, member_id__in=member_ids)}
    above = [group for group in groups if _highest_share(group, stored) > assignment.points]
    if above and not above_maximum_confirmed:
        names = ", ".join(f"{group.called} {plain_number(group.points)}" for group in above)
        raise ScoreRefused(f"Above the maximum of {plain_number(assignment.points)} points (with any member's "
                           f"adjustment): {names}. Nothing was saved: if these are right, confirm them and save again.",
                           code="above_maximum")
    source = automatic_source_of(assignment)
    overrides = _overrides(source, groups, stored)
    if overrides and not reason.strip():
        raise ScoreRefused(
            f"These scores would override {source}: {'; '.join(overrides)}. Say why "
            f"in “Reason” (students see it beside the score); nothing was saved."
        )
    saved_groups = saved_students = 0
    for group in groups:
        changed = [m for m in group.members if not _unchanged(stored.get(m.id), group)]
        for member in changed:
            _enter(assignment, member, group, stored.get(member.id), by=by, now=now, reason=reason)
        saved_groups += bool(changed)
        saved_students += len(changed)
    log.info("%d group scores (%d students) on %s entered by %s", saved_groups, saved_students, assignment.key,
             by.username)
    return GroupScoresSaved(groups=saved_groups, students=saved_students, unchanged_groups=len(groups) - saved_groups)


def _highest_share(group: _Group, stored: dict[int, Score]) -> Decimal:
    """The highest points a member of `group` would get: the group's, or more with a positive adjustment."""
    adjustments = [stored[m.id].adjustment for m in group.members if m.id in stored]
    return group.points + max([Decimal(0), *adjustments])


def _overrides(source: str, groups: list[_Group], stored: dict[int, Score]) -> list[str]:
    """The groups whose entry changes a score `source` ("" for none) gave, in words for the message."""
    if not source:
        return []
    overrides = []
    for group in groups:
        scores = [stored.get(m.id) for m in group.members]
        if all(_unchanged(score, group) for score in scores):
            continue
        given = " or ".join(plain_number(points) for points in sorted({s.base_points for s in scores if s is not None}))
        if not given:
            before = f"nothing from {source} yet"
        elif all(score is not None and score.source in AUTOMATIC for score in scores):
            before = f"{scores[0].get_source_display()} gave {given}"
        else:
            before = f"overridden before at {given}"
        overrides.append(f"{group.called} ({before}, you entered {plain_number(group.points)})")
    return overrides


def _enter(assignment: Assignment, member: Membership, group: _Group, stored: Score | None, *, by: User,
           now: datetime, reason: str) -> None:
    """Write one member's share of the group's score and record it in the history."""
    before = (Score(points=stored.points, adjustment=stored.adjustment, adjustment_reason=stored.adjustment_reason)
              if stored is not None else None)
    fields = {"entered_by": by, "entered_at": now, "source": Score.Source.STAFF, "submission": None,
              "reason": reason.strip(), **_share(stored, group.points, Score.Source.STAFF, for_the_group=True)}
    if stored is not None and stored.source in AUTOMATIC:
        fields["comment"] = ""          # the automatic source's account of its points no longer holds
    score, _ = Score.objects.update_or_create(member=member, assignment=assignment, defaults=fields)
    why = _with_reason(f"entered for the group ({group.names}) on the scores page", reason)
    audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by,
                 old=before.points if before else None, new=score.points,
                 why=why + _adjustment_note(before, score), member=member, assignment=assignment)


@dataclass(frozen=True)
class EntrySaved:
    """What one save of the scores page on group work stored: the groups' scores and those of students alone."""

    groups: GroupScoresSaved
    alone: ScoresSaved

    def describe(self) -> str:
        """"Saved the scores of 2 groups (4 students); 1 student alone." and what was already so."""
        saved = []
        if self.groups.groups:
            saved.append(f"{_count(self.groups.groups, 'group')} ({_count(self.groups.students, 'student')})")
        if self.alone.saved:
            saved.append(f"{_count(self.alone.saved, 'student')} alone")
        message = f"Saved the scores of {'; '.join(saved)}." if saved else "Nothing changed."
        same = []
        if self.groups.unchanged_groups:
            same.append(_count(self.groups.unchanged_groups, "group"))
        if self.alone.unchanged:
            same.append(f"{_count(self.alone.unchanged, 'student')} alone")
        if same:
            many = self.groups.unchanged_groups + self.alone.unchanged > 1
            message += f" {' and '.join(same)} already had {'those scores' if many else 'that score'}."
        return message


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


@transaction.atomic
def group_work_scores_enter(
    *,
    assignment: Assignment,
    group_rows: Iterable[EnteredGroupScore],
    student_rows: Iterable[EnteredScore],
    by: User,
    now: datetime,
    above_maximum_confirmed: bool = False,
    reason: str = "",
) -> EntrySaved:
    """One save of the scores page on group work: a score per group and per student without a group, all or
    nothing (a refusal of either part undoes the other)."""
    group_rows, student_rows = list(group_rows), list(student_rows)
    in_groups = set(GroupMember.objects.filter(assignment=assignment, member_id__in=[r.member_id for r in student_rows])
                    .values_list("member_id", flat=True))
    if in_groups:
        raise ScoreRefused("A student in a group gets the group's score: enter it in the group's box "
                           "(or adjust their share). Reload the page; nothing was saved.")
    groups = group_scores_enter(assignment=assignment, rows=group_rows, by=by, now=now,
                                above_maximum_confirmed=above_maximum_confirmed, reason=reason)
    alone = (scores_import(assignment=assignment, rows=student_rows, by=by, now=now,
                           above_maximum_confirmed=above_maximum_confirmed, reason=reason)
             if student_rows else ScoresSaved(saved=0, unchanged=0))
    return EntrySaved(groups=groups, alone=alone)
