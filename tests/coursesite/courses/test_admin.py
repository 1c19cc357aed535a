"""The Django admin for course configuration: instructors edit their own course, TAs stay out."""
from decimal import Decimal

import pytest
from django import forms

from coursesite.courses.models import Course
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory

from .conftest import DEMO_PASSWORD, SEED, loadcourse


@pytest.fixture
def course(db) -> Course:
    loadcourse(SEED, demo_password=DEMO_PASSWORD)
    return Course.objects.get(slug="10707-s21")


@pytest.fixture
def instructor_client(client, course):
    assert client.login(username="risteski", password=DEMO_PASSWORD)
    return client


@pytest.fixture
def other_course(db) -> Course:
    """Another course, run by another instructor."""
    other = CourseFactory(slug="10601-f21", number="10601", title="Introduction to Machine Learning", term="Fall 2021")
    MembershipFactory(course=other, user=UserFactory(username="mgormley", is_staff=True),
                      role=Membership.Role.INSTRUCTOR)
    return other


def change_url(course) -> str:
    return f"/admin/courses/course/{course.pk}/change/"


def form_data(response) -> dict[str, str]:
    """The POST data the admin change page would send unchanged: its form, inline forms and management forms."""
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_on_page:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(field.field.prepare_value(value))
    return data


@pytest.mark.django_db
def test_instructor_can_open_the_admin(instructor_client):
    response = instructor_client.get("/admin/")

    assert response.status_code == 200
    assert b"/admin/courses/course/" in response.content


@pytest.mark.django_db
def test_instructor_is_a_course_administrator_without_superuser_rights(course):
    risteski = course.memberships.get(user__username="risteski").user

    assert risteski.is_staff and not risteski.is_superuser
    assert list(risteski.groups.values_list("name", flat=True)) == ["Course administrators"]
    assert risteski.has_perm("courses.change_course") and risteski.has_perm("courses.change_gradingcategory")
    assert not risteski.has_perm("people.change_user")


@pytest.mark.django_db
def test_instructor_can_open_the_course_change_page_with_its_inlines(instructor_client, course):
    response = instructor_client.get(change_url(course))

    assert response.status_code == 200
    management = {inline.formset.prefix: inline.formset.total_form_count() for inline in response.context["inline_admin_formsets"]}
    assert management == {"categories": 4, "letter_cutoffs": 4, "sections": 11, "parts": 4}
    assert b'name="categories-0-weight" value="45.00"' in response.content


@pytest.mark.django_db
def test_instructor_can_open_an_assignment_change_page(instructor_client, course):
    hw1 = course.assignments.get(key="hw1-coding")

    response = instructor_client.get(f"/admin/assignments/assignment/{hw1.pk}/change/")

    assert response.status_code == 200
    assert b"Coding assignment 1: multilayer perceptron" in response.content


@pytest.mark.django_db
def test_instructor_can_change_the_meeting_times(instructor_client, course):
    data = form_data(instructor_client.get(change_url(course)))
    data["meeting_times"] = "TR 3:05-4:25 pm"

    response = instructor_client.post(change_url(course), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    course.refresh_from_db()
    assert course.meeting_times == "TR 3:05-4:25 pm"
    assert [c.weight for c in course.categories.all()] == [45, 15, 15, 25]


@pytest.mark.django_db
def test_admin_refuses_category_weights_not_summing_to_100(instructor_client, course):
    data = form_data(instructor_client.get(change_url(course)))
    data["categories-3-weight"] = "20"
    data["meeting_times"] = "TR 3:05-4:25 pm"

    response = instructor_client.post(change_url(course), data)

    assert response.status_code == 200
    assert "The category weights must sum to exactly 100, not 95.00." in response.content.decode()
    course.refresh_from_db()
    assert course.meeting_times == "MW 12:20-1:40 pm"
    assert course.categories.get(key="final-exam").weight == Decimal(25)


@pytest.mark.django_db
def test_admin_accepts_moved_weights_summing_to_100(instructor_client, course):
    data = form_data(instructor_client.get(change_url(course)))
    data["categories-0-weight"] = "40"
    data["categories-3-weight"] = "30"
    data["change_reason"] = "The project was dropped"

    response = instructor_client.post(change_url(course), data)

    assert response.status_code == 302
    assert [c.weight for c in course.categories.all()] == [40, 15, 15, 30]


@pytest.mark.django_db
def test_instructor_sees_only_their_own_course_in_the_changelist(instructor_client, course, other_course):
    response = instructor_client.get("/admin/courses/course/")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [course]
    assert b"Introduction to Machine Learning" not in response.content


@pytest.mark.django_db
def test_instructor_cannot_open_another_course(instructor_client, other_course):
    response = instructor_client.get(change_url(other_course))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_instructor_sees_only_their_own_assignments(instructor_client, course, other_course):
    AssignmentFactory(course=other_course, key="hw9", title="Other course homework")

    response = instructor_client.get("/admin/assignments/assignment/")

    assert {a.course for a in response.context["cl"].result_list} == {course}
    assert response.context["cl"].result_count == 13


@pytest.mark.django_db
def test_education_associate_can_open_the_course_change_page(client, course):
    assert client.login(username="fjeffrey", password=DEMO_PASSWORD)

    assert client.get(change_url(course)).status_code == 200


@pytest.mark.django_db
def test_ta_cannot_use_the_admin(client, course):
    assert client.login(username="abasu", password=DEMO_PASSWORD)

    for url in ("/admin/", change_url(course)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client, course):
    response = client.get(change_url(course))

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={change_url(course)}"


@pytest.mark.django_db
def test_instructor_cannot_add_a_course(instructor_client):
    """New courses come from a course file (or a superuser)."""
    assert instructor_client.get("/admin/courses/course/add/").status_code == 403
