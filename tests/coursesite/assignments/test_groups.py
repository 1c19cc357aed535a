"""Students forming groups (assignments.groups): invitations, answers, leaving, asking for another size."""
import pytest
from django.db import IntegrityError, transaction

from coursesite.assignments.groups import (
    GroupRefused,
    group_invite,
    group_leave,
    group_size_request,
    invitation_accept,
    invitation_decline,
    invitation_withdraw,
)
from coursesite.assignments.models import GroupInvitation, GroupMember, StudentGroup
from coursesite.assignments.selectors import group_of
from coursesite.audit.models import AuditEntry
from tests.coursesite.assignments.groups_support import project  # noqa: F401 (fixture)
from tests.coursesite.assignments.support import DAY, NOW
from tests.factories import StudentGroupFactory, SubmissionFactory
from tests.world import person

pytestmark = pytest.mark.django_db
Status = GroupInvitation.Status


def invite(inviter, invited, assignment, now=NOW):
    return group_invite(inviter=inviter, invited=invited, assignment=assignment, now=now)


def usernames(group):
    return sorted(m.user.username for m in group.students())


def test_inviting_makes_the_inviters_group_of_one_and_a_pending_invitation(alice, bob, project):
    invitation = invite(alice, bob, project)

    assert usernames(invitation.group) == ["alice"]
    assert invitation.status == Status.PENDING and invitation.invited == bob


def test_accepting_joins_the_group(alice, bob, project):
    invitation = invite(alice, bob, project)

    group = invitation_accept(invitation=invitation, by=bob, now=NOW)

    assert usernames(group) == ["alice", "bob"]
    assert group_of(bob, project) == group
    assert GroupInvitation.objects.get().status == Status.ACCEPTED


def test_accepting_withdraws_the_accepters_other_invitations(alice, bob, carol, project):
    from_alice = invite(alice, bob, project)
    from_carol = invite(carol, bob, project)

    invitation_accept(invitation=from_alice, by=bob, now=NOW)

    from_carol.refresh_from_db()
    assert from_carol.status == Status.WITHDRAWN


def test_accepting_gives_up_the_accepters_own_group_of_one(alice, bob, carol, project):
    invite(bob, carol, project)                      # bob's group of one, carol invited
    invitation = invite(alice, bob, project)

    invitation_accept(invitation=invitation, by=bob, now=NOW)

    assert StudentGroup.objects.count() == 1
    assert not GroupInvitation.objects.filter(invited=carol, status=Status.PENDING).exists()


def test_declining_leaves_the_group_as_it_was(alice, bob, project):
    invitation = invite(alice, bob, project)

    invitation_decline(invitation=invitation, by=bob, now=NOW)

    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED
    assert group_of(bob, project) is None


def test_a_member_may_withdraw_the_groups_invitation(alice, bob, carol, project):
    project.group_size = 3
    project.save()
    invitation_accept(invitation=invite(alice, bob, project), by=bob, now=NOW)
    to_carol = invite(alice, carol, project)

    invitation_withdraw(invitation=to_carol, by=bob, now=NOW)

    to_carol.refresh_from_db()
    assert to_carol.status == Status.WITHDRAWN


def test_only_the_groups_members_withdraw_its_invitation(alice, bob, carol, project):
    invitation = invite(alice, bob, project)

    with pytest.raises(GroupRefused, match="Only the group's members can withdraw its invitations."):
        invitation_withdraw(invitation=invitation, by=carol, now=NOW)


def test_only_the_invited_student_accepts(alice, bob, carol, project):
    invitation = invite(alice, bob, project)

    with pytest.raises(GroupRefused, match="Only the invited student can accept this invitation."):
        invitation_accept(invitation=invitation, by=carol, now=NOW)


def test_an_answered_invitation_cannot_be_accepted(alice, bob, project):
    invitation = invite(alice, bob, project)
    invitation_decline(invitation=invitation, by=bob, now=NOW)

    with pytest.raises(GroupRefused, match="This invitation was already declined."):
        invitation_accept(invitation=invitation, by=bob, now=NOW)


def test_inviting_yourself_is_refused(alice, project):
    with pytest.raises(GroupRefused, match="You cannot invite yourself: invite a classmate."):
        invite(alice, alice, project)


def test_inviting_a_member_of_the_staff_is_refused(alice, ta, project):
    with pytest.raises(GroupRefused, match="Anirban Basu is not a student of"):
        invite(alice, ta, project)


def test_inviting_a_dropped_student_is_refused(alice, bob, project):
    bob.dropped_at = NOW - DAY
    bob.save()

    with pytest.raises(GroupRefused, match="Bob Brown is not a student of"):
        invite(alice, bob, project)


def test_inviting_a_student_of_another_course_is_refused(alice, project):
    from tests.factories import CourseFactory

    stranger = person(CourseFactory(slug="other"), "dave")

    with pytest.raises(GroupRefused, match="is not a student of"):
        invite(alice, stranger, project)


