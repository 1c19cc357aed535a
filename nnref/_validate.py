"""Input checks shared by the public functions of nnref.

Every public function validates its arguments here, once, and then calls unchecked
helpers, so a wrong input fails at the boundary with a ``ValueError`` that names the
problem instead of a broadcasting error (or, worse, a silently wrong number) deep inside.

Conventions enforced here (DESIGN.md, "HW1"):

* float arrays keep their dtype; integer and bool arrays become float64;
* ``params`` is a non-empty list of ``(W, b)`` pairs with ``W`` of shape ``(out, in)`` and
  ``b`` of shape ``(out,)``, each layer's ``in`` equal to the previous layer's ``out``;
* labels ``y`` are integer class indices of shape ``(n,)`` in ``[0, C)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Layer = tuple[np.ndarray, np.ndarray]


def as_float_array(a, name: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """``a`` as a float array: float dtypes kept, integer and bool converted to float64.

    Raises
    ------
    ValueError
        If ``a`` is not real-valued (complex, object, strings) or has the wrong number of
        dimensions.
    """
    arr = np.asarray(a)
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.float64)
    elif kind != "f":
        raise ValueError(f"{name} must be a real-valued array, got dtype {arr.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {wanted}, got shape {arr.shape}")
    return arr


def as_scores(a, name: str = "a") -> np.ndarray:
    """A 2-D float array of shape ``(n, C)`` with at least one column (class)."""
    arr = as_float_array(a, name, ndim=2)
    if arr.shape[1] == 0:
        raise ValueError(f"{name} must have at least one column (class), got shape {arr.shape}")
    return arr


def as_labels(y, n: int, n_classes: int, rows_of: str = "a") -> np.ndarray:
    """Integer class labels of shape ``(n,)`` with every value in ``[0, n_classes)``.

    ``rows_of`` names the array whose rows the labels belong to, for the message.

    Raises
    ------
    ValueError
        "y has 5 labels but X has 4 rows", "label 10 out of range for 10 classes", or a
        non-integer dtype or wrong shape.
    """
    labels = np.asarray(y)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"y must hold integer class labels, got dtype {labels.dtype}")
    if labels.ndim != 1:
        raise ValueError(f"y must be 1-D of shape (n,), got shape {labels.shape}")
    if labels.shape[0] != n:
        raise ValueError(f"y has {labels.shape[0]} labels but {rows_of} has {n} rows")
    bad = (labels < 0) | (labels >= n_classes)
    if bad.any():
        raise ValueError(f"label {labels[bad][0]} out of range for {n_classes} classes")
    return labels.astype(np.intp, copy=False)


def check_nonempty(a: np.ndarray, name: str) -> None:
    """Means over rows need at least one row."""
    if a.shape[0] == 0:
        raise ValueError(f"{name} must have at least one row, got shape {a.shape}")


def check_params(params, n_features: int | None = None, name: str = "params") -> list[Layer]:
    """``params`` as a list of float ``(W, b)`` pairs whose shapes chain.

    ``n_features``, when given, is the number of columns of ``X`` that layer 0 must accept.

    Raises
    ------
    ValueError
        e.g. "params[1][0] has shape (5, 4) but layer 0 outputs 3 features".
    """
    if isinstance(params, np.ndarray) or not isinstance(params, Sequence) or len(params) == 0:
        raise ValueError(f"{name} must be a non-empty list of (W, b) pairs")
    checked: list[Layer] = []
    for k, layer in enumerate(params):
        if isinstance(layer, np.ndarray) or not isinstance(layer, Sequence) or len(layer) != 2:
            raise ValueError(f"{name}[{k}] must be a (W, b) pair")
        W = as_float_array(layer[0], f"{name}[{k}][0]", ndim=2)
        b = as_float_array(layer[1], f"{name}[{k}][1]", ndim=1)
        if b.shape[0] != W.shape[0]:
            raise ValueError(
                f"{name}[{k}][1] has shape {b.shape} but {name}[{k}][0] has shape {W.shape}, "
                f"so it should have shape ({W.shape[0]},)"
            )
        if k == 0 and n_features is not None and W.shape[1] != n_features:
            raise ValueError(f"{name}[0][0] has shape {W.shape} but X has {n_features} features")
        if k > 0 and W.shape[1] != checked[-1][0].shape[0]:
            raise ValueError(
                f"{name}[{k}][0] has shape {W.shape} but layer {k - 1} outputs "
                f"{checked[-1][0].shape[0]} features"
            )
        checked.append((W, b))
    return checked


def check_like_params(params: list[Layer], others, name: str) -> list[Layer]:
    """``others`` (gradients, velocities) as float ``(W, b)`` pairs shaped exactly like ``params``."""
    if isinstance(others, np.ndarray) or not isinstance(others, Sequence):
        raise ValueError(f"{name} must be a list of (W, b) pairs like params")
    if len(others) != len(params):
        raise ValueError(f"{name} has {len(others)} layers but params has {len(params)}")
    checked: list[Layer] = []
    for k, (layer, (W, b)) in enumerate(zip(others, params)):
        if isinstance(layer, np.ndarray) or not isinstance(layer, Sequence) or len(layer) != 2:
            raise ValueError(f"{name}[{k}] must be a (W, b) pair")
        pair = []
        for j, (g, p) in enumerate(zip(layer, (W, b))):
            g = as_float_array(g, f"{name}[{k}][{j}]")
            if g.shape != p.shape:
                raise ValueError(
                    f"{name}[{k}][{j}] has shape {g.shape} but params[{k}][{j}] has shape {p.shape}"
                )
            pair.append(g)
        checked.append((pair[0], pair[1]))
    return checked


def check_real(value, name: str, *, positive: bool = False, below_one: bool = False) -> float:
    """A finite real number as a Python float (so it never changes an array's dtype)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if positive and number <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    if below_one and not 0 <= number < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


def check_count(value, name: str, minimum: int) -> int:
    """An integer (not a bool) of at least ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)
