"""Staff forming, changing, dissolving and approving groups, and importing them from a CSV (assignments.groups_staff)."""
import pytest

from coursesite.assignments.groups import GroupRefused, group_invite
from coursesite.assignments.groups_staff import (
    group_approve_size,
    group_change,
    group_dissolve,
    group_form,
    groups_import,
    groups_preview,
    students_without_group,
)
from coursesite.assignments.groupsfile import parse_groups
from coursesite.assignments.models import GroupInvitation, StudentGroup, Submission
from coursesite.assignments.selectors import group_of
from coursesite.audit.models import AuditEntry
from coursesite.grades.models import Score
from tests.coursesite.assignments.groups_support import project  # noqa: F401 (fixture)
from tests.coursesite.assignments.support import DAY, NOW
from tests.factories import ScoreFactory, StudentGroupFactory, SubmissionFactory
from tests.world import person

pytestmark = pytest.mark.django_db


def usernames(group):
    return sorted(m.user.username for m in group.students())


def form(members, assignment, by, note=""):
    return group_form(assignment=assignment, members=members, by=by.user, now=NOW, approved_size_note=note)


def test_staff_form_a_group_of_the_assignments_size(alice, bob, ta, project):
    done = form([alice, bob], project, ta)

    assert usernames(done.group) == ["alice", "bob"]
    assert done.group.approved_size is None
    assert done.message == "Group formed: alice and bob."


def test_staff_form_groups_after_the_lock(alice, bob, ta, project):
    done = group_form(assignment=project, members=[alice, bob], by=ta.user, now=NOW + 6 * DAY)

    assert usernames(done.group) == ["alice", "bob"]


def test_a_group_of_another_size_needs_a_note(carol, ta, project):
    with pytest.raises(GroupRefused, match="A group of 1 for Project proposal, whose groups are of 2, needs a note "
                                           "saying why this size is allowed."):
        form([carol], project, ta)


def test_the_note_approves_another_size(carol, ta, project):
    group = form([carol], project, ta, note="an allowed exception").group

    assert (group.approved_size, group.approved_by, group.approval_note) == (1, ta.user, "an allowed exception")
    assert group.size_allowed(1)


def test_students_are_not_staff(alice, bob, project):
    with pytest.raises(GroupRefused, match="Only the course staff can form or change groups."):
        form([alice, bob], project, alice)


def test_forming_refuses_a_student_already_in_a_group(alice, bob, carol, ta, project):
    StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="bob: already in a group for Project proposal. Change or dissolve"):
        form([bob, carol], project, ta)


def test_forming_refuses_a_member_of_the_staff(alice, ta, other_ta, project):
    with pytest.raises(GroupRefused, match="bliu: not a current student of"):
        form([alice, other_ta], project, ta)


def test_forming_groups_of_individual_work_is_refused(alice, bob, ta, pset):
    with pytest.raises(GroupRefused, match="Problem set 1 is handed in alone \\(a group size of 1\\)"):
        form([alice, bob], pset, ta)


def test_forming_withdraws_the_members_pending_invitations(alice, bob, carol, ta, project):
    invitation = group_invite(inviter=carol, invited=alice, assignment=project, now=NOW)

    form([alice, bob], project, ta)

    invitation.refresh_from_db()
    assert invitation.status == GroupInvitation.Status.WITHDRAWN


def test_the_work_of_the_one_student_who_handed_in_alone_becomes_the_groups(alice, bob, ta, project):
    older = SubmissionFactory(member=bob, assignment=project, submitted_at=NOW - 2 * DAY, is_active=False)
    active = SubmissionFactory(member=bob, assignment=project, submitted_at=NOW - DAY)

    done = form([alice, bob], project, ta)

    assert set(done.group.submissions.all()) == {older, active}
    assert Submission.objects.get(is_active=True) == active
    assert "The work bob handed in alone is now the group's." in done.message


def test_forming_a_group_of_two_who_both_handed_in_alone_is_refused(alice, bob, ta, project):
    SubmissionFactory(member=alice, assignment=project)
    SubmissionFactory(member=bob, assignment=project)

    with pytest.raises(GroupRefused, match="alice and bob already handed in Project proposal: a group is graded on "
                                           "one work"):
        form([alice, bob], project, ta)


