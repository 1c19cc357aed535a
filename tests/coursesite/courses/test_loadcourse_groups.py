"""Group work in the course file: group_size, students_form_groups and groups_lock; the demo course's groups."""
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from coursesite.assignments.models import Assignment, StudentGroup
from coursesite.audit.models import AuditEntry

from .conftest import SEED, loadcourse, refuse

pytestmark = pytest.mark.django_db
PROPOSAL_LOCK = "groups_lock = 2021-03-19T23:59:00"
MILESTONES = ["project-proposal", "project-midway", "project-final"]


def test_the_project_milestones_are_group_work_students_form():
    loadcourse(SEED)

    milestones = Assignment.objects.filter(key__in=MILESTONES)
    assert {(a.key, a.group_size, a.students_form_groups) for a in milestones} == {
        (key, 2, True) for key in MILESTONES}


def test_groups_lock_is_a_time_in_the_courses_zone():
    loadcourse(SEED)

    proposal = Assignment.objects.get(key="project-proposal")
    assert proposal.groups_lock_at == datetime(2021, 3, 19, 23, 59, tzinfo=ZoneInfo("America/New_York"))
    assert Assignment.objects.get(key="project-final").groups_lock_at is None     # at the due time


def test_students_form_groups_can_be_turned_off(course_file):
    path = course_file((f"group_size = 2\nstudents_form_groups = true\n{PROPOSAL_LOCK}",
                        f"group_size = 2\nstudents_form_groups = false\n{PROPOSAL_LOCK}"))

    loadcourse(path)

    assert not Assignment.objects.get(key="project-proposal").students_form_groups


def test_groups_lock_on_individual_work_is_refused(course_file):
    path = course_file((f"group_size = 2\nstudents_form_groups = true\n{PROPOSAL_LOCK}",
                        f"group_size = 1\n{PROPOSAL_LOCK}"))

    refuse(path, "assignments[6].groups_lock: only group work (a group_size above 1) has groups to lock")


def test_a_group_size_below_one_is_refused(course_file):
    path = course_file((f"group_size = 2\nstudents_form_groups = true\n{PROPOSAL_LOCK}", "group_size = 0"))

    refuse(path, "assignments[6].group_size: must be at least 1")


def test_the_demo_puts_alice_and_bob_together_and_carol_alone_as_an_allowed_exception():
    call_command("loaddemo", stdout=StringIO())

    for key in MILESTONES:
        groups = StudentGroup.objects.filter(assignment__key=key)
        assert sorted(sorted(m.user.username for m in g.students()) for g in groups) == [["alice", "bob"], ["carol"]]
        carols = groups.get(members__member__user__username="carol")
        assert (carols.approved_size, carols.approval_note) == (1, "an allowed exception")
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.GROUP, source="loaddemo").count() == 6


def test_a_second_start_of_the_demo_leaves_its_groups_alone():
    call_command("loaddemo", stdout=StringIO())
    call_command("loaddemo", stdout=StringIO())

    assert StudentGroup.objects.count() == 6


def test_the_assignment_admin_shows_the_group_fields(client):
    loadcourse(SEED)
    proposal = Assignment.objects.get(key="project-proposal")
    client.force_login(proposal.course.memberships.get(user__username="risteski").user)

    page = client.get(f"/admin/assignments/assignment/{proposal.pk}/change/").content.decode()

    for field in ("group_size", "students_form_groups", "groups_lock_at"):
        assert f'name="{field}' in page
