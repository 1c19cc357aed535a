"""The shared world (tests/world.py) at this folder's NOW, a month earlier than the others' (support.py)."""
import pytest

from tests.coursesite.assignments.support import DAY, NOW, as_user
from tests.factories import AssignmentFactory


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    """The server's clock stands still at NOW; tests move it with `frozen_clock.move_to(...)`."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


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
