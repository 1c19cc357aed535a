"""The rubric's scoring rule: signed items plus an adjustment, held between 0 and the question's points."""
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursesite.rubrics.scoring import question_score, total_score

points = st.decimals(min_value=D(-100), max_value=D(100), places=2)


def test_the_score_is_the_ticked_items_plus_the_adjustment():
    assert question_score([D(5), D("-1.5")], D("0.5"), D(10)) == D(4)


def test_deductions_never_take_a_score_below_zero():
    assert question_score([D(2), D(-3), D(-3)], D(0), D(10)) == D(0)


def test_credit_never_takes_a_score_above_the_question_points():
    assert question_score([D(10), D(4)], D(1), D(10)) == D(10)


def test_no_ticked_items_and_no_adjustment_scores_zero():
    assert question_score([], D(0), D(10)) == D(0)


def test_float_points_are_refused_rather_than_rounded():
    with pytest.raises(TypeError):
        question_score([0.1], D(0), D(10))


def test_the_assignment_total_is_the_sum_of_its_question_scores():
    assert total_score([D("7.5"), D(10), D(0)]) == D("17.5")


@given(items=st.lists(points, max_size=8), adjustment=points, maximum=st.decimals(min_value=D("0.01"), max_value=D(100), places=2))
def test_a_score_is_always_between_zero_and_the_question_points(items, adjustment, maximum):
    score = question_score(items, adjustment, maximum)
    assert D(0) <= score <= maximum


@given(items=st.lists(points, max_size=8), adjustment=points, maximum=st.decimals(min_value=D("0.01"), max_value=D(100), places=2))
def test_a_score_in_range_is_exactly_the_sum(items, adjustment, maximum):
    raw = sum(items, D(0)) + adjustment
    if D(0) <= raw <= maximum:
        assert question_score(items, adjustment, maximum) == raw
