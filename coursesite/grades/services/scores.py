"""The only writers of scores (the release of an assignment's grades: release.py).

Every write locks the assignment's row first (`select_for_update()`), so two members of staff
saving scores for one assignment at once take turns: the one-score-per-student upsert can't race
into the unique constraint, and a release can't interleave with an import.

Every new or changed score adds an entry to the history (audit.services.audit_record) in the same
transaction: a score is never overwritten without one.

A score has a provenance (`Score.source`). The automatic sources, the autograder and the rubric's sum,
write the score of the student's active submission whenever it changes; a person's decision (a staff
entry or override, a regrade answer) is never replaced by them. Overriding an automatic score needs a
reason, which the pages show; only `score_override_clear` hands a score back to its automatic source.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from coursesite.assignments.models import Assignment, Submission
from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.display import plain_number, signed_points as signed
from coursesite.grades.csvscores import CENT, LARGEST, ScoreLine
from coursesite.grades.models import Score
from coursesite.grades.sources import AutomaticScore, source_for
from coursesite.people.models import Membership, User

log = logging.getLogger(__name__)

ENTERED_ON_PAGE = "entered on the scores page"
CSV_IMPORT = "CSV import"
AUTOMATIC = (Score.Source.AUTOGRADER, Score.Source.RUBRIC)


class ScoreRefused(ValidationError):
    """The score can't be stored; the message says why (a form shows it as it is: code "above_maximum"
    belongs beside the box that confirms scores above the maximum)."""

    def __str__(self) -> str:
        return self.message


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
            f"The score for {who} ({plain_number(points)}) is above the maximum of "
            f"{plain_number(assignment.points)} points and was not confirmed."
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
    source: str = Score.Source.STAFF,
    submission: Submission | None = None,
    reason: str = "",
) -> Score:
    """Store one student's score on an assignment (the one Score row, created or replaced).

    `comment=None` keeps the stored comment. A score above the assignment's maximum needs
    `above_maximum_confirmed`. Only students of the assignment's course get scores. New or
    changed points are recorded in the history with `why`.

    An automatic `source` (autograder, rubric) leaves a score a person decided as it is and returns
    it unchanged: the automatic value is what `score_override_clear` restores later.
    """
    _lock(assignment)
    who = member.user.username
    if member.course_id != assignment.course_id or member.role != Membership.Role.STUDENT:
        raise ScoreRefused(f"{who} is not a student of {assignment.course}.")
    _check_points(points, assignment, above_maximum_confirmed, who)
    stored = Score.objects.filter(member=member, assignment=assignment).first()
    if source in AUTOMATIC and stored is not None and stored.decided_by_person:
        log.info("%s's score on %s stays %s (%s); %s gave %s", who, assignment.key, stored.points,
                 stored.get_source_display(), Score.Source(source).label, points)
        return stored
    fields = {"entered_by": by, "entered_at": now, "source": source, "submission": submission,
              "reason": reason.strip(), **_share(stored, points, source)}
    if comment is not None:
        fields["comment"] = comment
    score, _ = Score.objects.update_or_create(member=member, assignment=assignment, defaults=fields)
    old = stored.points if stored else None
    if old != score.points or (stored is not None and stored.adjustment != score.adjustment):
        audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by, old=old, new=score.points,
                     why=_with_reason(why, reason) + _adjustment_note(stored, score), member=member,
                     assignment=assignment, source="" if by else Score.Source(source).label)
    log.info("score %s for %s on %s entered by %s", score.points, who, assignment.key, by.username if by else source)
    return score


# Sources that score the group's work as a whole: a member's adjustment of their share holds against them.
KEEP_ADJUSTMENT = (*AUTOMATIC, Score.Source.REGRADE)


def _share(stored: Score | None, points: Decimal, source: str, *, for_the_group: bool = False) -> dict:
    """The fields of a member's score when `source` gives `points`.

    The automatic sources and a regrade answer score the group's work: the member's adjustment stays on top of
    their `points` (never below 0). So does a staff entry `for_the_group` (group_scores.group_scores_enter: the
    group's work graded once by hand). Any other staff entry is a decision about this member alone and replaces
    the score whole, adjustment and all.
    """
    keep = for_the_group or source in KEEP_ADJUSTMENT
    adjustment = stored.adjustment if stored is not None and keep else Decimal(0)
    if not adjustment:
        return {"points": points, "adjustment": Decimal(0), "adjustment_reason": "", "group_points": None}
    return {"points": max(points + adjustment, Decimal(0)), "group_points": points}


def _adjustment_note(stored: Score | None, score: Score) -> str:
    """What the history adds about the member's adjustment: kept on top of the group's score, or dropped."""
    if stored is None or not stored.adjustment:
        return ""
    if score.adjustment:
        return (f" (the group's {plain_number(score.base_points)}, with this member's adjustment of "
                f"{signed(score.adjustment)}: {score.adjustment_reason})")
    return (f"; replaces this member's score whole: the adjustment of {signed(stored.adjustment)} "
            f"({stored.adjustment_reason}) no longer applies")


def _with_reason(why: str, reason: str) -> str:
    return f"{why}: {reason.strip()}" if reason.strip() else why


def automatic_source_of(assignment: Assignment) -> str:
    """"the autograder", "the rubric", or "" when staff enter every score of the assignment by hand."""
    source = source_for(assignment)
    return source.label if source else ""


def _overrides(source: str, stored: dict[int, Score], rows: list[EnteredScore],
               students: dict[int, Membership]) -> list[str]:
    """The new or changed rows of an assignment `source` scores automatically ("" for none), in words for
    the message: each one, once saved, holds against that source until staff clear it."""
    if not source:
        return []
    overrides = []
    for row in rows:
        score, entered = stored.get(row.member_id), plain_number(row.points)
        who = students[row.member_id].user.username
        if score is None:
            overrides.append(f"{who} (nothing from {source} yet, you entered {entered})")
        elif score.points != row.points:
            before = (f"{score.get_source_display()} gave" if score.source in AUTOMATIC
                      else "overridden before at")
            overrides.append(f"{who} ({before} {plain_number(score.points)}, you entered {entered})")
    return overrides


@transaction.atomic
def scores_import(
    *,
    assignment: Assignment,
    rows: Iterable[EnteredScore],
    by: User,
    now: datetime,
    above_maximum_confirmed: bool = False,
    why: str | None = None,
    reason: str = "",
) -> ScoresSaved:
    """Store many students' scores on one assignment, all or nothing.

    Every row must name a different student of the course; one bad row refuses them all and
    nothing is written. Rows whose points equal the stored score are left alone, so who entered
    a score and when stay true after the same file is uploaded twice. Each new or changed score
    is recorded in the history with `why` (by default "CSV import" for the lines of a file,
    "entered on the scores page" otherwise) and the `reason`, which every new or changed score of an
    assignment the autograder or the rubric scores requires: it overrides that source from then on.
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
        _check_points(row.points, assignment, True, students[row.member_id].user.username)
    above = [row for row in rows if row.points > assignment.points]
    if above and not above_maximum_confirmed:
        names = ", ".join(f"{students[row.member_id].user.display_name} ({students[row.member_id].user.username}) "
                          f"{plain_number(row.points)}" for row in above)
        raise ScoreRefused(f"Above the maximum of {plain_number(assignment.points)} points: {names}. "
                           f"Nothing was saved: if these are right, confirm them and save again.",
                           code="above_maximum")
    stored = {s.member_id: s for s in Score.objects.filter(assignment=assignment, member_id__in=ids)}
    source = automatic_source_of(assignment)
    overrides = _overrides(source, stored, rows, students)
    if overrides and not reason.strip():
        raise ScoreRefused(
            f"These scores would override {source}: {'; '.join(overrides)}. Say why "
            f"in “Reason” (students see it beside the score); nothing was saved."
        )
    old_points = {member_id: score.points for member_id, score in stored.items()}
    before = {member_id: Score(points=score.points, adjustment=score.adjustment,
                               adjustment_reason=score.adjustment_reason) for member_id, score in stored.items()}
    # A staff entry replaces a member's score whole: an adjustment of their share of a group's score goes too.
    staff_entry = {"entered_by": by, "entered_at": now, "source": Score.Source.STAFF, "submission": None,
                   "reason": reason.strip(), "adjustment": Decimal(0), "adjustment_reason": "", "group_points": None}
    new, changed = [], []
    for row in rows:
        score = stored.get(row.member_id)
        if score is None:
            new.append(Score(member_id=row.member_id, assignment=assignment, points=row.points, **staff_entry))
        elif score.points != row.points:
            if score.source in AUTOMATIC:
                score.comment = ""          # the automatic source's account of its points no longer holds
            score.points = row.points
            for name, value in staff_entry.items():
                setattr(score, name, value)
            changed.append(score)
    Score.objects.bulk_create(new)
    Score.objects.bulk_update(changed, ["points", "comment", *staff_entry])
    if why is None:
        why = CSV_IMPORT if rows and all(isinstance(row, ScoreLine) for row in rows) else ENTERED_ON_PAGE
    for score in [*new, *changed]:
        audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by, old=old_points.get(score.member_id),
                     new=score.points, why=_with_reason(why, reason) + _adjustment_note(before.get(score.member_id), score),
                     member=students[score.member_id], assignment=assignment)
    log.info("%d new and %d changed scores on %s entered by %s", len(new), len(changed), assignment.key, by.username)
    return ScoresSaved(saved=len(new) + len(changed), unchanged=len(rows) - len(new) - len(changed))