def test_inviting_someone_already_in_a_group_is_refused(alice, bob, carol, project):
    StudentGroupFactory(assignment=project, members=[bob, carol])

    with pytest.raises(GroupRefused, match="Bob Brown is already in a group for Project proposal."):
        invite(alice, bob, project)


def test_inviting_the_same_classmate_twice_is_refused(alice, bob, project):
    invite(alice, bob, project)

    with pytest.raises(GroupRefused, match="Bob Brown is already invited: wait for their answer."):
        invite(alice, bob, project)


def test_inviting_into_a_full_group_is_refused(alice, bob, carol, project):
    invite(alice, bob, project)                       # 1 member + 1 invitation = 2, the group's size

    with pytest.raises(GroupRefused, match="Your group is full: 1 member\\(s\\) and 1 invitation\\(s\\) waiting, "
                                           "for a group of 2. Withdraw an invitation, or ask the course staff"):
        invite(alice, carol, project)


def test_an_approved_larger_size_lets_the_group_invite_more(alice, bob, carol, project):
    group = invite(alice, bob, project).group
    group.approved_size = 3
    group.save()

    assert invite(alice, carol, project).status == Status.PENDING


def test_accepting_into_a_full_group_is_refused(alice, bob, carol, project):
    project.group_size = 3
    project.save()
    to_bob, to_carol = invite(alice, bob, project), invite(alice, carol, project)
    project.group_size = 2                             # staff shrank the groups meanwhile
    project.save()
    invitation_accept(invitation=to_bob, by=bob, now=NOW)

    with pytest.raises(GroupRefused, match="This group is full \\(2 of 2\\)"):
        invitation_accept(invitation=to_carol, by=carol, now=NOW)


def test_accepting_while_in_another_group_with_members_is_refused(alice, bob, carol, project):
    invitation = invite(alice, bob, project)
    StudentGroupFactory(assignment=project, members=[bob, carol])

    with pytest.raises(GroupRefused, match="You are already in a group for Project proposal with carol: leave it"):
        invitation_accept(invitation=invitation, by=bob, now=NOW)


def test_groups_cannot_change_once_locked(alice, bob, project):
    with pytest.raises(GroupRefused, match="The groups of Project proposal are locked since .*: only the course "
                                           "staff can change them now. Ask them."):
        invite(alice, bob, project, now=NOW + 3 * DAY)


def test_accepting_after_the_lock_is_refused(alice, bob, project):
    invitation = invite(alice, bob, project)

    with pytest.raises(GroupRefused, match="are locked since"):
        invitation_accept(invitation=invitation, by=bob, now=NOW + 4 * DAY)


def test_groups_lock_at_the_due_time_without_a_lock_time(alice, bob, project):
    project.groups_lock_at = None
    project.save()

    assert invite(alice, bob, project, now=NOW + 6 * DAY)
    with pytest.raises(GroupRefused, match="are locked since"):
        invite(alice, bob, project, now=NOW + 7 * DAY)


def test_students_cannot_form_groups_staff_form(alice, bob, project):
    project.students_form_groups = False
    project.save()

    with pytest.raises(GroupRefused, match="The course staff form the groups of Project proposal: ask them"):
        invite(alice, bob, project)


def test_work_handed_in_alone_has_no_groups(alice, bob, pset):
    with pytest.raises(GroupRefused, match="Problem set 1 is handed in alone: it has no groups."):
        invite(alice, bob, pset)


def test_groups_of_an_unreleased_assignment_cannot_be_formed(alice, bob, project):
    with pytest.raises(GroupRefused, match="Project proposal is not released yet."):
        invite(alice, bob, project, now=NOW - 8 * DAY)


def test_a_student_who_handed_in_alone_cannot_form_a_group(alice, bob, project):
    SubmissionFactory(member=alice, assignment=project)

    with pytest.raises(GroupRefused, match="You have already handed in Project proposal alone, so only the course "
                                           "staff can put you in a group"):
        invite(alice, bob, project)


def test_a_student_who_handed_in_alone_cannot_be_invited(alice, bob, project):
    SubmissionFactory(member=bob, assignment=project)

    with pytest.raises(GroupRefused, match="Bob Brown has already handed in Project proposal alone"):
        invite(alice, bob, project)


def test_a_student_who_handed_in_alone_since_the_invitation_cannot_accept(alice, bob, project):
    invitation = invite(alice, bob, project)
    SubmissionFactory(member=bob, assignment=project)

    with pytest.raises(GroupRefused, match="You have already handed in Project proposal alone"):
        invitation_accept(invitation=invitation, by=bob, now=NOW)


def test_leaving_removes_the_student_from_the_group(alice, bob, project):
    StudentGroupFactory(assignment=project, members=[alice, bob])

    group_leave(member=bob, assignment=project, now=NOW)

    assert group_of(bob, project) is None
    assert usernames(group_of(alice, project)) == ["alice"]


