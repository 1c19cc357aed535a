"""The admin's list filters on a course or an assignment offer only the user's own courses."""
import pytest

from coursesite.coursefile.services import _course_admins_group
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory

LISTS = ["/admin/assignments/assignment/", "/admin/assignments/submission/", "/admin/grades/score/",
         "/admin/grades/extension/", "/admin/people/membership/", "/admin/audit/auditentry/"]


@pytest.fixture
def two_courses(db):
    """The instructor runs two courses (a filter with one choice is not shown at all); another runs a third."""
    mine = CourseFactory(slug="10707-s21", number="10707", title="Deep Learning")
    also_mine = CourseFactory(slug="10707-f21", number="10707", title="Deep Learning", term="Fall 2021")
    theirs = CourseFactory(slug="10601-f21", number="10601", title="Secret Seminar")
    instructor = UserFactory(username="risteski", is_staff=True)
    instructor.groups.add(_course_admins_group())
    for course in (mine, also_mine):
        AssignmentFactory(course=course, key="ps1", title=f"Problem set 1 of {course.term}")
        MembershipFactory(course=course, role=Membership.Role.INSTRUCTOR, user=instructor)
    AssignmentFactory(course=theirs, key="hidden", title="Hidden midterm")
    return mine, theirs, instructor


def filter_choices(response) -> set[str]:
    """Every choice shown in the list's filter panel."""
    return {choice["display"] for spec in response.context["cl"].filter_specs
            for choice in spec.choices(response.context["cl"])}


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_an_instructors_list_filters_offer_only_their_own_courses(client, two_courses, url):
    mine, theirs, instructor = two_courses
    client.force_login(instructor)

    response = client.get(url)

    assert response.status_code == 200
    choices = filter_choices(response)
    assert str(mine) in choices or "Problem set 1 of Spring 2021" in choices
    assert str(theirs) not in choices and "Hidden midterm" not in choices


@pytest.mark.django_db
def test_a_superuser_filters_on_every_course(client, two_courses):
    mine, theirs, _ = two_courses
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    choices = filter_choices(client.get("/admin/assignments/assignment/"))

    assert {str(mine), str(theirs)} <= choices
