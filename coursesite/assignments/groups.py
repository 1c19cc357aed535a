"""The only writers of groups, as students make them: invite a classmate, answer, withdraw, leave, ask for
another size. Staff's services (form, change, dissolve, approve, import) are in groups_staff.py.

Locking rule: every service first locks the Membership rows of the students it involves
(`lock_students`, ordered by id ascending, the order uploads use for the uploader's group), then reads
the groups again and decides. Two students accepting invitations into the same last place, or an upload
racing a student leaving, serialize on those rows; the unique (assignment, member) constraint of
GroupMember is the last line if a service forgot a row.
Every change goes into the course's history (kind GROUP) in the same transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from coursesite.assignments.models import Assignment, GroupInvitation, GroupMember, StudentGroup, Submission
from coursesite.assignments.notify import notify_group_invitation
from coursesite.audit.models import AuditEntry
from coursesite.audit.notify import after_commit
from coursesite.audit.services import audit_record
from coursesite.display import in_course_time
from coursesite.people.models import Membership, User

Status = GroupInvitation.Status


class GroupRefused(Exception):
    """A change to a group was not made; the message says why and what to do instead (`problems`: a file's
    bad lines, each naming its line)."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.problems = problems


# --- shared by the student and the staff services -------------------------------------------------------------

def lock_students(ids: Iterable[int]) -> dict[int, Membership]:
    """Lock the students' Membership rows, lowest id first (the one lock order of groups and uploads)."""
    rows = Membership.objects.select_for_update().filter(id__in=set(ids)).order_by("id").select_related("user")
    return {m.id: m for m in rows}


def lock_group(group: StudentGroup, *also: int) -> list[int]:
    """Lock the group's members (and `also`), re-reading until no one joined between the read and the lock;
    returns the member ids as they are under the lock."""
    locked: set[int] = set()
    while True:
        current = set(GroupMember.objects.filter(group=group).values_list("member_id", flat=True))
        if current | set(also) <= locked:
            return sorted(current)
        locked |= current | set(also)
        lock_students(locked)


def size_limit(group: StudentGroup) -> int:
    """The most members the group may reach without asking: the assignment's size, or a larger approved one."""
    return max(group.assignment.group_size, group.approved_size or 0)


def names(members: Iterable[Membership]) -> str:
    """'alice', 'alice and bob', 'alice, bob and carol' (usernames: what staff and the CSV use)."""
    usernames = sorted(m.user.username for m in members)
    return usernames[0] if len(usernames) == 1 else ", ".join(usernames[:-1]) + " and " + usernames[-1] if usernames else "nobody"


def member_list(group: StudentGroup | None) -> str:
    """The group's members as the history records them, e.g. 'alice, bob'."""
    if group is None or group.pk is None:
        return ""
    return ", ".join(sorted(GroupMember.objects.filter(group=group).values_list("member__user__username", flat=True)))


def record(group: StudentGroup, *, who: User | None, old: str, new: str, why: str, member: Membership | None = None,
           source: str = "") -> None:
    assignment = group.assignment
    audit_record(course=assignment.course, kind=AuditEntry.Kind.GROUP, who=who, source=source, old=old, new=new,
                 why=why, assignment=assignment, member=member, subject=f"group of {assignment.title}")


def handed_in_alone(member: Membership, assignment: Assignment) -> bool:
    """The student has uploaded work for the assignment outside any group."""
    return Submission.objects.filter(assignment=assignment, member=member, group__isnull=True).exists()


def join(group: StudentGroup, member: Membership, now: datetime) -> None:
    GroupMember.objects.create(group=group, assignment=group.assignment, member=member, joined_at=now)


def withdraw_pending(invitations, now: datetime) -> int:
    return invitations.filter(status=Status.PENDING).update(status=Status.WITHDRAWN, answered_at=now)


# --- the students' rules ----------------------------------------------------------------------------------------

def check_students_may_change(assignment: Assignment, now: datetime) -> None:
    """Refuse unless students may form, join and leave groups of the assignment at `now`."""
    if not assignment.is_group_work:
        raise GroupRefused(f"{assignment.title} is handed in alone: it has no groups.")
    if not assignment.is_released(now):
        raise GroupRefused(f"{assignment.title} is not released yet.")
    if not assignment.students_form_groups:
        raise GroupRefused(f"The course staff form the groups of {assignment.title}: ask them to put you in one.")
    if assignment.groups_locked(now):
        locked = in_course_time(assignment.groups_lock_at or assignment.due_at, assignment.course)
        raise GroupRefused(f"The groups of {assignment.title} are locked since {locked}: only the "
                           "course staff can change them now. Ask them.")


