import numpy as np
import pytest

import nnref

from .cases import FLOAT_DTYPES


def _layers(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(3, 2)).astype(dtype), rng.normal(size=3).astype(dtype)),
            (rng.normal(size=(2, 3)).astype(dtype), rng.normal(size=2).astype(dtype))]


def _copy(layers):
    return [(W.copy(), b.copy()) for W, b in layers]


def _equal(a, b):
    return all(np.array_equal(W, W2) and np.array_equal(v, v2) for (W, v), (W2, v2) in zip(a, b))


def test_sgd_step_subtracts_lr_times_the_gradient():
    params, grads = _layers(0), _layers(1)
    new = nnref.sgd_step(params, grads, 0.1)
    assert _equal(new, [(W - 0.1 * dW, b - 0.1 * db) for (W, b), (dW, db) in zip(params, grads)])


def test_sgd_step_does_not_modify_its_inputs():
    params, grads = _layers(0), _layers(1)
    before = _copy(params), _copy(grads)
    nnref.sgd_step(params, grads, 0.5)
    assert _equal(params, before[0]) and _equal(grads, before[1])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_sgd_step_keeps_dtype_even_with_a_numpy_float64_rate(dtype):
    new = nnref.sgd_step(_layers(0, dtype), _layers(1, dtype), np.float64(0.1))
    assert all(W.dtype == dtype and b.dtype == dtype for W, b in new)


def test_momentum_first_step_from_no_velocity_is_a_plain_sgd_step():
    params, grads = _layers(0), _layers(1)
    new, velocity = nnref.sgd_momentum_step(params, grads, None, 0.1, 0.9)
    assert _equal(new, nnref.sgd_step(params, grads, 0.1))
    assert _equal(velocity, [(-0.1 * dW, -0.1 * db) for dW, db in grads])


def test_momentum_second_step_adds_the_decayed_velocity():
    params, g1, g2 = _layers(0), _layers(1), _layers(2)
    p1, v1 = nnref.sgd_momentum_step(params, g1, None, 0.1, 0.9)
    p2, v2 = nnref.sgd_momentum_step(p1, g2, v1, 0.1, 0.9)
    expected_v = [(0.9 * vW - 0.1 * dW, 0.9 * vb - 0.1 * db) for (vW, vb), (dW, db) in zip(v1, g2)]
    assert _equal(v2, expected_v)
    assert _equal(p2, [(W + vW, b + vb) for (W, b), (vW, vb) in zip(p1, expected_v)])


def test_momentum_zero_is_plain_sgd():
    params, grads, velocity = _layers(0), _layers(1), _layers(2)
    new, _ = nnref.sgd_momentum_step(params, grads, velocity, 0.3, 0.0)
    assert _equal(new, nnref.sgd_step(params, grads, 0.3))


def test_momentum_step_does_not_modify_its_inputs():
    params, grads, velocity = _layers(0), _layers(1), _layers(2)
    before = _copy(params), _copy(grads), _copy(velocity)
    nnref.sgd_momentum_step(params, grads, velocity, 0.1, 0.9)
    assert _equal(params, before[0]) and _equal(grads, before[1]) and _equal(velocity, before[2])


def test_momentum_speeds_up_descent_on_an_ill_conditioned_quadratic():
    # f(w) = ½ wᵀ diag(1, 100) w, as a one-layer "network": W holds w, b is unused (zero gradient)
    curvature = np.array([[1.0, 100.0]])
    plain = heavy = [(np.array([[1.0, 1.0]]), np.zeros(1))]
    velocity = None
    for _ in range(100):
        plain = nnref.sgd_step(plain, [(curvature * plain[0][0], np.zeros(1))], 0.01)
        heavy, velocity = nnref.sgd_momentum_step(heavy, [(curvature * heavy[0][0], np.zeros(1))], velocity, 0.01, 0.9)
    assert np.abs(heavy[0][0]).max() < 0.01 * np.abs(plain[0][0]).max()


def test_zeros_like_params_matches_shapes_and_dtypes():
    velocity = nnref.zeros_like_params(_layers(0, np.float32))
    expected = [((3, 2), np.float32, (3,)), ((2, 3), np.float32, (2,))]
    assert [(W.shape, W.dtype, b.shape) for W, b in velocity] == expected
    assert not any(W.any() or b.any() for W, b in velocity)
