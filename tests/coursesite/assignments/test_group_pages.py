"""The group pages: a student's group page and the staff's groups page (coursesite/pages/groups.py)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursesite.assignments.groups import group_invite
from coursesite.assignments.models import GroupInvitation, StudentGroup
from coursesite.assignments.selectors import group_of
from tests.coursesite.assignments.groups_support import project  # noqa: F401 (fixture)
from tests.coursesite.assignments.support import DAY, NOW, as_user, page_url, text_of
from tests.factories import AssignmentFactory, StudentGroupFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def url(name, assignment, **kwargs):
    return reverse(f"assignments:{name}", kwargs={"slug": assignment.course.slug, "key": assignment.key, **kwargs})


def test_the_student_page_lists_the_groups_members(client, alice, bob, project):
    StudentGroupFactory(assignment=project, members=[alice, bob])

    page = text_of(as_user(client, alice).get(url("group", project)))

    assert "Members Alice Adams (alice) — you" in page and "Bob Brown (bob)" in page


def test_inviting_by_andrew_email_shows_who_is_invited(client, alice, bob, project):
    bob.user.email = "bob@andrew.cmu.edu"
    bob.user.save()

    response = as_user(client, alice).post(url("group-invite", project), {"classmate": "bob@andrew.cmu.edu"},
                                           follow=True)

    assert "Bob Brown is invited: they accept or decline on their group page of Project proposal." in text_of(response)
    assert GroupInvitation.objects.get().invited == bob


def test_inviting_an_unknown_classmate_says_so(client, alice, project):
    response = as_user(client, alice).post(url("group-invite", project), {"classmate": "nobody"}, follow=True)

    assert "No student of this course is called nobody." in text_of(response)


def test_a_refused_invitation_shows_the_reason(client, alice, project):
    response = as_user(client, alice).post(url("group-invite", project), {"classmate": "alice"}, follow=True)

    assert "You cannot invite yourself: invite a classmate." in text_of(response)


def test_the_invited_student_sees_the_invitation_and_accepts_it(client, alice, bob, project):
    invitation = group_invite(inviter=alice, invited=bob, assignment=project, now=NOW)
    as_user(client, bob)

    assert "Alice Adams (alice) invites you into their group (now: Alice Adams)" in text_of(client.get(url("group", project)))
    response = client.post(url("group-invitation-answer", project, invitation_id=invitation.id),
                           {"action": "accept"}, follow=True)

    assert "You joined the group." in text_of(response)
    assert group_of(bob, project) == invitation.group


def test_another_students_invitation_is_not_found(client, alice, bob, carol, project):
    invitation = group_invite(inviter=alice, invited=bob, assignment=project, now=NOW)

    response = as_user(client, carol).post(url("group-invitation-answer", project, invitation_id=invitation.id),
                                           {"action": "decline"})

    assert response.status_code == 404


def test_the_page_says_when_groups_are_locked_and_whom_to_ask(client, alice, project, frozen_clock):
    frozen_clock.move_to(NOW + 4 * DAY)

    page = text_of(as_user(client, alice).get(url("group", project)))

    assert "The groups of Project proposal are locked since" in page
    assert "only the course staff can change them now. Ask them." in page
    assert "Invite a classmate" not in page


def test_leaving_a_group_that_handed_in_says_to_ask_staff(client, alice, bob, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    SubmissionFactory(member=alice, assignment=project, group=group)

    response = as_user(client, bob).post(url("group-leave", project), follow=True)

    assert "Your group has handed in Project proposal, so you cannot leave it on your own: ask the course staff." \
        in text_of(response)


def test_asking_for_another_size_is_shown_to_staff(client, alice, ta, project):
    StudentGroupFactory(assignment=project, members=[alice])
    as_user(client, alice).post(url("group-size-request", project), {"note": "My partner dropped the course."})

    page = text_of(as_user(client, ta).get(url("groups", project)))

    assert "The students ask: My partner dropped the course." in page


def test_the_group_page_is_not_found_before_the_release(client, alice, course):
    later = AssignmentFactory(course=course, group_size=2, release_at=NOW + DAY, due_at=NOW + 9 * DAY)

    assert as_user(client, alice).get(url("group", later)).status_code == 404


def test_work_handed_in_alone_has_no_group_page(client, alice, pset):
    assert as_user(client, alice).get(url("group", pset)).status_code == 404


def test_a_dropped_student_has_no_group_page(client, alice, project):
    alice.dropped_at = NOW - DAY
    alice.save()

    assert as_user(client, alice).get(url("group", project)).status_code == 404


def test_the_staff_page_lists_groups_and_students_without_one(client, alice, bob, carol, ta, project):
    StudentGroupFactory(assignment=project, members=[alice, bob])

    page = text_of(as_user(client, ta).get(url("groups", project)))

    assert "Alice Adams (alice), Bob Brown (bob)" in page
    assert "Students without a group (1) Carol Chen (carol)" in page


def test_staff_form_a_group_on_the_page(client, alice, carol, ta, project):
    response = as_user(client, ta).post(url("groups-form", project), {"members": "alice, carol", "note": ""},
                                        follow=True)

    assert "Group formed: alice and carol." in text_of(response)


def test_staff_see_why_a_group_was_not_dissolved(client, alice, bob, ta, project):
    group = StudentGroupFactory(assignment=project, members=[alice, bob])
    SubmissionFactory(member=alice, assignment=project, group=group)

    response = as_user(client, ta).post(url("groups-dissolve", project, group_id=group.id), {"why": "asked"},
                                        follow=True)

    assert "so it cannot be dissolved: remove members instead" in text_of(response)


def test_the_import_preview_lists_the_groups_and_changes_nothing(client, alice, bob, ta, project):
    csv = SimpleUploadedFile("groups.csv", b"group,username\ng1,alice\ng1,bob\n")

    response = as_user(client, ta).post(url("groups-import", project), {"file": csv})

    assert response.status_code == 200
    assert "g1: alice, bob" in text_of(response)
    assert StudentGroup.objects.count() == 0


def test_the_import_preview_shows_every_problem(client, alice, ta, project):
    csv = SimpleUploadedFile("groups.csv", b"group,username\ng1,alice\ng1,dave\ng2,alice\n")

    response = as_user(client, ta).post(url("groups-import", project), {"file": csv})

    assert response.status_code == 400
    page = text_of(response)
    assert "line 3: dave is not a current student of" in page
    assert "line 4: alice is listed twice (first on line 2)" in page


def test_applying_the_previewed_file_forms_its_groups(client, alice, bob, ta, project):
    import base64

    content = base64.b64encode(b"group,username\ng1,alice\ng1,bob\n").decode()
    response = as_user(client, ta).post(url("groups-import-apply", project),
                                        {"content": content, "filename": "groups.csv"}, follow=True)

    assert "groups.csv: 1 group(s) formed." in text_of(response)
    assert group_of(alice, project) == group_of(bob, project) is not None


def test_the_assignment_page_links_students_to_their_group_and_staff_to_every_group(client, alice, ta, project):
    assert url("group", project) in as_user(client, alice).get(page_url(project)).content.decode()
    assert url("groups", project) in as_user(client, ta).get(page_url(project)).content.decode()


def test_a_full_group_is_told_so_instead_of_offered_an_invitation(client, alice, bob, project):
    group_invite(inviter=alice, invited=bob, assignment=project, now=NOW)

    page = text_of(as_user(client, alice).get(url("group", project)))

    assert ("With the invitation waiting, your group is full (a group of 2): to invite someone else, "
            "withdraw an invitation") in page
    assert "Your group has 1 member until your invitation below is accepted; groups have 2." in page
    assert "Invite a classmate" not in page
    assert "is not the assignment's size" not in page     # no warning while the invitation may still fill it


def test_an_andrew_address_names_the_andrew_id(client, alice, bob, project):
    bob.user.email = "bob@example.org"
    bob.user.save()

    as_user(client, alice).post(url("group-invite", project), {"classmate": "Bob@andrew.cmu.edu"})

    assert GroupInvitation.objects.get().invited == bob


def test_a_group_waiting_for_answers_is_shown_as_forming(client, alice, bob, ta, project):
    group_invite(inviter=alice, invited=bob, assignment=project, now=NOW)

    page = text_of(as_user(client, ta).get(url("groups", project)))

    assert "forming: waiting for 1 answer" in page
    assert "needs approval" not in page


def test_group_changes_are_in_the_assignments_history_page(client, alice, bob, ta, project):
    group_invite(inviter=alice, invited=bob, assignment=project, now=NOW)

    page = text_of(as_user(client, ta).get(reverse("audit:assignment", args=[project.course.slug, project.key])))

    assert "alice invited bob" in page


def test_the_dashboard_lists_invitations_waiting_for_an_answer_until_answered(client, alice, bob, project):
    invitation = group_invite(inviter=alice, invited=bob, assignment=project, now=NOW)
    dashboard = reverse("courses:dashboard", args=[project.course.slug])
    as_user(client, bob)

    response = client.get(dashboard)
    assert ("Group invitations waiting for your answer: Alice Adams invites you into their group for Project proposal"
            in text_of(response))
    assert "answer on your group page" in text_of(response)
    assert url("group", project) in response.content.decode()

    client.post(url("group-invitation-answer", project, invitation_id=invitation.id), {"action": "decline"})
    assert "Group invitations" not in text_of(client.get(dashboard))
    assert "Group invitations" not in text_of(as_user(client, alice).get(dashboard))     # the inviter is not asked
