import numpy as np
import pytest

import nnref

from .cases import ACTIVATION_NAMES, FLOAT_DTYPES, network_case


def _lecture_forward(params, x, sigma):
    """The lecture's formulas for one input vector: a = b + W h, h = σ(a), softmax at the end."""
    h = x
    for W, b in params[:-1]:
        h = sigma(b + W @ h)
    a = params[-1][1] + params[-1][0] @ h
    return np.exp(a - a.max()) / np.exp(a - a.max()).sum()


@pytest.mark.parametrize("hidden_layers", [1, 2])
def test_forward_applies_the_lecture_formulas_to_each_row(hidden_layers):
    params, X, _ = network_case("tanh", hidden_layers, seed=0)
    expected = np.array([_lecture_forward(params, x, np.tanh) for x in X])
    assert np.allclose(nnref.mlp_forward(params, X, "tanh"), expected, rtol=1e-13, atol=0)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_forward_rows_are_probabilities(name):
    params, X, _ = network_case(name, 2, seed=1, n=7)
    p = nnref.mlp_forward(params, X, name)
    assert p.shape == (7, 4)
    assert np.allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-15)


def test_forward_without_hidden_layers_is_softmax_regression():
    params, X, _ = network_case("relu", 0, seed=2)
    (W, b), = params
    assert np.allclose(nnref.mlp_forward(params, X, "relu"), nnref.softmax(X @ W.T + b), rtol=1e-15, atol=0)


def test_forward_is_softmax_of_logits():
    params, X, _ = network_case("sigmoid", 1, seed=3)
    logits = nnref.mlp_logits(params, X, "sigmoid")
    assert np.array_equal(nnref.mlp_forward(params, X, "sigmoid"), nnref.softmax(logits))


def test_predict_is_argmax_of_forward():
    params, X, _ = network_case("relu", 1, seed=4, n=20)
    assert np.array_equal(nnref.mlp_predict(params, X, "relu"), np.argmax(nnref.mlp_forward(params, X, "relu"), axis=1))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("hidden_layers", [0, 1, 2, 3])
def test_backward_matches_centered_differences(name, hidden_layers):
    params, X, y = network_case(name, hidden_layers, seed=10 + hidden_layers)
    errors = nnref.check_mlp_gradients(params, X, y, name)
    assert len(errors) == 2 * (hidden_layers + 1)
    assert max(errors.values()) < 1e-7, errors


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_backward_of_a_single_row_matches_centered_differences(name):
    params, X, y = network_case(name, 2, seed=30, n=1)
    assert max(nnref.check_mlp_gradients(params, X, y, name).values()) < 1e-7


def test_backward_loss_is_the_mean_cross_entropy_of_the_logits():
    params, X, y = network_case("tanh", 2, seed=5, n=6)
    loss, _ = nnref.mlp_backward(params, X, y, "tanh")
    assert loss == nnref.softmax_cross_entropy(nnref.mlp_logits(params, X, "tanh"), y)
    assert loss == nnref.mlp_loss(params, X, y, "tanh")


def test_backward_grads_are_shaped_like_params():
    params, X, y = network_case("relu", 3, seed=6)
    _, grads = nnref.mlp_backward(params, X, y, "relu")
    assert [(dW.shape, db.shape) for dW, db in grads] == [(W.shape, b.shape) for W, b in params]


def test_backward_output_bias_gradient_is_mean_of_softmax_minus_one_hot():
    params, X, y = network_case("sigmoid", 1, seed=7, n=5)
    _, grads = nnref.mlp_backward(params, X, y, "sigmoid")
    expected = (nnref.mlp_forward(params, X, "sigmoid") - np.eye(4)[y]).mean(axis=0)
    assert np.allclose(grads[-1][1], expected, rtol=1e-13, atol=1e-16)


def test_backward_does_not_modify_params_or_inputs():
    params, X, y = network_case("relu", 2, seed=8)
    copies = [(W.copy(), b.copy()) for W, b in params], X.copy(), y.copy()
    nnref.mlp_backward(params, X, y, "relu")
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0) for (W, b), (W0, b0) in zip(params, copies[0]))
    assert np.array_equal(X, copies[1]) and np.array_equal(y, copies[2])


def test_relu_network_gradient_treats_a_zero_preactivation_as_inactive():
    # one hidden unit with pre-activation exactly 0: relu'(0) = 0, so its incoming weights get no gradient
    params = [(np.array([[1.0, -1.0]]), np.array([0.0])), (np.array([[1.0], [-1.0]]), np.array([0.0, 0.0]))]
    _, grads = nnref.mlp_backward(params, np.array([[2.0, 2.0]]), np.array([0]), "relu")
    assert grads[0][0].tolist() == [[0.0, 0.0]]
    assert grads[0][1].tolist() == [0.0]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_network_keeps_dtype(dtype):
    params, X, y = network_case("tanh", 2, seed=9)
    params = [(W.astype(dtype), b.astype(dtype)) for W, b in params]
    loss, grads = nnref.mlp_backward(params, X.astype(dtype), y, "tanh")
    assert nnref.mlp_forward(params, X.astype(dtype), "tanh").dtype == dtype
    assert loss.dtype == dtype
    assert all(dW.dtype == dtype and db.dtype == dtype for dW, db in grads)


def test_float32_backward_agrees_with_float64():
    params, X, y = network_case("sigmoid", 2, seed=11)
    loss64, grads64 = nnref.mlp_backward(params, X, y, "sigmoid")
    params32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    loss32, grads32 = nnref.mlp_backward(params32, X.astype(np.float32), y, "sigmoid")
    assert loss32 == pytest.approx(loss64, rel=1e-6)
    for (dW, db), (dW32, db32) in zip(grads64, grads32):
        assert np.allclose(dW32, dW, rtol=1e-4, atol=1e-6) and np.allclose(db32, db, rtol=1e-4, atol=1e-6)


def test_backward_with_extreme_logits_is_finite():
    # logits [1e307, -1e307] with the label on the smaller one: loss 2e307, which a - max survives
    params = [(np.array([[1e299, -1e299]]), np.array([0.0])), (np.array([[1e8], [-1e8]]), np.array([0.0, 0.0]))]
    loss, grads = nnref.mlp_backward(params, np.array([[1.0, 0.0]]), np.array([1]), "linear")
    assert loss == pytest.approx(2e307, rel=1e-15)
    assert all(np.isfinite(dW).all() and np.isfinite(db).all() for dW, db in grads)


def test_init_params_shapes_dtype_and_zero_biases():
    params = nnref.init_params([5, 7, 3], "tanh", seed=0, dtype=np.float32)
    assert [(W.shape, b.shape) for W, b in params] == [((7, 5), (7,)), ((3, 7), (3,))]
    assert all(W.dtype == np.float32 and not b.any() for W, b in params)


def test_init_params_is_reproducible_from_the_seed():
    a, b, c = (nnref.init_params([4, 6, 2], "relu", seed=s) for s in (1, 1, 2))
    assert np.array_equal(a[0][0], b[0][0])
    assert not np.array_equal(a[0][0], c[0][0])


@pytest.mark.parametrize(("name", "expected_std"), [("relu", np.sqrt(2 / 400)), ("tanh", np.sqrt(2 / 700))])
def test_init_params_scales_hidden_weights_by_he_for_relu_and_glorot_otherwise(name, expected_std):
    W = nnref.init_params([400, 300, 10], name, seed=0)[0][0]
    assert W.std() == pytest.approx(expected_std, rel=0.02)
