"""Deliberately buggy HW1 solutions: the correct one with one public function redefined.

Each entry is (name, broken function, code appended to ``correct_hw1.py``). A later ``def``
replaces the earlier one, and the correct solution's functions never call each other's
public names, so each variant breaks exactly one function.
"""

from pathlib import Path

CORRECT = Path(__file__).with_name("correct_hw1.py")

BUGS = [
    ("relu_grad is 1 at 0", "relu_grad", """
def relu_grad(a):
    return (np.asarray(a, dtype=float) >= 0).astype(float)
"""),
    ("softmax without the max shift", "softmax", """
def softmax(a):
    e = np.exp(a)
    return e / e.sum(axis=1, keepdims=True)
"""),
    ("l2_loss sums instead of averaging", "l2_loss", """
def l2_loss(f, y):
    return float(np.sum((f - y) ** 2))
"""),
    ("sgd_step updates params in place", "sgd_step", """
def sgd_step(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params
"""),
    ("mlp_forward with W transposed", "mlp_forward", """
def mlp_forward(params, X, activation):
    H = X
    for W, b in params[:-1]:
        H = _FORWARD[activation](H @ W + b)
    W, b = params[-1]
    return _softmax(H @ W + b)
"""),
    ("zero_one_loss breaks ties to the last index", "zero_one_loss", """
def zero_one_loss(scores, y):
    last = scores.shape[1] - 1 - np.argmax(scores[:, ::-1], axis=1)
    return float(np.mean(last != y))
"""),
    ("tanh_grad from a instead of tanh(a)", "tanh_grad", """
def tanh_grad(a):
    return 1 - np.asarray(a, dtype=float) ** 2
"""),
    ("sigmoid_grad missing", "sigmoid_grad", """
del sigmoid_grad
"""),
    ("softmax_cross_entropy raises", "softmax_cross_entropy", """
def softmax_cross_entropy(a, y):
    if a.shape[0] != 0:
        raise ValueError("labels and scores do not match")
"""),
    ("linear returns the wrong shape", "linear", """
def linear(a):
    return np.asarray(a, dtype=float).T.copy()
"""),
    ("sigmoid returns NaN for large inputs", "sigmoid", """
def sigmoid(a):
    e = np.exp(np.asarray(a, dtype=float))
    return e / (1 + e)
"""),
    ("linear_grad loops forever", "linear_grad", """
def linear_grad(a):
    while True:
        pass
"""),
    ("mlp_backward forgets to average the gradients", "mlp_backward", """
def mlp_backward(params, X, y, activation):
    loss, grads = _backward(params, X, y, activation)
    return loss, [(len(X) * dW, len(X) * db) for dW, db in grads]
"""),
    ("train_mlp does not train", "train_mlp", """
def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, 0.1, (m, n)), np.zeros(m)) for n, m in zip(sizes[:-1], sizes[1:])]
"""),
    ("relu segfaults", "relu", """
def relu(a):
    import ctypes
    ctypes.string_at(0)
"""),
]


def source(extra: str) -> bytes:
    return (CORRECT.read_text() + "\n" + extra).encode()
