"""Multilayer perceptron with a softmax output, and backpropagation.

For L hidden layers (L = 0 is multinomial logistic regression, L = 1 the lecture's
single-hidden-layer network), with h⁽⁰⁾ = x:

    a⁽ᵏ⁾ = b⁽ᵏ⁾ + W⁽ᵏ⁾ h⁽ᵏ⁻¹⁾        h⁽ᵏ⁾ = σ(a⁽ᵏ⁾)        k = 1 .. L
    f(x) = softmax(a⁽ᴸ⁺¹⁾),        a⁽ᴸ⁺¹⁾ = b⁽ᴸ⁺¹⁾ + W⁽ᴸ⁺¹⁾ h⁽ᴸ⁾

Batch-first: a layer computes ``A = H @ W.T + b`` for ``H`` of shape (n, in), ``W`` of shape
(out, in) and ``b`` of shape (out,). ``params`` is the list ``[(W⁽¹⁾, b⁽¹⁾), ..., (W⁽ᴸ⁺¹⁾, b⁽ᴸ⁺¹⁾)]``.

Backpropagation of the mean cross-entropy ℓ = (1/n) Σ_i −log f(x_i)_{y_i}, with G⁽ᵏ⁾ = ∂ℓ/∂A⁽ᵏ⁾:

    G⁽ᴸ⁺¹⁾ = (softmax(A⁽ᴸ⁺¹⁾) − onehot(y)) / n
    ∂ℓ/∂W⁽ᵏ⁾ = G⁽ᵏ⁾ᵀ H⁽ᵏ⁻¹⁾        ∂ℓ/∂b⁽ᵏ⁾ = Σ_i G⁽ᵏ⁾_i
    G⁽ᵏ⁻¹⁾ = (G⁽ᵏ⁾ W⁽ᵏ⁾) ⊙ σ'(A⁽ᵏ⁻¹⁾)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ._validate import Layer, as_float_array, as_labels, check_count, check_nonempty, check_params
from .activations import KERNELS, check_activation
from .losses import _softmax_cross_entropy
from .softmax import _softmax

# --- unchecked helpers: the public functions validate once, then call these ---


def _forward_pass(
    params: Sequence[Layer], X: np.ndarray, forward: Callable
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """``(inputs, pre_activations, logits)``: ``inputs[k]`` is the H that layer k reads,
    ``pre_activations[k]`` the A of hidden layer k, ``logits`` the output layer's A."""
    inputs, pre_activations = [X], []
    H = X
    for W, b in params[:-1]:
        A = H @ W.T + b
        H = forward(A)
        pre_activations.append(A)
        inputs.append(H)
    W, b = params[-1]
    return inputs, pre_activations, H @ W.T + b


def _backward_pass(
    params: Sequence[Layer],
    inputs: list[np.ndarray],
    pre_activations: list[np.ndarray],
    G: np.ndarray,
    derivative: Callable | None,
) -> list[Layer]:
    """``[(dW, db)]`` for the loss whose gradient with respect to the logits is ``G``."""
    grads: list[Layer] = [None] * len(params)   # type: ignore[list-item]
    for k in range(len(params) - 1, -1, -1):
        # For one row, Gᵀ H is an outer product: broadcasting gives the same bits without
        # BLAS's slow path for an inner dimension of 1 (about 3x faster at batch size 1).
        dW = G.T * inputs[k] if G.shape[0] == 1 else G.T @ inputs[k]
        grads[k] = (dW, np.add.reduce(G, axis=0))
        if k:
            G = G @ params[k][0]                                  # ∂ℓ/∂H⁽ᵏ⁻¹⁾
            if derivative is not None:
                G = G * derivative(pre_activations[k - 1])        # ∂ℓ/∂A⁽ᵏ⁻¹⁾
    return grads


def _logits(params: Sequence[Layer], X: np.ndarray, activation: str) -> np.ndarray:
    return _forward_pass(params, X, KERNELS[activation][0])[2]


def _check_network(params, X, activation) -> tuple[list[Layer], np.ndarray, str]:
    X = as_float_array(X, "X", ndim=2)
    return check_params(params, n_features=X.shape[1]), X, check_activation(activation)


# --- public API ---


def init_params(sizes, activation: str = "relu", seed=0, dtype=np.float64) -> list[Layer]:
    """W⁽ᵏ⁾ ~ N(0, 2 / fan_in) before a ReLU, else N(0, 2 / (fan_in + fan_out)); b⁽ᵏ⁾ = 0.

        W⁽ᵏ⁾ ~ N(0, 2 / fan_in)               a hidden layer followed by ReLU (He et al., 2015)
        W⁽ᵏ⁾ ~ N(0, 2 / (fan_in + fan_out))   otherwise, and the output layer (Glorot & Bengio, 2010)
        b⁽ᵏ⁾ = 0

    Seeded random initial parameters for layer widths ``sizes`` = [d, n_1, ..., n_L, C].

    Parameters
    ----------
    sizes : sequence of ints ≥ 1, length ≥ 2
        Input width first, number of classes last.
    activation : {"linear", "sigmoid", "tanh", "relu"}
        The hidden activation, which picks the scale.
    seed : int or numpy.random.Generator
        Passed to ``np.random.default_rng``; no global random state is used.
    dtype : float dtype, default float64

    Returns
    -------
    list of (W, b) with W of shape (sizes[k+1], sizes[k]) and b of shape (sizes[k+1],).

    Raises
    ------
    ValueError
        For fewer than two sizes, a size below 1, or an unknown activation.
    """
    sizes = check_sizes(sizes)
    check_activation(activation)
    rng = np.random.default_rng(seed)
    params = []
    for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        hidden = k < len(sizes) - 2
        variance = 2 / fan_in if hidden and activation == "relu" else 2 / (fan_in + fan_out)
        W = rng.normal(0.0, np.sqrt(variance), size=(fan_out, fan_in)).astype(dtype)
        params.append((W, np.zeros(fan_out, dtype=dtype)))
    return params


