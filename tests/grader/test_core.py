"""grade()'s own rules, without a sandbox: what a failing check tells the student."""

import numpy as np

from grader import core
from grader.harness import codec
from grader.sandbox import Limits
from grader.specs import AFTER_DUE_DATE, VISIBLE, Case


def broken_check(call, answer):
    raise IndexError("index 7 is out of bounds for the reference's secret input")


def scored_by_a_broken_check(visibility: str):
    case = Case("relu: huge inputs", "relu", 2.0, build=lambda rng: None, check=broken_check, visibility=visibility)
    arrays: dict = {}
    header = {"status": "ok", "value": codec.encode(np.zeros(3), arrays)}
    notes: list = []
    test = core._scored(case, None, header, codec.npz_bytes(arrays), Limits(), notes)
    return test, notes


def test_a_broken_check_on_a_visible_test_is_named_above_the_tests():
    test, notes = scored_by_a_broken_check(VISIBLE)
    assert test.score == 0
    assert notes == ["Internal: the check of 'relu: huge inputs' failed (IndexError: index 7 is out of bounds for "
                     "the reference's secret input); tell the staff."]
    assert test.output == "relu: the returned value could not be checked (see the message above the tests)"


def test_a_broken_check_on_a_hidden_test_is_not_named_above_the_tests():
    test, notes = scored_by_a_broken_check(AFTER_DUE_DATE)
    assert notes == ["Internal: the check of a test not shown yet failed; tell the staff."]
    assert "secret input" in test.output and test.visibility == AFTER_DUE_DATE
