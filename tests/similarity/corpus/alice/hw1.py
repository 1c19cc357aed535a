"""HW1 by Alice: plain functions, explicit loops over layers."""
import numpy as np


def linear(a):
    return np.array(a, dtype=float, copy=True)


def linear_grad(a):
    return np.ones_like(a, dtype=float)


def sigmoid(a):
    a = np.asarray(a, dtype=float)
    out = np.empty_like(a)
    pos = a >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-a[pos]))
    e = np.exp(a[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def sigmoid_grad(a):
    s = sigmoid(a)
    return s * (1.0 - s)


def tanh(a):
    return np.tanh(a)


def tanh_grad(a):
    t = np.tanh(a)
    return 1.0 - t * t


def relu(a):
    return np.maximum(a, 0.0)


def relu_grad(a):
    return (np.asarray(a) > 0).astype(float)


def softmax(a):
    shifted = a - np.max(a, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


def l2_loss(f, y):
    diff = f - y
    return float(np.mean(np.sum(diff * diff, axis=1)))


def zero_one_loss(scores, y):
    predicted = np.argmax(scores, axis=1)
    return float(np.mean(predicted != y))


def softmax_cross_entropy(a, y):
    n = a.shape[0]
    m = np.max(a, axis=1, keepdims=True)
    log_z = m[:, 0] + np.log(np.sum(np.exp(a - m), axis=1))
    return float(np.mean(log_z - a[np.arange(n), y]))


ACTIVATIONS = {"linear": (linear, linear_grad), "sigmoid": (sigmoid, sigmoid_grad),
               "tanh": (tanh, tanh_grad), "relu": (relu, relu_grad)}


def forward_pass(params, X, activation):
    act, _ = ACTIVATIONS[activation]
    pre = []
    hidden = [X]
    h = X
    for i in range(len(params)):
        W, b = params[i]
        z = h @ W.T + b
        pre.append(z)
        if i < len(params) - 1:
            h = act(z)
            hidden.append(h)
    return pre, hidden


def mlp_forward(params, X, activation):
    pre, _ = forward_pass(params, X, activation)
    return softmax(pre[-1])


def mlp_backward(params, X, y, activation):
    _, act_grad = ACTIVATIONS[activation]
    pre, hidden = forward_pass(params, X, activation)
    n = X.shape[0]
    loss = softmax_cross_entropy(pre[-1], y)
    delta = softmax(pre[-1])
    delta[np.arange(n), y] -= 1.0
    delta /= n
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        grads[i] = (delta.T @ hidden[i], delta.sum(axis=0))
        if i > 0:
            delta = (delta @ params[i][0]) * act_grad(pre[i - 1])
    return loss, grads


def sgd_step(params, grads, lr):
    updated = []
    for (W, b), (dW, db) in zip(params, grads):
        updated.append((W - lr * dW, b - lr * db))
    return updated


def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        std = np.sqrt(2.0 / (fan_in + fan_out))
        params.append((rng.normal(0.0, std, size=(fan_out, fan_in)), np.zeros(fan_out)))
    n = X.shape[0]
    for epoch in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            _, grads = mlp_backward(params, X[batch], y[batch], activation)
            params = sgd_step(params, grads, lr)
    return params
