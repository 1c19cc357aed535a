"""A correct HW1 solution, written as a careful student would (it cannot import nnref: the
sandbox does not have it).

Every public function stands on its own or on private helpers, never on another public
function, so that a buggy variant which redefines one public function (see ``buggy.py``)
breaks exactly that function's tests.
"""

import numpy as np


def _sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _log_softmax(a):
    m = np.max(a, axis=1, keepdims=True)
    with np.errstate(over="ignore"):            # a row spanning ±1e308: a - m is -inf, exp gives 0
        z = a - m
    return z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))


def _softmax(a):
    return np.exp(_log_softmax(a))


_FORWARD = {
    "linear": lambda a: a,
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "relu": lambda a: np.maximum(a, 0),
}

_DERIVATIVE = {
    "linear": lambda a: np.ones_like(a),
    "sigmoid": lambda a: _sigmoid(a) * _sigmoid(-a),
    "tanh": lambda a: 1 - np.tanh(a) ** 2,
    "relu": lambda a: (a > 0).astype(float),
}


def linear(a):
    return np.array(a, dtype=float, copy=True)


def linear_grad(a):
    return np.ones_like(np.asarray(a, dtype=float))


def sigmoid(a):
    return _sigmoid(np.asarray(a, dtype=float))


def sigmoid_grad(a):
    a = np.asarray(a, dtype=float)
    return _sigmoid(a) * _sigmoid(-a)


def tanh(a):
    return np.tanh(np.asarray(a, dtype=float))


def tanh_grad(a):
    return 1 - np.tanh(np.asarray(a, dtype=float)) ** 2


def relu(a):
    return np.maximum(np.asarray(a, dtype=float), 0)


def relu_grad(a):
    return (np.asarray(a, dtype=float) > 0).astype(float)


def softmax(a):
    return _softmax(np.asarray(a, dtype=float))


def l2_loss(f, y):
    return float(np.mean(np.sum((f - y) ** 2, axis=1)))


def zero_one_loss(scores, y):
    return float(np.mean(np.argmax(scores, axis=1) != y))


def softmax_cross_entropy(a, y):
    log_p = _log_softmax(np.asarray(a, dtype=float))
    return float(-np.mean(log_p[np.arange(len(y)), y]))


def _forward(params, X, activation):
    """(inputs of each layer, hidden pre-activations, logits)."""
    inputs, pre = [X], []
    H = X
    for W, b in params[:-1]:
        A = H @ W.T + b
        pre.append(A)
        H = _FORWARD[activation](A)
        inputs.append(H)
    W, b = params[-1]
    return inputs, pre, H @ W.T + b


def mlp_forward(params, X, activation):
    return _softmax(_forward(params, np.asarray(X, dtype=float), activation)[2])


def _backward(params, X, y, activation):
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    inputs, pre, logits = _forward(params, X, activation)
    log_p = _log_softmax(logits)
    loss = -np.mean(log_p[np.arange(n), y])
    G = np.exp(log_p)
    G[np.arange(n), y] -= 1
    G /= n
    grads = [None] * len(params)
    for k in range(len(params) - 1, -1, -1):
        grads[k] = (G.T @ inputs[k], G.sum(axis=0))
        if k:
            G = (G @ params[k][0]) * _DERIVATIVE[activation](pre[k - 1])
    return float(loss), grads


def mlp_backward(params, X, y, activation):
    return _backward(params, X, y, activation)


def _sgd(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def sgd_step(params, grads, lr):
    return _sgd(params, grads, lr)


def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, np.sqrt(2 / (fan_in + fan_out)), size=(fan_out, fan_in))
        params.append((W, np.zeros(fan_out)))
    n = len(X)
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            _, grads = _backward(params, X[batch], y[batch], activation)
            params = _sgd(params, grads, lr)
    return params
