"""Deleting a question or a rubric item that no grading uses yet, from the rubric page."""
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from coursesite.grades.models import Score
from coursesite.regrades.models import RegradeRequest
from coursesite.rubrics.models import Question, RubricItem
from coursesite.rubrics.services import RubricRefused, question_delete, rubric_item_delete
from tests.coursesite.assignments.support import text_of
from tests.coursesite.rubrics.conftest import edit_url, grade, item


def delete_question_url(question):
    a = question.assignment
    return reverse("rubrics:question-delete", args=[a.course.slug, a.key, question.id])


def delete_item_url(rubric_item):
    a = rubric_item.question.assignment
    return reverse("rubrics:item-delete", args=[a.course.slug, a.key, rubric_item.id])


@pytest.fixture
def editor_client(client, associate):
    client.force_login(associate.user)
    return client


def test_an_item_no_answer_ticked_is_deleted_and_the_page_says_so(editor_client, submissions, q1, ta):
    grade(submissions[0], q1, "Correct update rule", by=ta)
    unused = item(q1, "Sign error")

    response = editor_client.post(delete_item_url(unused), follow=True)

    assert "Deleted the rubric item “-3 Sign error” from question 1." in text_of(response)
    assert list(q1.items.values_list("description", flat=True)) == ["Correct update rule", "Partial derivation"]


def test_an_item_a_graded_answer_ticked_is_kept_and_the_page_says_why(editor_client, submissions, q1, ta):
    grade(submissions[0], q1, "Sign error", by=ta)
    grade(submissions[1], q1, "Sign error", by=ta)

    response = editor_client.post(delete_item_url(item(q1, "Sign error")), follow=True)

    assert ("The rubric item “-3 Sign error” can't be deleted: 2 graded answers ticked it, and deleting it would "
            "change their scores. Untick it in those answers first.") in text_of(response)
    assert q1.items.filter(description="Sign error").exists()


def test_a_question_no_answer_is_graded_with_is_deleted_and_the_page_says_so(editor_client, q1, q2):
    response = editor_client.post(delete_question_url(q2), follow=True)

    assert "Deleted Question 2. Backpropagation." in text_of(response)
    assert list(Question.objects.values_list("number", flat=True)) == [1]
    assert not RubricItem.objects.filter(description="Correct gradients").exists()


def test_a_graded_question_is_kept_and_the_page_says_why(editor_client, submissions, q1, ta):
    grade(submissions[0], q1, "Correct update rule", by=ta)

    response = editor_client.post(delete_question_url(q1), follow=True)

    assert ("Question 1. Perceptron can't be deleted: 1 answer is graded with it, and deleting it would "
            "change the students' scores.") in text_of(response)
    assert Question.objects.filter(pk=q1.pk).exists()


def test_a_question_a_regrade_request_is_about_is_kept(alice, submissions, q1, instructor):
    RegradeRequest.objects.create(submission=submissions[0], member=alice, assignment=q1.assignment, question=q1,
                                  justification="See page 2.", opened_at=timezone.now())

    with pytest.raises(RubricRefused, match="Question 1. Perceptron can't be deleted: 1 regrade request is about it."):
        question_delete(question=q1, by=instructor.user, now=timezone.now())
    assert Question.objects.filter(pk=q1.pk).exists()


def test_deleting_the_last_ungraded_question_writes_the_score_of_a_fully_graded_answer(
        submissions, q1, q2, ta, instructor, alice):
    grade(submissions[0], q1, "Correct update rule", by=ta)
    assert not Score.objects.filter(member=alice).exists()     # question 2 is still to grade

    question_delete(question=q2, by=instructor.user, now=timezone.now())

    score = Score.objects.get(member=alice, assignment=q1.assignment)
    assert (score.points, score.entered_by) == (D(10), instructor.user)


def test_an_item_ticked_meanwhile_by_a_grader_is_refused(submissions, q1, ta, instructor):
    stale = item(q1, "Partial derivation")
    grade(submissions[0], q1, "Partial derivation", by=ta)

    with pytest.raises(RubricRefused, match="1 graded answer ticked it"):
        rubric_item_delete(item=stale, by=instructor.user)


def test_the_rubric_page_offers_delete_only_where_no_grading_uses_it(editor_client, submissions, q1, q2, ta):
    grade(submissions[0], q1, "Sign error", by=ta)

    page = editor_client.get(edit_url(q1.assignment)).content.decode()

    assert delete_question_url(q1) not in page and delete_question_url(q2) in page
    assert "1 graded answer: it can't be deleted." in text_of(editor_client.get(edit_url(q1.assignment)))
    assert delete_item_url(item(q1, "Sign error")) not in page
    assert delete_item_url(item(q1, "Partial derivation")) in page


def test_a_ta_cannot_delete_a_question(client, ta, q1):
    client.force_login(ta.user)

    assert client.post(delete_question_url(q1)).status_code == 403
    assert Question.objects.filter(pk=q1.pk).exists()


def test_deleting_is_post_only(editor_client, q1):
    assert editor_client.get(delete_question_url(q1)).status_code == 405
    assert Question.objects.filter(pk=q1.pk).exists()
