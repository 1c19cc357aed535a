"""The only writers of submissions."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from coursesite.assignments import grading
from coursesite.assignments.groups import lock_students
from coursesite.assignments.models import Assignment, GroupMember, RefusedUpload, StudentGroup, Submission, SubmissionFile
from coursesite.assignments.selectors import group_of, handin_closes_at
from coursesite.assignments.uploads import CheckedUpload
from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.display import in_course_time, in_course_time_to_the_second
from coursesite.people.models import Membership, User

log = logging.getLogger(__name__)


class SubmissionRefused(Exception):
    """The assignment does not take this submission now; the message says why."""


class LateOutcomeLike(Protocol):
    days_late: int
    reason: str


@dataclass(frozen=True)
class LateNotice:
    """The late-work notice a student confirmed on the upload page, and what holds at the upload.

    `acknowledged`: the days late the page showed and the student accepted; `outcome`: what a submission
    made now costs (grades.selectors.handin_late_preview: for a group, what it costs each member, with the most
    days late of any of them; the grades sit above this app, so the page passes it in).
    """

    acknowledged: int
    outcome: LateOutcomeLike


def submission_check_open(*, member: Membership, assignment: Assignment, now: datetime) -> None:
    """Raise SubmissionRefused unless the student may upload to the assignment at `now`."""
    if member.role != Membership.Role.STUDENT:
        raise SubmissionRefused("Only students of the course hand in work.")
    if not assignment.accepts_uploads:
        raise SubmissionRefused(f"{assignment.title} is an exam; its scores are entered by the course staff.")
    if not assignment.is_released(now):
        raise SubmissionRefused(f"{assignment.title} is not released yet.")
    # A group's closing time is its latest member's, so the member with an extension hands in for the group.
    closing = handin_closes_at(member, assignment)
    if now > closing:
        closed = in_course_time(closing, assignment.course)
        raise SubmissionRefused(f"{assignment.title} closed on {closed}: no more submissions are accepted.")


def submission_create(*, member: Membership, assignment: Assignment, upload: CheckedUpload, now: datetime,
                      late_notice: LateNotice | None = None) -> Submission:
    """Store a checked upload stamped with the server's time, and make it the active submission.

    When the student is in a group for the assignment, the submission is the group's (`group` set,
    `member` the uploader) and replaces the group's active one; otherwise it is the student's own.

    With a `late_notice`, the upload is refused when the notice the student confirmed is stale: the
    page said one number of days late and the upload now would be another (time passed meanwhile, or
    another submission changed the grace days), so nobody is charged days they did not see.

    Locking: the membership rows of every student the submission counts for (the uploader alone, or
    every member of the group), in id order, the order the group services lock them in; so uploads,
    choices and group changes of these students take turns, and "the latest is active" holds.

    Files go through Django's storage API. If anything fails, the files already written are
    removed and the transaction rolls back, so a refused or failed upload stores nothing.
    """
    saved: list[SubmissionFile] = []
    try:
        with transaction.atomic():
            group = _lock_handin(member, assignment)
            submission_check_open(member=member, assignment=assignment, now=now)
            _late_notice_check(late_notice)
            _submission_check_rate(member=member, assignment=assignment, now=now)
            _active_of(assignment, member, group).update(is_active=False)
            submission = Submission.objects.create(
                assignment=assignment, member=member, group=group, submitted_at=now, is_active=True,
                sha256=upload.sha256,
            )
            for checked in upload.files:
                stored = SubmissionFile(submission=submission, name=checked.name, size=len(checked.content),
                                        sha256=checked.sha256)
                stored.file.save(checked.name, ContentFile(checked.content), save=False)
                saved.append(stored)
                stored.save()
            grading.submission_stored(submission=submission, now=now)  # the autograder's job, sent after the commit
    except BaseException:
        for stored in saved:
            stored.file.delete(save=False)
        raise
    log.info("submission %s stored for %s on %s%s", submission.id, member.user.username, assignment.key,
             f" (group {group.id})" if group else "")
    return submission


def _group_member_ids(group: StudentGroup) -> list[int]:
    return list(GroupMember.objects.filter(group=group).values_list("member_id", flat=True))


def _lock_handin(member: Membership, assignment: Assignment) -> StudentGroup | None:
    """Lock the rows of everyone the student hands in for and return their group (None: alone).

    The group is read before the locks and again under them: if it changed in between (a member
    joined or left), the upload is refused rather than made for a group the locks do not cover.
    """
    group = group_of(member, assignment)
    ids = {member.id, *(_group_member_ids(group) if group else ())}
    lock_students(ids)
    again = group_of(member, assignment)
    if (again.id if again else None) != (group.id if group else None) or (
            again is not None and {member.id, *_group_member_ids(again)} != ids):
        raise SubmissionRefused("Your group changed while you were uploading; check who is in it and upload again.")
    return group


def _active_of(assignment: Assignment, member: Membership, group: StudentGroup | None):
    """The active submission an upload or a choice replaces: the group's, or the student's own."""
    if group is not None:
        return Submission.objects.filter(group=group, is_active=True)
    return Submission.objects.filter(assignment=assignment, member=member, group__isnull=True, is_active=True)


def _late_notice_check(notice: LateNotice | None) -> None:
    if notice is not None and notice.outcome.days_late != notice.acknowledged:
        raise SubmissionRefused(f"Check the late-work notice again: {notice.outcome.reason} Submit again to confirm.")


def _submission_check_rate(*, member: Membership, assignment: Assignment, now: datetime) -> None:
    refusal = submission_rate_refusal(member=member, assignment=assignment, now=now)
    if refusal:
        raise SubmissionRefused(refusal)


def submission_rate_refusal(*, member: Membership, assignment: Assignment, now: datetime) -> str | None:
    """Why the student may not upload to the assignment now, or None: at most N uploads, stored or
    refused, in a sliding window (settings.SUBMISSION_RATE_LIMIT). Pages ask before they check the
    files, so that a student sending file after file that is refused is stopped before the checks run."""
    count, seconds = settings.SUBMISSION_RATE_LIMIT
    since = now - timedelta(seconds=seconds)
    # A group's uploads count together: the group's submissions and its members' refused uploads.
    group = group_of(member, assignment)
    uploaders = _group_member_ids(group) if group else [member.id]
    stored = Submission.objects.filter(assignment=assignment, submitted_at__gt=since)
    stored = stored.filter(group=group) if group else stored.filter(member=member, group__isnull=True)
    refused = RefusedUpload.objects.filter(member_id__in=uploaders, assignment=assignment, refused_at__gt=since)
    recent = sorted(
        [*stored.order_by("-submitted_at").values_list("submitted_at", flat=True)[:count],
         *refused.order_by("-refused_at").values_list("refused_at", flat=True)[:count]],
        reverse=True,
    )[:count]
    if len(recent) < count:
        return None
    again = in_course_time_to_the_second(recent[-1] + timedelta(seconds=seconds), assignment.course)
    what = "submitted" if not refused.exists() else "uploaded (refused uploads included)"
    return (f"You have {what} {count} times in the last {seconds // 60} minutes; "
            f"you can submit again at {again}.")


def upload_refused_record(*, member: Membership, assignment: Assignment, reason: str, now: datetime) -> None:
    """Note an upload the checks refused, for the rate limit; nothing of its files is kept."""
    RefusedUpload.objects.create(member=member, assignment=assignment, refused_at=now, reason=reason[:500])


@transaction.atomic
def submission_make_active(*, submission: Submission) -> Submission:
    """Make this the graded submission for its assignment: the mechanics, no rule checked.

    A group's submission replaces the group's active one; a submission made alone, the student's own.
    Pages go through graded_submission_choose, which decides who may switch and records it.
    Locks the membership rows of everyone it counts for, in id order (as uploads do), so two
    simultaneous choices serialize.
    """
    group = submission.group if submission.group_id else None
    lock_students({submission.member_id, *(_group_member_ids(group) if group else ())})
    _active_of(submission.assignment, submission.member, group).exclude(pk=submission.pk).update(is_active=False)
    Submission.objects.filter(pk=submission.pk).update(is_active=True)
    submission.is_active = True
    grading.submission_made_active(submission=submission, now=timezone.now())
    return submission


def _describe_submission(submission: Submission | None) -> str:
    """A submission in the history's words: `submission #12 (submitted Wed Mar 3, 2:05 PM EST)`."""
    if submission is None:
        return "none"
    submitted = in_course_time(submission.submitted_at, submission.assignment.course)
    return f"submission #{submission.id} (submitted {submitted})"


