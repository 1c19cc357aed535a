"""Grading questions, and how the students' assignment scores follow the rubric."""
from decimal import Decimal as D

import pytest
from django.utils import timezone

from coursesite.grades.models import Score
from coursesite.rubrics.models import Question, QuestionGrade
from coursesite.rubrics.services import RubricRefused, question_grade_save, question_save, rubric_item_save
from tests.coursesite.rubrics.conftest import grade, hand_in, item
from tests.factories import AssignmentFactory


def score_of(member, assignment):
    return Score.objects.filter(member=member, assignment=assignment).first()


def test_grading_a_question_keeps_the_ticked_items_the_adjustment_and_the_comment(submissions, q1, ta):
    saved = grade(submissions[0], q1, "Correct update rule", "Sign error", adjustment=D("0.5"),
                  comment="Check the sign of the update.", by=ta)
    stored = QuestionGrade.objects.get(pk=saved.pk)
    assert {i.description for i in stored.items.all()} == {"Correct update rule", "Sign error"}
    assert (stored.score, stored.comment, stored.graded_by) == (D("7.5"), "Check the sign of the update.", ta.user)


def test_grading_a_question_again_replaces_the_first_grading(submissions, q1, ta, instructor):
    grade(submissions[0], q1, "Sign error", by=ta)
    grade(submissions[0], q1, "Correct update rule", by=instructor)
    stored = QuestionGrade.objects.get(submission=submissions[0], question=q1)
    assert (stored.score, stored.graded_by) == (D(10), instructor.user)


def test_no_score_is_written_until_every_question_of_the_submission_is_graded(submissions, q1, q2, ta, alice):
    grade(submissions[0], q1, "Correct update rule", by=ta)
    assert score_of(alice, q1.assignment) is None


def test_the_assignment_score_is_the_sum_of_the_question_scores(submissions, q1, q2, ta, alice):
    grade(submissions[0], q1, "Correct update rule", "Sign error", by=ta)
    grade(submissions[0], q2, "Chain rule set up", by=ta)
    score = score_of(alice, q1.assignment)
    assert (score.points, score.entered_by) == (D(11), ta.user)
    assert score.comment == "From the rubric: Q1 7/10, Q2 4/10."


def test_changing_an_items_points_changes_the_score_of_every_answer_that_ticked_it(submissions, q1, ta, instructor):
    grade(submissions[0], q1, "Partial derivation", by=ta)
    grade(submissions[1], q1, "Partial derivation", "Sign error", by=ta)
    rubric_item_save(question=q1, item=item(q1, "Partial derivation"), description="Partial derivation",
                     points=D(6), by=instructor.user, now=timezone.now())
    scores = [QuestionGrade.objects.get(submission=s, question=q1).score for s in submissions[:2]]
    assert scores == [D(6), D(3)]


def test_changing_an_items_points_rewrites_the_scores_of_the_students_who_used_it(
        submissions, q1, q2, ta, instructor, alice, bob, carol):
    for submission, ticked in zip(submissions, ("Partial derivation", "Partial derivation", "Correct update rule")):
        grade(submission, q1, ticked, by=ta)
        grade(submission, q2, "Chain rule set up", by=ta)
    saved = rubric_item_save(question=q1, item=item(q1, "Partial derivation"), description="Partial derivation",
                             points=D(6), by=instructor.user, now=timezone.now())
    assert saved.changed_answers == 2
    assert [score_of(m, q1.assignment).points for m in (alice, bob, carol)] == [D(10), D(10), D(14)]
    assert score_of(alice, q1.assignment).entered_by == instructor.user
    assert score_of(carol, q1.assignment).entered_by == ta.user


def test_lowering_a_questions_points_caps_the_scores_that_used_them(submissions, q1, q2, ta, instructor, alice):
    grade(submissions[0], q1, "Correct update rule", by=ta)
    grade(submissions[0], q2, "Correct gradients", by=ta)
    saved = question_save(assignment=q1.assignment, question=q1, number=1, title="Perceptron", points=D(8),
                          by=instructor.user, now=timezone.now())
    assert saved.changed_answers == 1
    assert score_of(alice, q1.assignment).points == D(18)


def test_a_submission_that_is_no_longer_active_is_not_graded(submissions, q1, ta, alice):
    hand_in(alice, q1.assignment, "second try")
    submissions[0].refresh_from_db()
    with pytest.raises(RubricRefused, match="has made another submission the graded one"):
        grade(submissions[0], q1, "Correct update rule", by=ta)
    assert not QuestionGrade.objects.exists()


def test_only_the_questions_own_items_can_be_ticked(submissions, q1, q2, ta):
    with pytest.raises(RubricRefused, match="Only the rubric items of question 1 can be ticked"):
        question_grade_save(submission=submissions[0], question=q1, items=[item(q2, "Correct gradients")],
                            adjustment=D(0), comment="", by=ta.user, now=timezone.now())
    assert not QuestionGrade.objects.exists()


def test_questions_cannot_be_worth_more_than_the_assignment(pset, q1, instructor):
    with pytest.raises(RubricRefused, match="worth 21 points in all, more than the 20 points Problem set 1 is worth"):
        question_save(assignment=pset, number=2, title="Backpropagation", points=D(11),
                      by=instructor.user, now=timezone.now())
    assert pset.questions.count() == 1


def test_two_questions_cannot_have_the_same_number(pset, q1, instructor):
    with pytest.raises(RubricRefused, match="Problem set 1 already has a question 1"):
        question_save(assignment=pset, number=1, title="Again", points=D(1), by=instructor.user, now=timezone.now())


def test_an_item_cannot_give_more_than_its_question_is_worth(q1, instructor):
    with pytest.raises(RubricRefused, match="at most the question's 10 points"):
        rubric_item_save(question=q1, description="Bonus", points=D(11), by=instructor.user, now=timezone.now())


def test_coding_work_is_not_graded_with_a_rubric(course, instructor):
    coding = AssignmentFactory(course=course, coding=True)
    with pytest.raises(RubricRefused, match="Only problem sets and project milestones"):
        question_save(assignment=coding, number=1, title="Q", points=D(1), by=instructor.user, now=timezone.now())
    assert not Question.objects.exists()
