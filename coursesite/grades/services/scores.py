"""The only writers of staff-entered scores and of an assignment's grade release.

Every write locks the assignment's row first (`select_for_update()`), so two members of staff
saving scores for one assignment at once take turns: the one-score-per-student upsert can't race
into the unique constraint, and a release can't interleave with an import.

Every new or changed score, and every release and its taking back, adds an entry to the history
(audit.services.audit_record) in the same transaction: a score is never overwritten without one.
Students are e-mailed after a release commits.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.db import transaction

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.audit.notify import after_commit, notify_grades_released
from coursesite.audit.services import audit_record
from coursesite.grades.csvscores import CENT, LARGEST, ScoreLine, format_points
from coursesite.grades.models import Score
from coursesite.people.models import Membership, User

log = logging.getLogger(__name__)

ENTERED_ON_PAGE = "entered on the scores page"
CSV_IMPORT = "CSV import"


class ScoreRefused(Exception):
    """The score can't be stored; the message says why."""


class EnteredScore(Protocol):
    """One score to store: a line of an uploaded file (csvscores.ScoreLine) or a box of the entry form."""

    member_id: int
    points: Decimal


@dataclass(frozen=True)
class ScoresSaved:
    saved: int          # new scores and changed ones
    unchanged: int      # the same points as already stored: left as they were, with who entered them


def _lock(assignment: Assignment) -> None:
    Assignment.objects.select_for_update().only("id").get(pk=assignment.pk)


def _check_points(points: Decimal, assignment: Assignment, above_maximum_confirmed: bool, who: str) -> None:
    if not isinstance(points, Decimal) or not points.is_finite():
        raise ScoreRefused(f"The score for {who} must be a decimal number, not {points!r}.")
    if points < 0:
        raise ScoreRefused(f"The score for {who} is negative ({points}).")
    if points > LARGEST or points != points.quantize(CENT):
        raise ScoreRefused(f"The score for {who} must be at most {LARGEST} with at most 2 decimal places, not {points}.")
    if points > assignment.points and not above_maximum_confirmed:
        raise ScoreRefused(
            f"The score for {who} ({format_points(points)}) is above the maximum of "
            f"{format_points(assignment.points)} points and was not confirmed."
        )


@transaction.atomic
def score_set(
    *,
    member: Membership,
    assignment: Assignment,
    points: Decimal,
    comment: str | None = None,
    by: User | None,
    now: datetime,
    above_maximum_confirmed: bool = False,
    why: str = ENTERED_ON_PAGE,
) -> Score:
    """Store one student's score on an assignment (the one Score row, created or replaced).

    `comment=None` keeps the stored comment. A score above the assignment's maximum needs
    `above_maximum_confirmed`. Only students of the assignment's course get scores. New or
    changed points are recorded in the history with `why`.
    """
    _lock(assignment)
    who = member.user.username
    if member.course_id != assignment.course_id or member.role != Membership.Role.STUDENT:
        raise ScoreRefused(f"{who} is not a student of {assignment.course}.")
    _check_points(points, assignment, above_maximum_confirmed, who)
    fields = {"points": points, "entered_by": by, "entered_at": now}
    if comment is not None:
        fields["comment"] = comment
    old = Score.objects.filter(member=member, assignment=assignment).values_list("points", flat=True).first()
    score, _ = Score.objects.update_or_create(member=member, assignment=assignment, defaults=fields)
    if old != points:
        audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by, old=old, new=points, why=why,
                     member=member, assignment=assignment, source="" if by else "autograder")
    log.info("score %s for %s on %s entered by %s", points, who, assignment.key, by.username if by else "the autograder")
    return score


@transaction.atomic
def scores_import(
    *,
    assignment: Assignment,
    rows: Iterable[EnteredScore],
    by: User,
    now: datetime,
    above_maximum_confirmed: bool = False,
    why: str | None = None,
) -> ScoresSaved:
    """Store many students' scores on one assignment, all or nothing.

    Every row must name a different student of the course; one bad row refuses them all and
    nothing is written. Rows whose points equal the stored score are left alone, so who entered
    a score and when stay true after the same file is uploaded twice. Each new or changed score
    is recorded in the history with `why` (by default "CSV import" for the lines of a file,
    "entered on the scores page" otherwise).
    """
    _lock(assignment)
    rows = list(rows)
    ids = [row.member_id for row in rows]
    if len(set(ids)) != len(ids):
        raise ScoreRefused("A student appears more than once; each student gets one score.")
    students = assignment.course.memberships.students().filter(id__in=ids).select_related("user").in_bulk()
    strangers = sorted(set(ids) - set(students))
    if strangers:
        raise ScoreRefused(f"Not students of {assignment.course}: member ids {strangers}.")
    for row in rows:
        _check_points(row.points, assignment, above_maximum_confirmed, students[row.member_id].user.username)
    stored = {s.member_id: s for s in Score.objects.filter(assignment=assignment, member_id__in=ids)}
    old_points = {member_id: score.points for member_id, score in stored.items()}
    new, changed = [], []
    for row in rows:
        score = stored.get(row.member_id)
        if score is None:
            new.append(Score(member_id=row.member_id, assignment=assignment, points=row.points,
                             entered_by=by, entered_at=now))
        elif score.points != row.points:
            score.points, score.entered_by, score.entered_at = row.points, by, now
            changed.append(score)
    Score.objects.bulk_create(new)
    Score.objects.bulk_update(changed, ["points", "entered_by", "entered_at"])
    if why is None:
        why = CSV_IMPORT if rows and all(isinstance(row, ScoreLine) for row in rows) else ENTERED_ON_PAGE
    for score in [*new, *changed]:
        audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by, old=old_points.get(score.member_id),
                     new=score.points, why=why, member=students[score.member_id], assignment=assignment)
    log.info("%d new and %d changed scores on %s entered by %s", len(new), len(changed), assignment.key, by.username)
    return ScoresSaved(saved=len(new) + len(changed), unchanged=len(rows) - len(new) - len(changed))


# The release is a decision of its own (a confirmation first, a tick to release before the due time):
# it lives in grades/services/release.py; the old import path keeps working.
from coursesite.grades.services.release import ReleaseRefused, grades_release, grades_unrelease  # noqa: E402,F401
