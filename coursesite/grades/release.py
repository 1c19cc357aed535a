"""Reads about releasing an assignment's grades: what a release would do now (the confirmation page
lists it before anyone decides), and what each stored score is not (yet) about once released.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.assignments.models import Assignment, Submission
from coursesite.assignments.selectors import active_submissions
from coursesite.grades.models import Extension, Score
from coursesite.grades import sources
from coursesite.grades.provenance import STALE_NOTE, other_submission_note, score_for_other_submission, score_is_stale
from coursesite.people.models import Membership


@dataclass(frozen=True)
class UngradedSubmission:
    member: Membership
    submission: Submission
    why: str                        # "rubric: 1 of 3 questions graded", "autograder: queued"


@dataclass(frozen=True)
class OpenWindow:
    member: Membership | None       # None: every student (the class's grace window)
    until: datetime
    why: str                        # "extension", "grace days"


@dataclass(frozen=True)
class ReleasePreview:
    """The consequences of releasing `assignment` at `now`, for the person deciding."""

    assignment: Assignment
    now: datetime
    without_score: tuple[Membership, ...]
    ungraded: tuple[UngradedSubmission, ...]
    open_windows: tuple[OpenWindow, ...]
    emails: int                     # students told by e-mail (those with an address)

    @property
    def due_passed(self) -> bool:
        return self.now >= self.assignment.due_at

    @property
    def needs_tick(self) -> bool:
        """Releasing before the due time is allowed only when the person ticks that they mean it."""
        return not self.due_passed


def release_preview_get(assignment: Assignment, *, now: datetime) -> ReleasePreview:
    """Who has no score, which graded submissions are not graded yet, who may still submit, how many e-mails."""
    students = list(assignment.course.memberships.students().select_related("user")
                    .order_by("user__last_name", "user__first_name", "user__username"))
    by_id = {m.id: m for m in students}
    scored = set(Score.objects.filter(assignment=assignment).values_list("member_id", flat=True))
    return ReleasePreview(
        assignment=assignment,
        now=now,
        without_score=tuple(m for m in students if m.id not in scored),
        ungraded=tuple(_ungraded(assignment, by_id)),
        open_windows=tuple(_open_windows(assignment, by_id, now)),
        emails=sum(1 for m in students if m.user.email),
    )


def _ungraded(assignment: Assignment, students: dict[int, Membership]) -> list[UngradedSubmission]:
    active = list(Submission.objects.filter(assignment=assignment, is_active=True, member_id__in=students)
                  .order_by("member__user__last_name", "member__user__username"))
    found = []
    for source in sources.registered():
        unfinished = source.unfinished(assignment, active)
        found += [UngradedSubmission(students[s.member_id], s, unfinished[s.id]) for s in active if s.id in unfinished]
    return found


def _open_windows(assignment: Assignment, students: dict[int, Membership], now: datetime) -> list[OpenWindow]:
    windows = []
    class_closes = assignment.closes_at()
    if assignment.accepts_uploads and assignment.grace_window() and class_closes > now:
        windows.append(OpenWindow(None, class_closes, "grace days: late work is still taken"))
    for extension in Extension.objects.filter(assignment=assignment, member_id__in=students):
        closes = assignment.closes_at(extension.due_at)
        if closes > now:
            windows.append(OpenWindow(students[extension.member_id], closes, "extension"))
    return windows


def score_notes_for_assignment(assignment: Assignment, scores: dict[int, Score], *, now: datetime) -> dict[int, str]:
    """Member id -> what the stored score is not (yet) about: stale after the release, or another submission."""
    released_at = assignment.grades_released_at if assignment.grades_released(now) else None
    active = {  # a group member's graded submission is the group's, whoever of it uploaded it
        member_id: (found.id, found.submitted_at)
        for (member_id, _), found in active_submissions(list(scores), [assignment.id]).items()
    }
    notes = {}
    for member_id, score in scores.items():
        active_id, active_at = active.get(member_id, (None, None))
        if score_is_stale(released_at=released_at, active_submitted_at=active_at, entered_at=score.entered_at):
            notes[member_id] = STALE_NOTE
        elif (other := score_for_other_submission(score.submission_id, active_id)) is not None:
            notes[member_id] = other_submission_note(other)
    return notes
