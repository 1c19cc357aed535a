"""The shared world (tests/world.py) with an exam and a problem set; the clock frozen at NOW."""
from datetime import timedelta
from decimal import Decimal

import pytest

from coursesite.audit.models import AuditEntry
from tests.factories import AssignmentFactory, ExtensionRequestFactory
from tests.world import DAY, NOW


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


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
    return ExtensionRequestFactory(member=member, assignment=assignment, note=note, requested_at=NOW - DAY)


def history(**filters) -> list[tuple[str, str, str, str]]:
    """(kind, old, new, why) of the matching entries, oldest first."""
    return [(e.kind, e.old_value, e.new_value, e.why)
            for e in AuditEntry.objects.filter(**filters).order_by("at", "id")]
