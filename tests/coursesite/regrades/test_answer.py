"""An answer changes the score up or down, through the rubric or the assignment's score, with its history
and an e-mail to the student; a decline leaves the score as it was."""
from decimal import Decimal as D

import pytest

from coursesite.audit.models import AuditEntry
from coursesite.regrades.parts import autograder_test_part
from coursesite.regrades.services import RegradeRefused, regrade_request_answer, regrade_request_decline
from coursesite.rubrics.models import RubricItem
from coursesite.rubrics.services import rubric_item_save
from coursesite.assignments.services import submission_make_active
from coursesite.grades.models import Score
from tests.coursesite.regrades.conftest import (
    NOW,
    RESULT,
    adjustment_of,
    ask,
    finish_grading,
    fresh,
    hand_in,
    score_of,
    take,
)

pytestmark = pytest.mark.django_db


def answer(regrade_request, by, change, note="Agreed.", confirmed=False):
    return regrade_request_answer(regrade_request=regrade_request, by=by, note=note, score_change=change,
                                  above_maximum_confirmed=confirmed, now=NOW)


def score_history(member, assignment):
    return [(e.old_value, e.new_value, e.why, e.who.username)
            for e in AuditEntry.objects.filter(member=member, assignment=assignment, kind="score").order_by("at", "id")]


# Rubric questions: the change goes into the question grade's adjustment.

def test_answering_up_raises_the_question_and_the_assignment_score(q2_request, graded_pset, q2, pset, alice, ta):
    take(q2_request, ta)
    answered = answer(q2_request, ta, D(2))
    assert (answered.old_score, answered.new_score, answered.score_change) == (D(6), D(8), D(2))
    assert adjustment_of(graded_pset, q2) == D(2)
    assert score_of(alice, pset) == D(15)


def test_answering_down_lowers_the_question_and_the_assignment_score(q2_request, graded_pset, q2, pset, alice, ta):
    take(q2_request, ta)
    answer(q2_request, ta, D("-1.5"))
    assert adjustment_of(graded_pset, q2) == D("-1.5")
    assert score_of(alice, pset) == D("11.5")


def test_a_rubric_regrade_is_in_the_history_of_the_assignment_score(q2_request, pset, alice, associate):
    answer(q2_request, associate, D(2))
    assert score_history(alice, pset)[-1][:2] == ("13", "15")
    assert score_history(alice, pset)[-1][3] == "fjeffrey"


def test_a_rubric_regrade_survives_a_later_change_of_a_rubric_item(q2_request, q2, pset, alice, associate):
    answer(q2_request, associate, D(2))
    item = RubricItem.objects.get(question=q2)
    rubric_item_save(question=q2, item=item, description=item.description, points=D(5), by=associate.user, now=NOW)
    assert score_of(alice, pset) == D(7) + D(5) + D(2)


def test_a_change_past_the_questions_points_is_refused_and_changes_nothing(q2_request, graded_pset, q2, pset, alice,
                                                                            associate):
    with pytest.raises(RegradeRefused, match="^Question 2 would go from 6 to 10 points, not 11: a question's score "
                                             "stays between 0 and its 10 points.$"):
        answer(q2_request, associate, D(5))
    assert (adjustment_of(graded_pset, q2), score_of(alice, pset), fresh(q2_request).status) == (D(0), D(13), "open")


def test_a_change_below_zero_on_a_question_is_refused(q2_request, associate):
    with pytest.raises(RegradeRefused, match="Question 2 would go from 6 to 0 points, not -1"):
        answer(q2_request, associate, D(-7))


def test_a_change_of_zero_answers_and_keeps_the_score(q2_request, pset, alice, associate):
    answered = answer(q2_request, associate, D(0), note="Looked again: 6 is right.")
    assert (answered.status, answered.old_score, answered.new_score) == ("answered", D(6), D(6))
    assert score_of(alice, pset) == D(13)


def test_a_request_on_a_submission_no_longer_graded_cannot_be_answered(q2_request, pset, alice, associate):
    hand_in(alice, pset)
    with pytest.raises(RegradeRefused, match="Alice Adams has made another submission the graded one since asking"):
        answer(q2_request, associate, D(1))


# Work scored as a whole, and autograder tests: the change goes into the assignment's score.

def test_answering_up_raises_the_assignment_score_with_its_history(project_request, project, alice, associate):
    answered = answer(project_request, associate, D("2.5"))
    assert (answered.old_score, answered.new_score) == (D(40), D("42.5"))
    assert score_of(alice, project) == D("42.5")
    assert score_history(alice, project)[-1] == ("40", "42.5", f"regrade request #{project_request.id}", "fjeffrey")


def test_answering_down_lowers_the_assignment_score_with_its_history(project_request, project, alice, ta):
    take(project_request, ta)
    answer(project_request, ta, D(-5))
    assert score_of(alice, project) == D(35)
    assert score_history(alice, project)[-1] == ("40", "35", f"regrade request #{project_request.id}", "abasu")


def test_a_score_never_goes_below_zero(project_request, project, alice, associate):
    with pytest.raises(RegradeRefused, match="^The score can't go below 0: 40 − 41 would be -1.$"):
        answer(project_request, associate, D(-41))
    assert (score_of(alice, project), fresh(project_request).status) == (D(40), "open")


def test_a_score_above_the_maximum_needs_the_confirmation(project_request, project, alice, associate):
    with pytest.raises(RegradeRefused, match="^55 is above the maximum of 50 points for Project proposal; tick the "
                                             "box to confirm a score above the maximum.$"):
        answer(project_request, associate, D(15))
    assert score_of(alice, project) == D(40)


