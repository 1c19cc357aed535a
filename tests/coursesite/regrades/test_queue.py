"""The staff's queue: oldest first, filtered by assignment, by who took the request and by status."""
from datetime import timedelta

import pytest

from coursesite.regrades.parts import WHOLE_ASSIGNMENT, question_part
from coursesite.regrades.services import regrade_request_decline
from tests.coursesite.regrades.conftest import NOW, as_user, ask, queue_url, take, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(graded_pset, scored_project, q1, q2, ta, frozen_clock):
    """Alice asks about question 2 (NOW), the project (an hour later), then question 1 (two hours later)."""
    on_q2 = ask(graded_pset, question_part(q2))
    frozen_clock.move_to(NOW + timedelta(hours=1))
    on_project = ask(scored_project, WHOLE_ASSIGNMENT)
    frozen_clock.move_to(NOW + timedelta(hours=2))
    on_q1 = ask(graded_pset, question_part(q1))
    return {"q2": on_q2, "project": on_project, "q1": on_q1}


def rows(client, **filters) -> list[int]:
    response = client.get(queue_url(filters.pop("course"), **filters))
    assert response.status_code == 200
    return [r.id for r in response.context["requests"]]


def test_the_queue_lists_waiting_requests_oldest_first(client, requests, course, ta):
    assert rows(as_user(client, ta), course=course) == [requests["q2"].id, requests["project"].id, requests["q1"].id]


def test_the_queue_shows_who_asked_about_what(client, requests, course, ta):
    page = text_of(as_user(client, ta).get(queue_url(course)))
    assert "Alice Adams (alice) Problem set 1 Question 2. Backpropagation Waiting for a member of staff no one yet" in page


def test_the_queue_filters_by_assignment(client, requests, course, ta):
    assert rows(as_user(client, ta), course=course, assignment="proposal") == [requests["project"].id]


def test_the_queue_filters_by_requests_i_took(client, requests, course, ta, other_ta):
    take(requests["q1"], ta)
    take(requests["project"], other_ta)
    assert rows(as_user(client, ta), course=course, handler="me") == [requests["q1"].id]


def test_the_queue_filters_by_requests_nobody_took(client, requests, course, ta):
    take(requests["q1"], ta)
    assert rows(as_user(client, ta), course=course, handler="none") == [requests["q2"].id, requests["project"].id]


def test_the_queue_filters_by_a_member_of_staff(client, requests, course, ta, other_ta):
    take(requests["project"], other_ta)
    assert rows(as_user(client, ta), course=course, handler="bliu") == [requests["project"].id]


def test_the_queue_filters_by_status(client, requests, course, ta, associate):
    take(requests["q1"], ta)
    regrade_request_decline(regrade_request=requests["q2"], by=associate, note="Right as is.", now=NOW)
    client = as_user(client, ta)
    assert rows(client, course=course, status="taken") == [requests["q1"].id]
    assert rows(client, course=course, status="open") == [requests["project"].id]
    assert rows(client, course=course, status="declined") == [requests["q2"].id]
    assert rows(client, course=course, status="answered") == []


def test_filters_combine(client, requests, course, ta):
    take(requests["q1"], ta)
    assert rows(as_user(client, ta), course=course, assignment="ps1", handler="none") == [requests["q2"].id]


def test_an_unknown_assignment_is_refused_with_a_message(client, requests, course, ta):
    response = as_user(client, ta).get(queue_url(course, assignment="ps9"))
    assert response.status_code == 400
    assert "There is no assignment “ps9” in this course." in text_of(response)


def test_a_handler_who_is_not_staff_is_refused_with_a_message(client, requests, course, ta):
    response = as_user(client, ta).get(queue_url(course, handler="alice"))
    assert response.status_code == 400
    assert "“alice” is not a member of this course's staff; filter by me, none or a staff username." in text_of(response)


def test_an_unknown_status_is_refused_with_a_message(client, requests, course, ta):
    response = as_user(client, ta).get(queue_url(course, status="closed"))
    assert response.status_code == 400
    assert "“closed” is not a status; use open, taken, answered or declined." in text_of(response)


def test_students_get_403_on_the_queue(client, requests, course, alice):
    assert as_user(client, alice).get(queue_url(course)).status_code == 403


def test_non_members_get_404_on_the_queue(client, requests, course):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="stranger"))
    assert client.get(queue_url(course)).status_code == 404


def test_another_courses_requests_are_not_in_the_queue(client, requests, ta):
    from tests.factories import CourseFactory, MembershipFactory

    other = CourseFactory(slug="10601-s21")
    MembershipFactory(course=other, user=ta.user, role="ta")
    assert rows(as_user(client, ta), course=other) == []
