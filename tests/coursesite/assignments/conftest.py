"""A course frozen at a known time, with two students, a TA and an instructor."""
import pytest

from coursesite.people.models import Membership
from tests.coursesite.assignments.support import DAY, NOW, as_user, member
from tests.factories import AssignmentFactory, CourseFactory


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    """The server's clock stands still at NOW; tests move it with `frozen_clock.move_to(...)`."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def course(db):
    return CourseFactory(slug="10707-s21", time_zone="America/New_York")


@pytest.fixture
def alice(course):
    return member(course, "alice")


@pytest.fixture
def bob(course):
    return member(course, "bob")


@pytest.fixture
def ta(course):
    return member(course, "abasu", Membership.Role.TA)


@pytest.fixture
def instructor(course):
    return member(course, "risteski", Membership.Role.INSTRUCTOR)


@pytest.fixture
def pset(course):
    """A problem set (one PDF) released a week ago, due in a week at 23:59."""
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1",
                             release_at=NOW - 7 * DAY, due_at=(NOW + 7 * DAY).replace(hour=23, minute=59))


@pytest.fixture
def coding(course):
    """Coding work (hw1.py and README.md) released a week ago, due in a week at 23:59."""
    return AssignmentFactory(course=course, coding=True, key="hw1-coding", title="HW1 coding",
                             release_at=NOW - 7 * DAY, due_at=(NOW + 7 * DAY).replace(hour=23, minute=59))


@pytest.fixture
def alice_client(client, alice):
    return as_user(client, alice)