def test_the_last_member_leaving_gives_up_the_group(alice, bob, project):
    invite(alice, bob, project)

    group_leave(member=alice, assignment=project, now=NOW)

    assert StudentGroup.objects.count() == 0


def test_leaving_a_group_that_handed_in_is_refused(alice, bob, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    SubmissionFactory(member=alice, assignment=project, group=group)

    with pytest.raises(GroupRefused, match="Your group has handed in Project proposal, so you cannot leave it on "
                                           "your own: ask the course staff."):
        group_leave(member=bob, assignment=project, now=NOW)


def test_leaving_without_a_group_is_refused(alice, project):
    with pytest.raises(GroupRefused, match="You are not in a group for Project proposal."):
        group_leave(member=alice, assignment=project, now=NOW)


def test_asking_for_another_size_keeps_the_note_for_staff(alice, bob, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    group_size_request(member=alice, group=group, note="Carol's partner dropped the course.", now=NOW)

    group.refresh_from_db()
    assert group.size_request == "Carol's partner dropped the course."


def test_asking_for_another_size_needs_a_note(alice, bob, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="Say why your group needs another size"):
        group_size_request(member=alice, group=group, note="  ", now=NOW)


def test_only_members_ask_for_another_size(alice, bob, carol, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])

    with pytest.raises(GroupRefused, match="Only the group's members can ask for another size."):
        group_size_request(member=carol, group=group, note="please", now=NOW)


def test_every_step_of_forming_a_group_is_in_the_history(alice, bob, project):
    invitation_accept(invitation=invite(alice, bob, project), by=bob, now=NOW)

    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.GROUP).order_by("id")
    assert [(e.who.username, e.old_value, e.new_value, e.why) for e in entries] == [
        ("alice", "", "alice", "alice started a group by inviting bob"),
        ("alice", "", "bob invited", "alice invited bob"),
        ("bob", "alice", "alice, bob", "bob accepted alice's invitation"),
    ]
    assert {e.subject for e in entries} == {"group of Project proposal"}
    assert all(e.assignment == project for e in entries)


def test_a_refused_change_leaves_no_trace(alice, bob, carol, project):
    StudentGroupFactory(assignment=project, members=[bob, carol])

    with pytest.raises(GroupRefused):
        invite(alice, bob, project)

    assert StudentGroup.objects.count() == 1
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.GROUP).exists()


def test_the_database_refuses_a_second_group_for_the_same_student(alice, bob, carol, project):
    """What holds when two requests race past the services' checks: one place per student and assignment."""
    StudentGroupFactory(assignment=project, members=[alice, bob])
    other = StudentGroupFactory(assignment=project, members=[carol])

    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMember.objects.create(group=other, assignment=project, member=alice, joined_at=NOW)


def test_the_database_refuses_two_pending_invitations_of_one_group_to_one_student(alice, bob, project):
    invitation = invite(alice, bob, project)

    with pytest.raises(IntegrityError), transaction.atomic():
        GroupInvitation.objects.create(group=invitation.group, invited=bob, invited_by=alice, created_at=NOW)


def test_an_invitation_of_a_group_given_up_meanwhile_cannot_be_accepted(alice, bob, carol, project):
    to_carol = invite(bob, carol, project)                  # bob's group of one
    invitation_accept(invitation=invite(alice, bob, project), by=bob, now=NOW)     # gives it up

    with pytest.raises(GroupRefused, match="This invitation was withdrawn: the group no longer exists."):
        invitation_accept(invitation=to_carol, by=carol, now=NOW)


def test_the_invited_classmate_is_emailed_who_invites_them_and_where_to_answer(
        mailoutbox, notifications, django_capture_on_commit_callbacks, settings, alice, bob, project):
    settings.SITE_URL = "https://dl.example.edu/"
    with django_capture_on_commit_callbacks(execute=True):
        invite(alice, bob, project)
    assert mailoutbox == []                      # the request sends nothing: a worker does
    notifications.deliver()

    (email,) = mailoutbox
    assert email.to == ["bob@andrew.cmu.edu"]
    assert email.subject == f"Alice Adams invites you into a group for {project.title}"
    assert email.body.startswith(f"Hello Bob Brown,\n\nAlice Adams invites you into their group for {project.title} "
                                 f"(now: Alice Adams). Accept or decline on your group page:\n"
                                 f"https://dl.example.edu/courses/10707-s21/assignments/{project.key}/group/\n")


def test_no_email_goes_out_for_an_invitation_withdrawn_before_the_worker_sends_it(
        mailoutbox, notifications, django_capture_on_commit_callbacks, alice, bob, project):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(alice, bob, project)
    invitation_withdraw(invitation=invitation, by=alice, now=NOW)

    assert notifications.deliver() == [0] and mailoutbox == []
