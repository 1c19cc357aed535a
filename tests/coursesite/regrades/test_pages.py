"""The request's page (the student sees the answer and the new score), taking and answering from it."""
from decimal import Decimal as D

import pytest
from django.template import Context, Template
from django.utils import timezone

from coursesite.regrades.selectors import regrade_link_for_submission
from coursesite.regrades.services import regrade_request_answer, regrade_request_decline
from tests.coursesite.regrades.conftest import (
    CLOSES,
    NOW,
    answer_url,
    as_user,
    detail_url,
    fresh,
    open_url,
    queue_url,
    score_of,
    take,
    take_url,
    text_of,
)

pytestmark = pytest.mark.django_db


def test_the_student_sees_the_answer_and_the_new_score(client, q2_request, alice, associate):
    regrade_request_answer(regrade_request=q2_request, by=associate, note="The chain rule is there.",
                           score_change=D(2), now=NOW)
    page = text_of(as_user(client, alice).get(detail_url(q2_request)))
    assert "Status Answered by Fiona Jeffrey on Wed Mar 10, 12:00 PM EST" in page
    assert "Score Question 2: 6 → 8 of 10 points (+2)" in page
    assert "Answer The chain rule is there." in page


def test_the_student_sees_a_decline_and_the_unchanged_score(client, project_request, alice, associate):
    regrade_request_decline(regrade_request=project_request, by=associate, note="Graded right.", now=NOW)
    page = text_of(as_user(client, alice).get(detail_url(project_request)))
    assert "Score Unchanged: Project proposal stays 40 of 50 points" in page
    assert "Answer Graded right." in page


def test_the_student_sees_neither_who_took_the_request_nor_a_take_button(client, q2_request, alice, ta):
    take(q2_request, ta)
    response = as_user(client, alice).get(detail_url(q2_request))
    assert "Status Being looked at" in text_of(response) and "Anirban" not in text_of(response)
    assert b"take-form" not in response.content and b"answer-form" not in response.content


def test_another_student_gets_404_on_a_request(client, q2_request, bob):
    assert as_user(client, bob).get(detail_url(q2_request)).status_code == 404


def test_staff_see_the_request_with_the_score_now_and_a_take_button(client, q2_request, ta):
    response = as_user(client, ta).get(detail_url(q2_request))
    page = text_of(response)
    assert "Student Alice Adams (alice)" in page and "Score now Question 2: 6 of 10 points" in page
    assert "My answer is right: see page 2." in page
    assert b'id="take-form"' in response.content and b'id="answer-form"' not in response.content


def test_taking_from_the_page_shows_the_answer_form_to_the_taker(client, q2_request, ta):
    response = as_user(client, ta).post(take_url(q2_request))
    assert response.status_code == 302 and response["Location"] == detail_url(q2_request)
    page = client.get(detail_url(q2_request))
    assert "You took Alice Adams's regrade request; answer it below." in text_of(page)
    assert b'id="answer-form"' in page.content


def test_taking_a_request_someone_else_took_is_refused_on_the_page(client, q2_request, ta, other_ta):
    take(q2_request, ta)
    response = as_user(client, other_ta).post(take_url(q2_request))
    assert response.status_code == 400
    assert "Anirban Basu already took this request" in text_of(response)
    assert fresh(q2_request).handled_by == ta.user


def test_a_student_gets_403_on_taking_their_own_request(client, q2_request, alice):
    assert as_user(client, alice).post(take_url(q2_request)).status_code == 403


def test_an_empty_answer_is_refused_with_the_forms_errors(client, q2_request, associate):
    response = as_user(client, associate).post(answer_url(q2_request), {})
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose to answer or to decline the request." in page and "Write a note to the student." in page
    assert fresh(q2_request).status == "open"


def test_an_answer_without_a_change_of_score_is_refused(client, q2_request, associate):
    response = as_user(client, associate).post(answer_url(q2_request), {"action": "answer", "note": "Yes."})
    assert response.status_code == 400
    assert "Give the change of score (0 to keep it as it is)." in text_of(response)


