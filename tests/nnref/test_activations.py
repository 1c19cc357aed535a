import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnref
from nnref import check_gradient

from .cases import ACTIVATION_NAMES, FLOAT_DTYPES, fast_property

FUNCTIONS = [fn for name in ACTIVATION_NAMES for fn in nnref.ACTIVATIONS[name]]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_activation_keeps_shape_and_float_dtype(fn, dtype):
    a = np.linspace(-3, 3, 24, dtype=dtype).reshape(2, 3, 4)
    out = fn(a)
    assert out.shape == a.shape
    assert out.dtype == dtype


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda fn: fn.__name__)
def test_activation_turns_integers_into_float64(fn):
    assert fn(np.array([-2, 0, 3])).dtype == np.float64


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_derivative_matches_centered_differences(name):
    fn, grad = nnref.ACTIVATIONS[name]
    a = np.array([-3.0, -1.2, -0.3, 0.4, 0.9, 2.5])         # away from relu's kink at 0
    assert check_gradient(lambda: float(np.sum(fn(a))), a, grad(a)) < 1e-7


def test_linear_returns_a_copy_not_the_input():
    a = np.array([1.0, 2.0])
    linear_a = nnref.linear(a)
    linear_a[0] = 5.0
    assert a[0] == 1.0


def test_sigmoid_of_extreme_inputs_is_exact_at_the_limits():
    a = np.array([-1e308, -1000.0, 0.0, 1000.0, 1e308])
    assert nnref.sigmoid(a).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


def test_sigmoid_of_extreme_float32_inputs_is_exact_at_the_limits():
    a = np.array([-3e38, -200, 0, 200, 3e38], dtype=np.float32)
    assert nnref.sigmoid(a).tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


def test_sigmoid_keeps_relative_precision_for_very_negative_inputs():
    # e^(-700) / (1 + e^(-700)): a naive 1 - sigmoid(700) would give 0
    assert nnref.sigmoid(np.array([-700.0]))[0] == pytest.approx(np.exp(-700.0), rel=1e-15, abs=0)


@fast_property
@given(st.floats(-30, 30))
def test_sigmoid_matches_the_textbook_formula_on_moderate_inputs(a):
    assert nnref.sigmoid(np.array([a]))[0] == pytest.approx(1 / (1 + np.exp(-a)), rel=1e-14, abs=0)


@fast_property
@given(hnp.arrays(np.float64, 8, elements=st.floats(allow_nan=False, allow_infinity=False)))
def test_sigmoid_and_its_derivative_are_finite_and_bounded_for_any_finite_input(a):
    s, ds = nnref.sigmoid(a), nnref.sigmoid_grad(a)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((ds >= 0) & (ds <= 0.25))


@fast_property
@given(hnp.arrays(np.float64, 8, elements=st.floats(allow_nan=False, allow_infinity=False)))
def test_tanh_and_its_derivative_are_bounded_for_any_finite_input(a):
    assert np.all(np.abs(nnref.tanh(a)) <= 1)
    assert np.all((nnref.tanh_grad(a) >= 0) & (nnref.tanh_grad(a) <= 1))


@fast_property
@given(hnp.arrays(np.float32, 8, elements=st.floats(allow_nan=False, allow_infinity=False, width=32)))
def test_float32_activations_and_derivatives_are_finite_for_any_finite_input(a):
    for fn in (nnref.sigmoid, nnref.sigmoid_grad, nnref.tanh, nnref.tanh_grad, nnref.relu_grad):
        assert np.all(np.isfinite(fn(a)))


@fast_property
@given(st.floats(-700, 700))
def test_sigmoid_of_minus_a_is_one_minus_sigmoid_of_a(a):
    assert nnref.sigmoid(np.array([-a]))[0] == pytest.approx(1 - nnref.sigmoid(np.array([a]))[0], abs=1e-15)


def test_sigmoid_grad_keeps_relative_precision_where_sigmoid_rounds_to_one():
    # σ(40) rounds to 1, so σ(1 − σ) would be 0; the true value is e^-40 / (1 + e^-40)^2
    expected = np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2
    assert nnref.sigmoid_grad(np.array([40.0]))[0] == pytest.approx(expected, rel=1e-14, abs=0)


def test_tanh_grad_keeps_relative_precision_where_tanh_rounds_to_one():
    # tanh(20) rounds to 1, so 1 − tanh² would be 0; the true value is 4e^-40 / (1 + e^-40)^2
    expected = 4 * np.exp(-40.0) / (1 + np.exp(-40.0)) ** 2
    assert nnref.tanh_grad(np.array([-20.0, 20.0])) == pytest.approx([expected, expected], rel=1e-14, abs=0)


@fast_property
@given(st.floats(-15, 15))
def test_tanh_grad_equals_one_minus_tanh_squared(a):
    assert nnref.tanh_grad(np.array([a]))[0] == pytest.approx(1 - np.tanh(a) ** 2, rel=1e-12, abs=1e-15)


def test_relu_grad_is_zero_at_zero():
    assert nnref.relu_grad(np.array([0.0, -0.0])).tolist() == [0.0, 0.0]


def test_relu_grad_is_a_float_step_not_a_bool_mask():
    out = nnref.relu_grad(np.array([-1.0, 0.0, 2.0], dtype=np.float32))
    assert out.dtype == np.float32
    assert out.tolist() == [0.0, 0.0, 1.0]


def test_relu_clips_negatives_to_zero():
    assert nnref.relu(np.array([-2.0, 0.0, 3.5])).tolist() == [0.0, 0.0, 3.5]


def test_linear_grad_is_ones():
    assert nnref.linear_grad(np.array([[-5.0, 0.0, 7.0]])).tolist() == [[1.0, 1.0, 1.0]]
