"""The four activation functions of the lecture and their derivatives, elementwise.

=========  ================================  ======================================
name       σ(a)                              σ'(a)
=========  ================================  ======================================
linear     a                                 1
sigmoid    1 / (1 + e^(−a))                  σ(a) σ(−a)
tanh       (e^a − e^(−a)) / (e^a + e^(−a))   1 − tanh²(a)
relu       max(a, 0)                         1 if a > 0 else 0 (0 at a = 0)
=========  ================================  ======================================

Every function accepts an array of any shape and returns one of the same shape and
float dtype (integer and bool inputs become float64). Each is finite for every finite
input: sigmoid and the derivatives are computed from ``e^(−|a|) ≤ 1``, which cannot
overflow.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import as_float_array

# --- unchecked kernels (float arrays in, same dtype out); the public functions wrap them ---


def _sigmoid(a: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(a))              # in (0, 1]: no overflow for any input
    d = 1 + e
    return np.where(a >= 0, 1 / d, e / d)   # σ(|a|) for a ≥ 0, else σ(−|a|) = e^(−|a|) / (1 + e^(−|a|))


def _sigmoid_grad(a: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(a))
    d = 1 + e
    return (1 / d) * (e / d)            # σ(|a|) σ(−|a|) = σ(a) σ(−a), each factor to full precision


def _tanh_grad(a: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(a))
    q = e * e                           # e^(−2|a|), underflows quietly to 0 for |a| > ~372
    d = 1 + q
    return 4 * (1 / d) * (q / d)        # sech²(a) = 4 σ(2|a|) σ(−2|a|); no 1 − tanh² cancellation


def _relu(a: np.ndarray) -> np.ndarray:
    return np.maximum(a, 0)


def _relu_mask(a: np.ndarray) -> np.ndarray:
    return a > 0                        # bool; multiplying by it is multiplying by relu_grad(a)


# --- public API ---


def linear(a) -> np.ndarray:
    """Identity activation σ(a) = a, elementwise (a copy of ``a``).

    Parameters
    ----------
    a : array of any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape as ``a``, float dtype.

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return np.array(as_float_array(a, "a"), copy=True)


def linear_grad(a) -> np.ndarray:
    """Derivative of the identity, σ'(a) = 1, elementwise.

    Parameters
    ----------
    a : array of any shape

    Returns
    -------
    ndarray of ones, same shape and float dtype as ``a``.

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return np.ones_like(as_float_array(a, "a"))


def sigmoid(a) -> np.ndarray:
    """Logistic function σ(a) = 1 / (1 + e^(−a)), elementwise.

    Computed from e^(−|a|) ≤ 1 in two branches, so every finite input (±1000, ±1e308)
    gives a finite value in [0, 1] without an overflow warning.

    Parameters
    ----------
    a : array of any shape

    Returns
    -------
    ndarray, same shape as ``a``, float dtype.

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return _sigmoid(as_float_array(a, "a"))


def sigmoid_grad(a) -> np.ndarray:
    """σ'(a) = σ(a)(1 − σ(a)) = σ(a) σ(−a), elementwise.

    Computed as σ(|a|) σ(−|a|), both factors from e^(−|a|), which keeps full relative
    precision where σ(a) rounds to 1 (where 1 − σ(a) would be 0) and never exceeds 1/4.

    Parameters
    ----------
    a : array of any shape
        Pre-activations (not σ(a)).

    Returns
    -------
    ndarray, same shape as ``a``, float dtype, values in (0, 1/4].

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return _sigmoid_grad(as_float_array(a, "a"))


def tanh(a) -> np.ndarray:
    """Hyperbolic tangent tanh(a) = (e^a − e^(−a)) / (e^a + e^(−a)), elementwise.

    Parameters
    ----------
    a : array of any shape

    Returns
    -------
    ndarray, same shape as ``a``, float dtype, values in [−1, 1].

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return np.tanh(as_float_array(a, "a"))


def tanh_grad(a) -> np.ndarray:
    """tanh'(a) = 1 − tanh²(a) = 4 σ(2a) σ(−2a), elementwise.

    The second form, computed from e^(−2|a|), keeps full relative precision for large |a|
    (where tanh(a) rounds to ±1) and never exceeds 1.

    Parameters
    ----------
    a : array of any shape
        Pre-activations (not tanh(a)).

    Returns
    -------
    ndarray, same shape as ``a``, float dtype, values in [0, 1].

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return _tanh_grad(as_float_array(a, "a"))


def relu(a) -> np.ndarray:
    """Rectified linear unit relu(a) = max(a, 0), elementwise.

    Parameters
    ----------
    a : array of any shape

    Returns
    -------
    ndarray, same shape as ``a``, float dtype.

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    return _relu(as_float_array(a, "a"))


def relu_grad(a) -> np.ndarray:
    """relu'(a) = 1 if a > 0 else 0, elementwise; the value at the kink a = 0 is 0.

    Parameters
    ----------
    a : array of any shape

    Returns
    -------
    ndarray of 0.0 and 1.0 (float, not bool), same shape and float dtype as ``a``.

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object or string dtype).
    """
    a = as_float_array(a, "a")
    return (a > 0).astype(a.dtype)


ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "linear": (linear, linear_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
}
"""Public ``(σ, σ')`` pairs by the names that ``mlp_forward`` and friends accept."""

# Unchecked ``(σ, σ')`` for the layers of a network. ``σ'`` is ``None`` where it is 1
# (nothing to multiply), and relu's is a bool mask: ``dH * mask == dH * relu_grad(A)``.
KERNELS: dict[str, tuple[Callable, Callable | None]] = {
    "linear": (lambda a: a, None),
    "sigmoid": (_sigmoid, _sigmoid_grad),
    "tanh": (np.tanh, _tanh_grad),
    "relu": (_relu, _relu_mask),
}


def check_activation(activation) -> str:
    """The activation name, if it is one of ``ACTIVATIONS``.

    Raises
    ------
    ValueError
        "unknown activation 'softplus'; expected one of 'linear', 'sigmoid', 'tanh', 'relu'".
    """
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        expected = ", ".join(repr(name) for name in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; expected one of {expected}")
    return activation
