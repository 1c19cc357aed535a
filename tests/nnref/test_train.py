import math

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import nnref

from .cases import XOR_X, XOR_Y


@pytest.fixture(scope="module")
def digits():
    """Digits (8x8 images, 10 classes), a fixed stratified 75/25 split, standardized with
    the training set's statistics."""
    data = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.25, stratify=data.target, random_state=0
    )
    mean, scale = X_train.mean(axis=0), X_train.std(axis=0) + 1.0
    return (X_train - mean) / scale, (X_test - mean) / scale, y_train, y_test


def test_one_relu_hidden_layer_reaches_97_percent_on_held_out_digits(digits):
    X_train, X_test, y_train, y_test = digits
    params = nnref.train_mlp(X_train, y_train, [64, 128, 10], "relu", lr=0.1, epochs=20, batch_size=8, seed=0)
    accuracy = 1 - nnref.zero_one_loss(nnref.mlp_logits(params, X_test, "relu"), y_test)
    assert accuracy >= 0.97


def test_momentum_training_reaches_97_percent_on_held_out_digits(digits):
    X_train, X_test, y_train, y_test = digits
    params = nnref.train_mlp(X_train, y_train, [64, 128, 10], "relu", 0.05, 30, 32, 0, momentum=0.9)
    assert 1 - nnref.zero_one_loss(nnref.mlp_logits(params, X_test, "relu"), y_test) >= 0.97


def test_one_tanh_hidden_layer_solves_xor():
    params = nnref.train_mlp(XOR_X, XOR_Y, [2, 4, 2], "tanh", lr=0.5, epochs=2000, batch_size=4, seed=0)
    assert nnref.mlp_predict(params, XOR_X, "tanh").tolist() == XOR_Y.tolist()
    assert nnref.mlp_loss(params, XOR_X, XOR_Y, "tanh") < 0.05


def test_no_hidden_layer_cannot_solve_xor():
    # any linear model has mean cross-entropy ≥ log 2 on XOR (the logit differences average to 0)
    params = nnref.train_mlp(XOR_X, XOR_Y, [2, 2], "tanh", lr=0.5, epochs=2000, batch_size=4, seed=0)
    assert nnref.zero_one_loss(nnref.mlp_logits(params, XOR_X, "tanh"), XOR_Y) >= 0.25
    assert nnref.mlp_loss(params, XOR_X, XOR_Y, "tanh") >= math.log(2) - 1e-12


def test_training_lowers_the_training_loss():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 3)), rng.integers(0, 3, size=60)
    start = nnref.train_mlp(X, y, [3, 8, 3], "sigmoid", 0.5, 0, 10, seed=1)
    trained = nnref.train_mlp(X, y, [3, 8, 3], "sigmoid", 0.5, 50, 10, seed=1)
    assert nnref.mlp_loss(trained, X, y, "sigmoid") < 0.9 * nnref.mlp_loss(start, X, y, "sigmoid")


def test_zero_epochs_returns_the_seeded_initialisation():
    X, y = np.zeros((4, 3)), np.array([0, 1, 0, 1])
    params = nnref.train_mlp(X, y, [3, 5, 2], "relu", 0.1, 0, 2, seed=7)
    expected = nnref.init_params([3, 5, 2], "relu", np.random.default_rng(7))
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(params, expected))


def test_training_is_reproducible_from_the_seed():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 4)), rng.integers(0, 2, size=30)
    first, again, other = (nnref.train_mlp(X, y, [4, 6, 2], "tanh", 0.1, 3, 7, seed=s)[0][0] for s in (3, 3, 4))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_training_takes_one_step_per_batch_in_the_seeded_order(momentum):
    # two epochs of batch 2 on 3 rows = four SGD steps on the batches of each epoch's permutation
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(3, 2)), np.array([0, 1, 1])
    trained = nnref.train_mlp(X, y, [2, 3, 2], "sigmoid", 0.3, 2, 2, seed=5, momentum=momentum)
    replay = np.random.default_rng(5)
    params, velocity = nnref.init_params([2, 3, 2], "sigmoid", replay), None
    for _ in range(2):
        order = replay.permutation(3)
        for batch in (order[:2], order[2:]):
            grads = nnref.mlp_backward(params, X[batch], y[batch], "sigmoid")[1]
            params, velocity = nnref.sgd_momentum_step(params, grads, velocity, 0.3, momentum)
    assert all(np.allclose(W, W0, rtol=1e-13, atol=1e-15) and np.allclose(b, b0, rtol=1e-13, atol=1e-15)
               for (W, b), (W0, b0) in zip(trained, params))


def test_batch_larger_than_the_data_is_full_batch_descent():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(5, 2)), rng.integers(0, 2, size=5)
    full, larger = (nnref.train_mlp(X, y, [2, 3, 2], "relu", 0.1, 4, bs, seed=0) for bs in (5, 50))
    assert all(np.array_equal(W, W0) for (W, _), (W0, _) in zip(full, larger))


def test_training_does_not_modify_the_data():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10)
    X0, y0 = X.copy(), y.copy()
    nnref.train_mlp(X, y, [2, 3, 2], "relu", 0.1, 2, 3, seed=0)
    assert np.array_equal(X, X0) and np.array_equal(y, y0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_training_keeps_the_float_dtype_of_X(dtype):
    X, y = np.ones((4, 2), dtype=dtype), np.array([0, 1, 0, 1])
    params = nnref.train_mlp(X, y, [2, 3, 2], "relu", 0.1, 2, 2, seed=0)
    assert all(W.dtype == dtype and b.dtype == dtype for W, b in params)


def test_integer_inputs_train_in_float64():
    params = nnref.train_mlp(np.array([[0, 1], [1, 0]]), np.array([0, 1]), [2, 2], "linear", 0.1, 1, 1, seed=0)
    assert params[0][0].dtype == np.float64