def test_a_confirmed_score_above_the_maximum_is_stored(project_request, project, alice, associate):
    answer(project_request, associate, D(15), confirmed=True)
    assert score_of(alice, project) == D(55)


def test_a_regraded_autograder_test_changes_the_assignment_score(graded_coding, coding, alice, associate):
    regrade_request = ask(graded_coding, autograder_test_part("softmax: rows sum to 1"))
    answered = answer(regrade_request, associate, D(2), note="Your softmax is within tolerance.")
    assert (answered.test_name, answered.old_score, answered.new_score) == ("softmax: rows sum to 1", D(18), D(20))
    assert score_of(alice, coding) == D(20)


def test_a_regraded_autograder_test_outlives_a_switch_of_the_graded_submission(graded_coding, coding, alice,
                                                                               associate):
    answer(ask(graded_coding, autograder_test_part("softmax: rows sum to 1")), associate, D(2))
    later = hand_in(alice, coding, active=False)
    finish_grading(later, result={**RESULT, "score": 6.0}, score=D(6))
    submission_make_active(submission=later)
    assert score_of(alice, coding) == D(12)                  # 6 of 15 test points, scaled to 30
    submission_make_active(submission=graded_coding)
    assert score_of(alice, coding) == D(20)                  # 9 of 15 -> 18, and the regrade's +2
    assert Score.objects.get(member=alice, assignment=coding).comment == (
        "Autograder: 9 of 15 test points. Regrade requests: +2 points.")


# Declining.

def test_declining_leaves_the_question_and_the_score(q2_request, graded_pset, q2, pset, alice, associate):
    declined = regrade_request_decline(regrade_request=q2_request, by=associate, note="Bias term missing.", now=NOW)
    assert (declined.status, declined.score_change, declined.old_score, declined.new_score) == (
        "declined", D(0), D(6), D(6))
    assert (adjustment_of(graded_pset, q2), score_of(alice, pset)) == (D(0), D(13))


def test_declining_writes_no_history(project_request, project, alice, associate):
    before = score_history(alice, project)
    regrade_request_decline(regrade_request=project_request, by=associate, note="Graded right.", now=NOW)
    assert score_history(alice, project) == before


def test_declining_needs_a_note(project_request, associate):
    with pytest.raises(RegradeRefused, match="Write a note to the student saying why the request is declined"):
        regrade_request_decline(regrade_request=project_request, by=associate, note="", now=NOW)


# The student hears of it.

def test_the_student_is_emailed_the_answer_after_the_commit(q2_request, associate, mailoutbox, notifications,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer(q2_request, associate, D(2), note="The chain rule is there.")
    assert mailoutbox == [] and notifications.sent == []
    for callback in callbacks:
        callback()
    assert notifications.kinds() == ["notify_regrade_answered"]
    notifications.deliver()
    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Your regrade request on Problem set 1 was answered")
    assert "Your request on Question 2. Backpropagation: Question 2 went from 6 to 8 of 10 points." in mail.body
    assert "The chain rule is there." in mail.body
    assert f"/regrade-requests/{q2_request.id}/" in mail.body


def test_the_student_is_emailed_a_decline(project_request, associate, mailoutbox, notifications,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        regrade_request_decline(regrade_request=project_request, by=associate, note="Graded right.", now=NOW)
    notifications.deliver()
    [mail] = mailoutbox
    assert "Your request on the whole assignment was declined; the score is unchanged.\n\nGraded right." in mail.body


def test_a_refused_answer_sends_no_email(project_request, associate, mailoutbox, notifications,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RegradeRefused):
        answer(project_request, associate, D(-100))
    assert mailoutbox == [] and notifications.sent == []


# Before the due date the student's totals would count tests still hidden from them.

@pytest.fixture
def early_released_coding(course, alice):
    """Alice's HW2, graded by the autograder (18 of 30) and released before its due date (in 3 days)."""
    from coursesite.autograding.services import autograder_score_sync
    from tests.coursesite.regrades.conftest import DAY, release
    from tests.factories import AssignmentFactory

    hw2 = AssignmentFactory(course=course, coding=True, key="hw2-coding", title="HW2 coding", points=D(30),
                            release_at=NOW - 10 * DAY, due_at=NOW + 3 * DAY)
    submission = hand_in(alice, hw2, when=NOW - 2 * DAY)
    finish_grading(submission)
    autograder_score_sync(submission=submission, now=NOW - 2 * DAY)
    release(hw2, at=NOW - DAY)
    return submission


def test_before_the_due_date_the_student_hears_of_the_change_but_not_the_totals(
        client, early_released_coding, alice, associate, mailoutbox, notifications, django_capture_on_commit_callbacks):
    from tests.coursesite.regrades.conftest import detail_url, text_of

    with django_capture_on_commit_callbacks(execute=True):
        answered = answer(ask(early_released_coding, autograder_test_part("softmax: rows sum to 1")), associate, D(2))
    notifications.deliver()
    client.force_login(alice.user)
    page = text_of(client.get(detail_url(answered)))
    assert "Score HW2 coding: +2 points (its total is shown after the due date)" in page
    assert "18 → 20" not in page
    assert "+2 points on HW2 coding (its total is shown after the due date)" in mailoutbox[0].body
    assert "20 of 30" not in mailoutbox[0].body
