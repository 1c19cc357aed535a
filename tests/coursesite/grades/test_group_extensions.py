"""Extensions on group work: any member asks; staff grant the new due time to that member or to the whole group."""
import pytest

from coursesite.audit.models import AuditEntry
from coursesite.grades.forms.extensions import ExtensionDecisionForm
from coursesite.grades.models import Extension, ExtensionRequest
from coursesite.grades.services.extensions import extension_grant
from tests.coursesite.assignments.support import as_user
from tests.coursesite.grades.test_extensions import ask, decide_url, detail_url, local_input, requested
from tests.factories import AssignmentFactory, StudentGroupFactory
from tests.world import DAY, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def project(course):
    return AssignmentFactory(course=course, key="project", title="Project", group_size=2,
                             release_at=NOW - 7 * DAY, due_at=(NOW + 7 * DAY).replace(hour=23, minute=59))


@pytest.fixture
def pair(project, alice, bob):
    return StudentGroupFactory(assignment=project, members=[alice, bob], created_at=NOW - DAY)


def extended(assignment):
    return dict(Extension.objects.filter(assignment=assignment).values_list("member__user__username", "due_at"))


def test_any_member_of_a_group_asks_for_an_extension(client, project, pair, bob):
    response = ask(as_user(client, bob), project)
    assert response.status_code == 302
    assert ExtensionRequest.objects.get().member == bob


def test_a_grant_to_the_whole_group_gives_each_member_the_due_time(project, pair, bob, associate):
    new_due = project.due_at + 2 * DAY
    extension_grant(request=requested(bob, project), by=associate.user, due_at=new_due, note="", now=NOW,
                    whole_group=True)
    assert extended(project) == {"alice": new_due, "bob": new_due}


def test_a_grant_to_the_whole_group_records_each_members_new_due_time(project, pair, bob, associate):
    extension_grant(request=requested(bob, project), by=associate.user, due_at=project.due_at + 2 * DAY, note="",
                    now=NOW, whole_group=True)
    entries = AuditEntry.objects.filter(kind=AuditEntry.Kind.EXTENSION)
    assert sorted(e.member.user.username for e in entries) == ["alice", "bob"]


def test_a_grant_to_the_requester_only_leaves_the_others_due_time(project, pair, bob, associate):
    new_due = project.due_at + 2 * DAY
    extension_grant(request=requested(bob, project), by=associate.user, due_at=new_due, note="", now=NOW)
    assert extended(project) == {"bob": new_due}


def test_the_decision_form_offers_the_whole_group_by_name(project, pair, bob):
    form = ExtensionDecisionForm(extension_request=requested(bob, project))
    assert form.fields["whole_group"].label == "Grant the same due time to the whole group: Bob Brown, Alice Adams"


def test_the_decision_form_of_a_student_alone_has_no_group_choice(project, carol):
    assert "whole_group" not in ExtensionDecisionForm(extension_request=requested(carol, project)).fields


def test_staff_grant_to_the_whole_group_on_the_decision_page(client, project, pair, bob, associate):
    waiting = requested(bob, project)
    as_user(client, associate)
    assert "Grant the same due time to the whole group" in client.get(detail_url(waiting)).content.decode()
    new_due = project.due_at + 2 * DAY
    response = client.post(decide_url(waiting), {"action": "grant", "due_at": local_input(new_due), "whole_group": "on"})
    assert response.status_code == 302
    assert extended(project) == {"alice": new_due, "bob": new_due}


def test_the_other_members_are_emailed_their_new_due_time_but_not_why_it_was_asked_for(
        mailoutbox, notifications, django_capture_on_commit_callbacks, project, pair, bob, associate):
    with django_capture_on_commit_callbacks(execute=True):
        extension_grant(request=requested(bob, project), by=associate.user, due_at=project.due_at + 2 * DAY,
                        note="get well soon", now=NOW, whole_group=True)
    notifications.deliver()

    to_alice = next(m for m in mailoutbox if m.to == ["alice@andrew.cmu.edu"])
    assert to_alice.subject == "Extension granted to your group for Project"
    assert "The course staff granted your group an extension on Project. Your new due time is" in to_alice.body
    assert "get well soon" not in to_alice.body and "Medical" not in to_alice.body
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@andrew.cmu.edu", "bob@andrew.cmu.edu"]
