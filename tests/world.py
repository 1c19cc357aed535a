"""The one demo-course world the site's tests share: the course, one persona per role, two assignments.

The personas are the demo course's (courses/10707-s21.toml): students Alice, Bob and Carol, the TAs
Anirban Basu and Bo Liu, the education associate Fiona Jeffrey and the instructor Andrej Risteski.
Each is its own fixture, made only when a test asks for it, so a test that counts students counts
the ones it asked for; `course_world` asks for the whole cast, with the grading categories and a
written and a coding assignment. A folder whose tests need other assignments (other points, other
dates) defines them in its conftest over this course and these people.

Loaded by tests/conftest.py (`pytest_plugins`); the helpers (`person`, NOW, DAY) are imported by name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from coursesite.assignments.models import Assignment
from coursesite.courses.models import Course, GradingCategory
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CategoryFactory, CourseFactory, MembershipFactory, UserFactory

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2021, 3, 10, 12, 0, tzinfo=NEW_YORK)      # a Wednesday noon, mid-term
DAY = timedelta(days=1)

Role = Membership.Role
PERSONAS = {    # username -> (full name, role)
    "alice": ("Alice Adams", Role.STUDENT),
    "bob": ("Bob Brown", Role.STUDENT),
    "carol": ("Carol Chen", Role.STUDENT),
    "abasu": ("Anirban Basu", Role.TA),
    "bliu": ("Bo Liu", Role.TA),
    "fjeffrey": ("Fiona Jeffrey", Role.EDUCATION_ASSOCIATE),
    "risteski": ("Andrej Risteski", Role.INSTRUCTOR),
}
# The demo course's categories and weights (they sum to 100).
CATEGORIES = (("assignments", "Assignments", 45), ("midterm-1", "Midterm 1", 15), ("midterm-2", "Midterm 2", 15),
              ("final", "Final exam", 25))


def person(course: Course, username: str, role: str | None = None, *, name: str | None = None,
           email: str | None = None) -> Membership:
    """A member of `course`: a persona of PERSONAS by default, or anyone (a student unless `role` says)."""
    known_name, known_role = PERSONAS.get(username, ("", Role.STUDENT))
    first, _, last = (known_name if name is None else name).partition(" ")
    user = UserFactory(username=username, first_name=first, last_name=last,
                       email=f"{username}@andrew.cmu.edu" if email is None else email)
    return MembershipFactory(course=course, user=user, role=role or known_role)


@dataclass(frozen=True)
class World:
    course: Course
    categories: dict[str, GradingCategory]
    members: dict[str, Membership]          # username -> membership, one per persona
    pset: Assignment                        # written work (a PDF), graded with a rubric
    coding: Assignment                      # hw1.py and a README, graded by the autograder

    def member(self, username: str) -> Membership:
        return self.members[username]

    @property
    def students(self) -> list[Membership]:
        return [m for m in self.members.values() if m.role == Role.STUDENT]


@pytest.fixture
def course(db) -> Course:
    return CourseFactory(slug="10707-s21", time_zone="America/New_York")


@pytest.fixture
def alice(course):
    return person(course, "alice")


@pytest.fixture
def bob(course):
    return person(course, "bob")


@pytest.fixture
def carol(course):
    return person(course, "carol")


@pytest.fixture
def ta(course):
    return person(course, "abasu")


@pytest.fixture
def other_ta(course):
    return person(course, "bliu")


@pytest.fixture
def associate(course):
    return person(course, "fjeffrey")


@pytest.fixture
def instructor(course):
    return person(course, "risteski")


@pytest.fixture
def course_world(course, alice, bob, carol, ta, other_ta, associate, instructor) -> World:
    """The whole cast, the demo course's categories, and Problem set 1 and HW1 coding, both released
    a week before NOW and due a week after it at 23:59 (New York)."""
    categories = {key: CategoryFactory(course=course, key=key, name=name, weight=Decimal(weight))
                  for key, name, weight in CATEGORIES}
    due = (NOW + 7 * DAY).replace(hour=23, minute=59)
    pset = AssignmentFactory(course=course, category=categories["assignments"], key="ps1", title="Problem set 1",
                             release_at=NOW - 7 * DAY, due_at=due)
    coding = AssignmentFactory(course=course, category=categories["assignments"], coding=True, key="hw1-coding",
                               title="HW1 coding", release_at=NOW - 7 * DAY, due_at=due)
    members = {m.user.username: m for m in (alice, bob, carol, ta, other_ta, associate, instructor)}
    return World(course=course, categories=categories, members=members, pset=pset, coding=coding)
