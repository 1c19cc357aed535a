import numpy as np
import pytest

import nnref
from nnref import check_gradient

from .cases import ACTIVATION_NAMES, FLOAT_DTYPES


def test_preactivation_is_bias_plus_weights_dot_input():
    assert nnref.neuron_preactivation(np.array([1.0, 2.0]), np.array([3.0, 4.0]), 0.5) == 11.5


def test_preactivation_gives_one_value_per_row():
    x = np.array([[1.0, 2.0], [0.0, -1.0], [2.0, 0.0]])
    assert nnref.neuron_preactivation(x, np.array([3.0, 4.0]), -1.0).tolist() == [10.0, -5.0, 5.0]


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_neuron_output_is_the_activation_of_the_preactivation(name):
    x, w = np.array([[1.0, -2.0], [0.5, 0.5]]), np.array([0.3, 0.7])
    fn, _ = nnref.ACTIVATIONS[name]
    assert nnref.neuron(x, w, 0.1, name).tolist() == fn(nnref.neuron_preactivation(x, w, 0.1)).tolist()


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_neuron_keeps_the_dtype_of_its_inputs_whatever_the_bias_type(dtype):
    x, w = np.ones((2, 3), dtype=dtype), np.ones(3, dtype=dtype)
    assert nnref.neuron(x, w, np.float64(0.5)).dtype == dtype


def test_sigmoid_neuron_classifies_and_but_not_xor():
    # the lecture's aside: one neuron separates AND, and no weights separate XOR
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    assert ((nnref.neuron(X, np.array([10.0, 10.0]), -15.0) > 0.5) == [False, False, False, True]).all()
    grid = np.linspace(-5, 5, 11)
    xor = np.array([False, True, True, False])
    assert not any(
        ((nnref.neuron(X, np.array([w1, w2]), b) > 0.5) == xor).all() for w1 in grid for w2 in grid for b in grid
    )


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_neuron_backward_matches_centered_differences(name):
    rng = np.random.default_rng(3)
    x, w, dh = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=4)
    b = np.array([0.2])                                   # an array, so that it can be nudged
    # pre-activations of this draw are all > 0.1 away from relu's kink
    assert np.abs(nnref.neuron_preactivation(x, w, 0.2)).min() > 0.1
    dw, db = nnref.neuron_backward(x, w, 0.2, dh, name)
    loss = lambda: float(np.dot(dh, nnref.neuron(x, w, b[0], name)))  # noqa: E731
    assert check_gradient(loss, w, dw) < 1e-7
    assert check_gradient(loss, b, np.array([db])) < 1e-7


def test_neuron_backward_of_a_single_input_returns_weight_shaped_gradient():
    dw, db = nnref.neuron_backward(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.0, np.array(2.0), "linear")
    assert dw.tolist() == [2.0, 4.0]
    assert db == 2.0