@transaction.atomic
def score_override_clear(
    *, member: Membership, assignment: Assignment, automatic: AutomaticScore | None, by: User, now: datetime,
) -> Score | None:
    """Hand a score a person decided back to its automatic source: `automatic` (or no score, when the
    source has none yet). Recorded in the history as the staff member's decision."""
    _lock(assignment)
    stored = Score.objects.filter(member=member, assignment=assignment).first()
    if stored is None or not stored.decided_by_person:
        raise ScoreRefused(f"{member.user.username}'s score on {assignment.title} is not overridden.")
    if automatic is None:
        stored.delete()
        audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by, old=stored.points, new=None,
                     why="override cleared; no automatic score yet", member=member, assignment=assignment)
        return None
    old = stored.points
    # A regrade kept the member's adjustment of a group's score; the automatic source's score keeps it too.
    for name, value in _share(stored, automatic.points, automatic.source).items():
        setattr(stored, name, value)
    stored.comment, stored.source = automatic.comment, automatic.source
    stored.submission, stored.reason, stored.entered_by, stored.entered_at = automatic.submission, "", by, now
    stored.save()
    audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by, old=old, new=stored.points,
                 why=f"override cleared; {stored.get_source_display()} holds again", member=member,
                 assignment=assignment)
    return stored


