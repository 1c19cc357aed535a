"""Training an MLP by minibatch stochastic gradient descent.

Each epoch visits the training set once in a fresh random order, in batches of
``batch_size`` rows (the last batch may be smaller); each batch takes one SGD step on
that batch's mean cross-entropy:

    θ ← θ − η ∇θ (1/|B|) Σ_{i∈B} −log f_θ(x_i)_{y_i}

The inputs are validated once here; the loop then runs on the unchecked helpers of
``nnref.mlp`` and updates its own parameter arrays in place (nothing the caller passed in
is modified), so a step at batch size 1 costs a few dozen NumPy calls.
"""

from __future__ import annotations

import numpy as np

from ._validate import Layer, as_float_array, as_labels, check_count, check_nonempty, check_real
from .activations import KERNELS, check_activation
from .mlp import _backward_pass, _forward_pass, check_sizes, init_params
from .softmax import _softmax


def train_mlp(
    X,
    y,
    sizes,
    activation: str = "relu",
    lr: float = 0.1,
    epochs: int = 10,
    batch_size: int = 32,
    seed=0,
    *,
    momentum: float = 0.0,
) -> list[Layer]:
    """Train an MLP with layer widths ``sizes`` by minibatch SGD on the mean cross-entropy.

        for each epoch, for each batch B of a random permutation:
            v ← μ v − η ∇θ (1/|B|) Σ_{i∈B} −log f_θ(x_i)_{y_i},     θ ← θ + v

    (with the default μ = 0, θ ← θ − η ∇θ ℓ_B). Parameters start from ``init_params(sizes,
    activation, rng, X.dtype)``: He-scaled normal weights for ReLU hidden layers, Glorot-scaled
    otherwise, zero biases. One ``np.random.default_rng(seed)`` draws the initial weights and
    then every epoch's order, so the same arguments give the same parameters.

    Parameters
    ----------
    X : array of shape (n, d), n ≥ 1
        Training inputs; float32 trains (and returns) float32, integers become float64.
    y : int array of shape (n,)
        Labels in [0, sizes[-1]).
    sizes : sequence of ints ≥ 1
        Layer widths, input first (= d) and classes last, e.g. [64, 128, 10].
    activation : {"linear", "sigmoid", "tanh", "relu"}
    lr : positive real
        Step size η.
    epochs : int ≥ 0
    batch_size : int ≥ 1
        Rows per step; a value above n gives full-batch gradient descent.
    seed : int or numpy.random.Generator
    momentum : real in [0, 1), keyword-only
        μ; 0 is plain SGD.

    Returns
    -------
    list of (W, b), the trained parameters (new arrays).

    Raises
    ------
    ValueError
        If ``sizes[0]`` is not the number of columns of ``X``, a label is outside
        [0, sizes[-1]), ``X`` and ``y`` differ in length, the activation is unknown, or a
        hyper-parameter is out of range.
    """
    X = as_float_array(X, "X", ndim=2)
    check_nonempty(X, "X")
    sizes = check_sizes(sizes)
    if sizes[0] != X.shape[1]:
        raise ValueError(f"sizes[0] is {sizes[0]} but X has {X.shape[1]} features")
    y = as_labels(y, X.shape[0], sizes[-1], rows_of="X")
    activation = check_activation(activation)
    lr = check_real(lr, "lr", positive=True)
    epochs = check_count(epochs, "epochs", 0)
    batch_size = check_count(batch_size, "batch_size", 1)
    momentum = check_real(momentum, "momentum", below_one=True)
    if not isinstance(seed, np.random.Generator):
        seed = check_count(seed, "seed", 0)

    rng = np.random.default_rng(seed)
    params = init_params(sizes, activation, rng, X.dtype)
    _sgd_epochs(params, X, y, activation, lr, epochs, batch_size, momentum, rng)
    return params


def _sgd_epochs(
    params: list[Layer],
    X: np.ndarray,
    y: np.ndarray,
    activation: str,
    lr: float,
    epochs: int,
    batch_size: int,
    momentum: float,
    rng: np.random.Generator,
) -> None:
    """The training loop on checked inputs; updates the arrays of ``params`` in place."""
    forward, derivative = KERNELS[activation]
    one_hot = np.eye(params[-1][0].shape[0], dtype=params[-1][0].dtype)
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params] if momentum else None
    n = X.shape[0]
    for _ in range(epochs):
        order = rng.permutation(n)
        X_epoch, Y_epoch = X[order], one_hot[y[order]]     # batches below are views of these
        for start in range(0, n, batch_size):
            X_batch = X_epoch[start : start + batch_size]
            inputs, pre_activations, logits = _forward_pass(params, X_batch, forward)
            G = _softmax(logits)
            G -= Y_epoch[start : start + batch_size]
            G *= lr / X_batch.shape[0]                     # so the gradients come out as η ∇θ ℓ_B
            steps = _backward_pass(params, inputs, pre_activations, G, derivative)
            if velocity is None:
                for (W, b), (dW, db) in zip(params, steps):
                    W -= dW
                    b -= db
            else:
                for (W, b), (vW, vb), (dW, db) in zip(params, velocity, steps):
                    vW *= momentum
                    vW -= dW
                    vb *= momentum
                    vb -= db
                    W += vW
                    b += vb
