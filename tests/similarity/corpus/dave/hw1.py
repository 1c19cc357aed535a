import numpy as np
import math

# dave -- hw1


def linear(a):
    out = np.zeros(np.shape(a)) + a
    return out


def linear_grad(a):
    out = np.zeros(np.shape(a))
    out[...] = 1
    return out


def sigmoid(a):
    a = np.asarray(a, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -a))


def sigmoid_grad(a):
    a = np.asarray(a, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -a) - np.logaddexp(0.0, a))


def tanh(a):
    return 2.0 * sigmoid(2.0 * np.asarray(a, dtype=np.float64)) - 1.0


def tanh_grad(a):
    return 4.0 * sigmoid_grad(2.0 * np.asarray(a, dtype=np.float64))


def relu(a):
    result = np.array(a, dtype=np.float64)
    result[result < 0] = 0
    return result


def relu_grad(a):
    result = np.zeros(np.shape(a))
    result[np.asarray(a) > 0] = 1
    return result


def softmax(a):
    result = np.zeros(a.shape)
    for i in range(a.shape[0]):
        row = a[i] - max(a[i])
        ex = np.exp(row)
        result[i] = ex / ex.sum()
    return result


def l2_loss(f, y):
    n = f.shape[0]
    return np.linalg.norm(f - y) ** 2 / n


def zero_one_loss(scores, y):
    return np.count_nonzero(np.argmax(scores, 1) - y) / scores.shape[0]


def log_softmax(a):
    result = np.zeros(a.shape)
    for i in range(a.shape[0]):
        m = max(a[i])
        result[i] = a[i] - m - math.log(np.exp(a[i] - m).sum())
    return result


def softmax_cross_entropy(a, y):
    ls = log_softmax(a)
    total = 0
    for i in range(len(y)):
        total = total - ls[i, y[i]]
    return total / len(y)


def get_activation(name):
    if name == "linear":
        return linear, linear_grad
    elif name == "sigmoid":
        return sigmoid, sigmoid_grad
    elif name == "tanh":
        return tanh, tanh_grad
    elif name == "relu":
        return relu, relu_grad
    raise ValueError("unknown activation " + name)


def mlp_forward(params, X, activation):
    g = get_activation(activation)[0]
    out = X
    L = len(params)
    for layer in range(L):
        out = np.dot(out, params[layer][0].T) + params[layer][1]
        if layer != L - 1:
            out = g(out)
    return softmax(out)


def mlp_backward(params, X, y, activation):
    g, dg = get_activation(activation)
    zs = []
    hs = [X]
    L = len(params)
    for layer in range(L):
        z = np.dot(hs[layer], params[layer][0].T) + params[layer][1]
        zs.append(z)
        hs.append(g(z) if layer != L - 1 else z)
    n = len(y)
    target = np.zeros(zs[-1].shape)
    target[np.arange(n), y] = 1
    err = (softmax(zs[-1]) - target) / n
    dWs = [0] * L
    dbs = [0] * L
    layer = L - 1
    while layer >= 0:
        dWs[layer] = np.dot(err.T, hs[layer])
        dbs[layer] = np.sum(err, 0)
        if layer > 0:
            err = np.dot(err, params[layer][0]) * dg(zs[layer - 1])
        layer -= 1
    grads = list(zip(dWs, dbs))
    return softmax_cross_entropy(zs[-1], y), grads


def sgd_step(params, grads, lr):
    return [(params[i][0] - lr * grads[i][0], params[i][1] - lr * grads[i][1]) for i in range(len(params))]


def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    params = []
    for i in range(1, len(sizes)):
        v = 2 / (sizes[i - 1] + sizes[i])
        params.append((rng.normal(scale=math.sqrt(v), size=(sizes[i], sizes[i - 1])), np.zeros(sizes[i])))
    for e in range(epochs):
        perm = rng.permutation(X.shape[0])
        Xs, ys = X[perm], y[perm]
        for s in range(0, X.shape[0], batch_size):
            grads = mlp_backward(params, Xs[s:s + batch_size], ys[s:s + batch_size], activation)[1]
            params = sgd_step(params, grads, lr)
    return params
