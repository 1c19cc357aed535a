"""The course staff's writers of groups: form, change, dissolve, approve another size, import a CSV.

Every member of the staff may (TAs too): groups are not private accommodations, and TAs mentor the
projects; every change is in the course's history with who made it and why. Commands pass `by=None` and
name themselves in `source`. Same locking rule as groups.py: the involved students' Membership rows first,
lowest id first, then read and decide. Staff are not bound by the lock time nor by students_form_groups.

Work a student handed in alone follows them into the group staff put them in, when they are the only one
whose work it would be; otherwise staff are told whose work is in the way, since one group grades one work.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from coursesite.assignments.groups import (
    GroupRefused,
    handed_in_alone,
    join,
    lock_group,
    lock_students,
    member_list,
    names,
    record,
    withdraw_pending,
)
from coursesite.assignments.groupsfile import GroupRow, grouped
from coursesite.assignments.models import Assignment, GroupInvitation, GroupMember, StudentGroup, Submission
from coursesite.people.models import Membership, User


@dataclass(frozen=True)
class GroupDone:
    group: StudentGroup | None      # None once dissolved
    message: str                    # what happened, for the staff member who did it


def _check_staff(by: User | None, assignment: Assignment, source: str) -> None:
    if by is None:
        if not source.strip():
            raise GroupRefused("A change made by no person must say what made it (source).")
        return
    if not Membership.objects.filter(user=by, course_id=assignment.course_id).staff().exists():
        raise GroupRefused("Only the course staff can form or change groups.")


def _check_group_work(assignment: Assignment) -> None:
    if not assignment.is_group_work:
        raise GroupRefused(f"{assignment.title} is handed in alone (a group size of 1): set a group size for it "
                           "in the admin before forming groups.")


def _check_students(assignment: Assignment, members: Sequence[Membership]) -> None:
    strangers = [m for m in members if m.course_id != assignment.course_id or m.role != Membership.Role.STUDENT
                 or m.dropped_at is not None]
    if strangers:
        raise GroupRefused(f"{names(strangers)}: not a current student of {assignment.course}.")
    ids = [m.id for m in members]
    if len(set(ids)) != len(ids):
        raise GroupRefused("A student is listed twice.")


def _check_free(assignment: Assignment, members: Sequence[Membership], but: StudentGroup | None = None) -> None:
    places = GroupMember.objects.filter(assignment=assignment, member__in=members).select_related("member__user")
    if but is not None:
        places = places.exclude(group=but)
    taken = [p.member for p in places]
    if taken:
        raise GroupRefused(f"{names(taken)}: already in a group for {assignment.title}. Change or dissolve that "
                           "group first.")


def _work_holders(assignment: Assignment, members: Iterable[Membership], group: StudentGroup | None) -> list[Membership]:
    """Whose work a group made of `members` would take over: those who handed in alone. Refused when the work
    of more than one (or of someone and the group itself) would meet, since a group is graded on one work."""
    alone = [m for m in members if handed_in_alone(m, assignment)]
    has_work = group is not None and group.submissions.exists()
    if len(alone) + has_work > 1:
        whose = names(alone) + (" and the group itself" if has_work else "")
        raise GroupRefused(f"{whose} already handed in {assignment.title}: a group is graded on one work, so it "
                           "can take over the work of only one of them. Leave the others out of the group.")
    return alone


def _take_over(group: StudentGroup, member: Membership, by: User | None, source: str) -> str:
    """The student's work handed in alone becomes the group's; their active one stays the graded one (or,
    if none is active, their newest)."""
    work = Submission.objects.filter(assignment=group.assignment, member=member, group__isnull=True)
    count = work.update(group=group)
    moved = group.submissions.all()
    if not moved.filter(is_active=True).exists():
        newest = moved.order_by("-submitted_at", "-id").first()
        Submission.objects.filter(pk=newest.pk).update(is_active=True)
    record(group, who=by, source=source, old="", new=f"{count} submission(s) of {member.user.username}",
           member=member, why=f"{member.user.username} handed in alone before staff put them in this group")
    return f" The work {member.user.username} handed in alone is now the group's."


@transaction.atomic
def group_form(*, assignment: Assignment, members: Sequence[Membership], by: User | None, now: datetime,
               approved_size_note: str = "", source: str = "") -> GroupDone:
    """A group of `members`, made by staff; a size other than the assignment's needs the note allowing it."""
    _check_staff(by, assignment, source)
    _check_group_work(assignment)
    if not members:
        raise GroupRefused("A group needs at least one student.")
    _check_students(assignment, members)
    lock_students(m.id for m in members)
    _check_free(assignment, members)
    size, note = len(members), approved_size_note.strip()
    if size != assignment.group_size and not note:
        raise GroupRefused(f"A group of {size} for {assignment.title}, whose groups are of {assignment.group_size}, "
                           "needs a note saying why this size is allowed.")
    alone = _work_holders(assignment, members, None)
    approved = size != assignment.group_size
    group = StudentGroup.objects.create(assignment=assignment, created_at=now, approved_size=size if approved else None,
                                        approved_by=by if approved else None, approval_note=note if approved else "")
    for member in members:
        join(group, member, now)
        withdraw_pending(GroupInvitation.objects.filter(invited=member, group__assignment=assignment), now)
    record(group, who=by, source=source, old="", new=member_list(group),
           why=f"formed by staff; size {size} allowed: {note}" if approved else "formed by staff")
    message = f"Group formed: {names(members)}." + (f" Its size of {size} is approved." if approved else "")
    if alone:
        message += _take_over(group, alone[0], by, source)
    return GroupDone(group, message)


