"""Gradient checking: compare an analytic gradient with centered finite differences.

    ∂f/∂x_j ≈ (f(x + h e_j) − f(x − h e_j)) / 2h                                   (error O(h²))
    ∂f/∂x_j ≈ (8 [f(x + h e_j) − f(x − h e_j)] − [f(x + 2h e_j) − f(x − 2h e_j)]) / 12h   (error O(h⁴))

    rel_error(a, b) = max_j |a_j − b_j| / max(floor, |a_j| + |b_j|)

Rules of thumb (CS231n): check in float64, on a few examples, away from kinks (a ReLU
pre-activation within 2h of 0 makes the finite difference straddle the kink), every
parameter of every layer. A correct gradient then gives a relative error below 1e-7.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import as_float_array, check_params, check_real
from .mlp import mlp_backward, mlp_loss


def rel_error(a, b, floor: float = 1e-8) -> float:
    """Largest elementwise relative error, max_j |a_j − b_j| / max(floor, |a_j| + |b_j|).

    The floor keeps entries where both gradients are (nearly) zero from dividing by zero.

    Parameters
    ----------
    a, b : arrays of the same shape
    floor : positive real

    Returns
    -------
    float (0.0 for empty arrays).

    Raises
    ------
    ValueError
        If the shapes differ.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}")
    if a.size == 0:
        return 0.0
    floor = check_real(floor, "floor", positive=True)
    return float(np.max(np.abs(a - b) / np.maximum(floor, np.abs(a) + np.abs(b))))


def _difference(f: Callable[[], float], x: np.ndarray, j: tuple, step: float) -> float:
    """f(x + step e_j) − f(x − step e_j), with x[j] restored afterwards."""
    old = x[j]
    x[j] = old + step
    plus = float(f())
    x[j] = old - step
    minus = float(f())
    x[j] = old
    return plus - minus


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float | None = None, order: int = 4) -> np.ndarray:
    """Centered differences of the scalar ``f()`` with respect to every entry of ``x``:

        order 2:  g_j = (f(x + h e_j) − f(x − h e_j)) / 2h                               error O(h²)
        order 4:  g_j = (8 [f(x + h e_j) − f(x − h e_j)] − [f(x + 2h e_j) − f(x − 2h e_j)]) / 12h   error O(h⁴)

    Order 4 is the default: its error is about 1e-13 at h = 1e-3 in float64, against about
    1e-10 for order 2 at its best step h = 1e-6 (rounding ≈ 1e-16 / h, truncation ≈ h²), and
    the relative error of a gradient entry of size 1e-4 is that error divided by 1e-4.
    Differences are taken first, so a flat ``f`` gives exactly 0.

    ``f`` takes no arguments and reads ``x``, which is nudged in place, one entry at a time,
    and restored exactly afterwards.

    Parameters
    ----------
    f : callable returning a real number
    x : float ndarray (any shape), writable; use float64 for checking
    h : positive real, default 1e-3 for order 4 and 1e-6 for order 2
        Step. Keep ReLU pre-activations farther than ``order/2 * h * |input|`` from 0.
    order : 2 or 4

    Returns
    -------
    float64 ndarray shaped like ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not a writable float array, ``h`` is not positive or ``order`` is not 2 or 4.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f" or not x.flags.writeable:
        raise ValueError("x must be a writable float ndarray that f reads")
    if order not in (2, 4):
        raise ValueError(f"order must be 2 or 4, got {order!r}")
    h = (1e-3 if order == 4 else 1e-6) if h is None else check_real(h, "h", positive=True)
    grad = np.zeros(x.shape, dtype=np.float64)
    for j in np.ndindex(x.shape):
        if order == 2:
            grad[j] = _difference(f, x, j, h) / (2 * h)
        else:
            grad[j] = (8 * _difference(f, x, j, h) - _difference(f, x, j, 2 * h)) / (12 * h)
    return grad


def check_gradient(f: Callable[[], float], x: np.ndarray, analytic, h: float | None = None) -> float:
    """``rel_error(analytic, numerical_gradient(f, x, h))``: how far an analytic gradient of
    ``f()`` with respect to ``x`` is from centered differences.

    Parameters
    ----------
    f : callable returning a real number, reading ``x``
    x : float ndarray, writable
    analytic : array shaped like ``x``
    h : positive real, default as ``numerical_gradient``

    Returns
    -------
    float, the largest relative error; below 1e-7 for a correct gradient in float64.

    Raises
    ------
    ValueError
        As ``numerical_gradient`` and ``rel_error``.
    """
    return rel_error(analytic, numerical_gradient(f, x, h))


def check_mlp_gradients(params, X, y, activation: str, h: float | None = None) -> dict[str, float]:
    """Relative error of ``mlp_backward``'s gradient for every parameter array of every layer.

    Works on float64 copies of ``params`` and ``X`` (the inputs are not modified), comparing
    each (dW, db) with centered differences of ``mlp_loss``.

    Parameters
    ----------
    params : list of (W, b)
    X : array of shape (n, d); keep n small (each parameter entry costs two forward passes)
    y : int array of shape (n,)
    activation : {"linear", "sigmoid", "tanh", "relu"}
    h : positive real, default as ``numerical_gradient``
        With relu, every hidden pre-activation must be farther than about 2h from 0.

    Returns
    -------
    dict from "params[k][0]" / "params[k][1]" to that array's relative error.

    Raises
    ------
    ValueError
        As ``mlp_backward``.
    """
    X = as_float_array(X, "X", ndim=2).astype(np.float64)                  # copies
    work = [(W.astype(np.float64), b.astype(np.float64)) for W, b in check_params(params, X.shape[1])]
    _, grads = mlp_backward(work, X, y, activation)
    errors = {}
    for k, (layer, grad) in enumerate(zip(work, grads)):
        for j in (0, 1):
            errors[f"params[{k}][{j}]"] = check_gradient(
                lambda: mlp_loss(work, X, y, activation), layer[j], grad[j], h
            )
    return errors
