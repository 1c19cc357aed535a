import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnref
from nnref import check_gradient

from .cases import FLOAT_DTYPES, fast_property, finite_matrices

MAX = np.finfo(np.float64).max


# --- l2 ---


def test_l2_loss_is_the_mean_over_rows_of_the_squared_norm():
    f = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert nnref.l2_loss(f, np.zeros((2, 2))) == (1 + 4 + 9 + 16) / 2


def test_l2_loss_of_scalar_outputs_is_the_mean_squared_error():
    assert nnref.l2_loss(np.array([1.0, -3.0, 0.0]), np.array([0.0, 0.0, 2.0])) == (1 + 9 + 4) / 3


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_l2_loss_keeps_dtype(dtype):
    f = np.ones((2, 3), dtype=dtype)
    assert nnref.l2_loss(f, np.zeros_like(f)).dtype == dtype


def test_l2_loss_grad_matches_centered_differences():
    rng = np.random.default_rng(0)
    f, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert check_gradient(lambda: nnref.l2_loss(f, y), f, nnref.l2_loss_grad(f, y)) < 1e-7


# --- 0-1 ---


def test_zero_one_loss_is_the_fraction_of_wrong_argmaxes():
    scores = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    assert nnref.zero_one_loss(scores, np.array([0, 0, 0, 1])) == 0.25


@pytest.mark.parametrize(("label", "expected"), [(0, 0.0), (1, 1.0), (2, 1.0)])
def test_zero_one_loss_breaks_ties_toward_the_first_index(label, expected):
    assert nnref.zero_one_loss(np.array([[2.0, 2.0, 2.0]]), np.array([label])) == expected


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_zero_one_loss_keeps_dtype(dtype):
    assert nnref.zero_one_loss(np.eye(3, dtype=dtype), np.arange(3)).dtype == dtype


# --- softmax cross-entropy ---


def test_cross_entropy_of_uniform_logits_is_log_of_the_class_count():
    assert nnref.softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1, 3])) == pytest.approx(math.log(4), rel=1e-15)


@fast_property
@given(finite_matrices(np.float64, max_value=30), st.data())
def test_cross_entropy_matches_minus_log_softmax_on_moderate_inputs(a, data):
    y = np.array(data.draw(st.lists(st.integers(0, a.shape[1] - 1), min_size=a.shape[0], max_size=a.shape[0])))
    expected = -np.mean(np.log(np.exp(a) / np.exp(a).sum(axis=1, keepdims=True))[np.arange(a.shape[0]), y])
    assert nnref.softmax_cross_entropy(a, y) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("row", "label", "expected"),
    [([1000.0, -1000.0], 1, 2000.0), ([1000.0, -1000.0], 0, 0.0), ([1e308, 0.0], 1, 1e308),
     ([-1e308, 0.0], 0, 1e308), ([1e308, 1e308], 0, math.log(2)), ([-1e308, -1e308], 1, math.log(2))],
)
def test_cross_entropy_of_extreme_rows_is_finite_and_exact(row, label, expected):
    assert nnref.softmax_cross_entropy(np.array([row]), np.array([label])) == expected


def test_cross_entropy_of_a_row_spanning_the_float_range_averages_without_overflow():
    # row 0 alone has loss 2e308 (not representable); the mean (2e308 + log 2) / 2 is
    a = np.array([[1e308, -1e308], [0.0, 0.0]])
    assert nnref.softmax_cross_entropy(a, np.array([1, 0])) == pytest.approx(1e308, rel=1e-15)


def test_cross_entropy_mean_of_several_huge_row_losses_does_not_overflow():
    # each row's loss is 1.5e308; their sum is not representable, their mean is
    a = np.array([[0.75e308, -0.75e308]] * 3)
    assert nnref.softmax_cross_entropy(a, np.array([1, 1, 1])) == pytest.approx(1.5e308, rel=1e-15)


def test_cross_entropy_beyond_the_float_range_is_inf_without_a_warning():
    assert nnref.softmax_cross_entropy(np.array([[1e308, -1e308]]), np.array([1])) == np.inf


@fast_property
@given(finite_matrices(np.float64, max_value=MAX / 2), st.data())
def test_cross_entropy_is_finite_and_non_negative_when_entries_are_within_half_the_float_range(a, data):
    y = np.array(data.draw(st.lists(st.integers(0, a.shape[1] - 1), min_size=a.shape[0], max_size=a.shape[0])))
    loss = nnref.softmax_cross_entropy(a, y)
    assert np.isfinite(loss)
    assert loss >= 0


@fast_property
@given(finite_matrices(np.float32, max_value=float(np.finfo(np.float32).max) / 2), st.data())
def test_float32_cross_entropy_is_finite_and_float32(a, data):
    y = np.array(data.draw(st.lists(st.integers(0, a.shape[1] - 1), min_size=a.shape[0], max_size=a.shape[0])))
    loss = nnref.softmax_cross_entropy(a, y)
    assert loss.dtype == np.float32
    assert np.isfinite(loss)


def test_cross_entropy_keeps_the_tiny_loss_of_a_confident_correct_row():
    # −log softmax([40, 0])_0 = log(1 + e^-40) ≈ 4.2e-18, which a plain log would round to 0
    loss = nnref.softmax_cross_entropy(np.array([[40.0, 0.0]]), np.array([0]))
    assert loss == pytest.approx(math.log1p(math.exp(-40.0)), rel=1e-15, abs=0)


def test_cross_entropy_grad_matches_centered_differences():
    rng = np.random.default_rng(0)
    a, y = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
    assert check_gradient(lambda: nnref.softmax_cross_entropy(a, y), a, nnref.softmax_cross_entropy_grad(a, y)) < 1e-7


def test_cross_entropy_grad_is_softmax_minus_one_hot_over_n():
    a, y = np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([0, 1])
    assert nnref.softmax_cross_entropy_grad(a, y).tolist() == [[-0.25, 0.25], [0.25, -0.25]]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_cross_entropy_grad_keeps_dtype(dtype):
    assert nnref.softmax_cross_entropy_grad(np.zeros((2, 3), dtype=dtype), np.array([0, 1])).dtype == dtype