def _group_words(group: StudentGroup) -> str:
    """A group in the history's words: `group 4 (Alice Adams, Bob Brown)`."""
    return f"group {group.id} ({', '.join(m.user.display_name for m in group.students())})"


def graded_submission_check_choosable(*, member: Membership, assignment: Assignment, now: datetime) -> None:
    """Raise SubmissionRefused unless the student may still choose which submission is graded.

    A student chooses only while the assignment is open to them (before its closing time, their
    extension included) and never once its grades are released: after that, switching would
    replace a score the staff have graded and released, so only staff switch, with a reason.
    """
    if assignment.grades_released(now):
        raise SubmissionRefused(
            f"The grades of {assignment.title} are released, so you can no longer change which submission is "
            f"graded. Ask the course staff if it must change."
        )
    # A group's closing time is its latest member's, so the member with an extension hands in for the group.
    closing = handin_closes_at(member, assignment)
    if now > closing:
        closed = in_course_time(closing, assignment.course)
        raise SubmissionRefused(
            f"{assignment.title} closed on {closed}, so you can no longer change which "
            f"submission is graded. Ask the course staff if it must change."
        )


def graded_submission_choose(*, submission: Submission, by: Membership, reason: str = "", now: datetime) -> Submission:
    """Make `submission` the graded (active) one, as `by` decided: its student (for a group's submission,
    any member of the group), or a member of staff.

    The student may choose only while graded_submission_check_choosable allows it (a group: until the
    group's closing time); staff may switch at any time but must say why. Every switch goes into the
    history (old and new submission, with their times, the group, and the reason). The grace-day ledger of
    every student it counts for follows at once: it is computed from the active submissions whenever it is
    read (grades.selectors), so nothing is stored for it.
    Locking: the membership rows of everyone the submission counts for, in id order, as uploads do, so a
    switch and an upload (or two switches) of one student or group take turns; the checks run under the lock.
    """
    assignment = submission.assignment
    group = submission.group if submission.group_id else None
    with transaction.atomic():
        lock_students({submission.member_id, by.id, *(_group_member_ids(group) if group else ())})
        member = Membership.objects.select_related("user", "course").get(pk=submission.member_id)
        if by.is_staff_role and by.course_id == assignment.course_id:
            reason = reason.strip()
            if not reason:
                raise SubmissionRefused("Say why the graded submission changes: the reason is kept in the history.")
            why = reason
        elif submission.counts_for(by):
            graded_submission_check_choosable(member=by, assignment=assignment, now=now)
            why = ("chosen by the student while the assignment was open" if group is None
                   else f"chosen by {by.user.display_name} for {_group_words(group)} while the assignment was open")
        else:
            raise SubmissionRefused("Only the student who made a submission (or their group), or the course staff, "
                                    "choose which one is graded.")
        old = _active_of(assignment, member, group).first()
        if old is not None and old.pk == submission.pk:
            return submission
        submission_make_active(submission=submission)
        if group is not None and by.is_staff_role:
            why = f"{why} ({_group_words(group)})"
        audit_record(course=assignment.course, kind=AuditEntry.Kind.SUBMISSION, who=by.user,
                     old=_describe_submission(old), new=_describe_submission(submission), why=why,
                     member=member, assignment=assignment)
    log.info("submission %s made the graded one by %s", submission.id, by.user.username)
    return submission


# The admin's words for the times whose change goes into the history.
TIME_NAMES = {"release_at": "release time", "due_at": "due time"}


@transaction.atomic
def assignment_save(*, assignment: Assignment, old_times: dict[str, datetime], by: User, why: str) -> Assignment:
    """Save an assignment edited in the admin. Each time in `old_times` (the values it had, of the due and
    release times the edit changed) goes into the history with `why`: a moved due time changes every
    student's days late, hence their grace days and zeros; a moved release time, when work may be handed in."""
    if old_times and not why.strip():
        raise ValueError("Say why the assignment's times change.")
    assignment.save()
    for name, old in old_times.items():
        audit_record(course=assignment.course, kind=AuditEntry.Kind.DATES, who=by, old=old,
                     new=getattr(assignment, name), why=why, assignment=assignment,
                     subject=f"{TIME_NAMES[name]} of {assignment.title}")
    return assignment
