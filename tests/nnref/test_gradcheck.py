import numpy as np
import pytest

import nnref
import nnref.gradcheck
from nnref import check_gradient, numerical_gradient, rel_error

from .cases import network_case


@pytest.mark.parametrize("order", [2, 4])
def test_numerical_gradient_of_a_cubic_is_close_to_its_derivative(order):
    x = np.array([[-1.5, 0.3], [2.0, 0.7]])
    assert rel_error(numerical_gradient(lambda: float(np.sum(x**3)), x, order=order), 3 * x**2) < 1e-8


def test_numerical_gradient_restores_x_exactly():
    x = np.array([0.1, 0.7, -3.3])
    before = x.copy()
    numerical_gradient(lambda: float(np.sum(np.sin(x))), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_of_a_flat_function_is_exactly_zero():
    x = np.array([1.4555113238015605, 2.0])
    assert numerical_gradient(lambda: 1.4555113238015605, x).tolist() == [0.0, 0.0]


def test_rel_error_is_the_largest_elementwise_relative_error():
    assert rel_error(np.array([1.0, 10.0]), np.array([1.0, 12.0])) == pytest.approx(2 / 22)


def test_rel_error_floor_avoids_dividing_zero_by_zero():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0


def test_check_gradient_flags_a_wrong_gradient():
    x = np.array([0.5, -1.0, 2.0])
    assert check_gradient(lambda: float(np.sum(x**2)), x, 2.001 * x) > 1e-4


def test_check_mlp_gradients_flags_a_backward_with_a_bug(monkeypatch):
    params, X, y = network_case("tanh", 1, seed=0)

    def buggy_backward(params, X, y, activation):
        loss, grads = nnref.mlp_backward(params, X, y, activation)
        (dW, db), *rest = grads
        return loss, [(dW.T.reshape(dW.shape), db), *rest]      # a classic: a transposed gradient

    monkeypatch.setattr(nnref.gradcheck, "mlp_backward", buggy_backward)
    errors = nnref.check_mlp_gradients(params, X, y, "tanh")
    assert errors["params[0][0]"] > 1e-2
    assert errors["params[1][0]"] < 1e-7


def test_check_mlp_gradients_does_not_modify_its_inputs():
    params, X, y = network_case("relu", 2, seed=1)
    before = [(W.copy(), b.copy()) for W, b in params], X.copy()
    nnref.check_mlp_gradients(params, X, y, "relu")
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(params, before[0]))
    assert np.array_equal(X, before[1])


def test_check_mlp_gradients_works_in_float64_for_float32_params():
    params, X, y = network_case("sigmoid", 1, seed=2)
    params32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    errors = nnref.check_mlp_gradients(params32, X.astype(np.float32), y, "sigmoid")
    assert max(errors.values()) < 1e-7
