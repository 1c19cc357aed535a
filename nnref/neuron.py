"""The artificial neuron of the lecture.

    pre-activation    a(x) = b + Σ_i w_i x_i = b + wᵀx
    post-activation   h(x) = σ(b + wᵀx)

Batch-first like the rest of nnref: ``x`` of shape (n, d) gives one value per row.
A single (d,) vector gives a 0-d result.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_real
from .activations import KERNELS, check_activation


def _check(x, w, b) -> tuple[np.ndarray, np.ndarray, float]:
    x = as_float_array(x, "x", ndim=(1, 2))
    w = as_float_array(w, "w", ndim=1)
    if x.shape[-1] != w.shape[0]:
        raise ValueError(f"x has {x.shape[-1]} features but w has shape {w.shape}")
    return x, w, check_real(b, "b")     # a Python float: never changes the dtype of x @ w


def neuron_preactivation(x, w, b) -> np.ndarray:
    """Pre-activation a(x) = b + wᵀx, one value per row of ``x``.

    Parameters
    ----------
    x : array of shape (n, d), or (d,) for one input
    w : array of shape (d,)
        Weights.
    b : real number
        Bias.

    Returns
    -------
    ndarray of shape (n,) (0-d for a single input).

    Raises
    ------
    ValueError
        If ``x`` and ``w`` disagree on d, or ``b`` is not a finite real number.
    """
    x, w, b = _check(x, w, b)
    return x @ w + b


def neuron(x, w, b, activation: str = "sigmoid") -> np.ndarray:
    """Post-activation h(x) = σ(b + wᵀx), with σ one of the four activations.

    With the sigmoid this is the logistic classifier of the lecture: h(x) = P(output = 1 | x),
    predict 1 when h(x) > 1/2.

    Parameters
    ----------
    x : array of shape (n, d), or (d,)
    w : array of shape (d,)
    b : real number
    activation : {"linear", "sigmoid", "tanh", "relu"}

    Returns
    -------
    ndarray of shape (n,) (0-d for a single input).

    Raises
    ------
    ValueError
        As ``neuron_preactivation``, or for an unknown activation name.
    """
    forward, _ = KERNELS[check_activation(activation)]
    x, w, b = _check(x, w, b)
    return forward(x @ w + b)


def neuron_backward(x, w, b, dh, activation: str = "sigmoid") -> tuple[np.ndarray, float]:
    """Gradients of a loss L through the neuron, given dL/dh for each row:

        dL/dw = Σ_n (dL/dh_n) σ'(a_n) x_n        dL/db = Σ_n (dL/dh_n) σ'(a_n)

    Parameters
    ----------
    x : array of shape (n, d), or (d,)
    w : array of shape (d,)
    b : real number
    dh : array of the shape of ``neuron(x, w, b)``, that is (n,) (or 0-d)
        Gradient of the loss with respect to each output.
    activation : {"linear", "sigmoid", "tanh", "relu"}

    Returns
    -------
    (dw, db) : ndarray of shape (d,) and a NumPy float scalar.

    Raises
    ------
    ValueError
        As ``neuron``, or if ``dh`` does not have one entry per row of ``x``.
    """
    _, derivative = KERNELS[check_activation(activation)]
    x, w, b = _check(x, w, b)
    dh = as_float_array(dh, "dh")
    if dh.shape != x.shape[:-1]:
        raise ValueError(f"dh has shape {dh.shape} but the neuron has {x.shape[:-1]} outputs")
    da = dh if derivative is None else dh * derivative(x @ w + b)
    dw = da @ x if x.ndim == 2 else da * x
    return dw, np.add.reduce(da, axis=None)
