"""The demo course with grades, late work and a grace-day grant: the story is in support.py."""
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from coursesite.assignments.models import Assignment
from coursesite.courses.models import Course
from coursesite.grades.models import GraceDayGrant
from coursesite.people.models import Membership
from tests.coursesite.reports.support import DAY, NOW, RELEASED, SCORES, SEED, SUBMITTED_AFTER_DUE
from tests.factories import ScoreFactory, SubmissionFactory


@dataclass
class Demo:
    course: Course
    assignments: dict[str, Assignment]
    members: dict[str, Membership]

    def member(self, username: str) -> Membership:
        return self.members[username]


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def demo(db) -> Demo:
    call_command("loadcourse", str(SEED), stdout=StringIO())
    course = Course.objects.get(slug="10707-s21")
    assignments = {a.key: a for a in course.assignments.all()}
    members = {m.user.username: m for m in course.memberships.select_related("user")}
    Assignment.objects.filter(course=course, key__in=RELEASED).update(grades_released_at=NOW - DAY)
    grader = members["abasu"].user
    for username, points in SCORES.items():
        for key, value in points.items():
            comment = "Secret remark" if key == "hw2-coding" else ""
            ScoreFactory(member=members[username], assignment=assignments[key], points=Decimal(value),
                         comment=comment, entered_by=grader, entered_at=NOW - 2 * DAY)
    for username, late in SUBMITTED_AFTER_DUE.items():
        for key, after in late.items():
            SubmissionFactory(member=members[username], assignment=assignments[key],
                              submitted_at=assignments[key].due_at + after)
    GraceDayGrant.objects.create(member=members["alice"], days=1, reason="Accommodation letter",
                                 granted_by=members["fjeffrey"].user, granted_at=NOW - 5 * DAY)
    return Demo(course, assignments, members)