def test_adding_a_member_who_handed_in_alone_to_a_group_that_handed_in_is_refused(alice, bob, carol, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    SubmissionFactory(member=alice, assignment=project, group=group)
    SubmissionFactory(member=carol, assignment=project)

    with pytest.raises(GroupRefused, match="carol and the group itself already handed in"):
        group_change(group=group, add=[carol], by=ta.user, now=NOW, why="carol joins")


def test_staff_add_a_member_and_approve_the_new_size_with_the_reason(alice, bob, carol, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    done = group_change(group=group, add=[carol], by=ta.user, now=NOW, why="three: carol's partner dropped")

    assert usernames(done.group) == ["alice", "bob", "carol"]
    assert done.group.approved_size == 3 and done.group.approval_note == "three: carol's partner dropped"
    assert "Its size of 3 is approved with your reason." in done.message


def test_removing_a_member_keeps_their_scores_and_says_so(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    ScoreFactory(member=bob, assignment=project)

    done = group_change(group=group, remove=[bob], by=ta.user, now=NOW, why="bob dropped the project")

    assert usernames(done.group) == ["alice"]
    assert Score.objects.filter(member=bob, assignment=project).exists()
    assert ("bob keep the scores they have now for Project proposal; the group's work no longer counts for them."
            in done.message)


def test_a_dropped_student_can_be_removed(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    bob.dropped_at = NOW
    bob.save()

    group_change(group=group, remove=[bob], by=ta.user, now=NOW, why="bob dropped the course")

    assert group_of(bob, project) is None


def test_removing_everyone_is_refused(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="A group cannot be left without members: dissolve it instead."):
        group_change(group=group, remove=[alice, bob], by=ta.user, now=NOW, why="x")


def test_removing_a_stranger_is_refused(alice, bob, carol, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="carol: not in this group."):
        group_change(group=group, remove=[carol], by=ta.user, now=NOW, why="x")


def test_a_change_needs_a_reason(alice, bob, carol, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="Say why the group changes"):
        group_change(group=group, add=[carol], by=ta.user, now=NOW, why=" ")


def test_staff_dissolve_a_group_that_handed_in_nothing(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    done = group_dissolve(group=group, by=ta.user, now=NOW, why="they asked")

    assert done.message == "Group of alice, bob dissolved."
    assert StudentGroup.objects.count() == 0


def test_dissolving_a_group_that_handed_in_is_refused(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    SubmissionFactory(member=alice, assignment=project, group=group)

    with pytest.raises(GroupRefused, match="This group has handed in Project proposal, so it cannot be dissolved: "
                                           "remove members instead"):
        group_dissolve(group=group, by=ta.user, now=NOW, why="they asked")


def test_approving_a_size_clears_the_students_request(alice, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice], size_request="My partner dropped.")

    group_approve_size(group=group, by=ta.user, now=NOW, note="partner dropped")

    group.refresh_from_db()
    assert (group.approved_size, group.size_request) == (1, "")


def test_approving_a_larger_size_before_the_members_join(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    group_approve_size(group=group, by=ta.user, now=NOW, note="a big project", size=3)

    group.refresh_from_db()
    assert group.approved_size == 3


def test_approving_the_assignments_own_size_is_refused(alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="Groups of 2 are Project proposal's own size: they need no approval."):
        group_approve_size(group=group, by=ta.user, now=NOW, note="ok")


def test_approving_needs_a_note(alice, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice])

    with pytest.raises(GroupRefused, match="Say why this size is allowed"):
        group_approve_size(group=group, by=ta.user, now=NOW, note="")


def test_staff_changes_are_in_the_history_with_who_and_why(alice, bob, carol, ta, project):
    group = form([alice, bob], project, ta).group
    group_change(group=group, add=[carol], by=ta.user, now=NOW, why="carol joins")

    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.GROUP).order_by("id")
    assert [(e.who, e.old_value, e.new_value, e.why) for e in entries] == [
        (ta.user, "", "alice, bob", "formed by staff"),
        (ta.user, "alice, bob", "alice, bob, carol", "carol joins"),
    ]


def test_students_without_a_group_are_listed(alice, bob, carol, project):
    StudentGroupFactory(assignment=project, members=[alice, bob])

    assert students_without_group(project) == [carol]


# --- import ---

def rows_of(text: str):
    return parse_groups(text.encode())


def test_importing_forms_every_group_of_the_file(alice, bob, carol, ta, project):
    rows, problems = rows_of("group,username\ng1,alice\ng1,bob\ng2,carol\n")

    done = groups_import(assignment=project, rows=rows, problems=problems, by=ta.user, now=NOW, filename="g.csv")

    assert [usernames(d.group) for d in done] == [["alice", "bob"], ["carol"]]
    assert done[1].group.approval_note == "imported from g.csv"


def test_importing_is_all_or_nothing(alice, bob, carol, ta, project):
    rows, problems = rows_of("group,username\ng1,alice\ng1,bob\ng2,carol\ng2,dave\n")

    with pytest.raises(GroupRefused, match="1 problem\\(s\\) in g.csv: no group was imported.") as refused:
        groups_import(assignment=project, rows=rows, problems=problems, by=ta.user, now=NOW, filename="g.csv")

    assert refused.value.problems == ("line 5: dave is not a current student of " + str(project.course),)
    assert StudentGroup.objects.count() == 0


def test_the_preview_names_students_already_in_a_group(alice, bob, carol, project):
    StudentGroupFactory(assignment=project, members=[alice, bob])
    rows, problems = rows_of("group,username\ng2,carol\ng2,bob\n")

    plan = groups_preview(project, rows, problems)

    assert plan.problems == ["line 3: bob is already in a group for Project proposal (change or dissolve that "
                             "group first)"]


def test_the_preview_refuses_a_group_whose_members_each_handed_in_alone(alice, bob, project):
    SubmissionFactory(member=alice, assignment=project)
    SubmissionFactory(member=bob, assignment=project)
    rows, problems = rows_of("group,username\ng1,alice\ng1,bob\n")

    plan = groups_preview(project, rows, problems)

    assert plan.problems == ["group g1: alice and bob already handed in Project proposal: a group is graded on one "
                             "work, so it can take over the work of only one of them. Leave the others out of the "
                             "group."]


def test_the_preview_matches_students_by_email(course, project):
    dave = person(course, "dave", email="dave@andrew.cmu.edu")
    rows, problems = rows_of("group,username\ng1,DAVE@andrew.cmu.edu\n")

    plan = groups_preview(project, rows, problems)

    assert plan.groups[0].members == (dave,) and plan.groups[0].needs_approval


def test_importing_as_a_command_names_its_source(alice, bob, project):
    rows, problems = rows_of("group,username\ng1,alice\ng1,bob\n")

    groups_import(assignment=project, rows=rows, problems=problems, by=None, now=NOW, source="loadgroups g.csv")

    assert AuditEntry.objects.get(kind=AuditEntry.Kind.GROUP).source == "loadgroups g.csv"