def _check_not_alone(member: Membership, assignment: Assignment, *, you: bool) -> None:
    if handed_in_alone(member, assignment):
        who = "You have" if you else f"{member.user.display_name} has"
        raise GroupRefused(f"{who} already handed in {assignment.title} alone, so only the course staff can put "
                           f"{'you' if you else 'them'} in a group (they can move the work to the group). Ask them.")


def _own_group(member: Membership, assignment: Assignment) -> StudentGroup | None:
    return StudentGroup.objects.filter(assignment=assignment, members__member=member).select_related(
        "assignment__course").first()


def _others_in(group: StudentGroup | None, member: Membership) -> list[Membership]:
    if group is None:
        return []
    return [p.member for p in group.members.select_related("member__user").exclude(member=member)]


def _pending(group: StudentGroup) -> int:
    return group.invitations.filter(status=Status.PENDING).count()


@transaction.atomic
def group_invite(*, inviter: Membership, invited: Membership, assignment: Assignment, now: datetime) -> GroupInvitation:
    """`inviter` invites the classmate `invited` into their group, made now (a group of one) if they have none."""
    check_students_may_change(assignment, now)
    if invited.id == inviter.id:
        raise GroupRefused("You cannot invite yourself: invite a classmate.")
    if (invited.course_id != assignment.course_id or invited.role != Membership.Role.STUDENT
            or invited.dropped_at is not None):
        raise GroupRefused(f"{invited.user.display_name} is not a student of {assignment.course}.")
    group = _own_group(inviter, assignment)
    if group is not None:
        lock_group(group, inviter.id, invited.id)
    else:
        lock_students([inviter.id, invited.id])
        group = _own_group(inviter, assignment)     # again, under the lock
    _check_not_alone(inviter, assignment, you=True)
    _check_not_alone(invited, assignment, you=False)
    theirs = _own_group(invited, assignment)
    if theirs is not None and (theirs == group or _others_in(theirs, invited)):
        together = "your group" if theirs == group else "a group"
        raise GroupRefused(f"{invited.user.display_name} is already in {together} for {assignment.title}.")
    if group is None:
        group = StudentGroup.objects.create(assignment=assignment, created_at=now)
        join(group, inviter, now)
        record(group, who=inviter.user, old="", new=member_list(group), member=inviter,
               why=f"{inviter.user.username} started a group by inviting {invited.user.username}")
    if group.invitations.filter(status=Status.PENDING, invited=invited).exists():
        raise GroupRefused(f"{invited.user.display_name} is already invited: wait for their answer.")
    members, pending = group.members.count(), _pending(group)
    if members + pending + 1 > size_limit(group):
        raise GroupRefused(f"Your group is full: {members} member(s) and {pending} invitation(s) waiting, for a "
                           f"group of {size_limit(group)}. Withdraw an invitation, or ask the course staff for "
                           "another size.")
    invitation = GroupInvitation.objects.create(group=group, invited=invited, invited_by=inviter, created_at=now)
    after_commit(notify_group_invitation, invitation_id=invitation.id)
    record(group, who=inviter.user, old="", new=f"{invited.user.username} invited", member=invited,
           why=f"{inviter.user.username} invited {invited.user.username}")
    return invitation


def _pending_invitation(invitation: GroupInvitation) -> GroupInvitation:
    """The invitation re-read under the locks; refused unless it still waits for an answer."""
    invitation = GroupInvitation.objects.select_related("group__assignment__course", "invited__user",
                                                        "invited_by__user").filter(pk=invitation.pk).first()
    if invitation is None:          # its group was given up meanwhile (its last member left or joined another)
        raise GroupRefused("This invitation was withdrawn: the group no longer exists.")
    if invitation.status != Status.PENDING:
        raise GroupRefused(f"This invitation was already {invitation.get_status_display().lower()}.")
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: GroupInvitation, by: Membership, now: datetime) -> StudentGroup:
    """The invited student joins the group; their other waiting invitations are withdrawn, and a group of one
    they had (without work handed in) is given up."""
    if by.id != invitation.invited_id:
        raise GroupRefused("Only the invited student can accept this invitation.")
    group = invitation.group
    lock_group(group, by.id)
    invitation = _pending_invitation(invitation)
    group, assignment = invitation.group, invitation.group.assignment
    check_students_may_change(assignment, now)
    _check_not_alone(by, assignment, you=True)
    mine = _own_group(by, assignment)
    if mine is not None:
        lock_group(mine, by.id)
        others = _others_in(mine, by)
        if others:
            raise GroupRefused(f"You are already in a group for {assignment.title} with {names(others)}: "
                               "leave it first.")
        if mine.submissions.exists():
            raise GroupRefused(f"Your group of one has handed in {assignment.title}: ask the course staff "
                               "to move you to another group.")
    members = group.members.count()
    if members + 1 > size_limit(group):
        raise GroupRefused(f"This group is full ({members} of {size_limit(group)}): ask its members or the "
                           "course staff.")
    if mine is not None:
        withdraw_pending(mine.invitations.all(), now)
        record(mine, who=by.user, old=member_list(mine), new="", member=by,
               why=f"{by.user.username} joined another group")
        mine.delete()
    old = member_list(group)
    invitation.status, invitation.answered_at = Status.ACCEPTED, now
    invitation.save(update_fields=["status", "answered_at"])
    join(group, by, now)
    withdraw_pending(GroupInvitation.objects.filter(invited=by, group__assignment=assignment), now)
    record(group, who=by.user, old=old, new=member_list(group), member=by,
           why=f"{by.user.username} accepted {invitation.invited_by.user.username}'s invitation")
    return group