def check_sizes(sizes) -> list[int]:
    """Layer widths as a list of ints ≥ 1, at least input and output."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (Sequence, np.ndarray)) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer widths (input and classes), got {sizes!r}")
    return [check_count(s, f"sizes[{k}]", 1) for k, s in enumerate(sizes)]


def mlp_logits(params, X, activation: str) -> np.ndarray:
    """Output-layer pre-activations a⁽ᴸ⁺¹⁾(x) for every row of ``X`` (the scores before softmax).

    Parameters
    ----------
    params : list of (W, b)
        ``W`` of shape (out, in), ``b`` of shape (out,), input layer first.
    X : array of shape (n, d)
    activation : {"linear", "sigmoid", "tanh", "relu"}
        The hidden layers' activation.

    Returns
    -------
    ndarray of shape (n, C).

    Raises
    ------
    ValueError
        If the shapes of ``params`` do not chain or do not fit ``X``, or the activation is unknown.
    """
    params, X, activation = _check_network(params, X, activation)
    return _logits(params, X, activation)


def mlp_forward(params, X, activation: str) -> np.ndarray:
    """Class probabilities f(x) = softmax(a⁽ᴸ⁺¹⁾(x)) for every row of ``X``.

    Parameters
    ----------
    params : list of (W, b)
        ``W`` of shape (out, in), ``b`` of shape (out,), input layer first.
    X : array of shape (n, d)
    activation : {"linear", "sigmoid", "tanh", "relu"}
        The hidden layers' activation; the output layer is always softmax.

    Returns
    -------
    ndarray of shape (n, C); rows sum to 1.

    Raises
    ------
    ValueError
        If the shapes of ``params`` do not chain or do not fit ``X``, or the activation is unknown.
    """
    params, X, activation = _check_network(params, X, activation)
    return _softmax(_logits(params, X, activation))


def mlp_predict(params, X, activation: str) -> np.ndarray:
    """Predicted classes argmax_c f(x)_c (first index on ties), one per row of ``X``.

    Parameters
    ----------
    params, X, activation : as ``mlp_forward``

    Returns
    -------
    int ndarray of shape (n,).

    Raises
    ------
    ValueError
        As ``mlp_forward``.
    """
    params, X, activation = _check_network(params, X, activation)
    return np.argmax(_logits(params, X, activation), axis=1)


def mlp_loss(params, X, y, activation: str) -> np.floating:
    """Mean cross-entropy ℓ = (1/n) Σ_i −log f(x_i)_{y_i} of the network on ``(X, y)``.

    Parameters
    ----------
    params, X, activation : as ``mlp_forward``, with n ≥ 1
    y : int array of shape (n,), labels in [0, C)

    Returns
    -------
    NumPy float scalar.

    Raises
    ------
    ValueError
        As ``mlp_forward``, or if ``y`` does not hold n labels in [0, C).
    """
    params, X, activation = _check_network(params, X, activation)
    check_nonempty(X, "X")
    y = as_labels(y, X.shape[0], params[-1][0].shape[0], rows_of="X")
    return _softmax_cross_entropy(_logits(params, X, activation), y)[0]


def mlp_backward(params, X, y, activation: str) -> tuple[np.floating, list[Layer]]:
    """ℓ = (1/n) Σ_i −log softmax(a⁽ᴸ⁺¹⁾(x_i))_{y_i} and grads[k] = (∂ℓ/∂W⁽ᵏ⁾, ∂ℓ/∂b⁽ᵏ⁾), by backpropagation.

        G⁽ᴸ⁺¹⁾ = (softmax(A⁽ᴸ⁺¹⁾) − onehot(y)) / n
        ∂ℓ/∂W⁽ᵏ⁾ = G⁽ᵏ⁾ᵀ H⁽ᵏ⁻¹⁾,   ∂ℓ/∂b⁽ᵏ⁾ = Σ_i G⁽ᵏ⁾_i,   G⁽ᵏ⁻¹⁾ = (G⁽ᵏ⁾ W⁽ᵏ⁾) ⊙ σ'(A⁽ᵏ⁻¹⁾)

    Parameters
    ----------
    params : list of (W, b)
        ``W`` of shape (out, in), ``b`` of shape (out,), input layer first.
    X : array of shape (n, d), n ≥ 1
    y : int array of shape (n,), labels in [0, C) with C the output width
    activation : {"linear", "sigmoid", "tanh", "relu"}
        Hidden activation; relu' is taken as 0 at 0.

    Returns
    -------
    (loss, grads) : the mean softmax cross-entropy, and a list of (dW, db) shaped like ``params``.

    Raises
    ------
    ValueError
        If the shapes of ``params`` do not chain or do not fit ``X``, ``y`` does not hold n
        labels in [0, C), or the activation is unknown.
    """
    params, X, activation = _check_network(params, X, activation)
    check_nonempty(X, "X")
    n = X.shape[0]
    y = as_labels(y, n, params[-1][0].shape[0], rows_of="X")
    forward, derivative = KERNELS[activation]
    inputs, pre_activations, logits = _forward_pass(params, X, forward)
    loss, G = _softmax_cross_entropy(logits, y)
    G[np.arange(n), y] -= 1
    G /= n
    return loss, _backward_pass(params, inputs, pre_activations, G, derivative)
