"""Stochastic gradient descent, plain and with momentum, as pure functions.

    plain:      θ ← θ − η ∇θ ℓ
    momentum:   v ← μ v − η ∇θ ℓ,   θ ← θ + v          (Polyak's heavy ball, as in CS231n)

Both return new arrays; the ``params``, ``grads`` and ``velocity`` passed in are never modified.
"""

from __future__ import annotations

import numpy as np

from ._validate import Layer, check_like_params, check_params, check_real


def sgd_step(params, grads, lr: float) -> list[Layer]:
    """One plain SGD step: W ← W − η dW, b ← b − η db for every layer.

    Parameters
    ----------
    params : list of (W, b)
    grads : list of (dW, db) shaped like ``params``
    lr : positive real
        Step size η.

    Returns
    -------
    list of new (W, b); the inputs are not modified.

    Raises
    ------
    ValueError
        If ``grads`` is not shaped like ``params`` or ``lr`` is not a positive finite number.
    """
    params = check_params(params)
    grads = check_like_params(params, grads, "grads")
    lr = check_real(lr, "lr", positive=True)
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def zeros_like_params(params) -> list[Layer]:
    """A velocity of zeros shaped like ``params``, to start momentum SGD.

    Parameters
    ----------
    params : list of (W, b)

    Returns
    -------
    list of (zeros like W, zeros like b).

    Raises
    ------
    ValueError
        If ``params`` is not a list of (W, b) pairs whose shapes chain.
    """
    return [(np.zeros_like(W), np.zeros_like(b)) for W, b in check_params(params)]


def sgd_momentum_step(params, grads, velocity, lr: float, momentum: float = 0.9) -> tuple[list[Layer], list[Layer]]:
    """One SGD step with momentum:

        v ← μ v − η ∇θ ℓ        θ ← θ + v

    Parameters
    ----------
    params : list of (W, b)
    grads : list of (dW, db) shaped like ``params``
    velocity : list of (vW, vb) shaped like ``params``, or None for zeros (the first step)
    lr : positive real
        Step size η.
    momentum : real in [0, 1)
        μ; with μ = 0 this is ``sgd_step``.

    Returns
    -------
    (params, velocity) : new lists of new arrays; the inputs are not modified.

    Raises
    ------
    ValueError
        If ``grads`` or ``velocity`` is not shaped like ``params``, ``lr`` is not positive and
        finite, or ``momentum`` is not in [0, 1).
    """
    params = check_params(params)
    grads = check_like_params(params, grads, "grads")
    velocity = zeros_like_params(params) if velocity is None else check_like_params(params, velocity, "velocity")
    lr = check_real(lr, "lr", positive=True)
    momentum = check_real(momentum, "momentum", below_one=True)
    new_velocity = [(momentum * vW - lr * dW, momentum * vb - lr * db) for (vW, vb), (dW, db) in zip(velocity, grads)]
    new_params = [(W + vW, b + vb) for (W, b), (vW, vb) in zip(params, new_velocity)]
    return new_params, new_velocity
