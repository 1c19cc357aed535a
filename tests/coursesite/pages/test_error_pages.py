"""The 403 and 404 pages: the site's header, the view's reason, and what to do next; a course's header only for
its members."""
import pytest
from django.urls import reverse

from tests.factories import CourseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_ta_refused_a_case_reads_why_and_who_handles_cases_under_the_course_header(client, course_world):
    client.force_login(course_world.member("abasu").user)

    response = client.get(reverse("integrity:case-list", args=[course_world.course.slug]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is not for your account" in page
    assert "handled by the course&#x27;s instructors and education associate only" in page
    assert f"{course_world.course.number} {course_world.course.title}" in page        # the course's header
    assert "teaching assistant of" in page.lower() or "ta of" in page.lower()


def test_the_403_page_offers_to_sign_in_as_someone_else_and_come_back(client, course_world):
    client.force_login(course_world.member("abasu").user)
    path = reverse("integrity:case-list", args=[course_world.course.slug])

    page = client.get(path).content.decode()

    assert 'id="sign-in-as-someone-else"' in page
    assert f'name="next" value="/accounts/login/?next={path}"' in page
    signed_out = client.post(reverse("logout"), {"next": f"/accounts/login/?next={path}"})
    assert signed_out.url == f"/accounts/login/?next={path}"


def test_a_404_keeps_the_views_reason(client, course_world):
    client.force_login(course_world.member("alice").user)

    response = client.get(reverse("integrity:case-list", args=[course_world.course.slug]))

    assert response.status_code == 404
    assert "No such page." in response.content.decode()


def test_a_404_never_names_a_course_to_someone_outside_it(client, course_world):
    outsider = MembershipFactory(course=CourseFactory(slug="other-course"))
    client.force_login(outsider.user)

    response = client.get(reverse("courses:dashboard", args=[course_world.course.slug]))

    assert response.status_code == 404
    assert course_world.course.title not in response.content.decode()
    assert "Back to your courses" in response.content.decode()


def test_an_unknown_address_says_what_to_do_to_a_visitor(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "There is nothing at this address" in page
    assert 'href="/accounts/login/?next=/no/such/page/"' in page


def test_an_unknown_address_under_a_course_gets_the_courses_header_for_its_member(client, course_world):
    client.force_login(course_world.member("abasu").user)

    response = client.get(f"/courses/{course_world.course.slug}/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert f"{course_world.course.number} {course_world.course.title}" in page
    assert f"Back to the {course_world.course.number} dashboard" in page


def test_an_unknown_address_under_a_course_names_no_course_to_an_outsider(client, course_world):
    client.force_login(MembershipFactory(course=CourseFactory(slug="other-course")).user)

    response = client.get(f"/courses/{course_world.course.slug}/no-such-page/")

    assert response.status_code == 404
    assert course_world.course.title not in response.content.decode()
