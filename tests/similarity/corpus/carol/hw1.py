"""Carol's HW1: layers and activations as small classes; the required functions wrap them."""
import numpy as np


class Activation:
    def value(self, a):
        raise NotImplementedError

    def derivative(self, a):
        raise NotImplementedError


class Identity(Activation):
    def value(self, a):
        return np.copy(a).astype(float)

    def derivative(self, a):
        return np.ones(np.shape(a))


class Logistic(Activation):
    def value(self, a):
        a = np.clip(a, -500.0, 500.0)
        return 1.0 / (1.0 + np.exp(-a))

    def derivative(self, a):
        s = self.value(a)
        return s - s ** 2


class Tanh(Activation):
    def value(self, a):
        return np.tanh(a)

    def derivative(self, a):
        return 1.0 - np.square(np.tanh(a))


class ReLU(Activation):
    def value(self, a):
        return a * (a > 0)

    def derivative(self, a):
        return 1.0 * (a > 0)


REGISTRY = {"linear": Identity(), "sigmoid": Logistic(), "tanh": Tanh(), "relu": ReLU()}


def linear(a):
    return REGISTRY["linear"].value(a)


def linear_grad(a):
    return REGISTRY["linear"].derivative(a)


def sigmoid(a):
    return REGISTRY["sigmoid"].value(a)


def sigmoid_grad(a):
    return REGISTRY["sigmoid"].derivative(a)


def tanh(a):
    return REGISTRY["tanh"].value(a)


def tanh_grad(a):
    return REGISTRY["tanh"].derivative(a)


def relu(a):
    return REGISTRY["relu"].value(a)


def relu_grad(a):
    return REGISTRY["relu"].derivative(a)


def softmax(a):
    z = np.exp(a - a.max(axis=1)[:, np.newaxis])
    return z / z.sum(axis=1)[:, np.newaxis]


def l2_loss(f, y):
    total = 0.0
    for row_f, row_y in zip(f, y):
        total += np.dot(row_f - row_y, row_f - row_y)
    return total / f.shape[0]


def zero_one_loss(scores, y):
    wrong = 0
    for row, label in zip(scores, y):
        if np.argmax(row) != label:
            wrong += 1
    return wrong / len(y)


def softmax_cross_entropy(a, y):
    rows = np.arange(len(y))
    biggest = a.max(axis=1)
    lse = biggest + np.log(np.exp(a - biggest[:, np.newaxis]).sum(axis=1))
    return np.mean(lse - a[rows, y])


class Dense:
    def __init__(self, W, b, act):
        self.W, self.b, self.act = W, b, act
        self.inputs = self.pre = None

    def forward(self, H):
        self.inputs = H
        self.pre = H @ self.W.T + self.b
        return self.pre if self.act is None else self.act.value(self.pre)

    def backward(self, upstream):
        grad = upstream if self.act is None else upstream * self.act.derivative(self.pre)
        self.dW = grad.T @ self.inputs
        self.db = grad.sum(axis=0)
        return grad @ self.W


class Network:
    def __init__(self, params, activation):
        act = REGISTRY[activation]
        self.layers = [Dense(W, b, act) for W, b in params[:-1]]
        self.layers.append(Dense(params[-1][0], params[-1][1], None))

    def logits(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def gradients(self, X, y):
        logits = self.logits(X)
        probs = softmax(logits)
        probs[np.arange(len(y)), y] -= 1
        upstream = probs / len(y)
        for layer in reversed(self.layers):
            upstream = layer.backward(upstream)
        return softmax_cross_entropy(logits, y), [(layer.dW, layer.db) for layer in self.layers]


def mlp_forward(params, X, activation):
    return softmax(Network(params, activation).logits(X))


def mlp_backward(params, X, y, activation):
    return Network(params, activation).gradients(X, y)


def sgd_step(params, grads, lr):
    new = list()
    for layer, grad in zip(params, grads):
        new.append(tuple(p - lr * g for p, g in zip(layer, grad)))
    return new


def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    generator = np.random.default_rng(seed)
    params = []
    for k in range(len(sizes) - 1):
        scale = np.sqrt(2.0 / (sizes[k] + sizes[k + 1]))
        params.append((scale * generator.standard_normal((sizes[k + 1], sizes[k])), np.zeros(sizes[k + 1])))
    count = len(y)
    epoch = 0
    while epoch < epochs:
        shuffled = generator.permutation(count)
        position = 0
        while position < count:
            chosen = shuffled[position:position + batch_size]
            loss, grads = mlp_backward(params, X[chosen], y[chosen], activation)
            params = sgd_step(params, grads, lr)
            position += batch_size
        epoch += 1
    return params
