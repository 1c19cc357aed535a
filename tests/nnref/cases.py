"""Shared data and Hypothesis settings for nnref's tests."""

import os

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnref.activations import KERNELS
from nnref.mlp import _forward_pass, init_params

# No example database (nothing written into the work tree), no deadline (shared CI machines);
# NNREF_MAX_EXAMPLES=3000 runs a deeper search.
fast_property = settings(database=None, deadline=None, max_examples=int(os.environ.get("NNREF_MAX_EXAMPLES", "60")))

ACTIVATION_NAMES = ("linear", "sigmoid", "tanh", "relu")
FLOAT_DTYPES = (np.float32, np.float64)

# The lecture's XOR: not linearly separable.
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def finite_matrices(dtype=np.float64, max_value=None, min_side=1, max_side=6):
    """2-D arrays of any finite values (up to ±max of the dtype unless ``max_value``)."""
    elements = st.floats(
        min_value=None if max_value is None else -max_value,
        max_value=max_value,
        allow_nan=False,
        allow_infinity=False,
        width=np.dtype(dtype).itemsize * 8,
    )
    shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=min_side, max_side=max_side)
    return hnp.arrays(dtype, shapes, elements=elements)


def network_case(activation: str, hidden_layers: int, seed: int,
                 n: int = 3, d: int = 5, width: int = 6, classes: int = 4):
    """Float64 ``(params, X, y)`` for a gradient check: small, non-zero biases, and (for relu)
    every hidden pre-activation at least 0.05 from the kink, redrawing until that holds."""
    rng = np.random.default_rng(seed)
    sizes = [d] + [width] * hidden_layers + [classes]
    while True:
        params = [(W, rng.normal(0, 0.1, size=b.shape)) for W, b in init_params(sizes, activation, rng)]
        X = rng.normal(size=(n, d))
        y = rng.integers(0, classes, size=n)
        pre_activations = _forward_pass(params, X, KERNELS[activation][0])[1]
        if activation != "relu" or all(np.abs(A).min() > 0.05 for A in pre_activations):
            return params, X, y
