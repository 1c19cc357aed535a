"""A student asks for a regrade of an exam score: work with no submission, asked about as a whole, from the
dashboard; the staff answer it as any other request, and the answer moves the exam's score."""
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from coursesite.grades.services.scores import score_set
from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.services import (
    RegradeRefused,
    exam_regrade_request_open,
    regrade_request_answer,
    regrade_request_decline,
)
from tests.coursesite.regrades.conftest import (
    CLOSES,
    DAY,
    NOW,
    as_user,
    detail_url,
    fresh,
    release,
    score_of,
    text_of,
)
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def midterm(course):
    """Midterm 1, out of 60, sat two weeks ago."""
    return AssignmentFactory(course=course, exam=True, key="midterm-1", title="Midterm 1", points=D(60),
                             release_at=NOW - 15 * DAY, due_at=NOW - 14 * DAY)


@pytest.fixture
def scored_midterm(midterm, alice, instructor):
    """Alice scored 42 of 60; grades released two days ago."""
    score_set(member=alice, assignment=midterm, points=D(42), by=instructor.user, now=NOW - 3 * DAY)
    return release(midterm)


def ask_exam(assignment, member, why="Question 3's bound is right: see the second page.", now=NOW):
    return exam_regrade_request_open(assignment=assignment, member=member, justification=why, now=now)


def open_exam_url(assignment):
    return reverse("regrades:open-exam", args=[assignment.course.slug, assignment.key])


def dashboard_url(course):
    return reverse("courses:dashboard", args=[course.slug])


def test_a_request_on_a_released_exam_score_waits_for_the_staff_with_no_submission(scored_midterm, alice):
    created = ask_exam(scored_midterm, alice)
    assert (created.status, created.submission, created.question, created.test_name) == ("open", None, None, "")
    assert created.part_label == "the whole assignment"


def test_an_exam_request_before_the_release_is_refused(midterm, alice, instructor):
    score_set(member=alice, assignment=midterm, points=D(42), by=instructor.user, now=NOW - 3 * DAY)
    with pytest.raises(RegradeRefused, match="^Grades for Midterm 1 are not released yet"):
        ask_exam(midterm, alice)
    assert not RegradeRequest.objects.exists()


def test_an_exam_request_after_the_window_is_refused_with_the_closing_date(scored_midterm, alice):
    with pytest.raises(RegradeRefused, match=r"^Regrade requests for Midterm 1 closed on Mon Mar 15, 12:00 PM EDT"):
        ask_exam(scored_midterm, alice, now=CLOSES + timedelta(minutes=1))


def test_an_exam_request_without_a_score_is_refused(midterm, alice):
    release(midterm)
    with pytest.raises(RegradeRefused, match="^The whole assignment of Midterm 1 has no grade yet to regrade"):
        ask_exam(midterm, alice)


def test_a_second_request_on_the_same_exam_waits_for_the_first(scored_midterm, alice):
    ask_exam(scored_midterm, alice)
    with pytest.raises(RegradeRefused, match="already have an open regrade request on the whole assignment of Midterm 1"):
        ask_exam(scored_midterm, alice)


def test_work_handed_in_is_asked_about_from_its_submission_not_as_an_exam(graded_pset, alice):
    with pytest.raises(RegradeRefused, match="^Ask for a regrade of Problem set 1 from the page of your graded submission"):
        ask_exam(graded_pset.assignment, alice)


def test_the_staff_cannot_open_an_exam_request(scored_midterm, ta):
    with pytest.raises(RegradeRefused, match="^Only a student of the course"):
        ask_exam(scored_midterm, ta)


def test_the_database_refuses_a_request_without_a_submission_on_one_question(scored_midterm, alice, q1):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegradeRequest.objects.create(member=alice, assignment=scored_midterm, question=q1, submission=None,
                                      justification="Q1", opened_at=NOW)


def test_answering_an_exam_request_moves_the_exam_score(scored_midterm, alice, instructor):
    created = ask_exam(scored_midterm, alice)
    done = regrade_request_answer(regrade_request=created, by=instructor, note="Question 3 earns the 3 points.",
                                  score_change=D(3), now=NOW)
    assert (done.status, done.old_score, done.new_score) == ("answered", D(42), D(45))
    assert score_of(alice, scored_midterm) == D(45)


