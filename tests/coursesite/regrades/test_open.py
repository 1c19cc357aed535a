"""A student opens a regrade request on one part of a released grade, within the course's window."""
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.parts import WHOLE_ASSIGNMENT, question_part
from coursesite.regrades.services import RegradeRefused
from tests.coursesite.regrades.conftest import (
    CLOSES,
    NOW,
    as_user,
    ask,
    detail_url,
    grade,
    hand_in,
    open_url,
    release,
    text_of,
)

pytestmark = pytest.mark.django_db


def post_request(client, submission, part_key, justification="Question 2 is right: see page 2."):
    return client.post(open_url(submission), {"part": part_key, "justification": justification})


def test_a_request_opened_within_the_window_waits_for_the_staff(graded_pset, q2, alice):
    created = ask(graded_pset, question_part(q2), why="The chain rule is set up on page 2.")
    assert (created.status, created.question, created.member, created.handled_by) == ("open", q2, alice, None)
    assert (created.justification, created.opened_at) == ("The chain rule is set up on page 2.", NOW)


def test_a_request_on_the_last_moment_of_the_window_is_taken(graded_pset, q2, frozen_clock):
    frozen_clock.move_to(CLOSES)
    assert ask(graded_pset, question_part(q2)).status == "open"


def test_a_request_after_the_window_is_refused_with_the_closing_date(graded_pset, q2, frozen_clock):
    frozen_clock.move_to(CLOSES + timedelta(minutes=1))
    with pytest.raises(RegradeRefused, match=r"^Regrade requests for Problem set 1 closed on "
                                             r"Mon Mar 15, 12:00 PM EDT\.$"):
        ask(graded_pset, question_part(q2))
    assert not RegradeRequest.objects.exists()


def test_the_window_is_the_courses_number_of_days(graded_pset, q2, course, frozen_clock):
    course.regrade_window_days = 1
    course.save()
    frozen_clock.move_to(NOW)      # released two days ago
    with pytest.raises(RegradeRefused, match="closed on Tue Mar 9, 12:00 PM EST"):
        ask(graded_pset, question_part(q2))


def test_a_request_before_the_grades_are_released_is_refused(pset, q1, alice, ta):
    submission = hand_in(alice, pset)
    grade(submission, q1, "Correct update rule", by=ta)
    with pytest.raises(RegradeRefused, match="Grades for Problem set 1 are not released yet"):
        ask(submission, question_part(q1))


def test_a_release_in_the_future_is_not_a_release_yet(pset, q1, alice, ta):
    submission = hand_in(alice, pset)
    grade(submission, q1, "Correct update rule", by=ta)
    release(pset, at=NOW + timedelta(hours=1))
    with pytest.raises(RegradeRefused, match="not released yet"):
        ask(submission, question_part(q1))


def test_a_second_open_request_on_the_same_question_is_refused(q2_request, graded_pset, q2):
    with pytest.raises(RegradeRefused, match="You already have an open regrade request on question 2. "
                                             "Backpropagation of Problem set 1"):
        ask(graded_pset, question_part(q2))
    assert RegradeRequest.objects.count() == 1


def test_a_request_on_another_question_is_taken_beside_an_open_one(q2_request, graded_pset, q1):
    assert ask(graded_pset, question_part(q1)).status == "open"


def test_a_taken_request_still_counts_as_open(q2_request, graded_pset, q2, ta):
    from tests.coursesite.regrades.conftest import take

    take(q2_request, ta)
    with pytest.raises(RegradeRefused, match="already have an open regrade request"):
        ask(graded_pset, question_part(q2))


def test_a_new_request_on_a_part_can_follow_an_answered_one(q2_request, graded_pset, q2, associate):
    from coursesite.regrades.services import regrade_request_decline

    regrade_request_decline(regrade_request=q2_request, by=associate, note="Graded right.", now=NOW)
    assert ask(graded_pset, question_part(q2)).status == "open"


def test_the_database_refuses_two_open_requests_on_the_whole_assignment(project_request, scored_project):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegradeRequest.objects.create(submission=scored_project, member=scored_project.member,
                                      assignment=scored_project.assignment, justification="Again", opened_at=NOW)


def test_the_database_refuses_two_open_requests_on_one_question(q2_request, graded_pset, q2):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegradeRequest.objects.create(submission=graded_pset, member=graded_pset.member, question=q2,
                                      assignment=graded_pset.assignment, justification="Again", opened_at=NOW)


