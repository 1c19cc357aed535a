"""The only writers of extension requests and extensions.

A granted request creates or moves the student's `Extension` for the assignment; the late policy
and the upload closing time read it (grades.selectors), so nothing else has to be recomputed.
Every decision goes into the history (old due time -> new due time, and why), and the student is
e-mailed once it commits.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from coursesite.assignments.groups import lock_students
from coursesite.assignments.models import Assignment
from coursesite.assignments.selectors import group_of
from coursesite.audit.models import AuditEntry
from coursesite.audit.notify import after_commit
from coursesite.display import in_course_time
from coursesite.grades.notify import notify_extension_decided, notify_group_extension
from coursesite.audit.services import audit_record
from coursesite.grades.models import Extension, ExtensionRequest
from coursesite.people.models import Membership, User

if TYPE_CHECKING:
    from coursesite.grades.forms.extensions import CheckedDocument

log = logging.getLogger(__name__)

_PENDING_MESSAGE = "You already have a request waiting for a decision on {title}; the course staff will decide it first."


class ExtensionRefused(ValidationError):
    """The request or decision can't be made as asked; the message says why, and `field` names the
    argument it is about (a form shows it on its field of that name), or None for the whole."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__({field: [message]} if field else message)
        self.text, self.field = message, field

    def __str__(self) -> str:
        return self.text


def _already_decided(request: ExtensionRequest) -> str:
    who = request.decided_by.display_name if request.decided_by_id else "the course staff"
    on = ""
    if request.decided_at:
        on = f" on {in_course_time(request.decided_at, request.assignment.course)}"
    return f"This request was already {request.get_status_display().lower()} by {who}{on}; it can't be decided again."


def _due_time_too_early(assignment: Assignment) -> str:
    due = in_course_time(assignment.due_at, assignment.course)
    return f"The new due time must be later than the class's due time, {due}."


def extension_request_create(
    *, member: Membership, assignment: Assignment, reason: str, note: str,
    document: CheckedDocument | None, now: datetime,
) -> ExtensionRequest:
    """Store a student's request, waiting for a decision; at most one waits per student and assignment.

    Locks the student's membership row first, so two simultaneous requests serialize and the
    second is refused with a message rather than by the database. A failed request stores no file.
    """
    if member.role != Membership.Role.STUDENT:
        raise ExtensionRefused("Only students of the course request extensions.")
    if not note.strip():
        raise ExtensionRefused("Write a note saying what happened.", field="note")
    extension_request = ExtensionRequest(
        member=member, assignment=assignment, reason=reason, note=note.strip(), requested_at=now
    )
    try:
        with transaction.atomic():
            Membership.objects.select_for_update().get(pk=member.pk)
            pending = ExtensionRequest.objects.filter(
                member=member, assignment=assignment, status=ExtensionRequest.Status.PENDING
            )
            if pending.exists():
                raise ExtensionRefused(_PENDING_MESSAGE.format(title=assignment.title))
            if document is not None:
                extension_request.document.save(document.name, ContentFile(document.content), save=False)
            extension_request.save()
    except BaseException:
        if extension_request.document:
            extension_request.document.delete(save=False)
        raise
    log.info("extension request %s by %s on %s", extension_request.id, member.user.username, assignment.key)
    return extension_request


def _lock_pending(request: ExtensionRequest) -> ExtensionRequest:
    """The request's row, locked after its student's membership row; refused unless still pending.

    The membership lock is the one uploads take, so a grant and an upload of that student
    serialize; the request lock makes two staff deciding at once decide it only once.
    """
    Membership.objects.select_for_update().get(pk=request.member_id)
    locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ExtensionRequest.Status.PENDING:
        raise ExtensionRefused(_already_decided(locked))
    return locked


def _record_decision(locked: ExtensionRequest, by: User, old_due: datetime, new_due: datetime) -> None:
    """The decision in the history (the student's due time before and after), then the student's e-mail."""
    why = f"extension request #{locked.id} {locked.get_status_display().lower()} ({locked.get_reason_display()})"
    if locked.decision_note:
        why += f": {locked.decision_note}"
    audit_record(course=locked.assignment.course, kind=AuditEntry.Kind.EXTENSION, who=by, old=old_due, new=new_due,
                 why=why, member=locked.member, assignment=locked.assignment)
    after_commit(notify_extension_decided, request_id=locked.id)


