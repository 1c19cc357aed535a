"""The softmax output activation and its backward pass.

    softmax(a)_c = e^(a_c) / Σ_c' e^(a_c')        (row-wise, for a of shape (n, C))

Computed from ``a − max_c a_c``, which leaves the result unchanged (the factor e^(−max)
cancels) and makes every exponent ≤ 0, so nothing overflows and at least one term of each
row's sum is e^0 = 1. Rows that span more than the float range (``[1e308, −1e308]``)
would overflow in that very subtraction; ``_minus_row_max`` handles them exactly.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_scores


def _minus_row_max(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(a − m, m)`` with ``m`` the row max of shape (n, 1), without any overflow.

    ``a − m`` only overflows when a row spans more than the float range: its exact value is
    then below the most negative float, its correctly rounded value is −inf, and e^(−inf) = 0
    is exact. The halves ``a/2 − m/2`` cannot overflow, so they find those entries, which
    keep −inf while the subtraction runs on the others. (Written with ``~`` so that a NaN
    input gives NaN, not −inf.)
    """
    m = np.maximum.reduce(a, axis=1, keepdims=True)
    fits = ~(a / 2 - m / 2 < np.finfo(a.dtype).min / 2)
    return np.subtract(a, m, out=np.full_like(a, -np.inf), where=fits), m


def _softmax(a: np.ndarray) -> np.ndarray:
    e = np.exp(_minus_row_max(a)[0])
    e /= np.add.reduce(e, axis=1, keepdims=True)      # each sum is ≥ 1 (the max's e^0)
    return e


def softmax(a) -> np.ndarray:
    """Row-wise softmax, softmax(a)_ic = e^(a_ic) / Σ_c e^(a_ic).

    Finite for every finite input; each row is strictly positive where the float range
    allows and sums to 1 up to rounding, even for rows like ``[1000, 1000]``, ``[-1e4, 0]``
    or ``[1e308, -1e308]``.

    Parameters
    ----------
    a : array of shape (n, C)
        Pre-activations of the output layer, one row per example.

    Returns
    -------
    ndarray of shape (n, C), the dtype of ``a`` (float64 for integer input).

    Raises
    ------
    ValueError
        If ``a`` is not 2-D or has no columns.
    """
    return _softmax(as_scores(a))


def softmax_backward(a, dp) -> np.ndarray:
    """dL/da_ic = p_ic (dL/dp_ic − Σ_c' p_ic' dL/dp_ic') for p = softmax(a): the gradient through the softmax.

    Given dL/dp, this is the product with the softmax Jacobian diag(p) − p pᵀ, row by row.

    Parameters
    ----------
    a : array of shape (n, C)
        Pre-activations.
    dp : array of shape (n, C)
        Gradient of a scalar loss with respect to ``softmax(a)``.

    Returns
    -------
    ndarray of shape (n, C).

    Raises
    ------
    ValueError
        If ``a`` is not 2-D with at least one column, or ``dp`` has another shape.
    """
    a = as_scores(a)
    dp = as_float_array(dp, "dp")
    if dp.shape != a.shape:
        raise ValueError(f"dp has shape {dp.shape} but a has shape {a.shape}")
    p = _softmax(a)
    return p * (dp - np.add.reduce(dp * p, axis=1, keepdims=True))