def test_a_request_on_a_submission_that_is_not_the_active_one_is_refused(graded_pset, q2, alice, pset):
    hand_in(alice, pset, when=NOW - 14 * timedelta(days=1))       # a later one is now graded
    graded_pset.refresh_from_db()
    with pytest.raises(RegradeRefused, match="Only your graded \\(active\\) submission can be regraded"):
        ask(graded_pset, question_part(q2))


def test_a_request_on_an_ungraded_question_is_refused(pset, q1, q2, alice, ta):
    submission = hand_in(alice, pset)
    grade(submission, q1, "Correct update rule", by=ta)
    release(pset)
    with pytest.raises(RegradeRefused, match="Question 2. Backpropagation of Problem set 1 has no grade yet"):
        ask(submission, question_part(q2))


def test_a_request_on_work_without_a_score_is_refused(project, alice):
    submission = hand_in(alice, project)
    release(project)
    with pytest.raises(RegradeRefused, match="The whole assignment of Project proposal has no grade yet"):
        ask(submission, WHOLE_ASSIGNMENT)


def test_an_empty_justification_is_refused(graded_pset, q2):
    with pytest.raises(RegradeRefused, match="Say why you think the grade is wrong"):
        ask(graded_pset, question_part(q2), why="   ")


# The page.

def test_the_page_lists_the_questions_to_choose_from(client, graded_pset, alice):
    page = text_of(as_user(client, alice).get(open_url(graded_pset)))
    assert "Question 1. Perceptron Question 2. Backpropagation" in page
    assert "close Mon Mar 15, 12:00 PM EDT, 7 days after the grades' release" in page


def test_posting_the_form_opens_the_request_and_shows_it(client, graded_pset, q2, alice):
    response = post_request(as_user(client, alice), graded_pset, f"question:{q2.id}")
    created = RegradeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(created)
    page = text_of(client.get(response["Location"]))
    assert "Your regrade request on Question 2. Backpropagation of Problem set 1 was sent to the course staff." in page


def test_an_empty_form_is_refused_with_what_is_missing(client, graded_pset, alice):
    response = as_user(client, alice).post(open_url(graded_pset), {})
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose the part of the grade to regrade." in page and "Say why you think the grade is wrong." in page
    assert not RegradeRequest.objects.exists()


def test_a_part_that_is_not_offered_is_refused(client, graded_pset, alice):
    response = post_request(as_user(client, alice), graded_pset, "test:sigmoid")
    assert response.status_code == 400
    assert "Choose one of the parts listed; test:sigmoid is not one of them." in text_of(response)


def test_a_second_request_on_the_page_is_refused_with_a_message(client, q2_request, graded_pset, q2, alice):
    response = post_request(as_user(client, alice), graded_pset, f"question:{q2.id}")
    assert response.status_code == 400
    assert "You already have an open regrade request on question 2. Backpropagation" in text_of(response)
    assert RegradeRequest.objects.count() == 1


def test_after_the_window_the_page_says_when_it_closed_and_offers_no_form(client, graded_pset, alice, frozen_clock):
    frozen_clock.move_to(CLOSES + timedelta(days=1))
    response = as_user(client, alice).get(open_url(graded_pset))
    assert "Regrade requests for Problem set 1 closed on Mon Mar 15, 12:00 PM EDT." in text_of(response)
    assert b'id="regrade-form"' not in response.content


def test_posting_after_the_window_is_refused_on_the_page(client, graded_pset, q2, alice, frozen_clock):
    frozen_clock.move_to(CLOSES + timedelta(days=1))
    response = post_request(as_user(client, alice), graded_pset, f"question:{q2.id}")
    assert response.status_code == 400
    assert "Regrade requests for Problem set 1 closed on Mon Mar 15, 12:00 PM EDT." in text_of(response)
    assert not RegradeRequest.objects.exists()


def test_staff_get_403_on_a_students_regrade_page(client, graded_pset, ta):
    assert as_user(client, ta).get(open_url(graded_pset)).status_code == 403


def test_another_student_gets_404(client, graded_pset, bob):
    assert as_user(client, bob).get(open_url(graded_pset)).status_code == 404


def test_an_earlier_submission_says_it_is_not_the_graded_one_not_that_requests_closed(client, graded_pset, alice):
    from django.urls import reverse

    earlier = hand_in(alice, graded_pset.assignment, when=NOW - timedelta(days=20), active=False)

    page = text_of(as_user(client, alice).get(reverse("assignments:submission-detail", args=[earlier.id])))

    assert "This submission is not the graded one, so it can't be regraded." in page
    assert "until Mon Mar 15, 12:00 PM EDT" in page
    assert "closed on" not in page