def test_declining_an_exam_request_keeps_the_score_and_records_it(scored_midterm, alice, instructor):
    created = ask_exam(scored_midterm, alice)
    done = regrade_request_decline(regrade_request=created, by=instructor, note="The bound is loose.", now=NOW)
    assert (fresh(done).status, done.old_score, done.new_score, done.score_change) == ("declined", D(42), D(42), 0)
    assert score_of(alice, scored_midterm) == D(42)


def test_the_dashboard_offers_a_regrade_of_a_released_exam_score_while_the_window_is_open(
        client, scored_midterm, alice, frozen_clock):
    page = as_user(client, alice).get(dashboard_url(scored_midterm.course))
    assert open_exam_url(scored_midterm) in page.content.decode()
    assert "Ask for a regrade (until Mon Mar 15, 12:00 PM EDT)" in text_of(page)
    frozen_clock.move_to(CLOSES + timedelta(minutes=1))
    assert open_exam_url(scored_midterm) not in client.get(dashboard_url(scored_midterm.course)).content.decode()


def test_the_dashboard_offers_no_exam_regrade_before_the_release(client, midterm, alice, instructor):
    score_set(member=alice, assignment=midterm, points=D(42), by=instructor.user, now=NOW - 3 * DAY)
    page = as_user(client, alice).get(dashboard_url(midterm.course))
    assert open_exam_url(midterm) not in page.content.decode()


def test_a_student_asks_from_the_exam_page_and_lands_on_the_request(client, scored_midterm, alice):
    as_user(client, alice)
    form = client.get(open_exam_url(scored_midterm))
    assert "Ask for a regrade of Midterm 1" in text_of(form)
    response = client.post(open_exam_url(scored_midterm), {"part": "assignment", "justification": "Q3 is right."})
    created = RegradeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(created)
    page = client.get(detail_url(created))
    assert "Your regrade request on the whole assignment of Midterm 1 was sent to the course staff." in text_of(page)
    dashboard = client.get(dashboard_url(scored_midterm.course))
    assert detail_url(created) in dashboard.content.decode()
    assert "Regrade request of Wed Mar 10: waiting for a member of staff" in text_of(dashboard)


def test_the_exam_page_shows_why_a_request_cannot_be_made(client, midterm, alice):
    page = as_user(client, alice).get(open_exam_url(midterm))
    assert page.status_code == 200
    assert "Grades for Midterm 1 are not released yet; you can ask for a regrade once they are." in text_of(page)
    assert 'id="regrade-form"' not in page.content.decode()


def test_a_refused_exam_request_keeps_the_students_words(client, scored_midterm, alice):
    ask_exam(scored_midterm, alice)
    response = as_user(client, alice).post(open_exam_url(scored_midterm),
                                           {"part": "assignment", "justification": "And question 4 too."})
    assert response.status_code == 400
    assert "already have an open regrade request on the whole assignment of Midterm 1" in text_of(response)
    assert "And question 4 too." in response.content.decode()


def test_the_exam_regrade_page_of_work_handed_in_does_not_exist(client, graded_pset, alice):
    response = as_user(client, alice).get(open_exam_url(graded_pset.assignment))
    assert response.status_code == 404


def test_the_staff_see_an_exam_request_with_a_link_to_the_scores(client, scored_midterm, alice, ta):
    created = ask_exam(scored_midterm, alice)
    page = as_user(client, ta).get(detail_url(created))
    assert reverse("grades:scores", args=[scored_midterm.course.slug, scored_midterm.key]) in page.content.decode()
    assert "Score now Midterm 1: 42 of 60 points" in text_of(page)


def test_the_dashboard_shows_the_answered_request_and_the_new_score(client, scored_midterm, alice, instructor,
                                                                    frozen_clock):
    created = ask_exam(scored_midterm, alice)
    regrade_request_answer(regrade_request=created, by=instructor, note="Question 3 earns the 3 points.",
                           score_change=D(3), now=NOW)
    frozen_clock.move_to(CLOSES + timedelta(minutes=1))         # after the window, the request is still listed
    page = text_of(as_user(client, alice).get(dashboard_url(scored_midterm.course)))
    assert "45 / 60 Regrade request of Wed Mar 10: answered (+3)" in page
    assert "Ask for a regrade" not in page
