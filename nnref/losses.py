"""The three losses of the lecture, as means over the n examples of a batch.

    l2:             (1/n) Σ_i ‖f_i − y_i‖²
    0-1:            (1/n) Σ_i 1[argmax_c f_ic ≠ y_i]
    cross-entropy:  (1/n) Σ_i −log softmax(a_i)_{y_i}

The cross-entropy takes the output layer's pre-activations ``a``, never probabilities, and is
computed as log Σ_c e^(a_ic − m_i) − (a_{iy_i} − m_i) with m_i the row max: no log(p + eps),
no overflow, no log(0).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_labels, as_scores, check_nonempty
from .softmax import _minus_row_max


def _softmax_cross_entropy(a: np.ndarray, y: np.ndarray) -> tuple[np.floating, np.ndarray]:
    """``(mean loss, softmax(a))`` for checked ``a`` of shape (n, C) and labels ``y``."""
    n = a.shape[0]
    rows = np.arange(n)
    z, m = _minus_row_max(a)
    e = np.exp(z)
    s = np.add.reduce(e, axis=1)
    # s = 1 + t with t the sum over all entries but one row max (whose e^0 = 1); log1p(t)
    # keeps the tiny loss of a confident row that log(1 + t) would round to 0.
    others = e.copy()
    others[rows, np.argmax(a, axis=1)] = 0
    log_s = np.log1p(np.add.reduce(others, axis=1))
    # Per-row loss ℓ_i = log s_i − (a_iy − m_i). Halved, it cannot overflow even for rows
    # spanning ±1e308 (ℓ_i/2 ≤ max); divided by n, the sum cannot either. Halving is exact,
    # so this is the direct formula up to the rounding of the mean.
    half = 0.5 * log_s - (0.5 * a[rows, y] - 0.5 * m[:, 0])
    mean_half = np.add.reduce(half / n)
    if mean_half > np.finfo(a.dtype).max / 2:           # the exact mean is beyond the float range
        loss = a.dtype.type(np.inf)
    else:
        loss = 2 * mean_half
    return loss, e / s[:, None]


def softmax_cross_entropy(a, y) -> np.floating:
    """Mean cross-entropy of softmax outputs, (1/n) Σ_i −log softmax(a)_{i, y_i}, from pre-activations.

    Equal to (1/n) Σ_i [log Σ_c e^(a_ic − m_i) − (a_{iy_i} − m_i)] with m_i = max_c a_ic, which is
    how it is computed. Finite and warning-free for finite input; the one exception is a mean
    that is itself beyond the float range (one row ``[1e308, -1e308]`` with label 1 has loss
    2e308), which is returned as +inf, the correctly rounded value, without a warning.

    Parameters
    ----------
    a : array of shape (n, C), n ≥ 1
        Output-layer pre-activations (logits).
    y : int array of shape (n,)
        Class labels in [0, C).

    Returns
    -------
    NumPy float scalar of the dtype of ``a``, ≥ 0.

    Raises
    ------
    ValueError
        If ``a`` is not 2-D, has no rows or columns, or ``y`` does not hold n labels in [0, C).
    """
    a = as_scores(a)
    check_nonempty(a, "a")
    y = as_labels(y, a.shape[0], a.shape[1], rows_of="a")
    return _softmax_cross_entropy(a, y)[0]


def softmax_cross_entropy_grad(a, y) -> np.ndarray:
    """Gradient of ``softmax_cross_entropy`` with respect to ``a``: (softmax(a) − onehot(y)) / n.

    Parameters
    ----------
    a : array of shape (n, C), n ≥ 1
    y : int array of shape (n,), labels in [0, C)

    Returns
    -------
    ndarray of shape (n, C), the dtype of ``a``; each row sums to 0.

    Raises
    ------
    ValueError
        As ``softmax_cross_entropy``.
    """
    a = as_scores(a)
    check_nonempty(a, "a")
    y = as_labels(y, a.shape[0], a.shape[1], rows_of="a")
    g = _softmax_cross_entropy(a, y)[1]
    g[np.arange(a.shape[0]), y] -= 1
    g /= a.shape[0]
    return g


def _pair(f, y) -> tuple[np.ndarray, np.ndarray]:
    f = as_float_array(f, "f", ndim=(1, 2))
    y = as_float_array(y, "y", ndim=(1, 2))
    if f.shape != y.shape:
        raise ValueError(f"f has shape {f.shape} but y has shape {y.shape}")
    check_nonempty(f, "f")
    return f, y


def l2_loss(f, y) -> np.floating:
    """Mean squared Euclidean error, (1/n) Σ_i ‖f_i − y_i‖².

    Parameters
    ----------
    f : array of shape (n, k), or (n,) for scalar outputs, n ≥ 1
        Predictions.
    y : array of the same shape
        Targets.

    Returns
    -------
    NumPy float scalar (the dtype NumPy gives ``f − y``).

    Raises
    ------
    ValueError
        If the shapes differ, the arrays are not 1-D or 2-D, or have no rows.
    """
    f, y = _pair(f, y)
    d = f - y
    return np.add.reduce(d * d, axis=None) / f.shape[0]


def l2_loss_grad(f, y) -> np.ndarray:
    """Gradient of ``l2_loss`` with respect to ``f``: 2 (f − y) / n.

    Parameters
    ----------
    f, y : arrays of the same shape (n, k) or (n,), n ≥ 1

    Returns
    -------
    ndarray of that shape.

    Raises
    ------
    ValueError
        As ``l2_loss``.
    """
    f, y = _pair(f, y)
    return 2 * (f - y) / f.shape[0]


def zero_one_loss(scores, y) -> np.floating:
    """Error rate, (1/n) Σ_i 1[argmax_c scores_ic ≠ y_i], with ties going to the first index.

    Parameters
    ----------
    scores : array of shape (n, C), n ≥ 1
        Any per-class scores: logits or probabilities give the same argmax.
    y : int array of shape (n,)
        Class labels in [0, C).

    Returns
    -------
    NumPy float scalar in [0, 1], the dtype of ``scores``.

    Raises
    ------
    ValueError
        If ``scores`` is not 2-D, has no rows or columns, or ``y`` does not hold n labels in [0, C).
    """
    scores = as_scores(scores, "scores")
    check_nonempty(scores, "scores")
    y = as_labels(y, scores.shape[0], scores.shape[1], rows_of="scores")
    wrong = np.count_nonzero(np.argmax(scores, axis=1) != y)
    return scores.dtype.type(wrong / scores.shape[0])