def _due_before(locked: ExtensionRequest) -> datetime:
    """The student's effective due time before this decision: an earlier extension's, or the class's."""
    earlier = Extension.objects.filter(member_id=locked.member_id, assignment_id=locked.assignment_id).first()
    return earlier.due_at if earlier else locked.assignment.due_at


def extension_group_of(request: ExtensionRequest) -> list[Membership]:
    """The other students of the requester's group on the assignment, by name; [] when they hand in alone
    (or in a group of one). Whom "grant to the whole group" also grants."""
    group = group_of(request.member, request.assignment)
    return [m for m in group.students() if m.id != request.member_id] if group is not None else []


@transaction.atomic
def extension_grant(*, request: ExtensionRequest, by: User, due_at: datetime, note: str, now: datetime,
                    whole_group: bool = False) -> Extension:
    """Grant the request: the student's due time for the assignment becomes `due_at`; with `whole_group`,
    the due time of every other member of the student's group on the assignment too.

    Creates each student's Extension for the assignment, or moves it if an earlier one was granted;
    each goes into the history. Only these students' due and closing times change.
    Locking: the membership rows of the requester and (with `whole_group`) of the others, in id order as
    uploads lock them, then the request's row (see _lock_pending).
    """
    if due_at.tzinfo is None:
        raise ValueError(f"due_at must be timezone-aware, got {due_at!r}")
    others = extension_group_of(request) if whole_group else []
    if others:
        lock_students([request.member_id, *(m.id for m in others)])
    locked = _lock_pending(request)
    assignment = Assignment.objects.select_related("course").get(pk=locked.assignment_id)
    if due_at <= assignment.due_at:
        raise ExtensionRefused(_due_time_too_early(assignment), field="due_at")
    old_due = _due_before(locked)
    locked.status = ExtensionRequest.Status.GRANTED
    locked.decided_by, locked.decided_at = by, now
    locked.decision_note, locked.granted_due_at = note.strip(), due_at
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "granted_due_at"])
    reason = f"{locked.get_reason_display()} (extension request #{locked.id})"
    if locked.decision_note:
        reason += f": {locked.decision_note}"
    extension, created = Extension.objects.update_or_create(
        member_id=locked.member_id, assignment_id=locked.assignment_id,
        defaults={"due_at": due_at, "reason": reason, "granted_by": by, "granted_at": now},
    )
    _record_decision(locked, by, old_due, due_at)
    for other in others:
        _extension_grant_to_member(locked, other, by=by, due_at=due_at, reason=reason, now=now)
    request.refresh_from_db()
    log.info("extension request %s granted by %s to %s (%s)%s", locked.id, by.username, due_at.isoformat(),
             "new extension" if created else "extension moved",
             f", and to {', '.join(m.user.username for m in others)}" if others else "")
    return extension


def _extension_grant_to_member(locked: ExtensionRequest, member: Membership, *, by: User, due_at: datetime,
                               reason: str, now: datetime) -> Extension:
    """The requester's new due time given to another member of their group: their own Extension, in the history."""
    earlier = Extension.objects.filter(member=member, assignment_id=locked.assignment_id).first()
    old_due = earlier.due_at if earlier else locked.assignment.due_at
    extension, _ = Extension.objects.update_or_create(
        member=member, assignment_id=locked.assignment_id,
        defaults={"due_at": due_at, "reason": f"{reason}; granted to the whole group of {locked.member.user.display_name}",
                  "granted_by": by, "granted_at": now},
    )
    audit_record(course=locked.assignment.course, kind=AuditEntry.Kind.EXTENSION, who=by, old=old_due, new=due_at,
                 why=f"extension request #{locked.id} of {locked.member.user.display_name} granted to the whole group",
                 member=member, assignment=locked.assignment)
    after_commit(notify_group_extension, assignment_id=locked.assignment_id, member_id=member.id)
    return extension


@transaction.atomic
def extension_decline(*, request: ExtensionRequest, by: User, note: str, now: datetime) -> ExtensionRequest:
    """Decline the request with a note to the student; any extension granted earlier stays."""
    if not note.strip():
        raise ExtensionRefused("Write a note to the student saying why the request is declined.", field="note")
    locked = _lock_pending(request)
    locked.status = ExtensionRequest.Status.DECLINED
    locked.decided_by, locked.decided_at, locked.decision_note = by, now, note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    unchanged = _due_before(locked)
    _record_decision(locked, by, unchanged, unchanged)
    request.refresh_from_db()
    log.info("extension request %s declined by %s", locked.id, by.username)
    return request