def test_a_change_of_score_that_is_not_a_number_is_refused(client, q2_request, associate):
    response = as_user(client, associate).post(answer_url(q2_request),
                                               {"action": "answer", "note": "Yes.", "score_change": "two"})
    assert response.status_code == 400
    assert "The change of score must be a number, e.g. 2, -1.5 or 0." in text_of(response)


def test_answering_from_the_page_changes_the_score_and_returns_to_the_queue(client, q2_request, pset, alice, ta):
    take(q2_request, ta)
    response = as_user(client, ta).post(answer_url(q2_request),
                                        {"action": "answer", "note": "Agreed.", "score_change": "-1"})
    assert response.status_code == 302 and response["Location"] == queue_url(pset.course)
    assert "Answered Alice Adams's regrade request. Question 2: 6 → 5." in text_of(client.get(response["Location"]))
    assert score_of(alice, pset) == D(12)


def test_a_refused_answer_is_shown_on_the_page_and_changes_nothing(client, project_request, project, alice, associate):
    response = as_user(client, associate).post(answer_url(project_request),
                                               {"action": "answer", "note": "More.", "score_change": "20"})
    assert response.status_code == 400
    assert "60 is above the maximum of 50 points for Project proposal" in text_of(response)
    assert score_of(alice, project) == D(40)


def test_the_confirmation_box_allows_a_score_above_the_maximum(client, project_request, project, alice, associate):
    as_user(client, associate).post(answer_url(project_request), {
        "action": "answer", "note": "Extra credit.", "score_change": "15", "confirm_above_maximum": "on"})
    assert score_of(alice, project) == D(55)


def test_a_question_request_offers_no_confirmation_box(client, q2_request, associate):
    response = as_user(client, associate).get(detail_url(q2_request))
    assert b"confirm_above_maximum" not in response.content


def test_declining_from_the_page_keeps_the_score(client, q2_request, pset, alice, associate):
    response = as_user(client, associate).post(answer_url(q2_request), {"action": "decline", "note": "Right as is."})
    assert response.status_code == 302
    assert (fresh(q2_request).status, score_of(alice, pset)) == ("declined", D(13))


def test_a_ta_who_did_not_take_the_request_gets_403_on_answering(client, q2_request, ta):
    response = as_user(client, ta).post(answer_url(q2_request), {"action": "decline", "note": "No."})
    assert response.status_code == 403
    assert fresh(q2_request).status == "open"


def test_a_ta_who_did_not_take_it_is_told_who_answers(client, q2_request, ta, other_ta):
    take(q2_request, other_ta)
    page = text_of(as_user(client, ta).get(detail_url(q2_request)))
    assert "Bo Liu already took this request; only they, the education associate or the instructor can answer it." in page


# The link on the student's submission page.

def render_link(submission, viewer) -> str:
    template = Template('{% include "regrades/_open_link.html" %}')
    link = regrade_link_for_submission(submission, viewer, timezone.now())
    return " ".join(template.render(Context({"submission": submission, "link": link})).split())


def test_the_owner_gets_the_link_once_grades_are_released(graded_pset, alice):
    shown = render_link(graded_pset, alice)
    assert f'href="{open_url(graded_pset)}"' in shown and "until Mon Mar 15, 12:00 PM EDT" in shown


def test_the_link_lists_the_students_requests_on_the_submission(q2_request, graded_pset, alice):
    assert "Question 2. Backpropagation" in render_link(graded_pset, alice)


def test_no_link_before_the_release(pset, q1, alice):
    from tests.coursesite.regrades.conftest import hand_in

    assert render_link(hand_in(alice, pset), alice) == ""


def test_no_link_for_the_staff(graded_pset, ta):
    assert render_link(graded_pset, ta) == ""


def test_after_the_window_the_link_says_when_requests_closed(graded_pset, alice, frozen_clock):
    frozen_clock.move_to(CLOSES.replace(day=16))
    shown = render_link(graded_pset, alice)
    assert "Regrade requests for Problem set 1 closed on Mon Mar 15, 12:00 PM EDT." in shown
    assert open_url(graded_pset) not in shown
