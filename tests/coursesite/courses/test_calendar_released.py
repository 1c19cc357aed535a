"""The public calendar feed lists work only once it is released; the course's staff see it all."""
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory


def summaries(response) -> set[str]:
    return {str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def course(db):
    course = CourseFactory(slug="10707-s21")
    now = timezone.now()
    AssignmentFactory(course=course, key="hw1", title="HW1", release_at=now - timedelta(days=1),
                      due_at=now + timedelta(days=6))
    AssignmentFactory(course=course, key="hw2", title="HW2", release_at=now + timedelta(days=7),
                      due_at=now + timedelta(days=14))
    return course


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Membership.Role.STUDENT])
def test_work_not_yet_released_is_not_in_the_feed(client, course, role):
    if role:
        client.force_login(MembershipFactory(course=course, role=role, user=UserFactory()).user)

    found = summaries(client.get(f"/courses/{course.slug}/calendar.ics"))

    assert found == {"HW1 released", "HW1 due"}


@pytest.mark.django_db
def test_the_courses_staff_see_unreleased_work_in_the_feed(client, course):
    client.force_login(MembershipFactory(course=course, role=Membership.Role.TA, user=UserFactory()).user)

    found = summaries(client.get(f"/courses/{course.slug}/calendar.ics"))

    assert found == {"HW1 released", "HW1 due", "HW2 released", "HW2 due"}