@transaction.atomic
def invitation_decline(*, invitation: GroupInvitation, by: Membership, now: datetime) -> GroupInvitation:
    """The invited student says no. Allowed even once groups are locked: it changes no group."""
    if by.id != invitation.invited_id:
        raise GroupRefused("Only the invited student can decline this invitation.")
    lock_group(invitation.group, by.id)
    invitation = _pending_invitation(invitation)
    return _answer(invitation, Status.DECLINED, by, now, f"{by.user.username} declined")


@transaction.atomic
def invitation_withdraw(*, invitation: GroupInvitation, by: Membership, now: datetime) -> GroupInvitation:
    """The inviter, or any member of the group, takes the invitation back (also once groups are locked)."""
    member_ids = lock_group(invitation.group, by.id)
    invitation = _pending_invitation(invitation)
    if by.id != invitation.invited_by_id and by.id not in member_ids:
        raise GroupRefused("Only the group's members can withdraw its invitations.")
    return _answer(invitation, Status.WITHDRAWN, by, now, f"{by.user.username} withdrew the invitation")


def _answer(invitation: GroupInvitation, status: str, by: Membership, now: datetime, why: str) -> GroupInvitation:
    invitation.status, invitation.answered_at = status, now
    invitation.save(update_fields=["status", "answered_at"])
    record(invitation.group, who=by.user, old=f"{invitation.invited.user.username} invited",
           new=f"{invitation.invited.user.username} {invitation.get_status_display().lower()}",
           member=invitation.invited, why=why)
    return invitation


@transaction.atomic
def group_leave(*, member: Membership, assignment: Assignment, now: datetime) -> None:
    """The student leaves their group; a group left empty is given up with its waiting invitations."""
    check_students_may_change(assignment, now)
    group = _own_group(member, assignment)
    if group is None:
        raise GroupRefused(f"You are not in a group for {assignment.title}.")
    lock_group(group, member.id)
    if not GroupMember.objects.filter(group=group, member=member).exists():
        raise GroupRefused(f"You are not in a group for {assignment.title}.")
    if group.submissions.exists():
        raise GroupRefused(f"Your group has handed in {assignment.title}, so you cannot leave it on your own: "
                           "ask the course staff.")
    old = member_list(group)
    GroupMember.objects.filter(group=group, member=member).delete()
    if not group.members.exists():
        withdraw_pending(group.invitations.all(), now)
        record(group, who=member.user, old=old, new="", member=member, why=f"{member.user.username} left; "
               "the group had no one left")
        group.delete()
        return
    record(group, who=member.user, old=old, new=member_list(group), member=member,
           why=f"{member.user.username} left the group")


@transaction.atomic
def group_size_request(*, member: Membership, group: StudentGroup, note: str, now: datetime) -> StudentGroup:
    """A member asks the course staff for another size of group (the exceptions the syllabus allows)."""
    if not note.strip():
        raise GroupRefused("Say why your group needs another size: the course staff decide from your note.")
    member_ids = lock_group(group, member.id)
    if member.id not in member_ids:
        raise GroupRefused("Only the group's members can ask for another size.")
    group = StudentGroup.objects.select_related("assignment__course").get(pk=group.pk)
    if not group.assignment.is_group_work:
        raise GroupRefused(f"{group.assignment.title} is handed in alone: it has no groups.")
    old, group.size_request = group.size_request, note.strip()
    group.save(update_fields=["size_request"])
    record(group, who=member.user, old=old, new=group.size_request, member=member,
           why=f"{member.user.username} asked for another group size")
    return group
