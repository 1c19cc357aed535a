"""Which parts of a grade a student can ask about: rubric questions, visible autograder tests, or the whole."""
import pytest

from coursesite.regrades import parts
from coursesite.regrades.parts import WHOLE_ASSIGNMENT, regradable_parts, visible_test_names
from tests.coursesite.regrades.conftest import DAY, NOW, RESULT, finish_grading, hand_in


def test_visible_tests_are_always_regradable():
    tests = [{"name": "a", "visibility": "visible"}, {"name": "b"}]
    assert visible_test_names(tests, due=NOW + DAY, now=NOW) == ["a", "b"]


def test_hidden_and_after_published_tests_are_never_regradable():
    tests = [{"name": "a", "visibility": "hidden"}, {"name": "b", "visibility": "after_published"}]
    assert visible_test_names(tests, due=NOW - DAY, now=NOW) == []


def test_after_due_date_tests_are_regradable_only_once_the_due_time_passed():
    tests = [{"name": "a", "visibility": "after_due_date"}]
    assert visible_test_names(tests, due=NOW + DAY, now=NOW) == []
    assert visible_test_names(tests, due=NOW, now=NOW) == ["a"]


def test_repeated_and_unnamed_tests_are_listed_once_or_not_at_all():
    tests = [{"name": "a"}, {"name": " a "}, {"name": ""}, {"visibility": "visible"}]
    assert visible_test_names(tests, due=NOW, now=NOW) == ["a"]


@pytest.mark.django_db
def test_a_problem_set_with_a_rubric_is_regraded_question_by_question(pset, q1, q2, alice):
    found = regradable_parts(hand_in(alice, pset), now=NOW)
    assert [p.label for p in found] == ["Question 1. Perceptron", "Question 2. Backpropagation"]
    assert [p.question for p in found] == [q1, q2]


@pytest.mark.django_db
def test_a_project_without_a_rubric_is_regraded_as_a_whole(project, alice):
    assert regradable_parts(hand_in(alice, project), now=NOW) == [WHOLE_ASSIGNMENT]


@pytest.mark.django_db
def test_coding_work_graded_by_the_autograder_is_regraded_test_by_test_the_student_can_see(coding, alice):
    submission = hand_in(alice, coding)
    finish_grading(submission)
    found = regradable_parts(submission, now=NOW)
    assert [p.test_name for p in found] == ["sigmoid: values", "softmax: rows sum to 1",
                                            "mlp_backward: gradient check"]
    assert found[1].label == "Test “softmax: rows sum to 1”"


@pytest.mark.django_db
def test_coding_work_whose_grading_has_not_finished_is_regraded_as_a_whole(coding, alice):
    submission = hand_in(alice, coding)
    finish_grading(submission, result=None, status="running")
    assert regradable_parts(submission, now=NOW) == [WHOLE_ASSIGNMENT]


@pytest.mark.django_db
def test_coding_work_without_a_grading_job_is_regraded_as_a_whole(coding, alice):
    assert regradable_parts(hand_in(alice, coding), now=NOW) == [WHOLE_ASSIGNMENT]


@pytest.mark.django_db
def test_without_the_autograder_installed_coding_work_is_regraded_as_a_whole(coding, alice, monkeypatch):
    submission = hand_in(alice, coding)
    finish_grading(submission, result=RESULT)
    monkeypatch.setattr(parts, "autograder_installed", lambda: False)
    assert regradable_parts(submission, now=NOW) == [WHOLE_ASSIGNMENT]
