"""Fixtures shared by the group tests: a project milestone for groups of two, released, groups open."""
import pytest

from coursesite.assignments.models import Assignment
from tests.coursesite.assignments.support import DAY, NOW
from tests.factories import AssignmentFactory


@pytest.fixture
def project(course) -> Assignment:
    """A project milestone for groups of two, released a week ago, due in a week; groups lock in three days."""
    return AssignmentFactory(course=course, key="project-proposal", title="Project proposal",
                             kind=Assignment.Kind.PROJECT, group_size=2, release_at=NOW - 7 * DAY,
                             due_at=NOW + 7 * DAY, groups_lock_at=NOW + 3 * DAY)
