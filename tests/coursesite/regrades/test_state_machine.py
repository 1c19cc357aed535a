"""open -> taken -> answered | declined: who may take a request and who may answer it."""
from decimal import Decimal as D

import pytest

from coursesite.regrades.services import RegradeRefused, regrade_request_answer, regrade_request_decline
from tests.coursesite.regrades.conftest import NOW, fresh, take

pytestmark = pytest.mark.django_db


def answer(regrade_request, by, change=D(1), note="Agreed: the chain rule is there."):
    return regrade_request_answer(regrade_request=regrade_request, by=by, note=note, score_change=change, now=NOW)


def decline(regrade_request, by, note="The rubric asks for the bias term too."):
    return regrade_request_decline(regrade_request=regrade_request, by=by, note=note, now=NOW)


def test_taking_an_open_request_makes_the_taker_its_handler(q2_request, ta):
    take(q2_request, ta)
    assert (fresh(q2_request).status, fresh(q2_request).handled_by) == ("taken", ta.user)


def test_taking_a_request_someone_else_took_is_refused_with_their_name(q2_request, ta, other_ta):
    take(q2_request, ta)
    with pytest.raises(RegradeRefused, match="^Anirban Basu already took this request; only they, the education "
                                             "associate or the instructor can answer it.$"):
        take(q2_request, other_ta)
    assert fresh(q2_request).handled_by == ta.user


def test_an_instructor_cannot_take_a_request_a_ta_took_either(q2_request, ta, instructor):
    take(q2_request, ta)
    with pytest.raises(RegradeRefused, match="Anirban Basu already took this request"):
        take(q2_request, instructor)


def test_taking_ones_own_request_again_changes_nothing(q2_request, ta):
    take(q2_request, ta)
    assert take(q2_request, ta).handled_by == ta.user


def test_an_answered_request_cannot_be_taken(q2_request, associate, ta):
    decline(q2_request, associate)
    with pytest.raises(RegradeRefused, match="^This request was already declined by Fiona Jeffrey on "
                                             "Wed Mar 10, 12:00 PM EST.$"):
        take(q2_request, ta)


def test_a_student_cannot_take_a_request(q2_request, alice):
    with pytest.raises(RegradeRefused, match="Only the course staff take regrade requests"):
        take(q2_request, alice)


def test_a_ta_answers_a_request_they_took(q2_request, ta):
    take(q2_request, ta)
    answered = answer(q2_request, ta)
    assert (answered.status, answered.answered_by, answered.answered_at) == ("answered", ta.user, NOW)


def test_a_ta_cannot_answer_a_request_nobody_took(q2_request, ta):
    with pytest.raises(RegradeRefused, match="^Take this request before answering it"):
        answer(q2_request, ta)
    assert fresh(q2_request).status == "open"


def test_a_ta_cannot_answer_a_request_another_ta_took(q2_request, ta, other_ta):
    take(q2_request, ta)
    with pytest.raises(RegradeRefused, match="Anirban Basu already took this request"):
        decline(q2_request, other_ta)


def test_the_education_associate_answers_a_request_nobody_took_and_becomes_its_handler(q2_request, associate):
    answered = answer(q2_request, associate)
    assert (answered.status, answered.handled_by, answered.answered_by) == ("answered", associate.user, associate.user)


def test_the_instructor_answers_a_request_a_ta_took_and_the_ta_stays_its_handler(q2_request, ta, instructor):
    take(q2_request, ta)
    answered = answer(q2_request, instructor)
    assert (answered.handled_by, answered.answered_by) == (ta.user, instructor.user)


def test_an_answered_request_cannot_be_answered_again(q2_request, associate, instructor):
    answer(q2_request, associate)
    with pytest.raises(RegradeRefused, match="This request was already answered by Fiona Jeffrey"):
        answer(q2_request, instructor)


def test_a_declined_request_cannot_be_answered(q2_request, associate):
    decline(q2_request, associate)
    with pytest.raises(RegradeRefused, match="already declined"):
        answer(q2_request, associate)


def test_an_answer_without_a_note_is_refused(q2_request, associate):
    with pytest.raises(RegradeRefused, match="Write a note to the student"):
        answer(q2_request, associate, note="  ")
    assert fresh(q2_request).status == "open"


def test_staff_of_another_course_cannot_answer(q2_request):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(role="instructor")
    with pytest.raises(RegradeRefused, match="Only the course staff answer regrade requests"):
        answer(q2_request, stranger)
