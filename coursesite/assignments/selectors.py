"""A student's own times of an assignment (their due time and closing time, an extension included), their group,
and the submission graded for them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.assignments.models import Assignment, GroupInvitation, GroupMember, StudentGroup, Submission
from coursesite.people.models import Membership


def effective_due(member: Membership, assignment: Assignment) -> datetime:
    """The assignment's due time, moved by an extension granted to the student.

    Extensions belong to the grades app, which sits above this one; they are read through their
    relation to the assignment, so the upload service knows the student's times without importing it.
    """
    extended = assignment.extensions.filter(member=member).values_list("due_at", flat=True).first()
    return extended or assignment.due_at


def closes_at(member: Membership, assignment: Assignment) -> datetime:
    """The last moment the student may upload: effective due time plus the grace-day cap."""
    return assignment.closes_at(effective_due(member, assignment))


def invitations_waiting_for(member: Membership):
    """The group invitations the student has not answered yet, oldest first (their dashboard lists them)."""
    return (GroupInvitation.objects.filter(invited=member, status=GroupInvitation.Status.PENDING)
            .select_related("group__assignment", "invited_by__user").order_by("created_at", "id"))


def group_of(member: Membership, assignment: Assignment) -> StudentGroup | None:
    """The student's group for the assignment, or None (they hand in alone)."""
    return StudentGroup.objects.filter(assignment=assignment, members__member=member).first()


@dataclass(frozen=True)
class ActiveSubmission:
    id: int
    submitted_at: datetime
    group_id: int | None


def active_submissions(member_ids, assignment_ids=None) -> dict[tuple[int, int], ActiveSubmission]:
    """(member id, assignment id) -> the submission graded for that student: their group's active one (whoever
    of the group uploaded it), else their own. The one owner of "a student's graded submission" for the
    ledger, the gradebook and the reports; one query (a UNION) however many students."""
    ids = list(member_ids)
    alone = Submission.objects.filter(is_active=True, group__isnull=True, member_id__in=ids)
    grouped = Submission.objects.filter(is_active=True, group__members__member_id__in=ids)
    if assignment_ids is not None:
        alone, grouped = alone.filter(assignment_id__in=assignment_ids), grouped.filter(assignment_id__in=assignment_ids)
    rows = alone.values_list("member_id", "assignment_id", "id", "submitted_at", "group_id").order_by().union(
        grouped.values_list("group__members__member_id", "assignment_id", "id", "submitted_at", "group_id")
        .order_by(), all=True)
    found: dict[tuple[int, int], ActiveSubmission] = {}
    # The group's submission wins over one the student made alone (before they joined the group).
    for member_id, assignment_id, pk, at, group_id in sorted(rows, key=lambda row: row[4] is not None):
        if member_id in ids:
            found[(member_id, assignment_id)] = ActiveSubmission(pk, at, group_id)
    return found


def active_submission_for(member: Membership, assignment: Assignment) -> Submission | None:
    """The submission graded for the student on the assignment (their group's, or their own)."""
    found = active_submissions([member.id], [assignment.id]).get((member.id, assignment.id))
    return Submission.objects.get(pk=found.id) if found else None


def group_closes_at(group: StudentGroup) -> datetime:
    """The last moment the group may upload: the latest closing time among its members, each with their own
    extension, so that the member with an extension can still hand in for the group."""
    return max(closes_at(m, group.assignment) for m in group.students())


def handin_closes_at(member: Membership, assignment: Assignment) -> datetime:
    """The last moment the student may upload or choose the graded submission: their group's, or their own."""
    group = group_of(member, assignment)
    return group_closes_at(group) if group is not None else closes_at(member, assignment)


def submission_due(submission: Submission) -> datetime:
    """The due time that decides what feedback of the submission students see (hidden tests after it).

    Alone: the uploader's effective due time. A group's: the LATEST effective due time among its members,
    so nobody in the group with an extension sees the hidden tests while they may still upload.
    """
    return submission_dues([submission.id])[submission.id]


def submission_dues(submission_ids) -> dict[int, datetime]:
    """Submission id -> submission_due, for many submissions in three queries."""
    rows = list(Submission.objects.filter(id__in=list(submission_ids))
                .values_list("id", "member_id", "group_id", "assignment_id", "assignment__due_at"))
    members: dict[int, set[int]] = {}
    for group_id, member_id in GroupMember.objects.filter(
            group_id__in={row[2] for row in rows if row[2]}).values_list("group_id", "member_id"):
        members.setdefault(group_id, set()).add(member_id)
    # Extensions belong to the grades app above this one: read through their relation to the assignment.
    extended = {
        (assignment_id, member_id): due
        for assignment_id, member_id, due in Assignment.objects.filter(id__in={row[3] for row in rows})
        .filter(extensions__isnull=False).values_list("id", "extensions__member_id", "extensions__due_at")
    }
    dues = {}
    for pk, uploader, group_id, assignment_id, class_due in rows:
        counted = members.get(group_id) or {uploader}     # alone, or a group left empty: the uploader's
        dues[pk] = max(extended.get((assignment_id, m), class_due) for m in counted)
    return dues