@transaction.atomic
def group_change(*, group: StudentGroup, add: Sequence[Membership] = (), remove: Sequence[Membership] = (),
                 by: User | None, now: datetime, why: str, source: str = "") -> GroupDone:
    """Staff add and remove members. A size the group was not allowed is approved with `why`. Removed members
    keep the scores they have now; the group's work no longer counts for them."""
    assignment = group.assignment
    _check_staff(by, assignment, source)
    if not why.strip():
        raise GroupRefused("Say why the group changes: it goes into the course's history.")
    if not add and not remove:
        raise GroupRefused("Choose students to add or to remove.")
    _check_students(assignment, add)   # a dropped student may still be removed
    current = set(lock_group(group, *(m.id for m in [*add, *remove])))
    group = StudentGroup.objects.select_related("assignment__course").get(pk=group.pk)
    strangers = [m for m in remove if m.id not in current]
    if strangers:
        raise GroupRefused(f"{names(strangers)}: not in this group.")
    already = [m for m in add if m.id in current]
    if already:
        raise GroupRefused(f"{names(already)}: already in this group.")
    _check_free(assignment, add, but=group)
    left = current - {m.id for m in remove} | {m.id for m in add}
    if not left:
        raise GroupRefused("A group cannot be left without members: dissolve it instead.")
    alone = _work_holders(assignment, add, group)
    old = member_list(group)
    GroupMember.objects.filter(group=group, member__in=remove).delete()
    for member in add:
        join(group, member, now)
        withdraw_pending(GroupInvitation.objects.filter(invited=member, group__assignment=assignment), now)
    message = f"Group changed: now {member_list(group)}."
    if not group.size_allowed(len(left)):
        group.approved_size, group.approved_by, group.approval_note = len(left), by, why.strip()
        group.save(update_fields=["approved_size", "approved_by", "approval_note"])
        message += f" Its size of {len(left)} is approved with your reason."
    record(group, who=by, source=source, old=old, new=member_list(group), why=why)
    if remove:
        message += (f" {names(remove)} keep the scores they have now for {assignment.title}; the group's work no "
                    "longer counts for them.")
    if alone:
        message += _take_over(group, alone[0], by, source)
    return GroupDone(group, message)


@transaction.atomic
def group_dissolve(*, group: StudentGroup, by: User | None, now: datetime, why: str, source: str = "") -> GroupDone:
    """Staff end a group that has handed in nothing; its waiting invitations go with it."""
    assignment = group.assignment
    _check_staff(by, assignment, source)
    if not why.strip():
        raise GroupRefused("Say why the group is dissolved: it goes into the course's history.")
    lock_group(group)
    if group.submissions.exists():
        raise GroupRefused(f"This group has handed in {assignment.title}, so it cannot be dissolved: remove "
                           "members instead (its work stays with the members left).")
    old = member_list(group)
    withdraw_pending(group.invitations.all(), now)
    record(group, who=by, source=source, old=old, new="", why=why)
    group.delete()
    return GroupDone(None, f"Group of {old or 'no one'} dissolved.")


