import numpy as np
import pytest
from hypothesis import given

import nnref
from nnref import check_gradient

from .cases import FLOAT_DTYPES, fast_property, finite_matrices


@pytest.mark.parametrize(
    ("row", "expected"),
    [([1000.0, 1000.0], [0.5, 0.5]), ([-1e4, 0.0], [0.0, 1.0]), ([1e308, -1e308], [1.0, 0.0]),
     ([-1e308, 0.0, 1e308], [0.0, 0.0, 1.0]), ([1.7e308, 1.7e308, -1.7e308], [0.5, 0.5, 0.0])],
)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_softmax_of_extreme_rows_is_exact(row, expected, dtype):
    a = np.array([row], dtype=np.float64)
    if dtype == np.float32:                      # the float32 twin of each row: ±1e308 → ±3e38
        a = np.clip(a, -3e38, 3e38).astype(np.float32)
    assert nnref.softmax(a)[0].tolist() == expected


@fast_property
@given(finite_matrices(np.float64))
def test_softmax_rows_are_probabilities_for_any_finite_float64_input(a):
    p = nnref.softmax(a)
    assert np.all((p >= 0) & (p <= 1))
    assert np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-14 * a.shape[1])


@fast_property
@given(finite_matrices(np.float32))
def test_softmax_rows_are_probabilities_for_any_finite_float32_input(a):
    p = nnref.softmax(a)
    assert p.dtype == np.float32
    assert np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-6 * a.shape[1])


@fast_property
@given(finite_matrices(np.float64, max_value=50))
def test_softmax_matches_the_textbook_formula_on_moderate_inputs(a):
    e = np.exp(a)
    assert np.allclose(nnref.softmax(a), e / e.sum(axis=1, keepdims=True), rtol=1e-13, atol=0)


@fast_property
@given(finite_matrices(np.float64, max_value=1e3))
def test_softmax_ignores_a_constant_added_to_a_row(a):
    assert np.allclose(nnref.softmax(a + 123.0), nnref.softmax(a), rtol=1e-9, atol=1e-300)


def test_softmax_argmax_is_the_argmax_of_its_input():
    a = np.array([[0.1, 3.0, -2.0], [7.0, 6.9, 7.1]])
    assert np.argmax(nnref.softmax(a), axis=1).tolist() == [1, 2]


def test_softmax_keeps_float32():
    assert nnref.softmax(np.zeros((2, 3), dtype=np.float32)).dtype == np.float32


def test_softmax_of_integers_is_float64():
    assert nnref.softmax(np.array([[1, 2, 3]])).dtype == np.float64


def test_softmax_of_nan_row_is_nan_and_leaves_other_rows_alone():
    p = nnref.softmax(np.array([[np.nan, 0.0], [0.0, 0.0]]))
    assert np.isnan(p[0]).all()
    assert p[1].tolist() == [0.5, 0.5]


def test_softmax_backward_matches_centered_differences():
    rng = np.random.default_rng(0)
    a, dp = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert check_gradient(lambda: float(np.sum(nnref.softmax(a) * dp)), a, nnref.softmax_backward(a, dp)) < 1e-7


def test_softmax_backward_rows_sum_to_zero():
    rng = np.random.default_rng(1)
    da = nnref.softmax_backward(rng.normal(size=(5, 3)), rng.normal(size=(5, 3)))
    assert np.allclose(da.sum(axis=1), 0.0, atol=1e-15)