@dataclass(frozen=True)
class ScoreAdjusted:
    """What an adjustment changed, for the message: the member's points before and after, and the group's."""

    score: Score
    old_points: Decimal
    group_points: Decimal

    def describe(self) -> str:
        """"Bob Brown: 80 → 70 (adjustment −10: did not contribute to part 2); the group's score stays 80"."""
        score = self.score
        change = (f"adjustment {signed(score.adjustment)}: {score.adjustment_reason}" if score.adjustment
                  else "no adjustment any more")
        return (f"{score.member.user.display_name}: {plain_number(self.old_points)} → {plain_number(score.points)} "
                f"({change}); the group's score stays {plain_number(self.group_points)}")


@transaction.atomic
def score_adjust(
    *, member: Membership, assignment: Assignment, adjustment: Decimal, reason: str, by: Membership, now: datetime,
) -> ScoreAdjusted:
    """Set one member's adjustment of their share of the group's score (e.g. an unequal contribution).

    `adjustment` replaces the member's previous one (0 removes it): their points become the group's score plus
    it, never below 0 nor above the assignment's maximum. The group's score and the other members' stay as they
    are, and the adjustment stays when the group's score changes (score_set). Staff only, on group work, with a
    reason the student is shown; recorded in the history.
    """
    _lock(assignment)
    if by.course_id != assignment.course_id or not by.is_staff_role:
        raise ScoreRefused("Only the course staff adjust a student's score.")
    who = member.user.display_name
    if not assignment.is_group_work:
        raise ScoreRefused(f"{assignment.title} is not group work: change {who}'s score itself instead.")
    if not reason.strip():
        raise ScoreRefused(f"Say why {who}'s score differs from the group's (the student sees the reason).")
    if not isinstance(adjustment, Decimal) or not adjustment.is_finite() or adjustment != adjustment.quantize(CENT):
        raise ScoreRefused(f"The adjustment must be a number of points with at most 2 decimal places, not {adjustment}.")
    if abs(adjustment) > assignment.points:
        raise ScoreRefused(f"The adjustment can be at most the assignment's {plain_number(assignment.points)} points "
                           f"either way, not {signed(adjustment)}.")
    stored = (Score.objects.select_related("member__user")
              .filter(member=member, assignment=assignment, member__course_id=assignment.course_id).first())
    if stored is None:
        raise ScoreRefused(f"Nothing to adjust yet: {who} has no score on {assignment.title}. "
                           f"Adjust it once the group's work is graded.")
    base, old = stored.base_points, stored.points
    if base + adjustment > assignment.points:
        raise ScoreRefused(f"{who}'s score would be {plain_number(base + adjustment)}, above the maximum of "
                           f"{plain_number(assignment.points)} points; nothing was changed.")
    stored.points = max(base + adjustment, Decimal(0))
    stored.adjustment, stored.adjustment_reason = adjustment, reason.strip() if adjustment else ""
    stored.group_points = base if adjustment else None
    stored.save(update_fields=["points", "adjustment", "adjustment_reason", "group_points"])
    why = (f"adjustment of {signed(adjustment)} for this member: {reason.strip()}" if adjustment
           else f"adjustment removed for this member: {reason.strip()}")
    audit_record(course=assignment.course, kind=AuditEntry.Kind.SCORE, who=by.user, old=old, new=stored.points,
                 why=why, member=member, assignment=assignment)
    log.info("%s's score on %s adjusted by %s to %s, by %s", member.user.username, assignment.key, adjustment,
             stored.points, by.user.username)
    return ScoreAdjusted(score=stored, old_points=old, group_points=base)