@transaction.atomic
def group_approve_size(*, group: StudentGroup, by: User | None, now: datetime, note: str, size: int | None = None,
                       source: str = "") -> GroupDone:
    """Staff allow the group another size than the assignment's (its present size unless `size` says), e.g. a
    group of one, or three so that it may invite a third member."""
    assignment = group.assignment
    _check_staff(by, assignment, source)
    if not note.strip():
        raise GroupRefused("Say why this size is allowed: the note goes into the course's history.")
    members = len(lock_group(group))
    size = members if size is None else size
    if size == assignment.group_size:
        raise GroupRefused(f"Groups of {size} are {assignment.title}'s own size: they need no approval.")
    if size < max(members, 1):
        raise GroupRefused(f"The group has {members} members: approve at least that size, or remove members.")
    old = group.approved_size
    group.approved_size, group.approved_by, group.approval_note, group.size_request = size, by, note.strip(), ""
    group.save(update_fields=["approved_size", "approved_by", "approval_note", "size_request"])
    record(group, who=by, source=source, old=f"size {old} approved" if old else "", new=f"size {size} approved",
           why=note)
    return GroupDone(group, f"A group of {size} is approved for {member_list(group) or 'this group'}.")


# --- import ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedGroup:
    label: str
    members: tuple[Membership, ...]
    needs_approval: bool        # its size is not the assignment's: importing approves it
    takes_work_of: str          # username whose work handed in alone becomes the group's, or ""


@dataclass
class GroupsPlan:
    groups: list[PlannedGroup] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def groups_preview(assignment: Assignment, rows: Sequence[GroupRow], problems: Sequence[str] = ()) -> GroupsPlan:
    """What importing `rows` would form, and the problems that keep it from being applied (none: it applies)."""
    _check_group_work(assignment)
    plan = GroupsPlan(problems=list(problems))
    students = Membership.objects.filter(course_id=assignment.course_id).students().select_related("user")
    by_name = {m.user.username.lower(): m for m in students}
    by_email = {m.user.email.lower(): m for m in students if m.user.email}
    placed = set(GroupMember.objects.filter(assignment=assignment).values_list("member_id", flat=True))
    for label, group_rows in grouped(list(rows)).items():
        members = []
        for row in group_rows:
            member = by_name.get(row.username) or by_email.get(row.username)
            if member is None:
                plan.problems.append(f"line {row.line}: {row.username} is not a current student of {assignment.course}")
            elif member.id in placed:
                plan.problems.append(f"line {row.line}: {row.username} is already in a group for {assignment.title} "
                                     "(change or dissolve that group first)")
            else:
                members.append(member)
        try:
            alone = _work_holders(assignment, members, None)
        except GroupRefused as refused:
            plan.problems.append(f"group {label}: {refused}")
            continue
        plan.groups.append(PlannedGroup(label, tuple(members), len(group_rows) != assignment.group_size,
                                        alone[0].user.username if alone else ""))
    plan.problems.sort(key=_line_order)
    return plan


def _line_order(problem: str) -> tuple[int, str]:
    head = problem.split(":", 1)[0]
    return (int(head[5:]), problem) if head.startswith("line ") and head[5:].isdigit() else (10**9, problem)


@transaction.atomic
def groups_import(*, assignment: Assignment, rows: Sequence[GroupRow], by: User | None, now: datetime,
                  filename: str = "", source: str = "", problems: Sequence[str] = ()) -> list[GroupDone]:
    """Form every group of the file, or none: a single problem (the parser's `problems` included) refuses all."""
    _check_staff(by, assignment, source)
    plan = groups_preview(assignment, rows, problems)
    if plan.problems:
        raise GroupRefused(f"{len(plan.problems)} problem(s) in {filename or 'the file'}: no group was imported.",
                           tuple(plan.problems))
    if not plan.groups:
        raise GroupRefused(f"{filename or 'The file'} lists no groups.")
    note = f"imported from {filename}" if filename else "imported from a file"
    return [group_form(assignment=assignment, members=list(g.members), by=by, now=now,
                       approved_size_note=note if g.needs_approval else "", source=source) for g in plan.groups]


def students_without_group(assignment: Assignment) -> list[Membership]:
    """The current students in no group for the assignment, by username (for staff's page)."""
    placed = GroupMember.objects.filter(assignment=assignment).values("member_id")
    return list(Membership.objects.filter(course_id=assignment.course_id).students().exclude(id__in=placed)
                .select_related("user").order_by("user__username"))
