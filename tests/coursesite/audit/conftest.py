"""A course with students, staff, an exam and a problem set; the clock frozen at NOW."""
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from coursesite.audit.models import AuditEntry
from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory

NOW = datetime(2021, 3, 10, 12, 0, tzinfo=ZoneInfo("America/New_York"))
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def course(db):
    return CourseFactory(slug="10707-s21", time_zone="America/New_York")


def person(course, username, role=Membership.Role.STUDENT, name="", email=None):
    first, _, last = name.partition(" ")
    user = UserFactory(username=username, first_name=first, last_name=last,
                       email=f"{username}@andrew.cmu.edu" if email is None else email)
    return MembershipFactory(course=course, user=user, role=role)


@pytest.fixture
def alice(course):
    return person(course, "alice", name="Alice Adams")


@pytest.fixture
def bob(course):
    return person(course, "bob", name="Bob Brown")


@pytest.fixture
def ta(course):
    return person(course, "abasu", Membership.Role.TA, name="Anirban Basu")


@pytest.fixture
def associate(course):
    return person(course, "fjeffrey", Membership.Role.EDUCATION_ASSOCIATE, name="Fiona Jeffrey")


@pytest.fixture
def instructor(course):
    return person(course, "risteski", Membership.Role.INSTRUCTOR, name="Andrej Risteski")


@pytest.fixture
def midterm(course):
    return AssignmentFactory(course=course, exam=True, key="midterm-1", title="Midterm 1", points=Decimal(100),
                             release_at=NOW - 2 * DAY, due_at=NOW - 2 * DAY + timedelta(hours=2))


@pytest.fixture
def pset(course):
    """Due in a week at 23:59 New York time."""
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1",
                             release_at=NOW - 7 * DAY, due_at=(NOW + 7 * DAY).replace(hour=23, minute=59))


def requested(member, assignment, note="Hospitalised for two days."):
    return ExtensionRequest.objects.create(member=member, assignment=assignment, reason=ExtensionRequest.Reason.MEDICAL,
                                           note=note, requested_at=NOW - DAY)


def history(**filters) -> list[tuple[str, str, str, str]]:
    """(kind, old, new, why) of the matching entries, oldest first."""
    return [(e.kind, e.old_value, e.new_value, e.why)
            for e in AuditEntry.objects.filter(**filters).order_by("at", "id")]
