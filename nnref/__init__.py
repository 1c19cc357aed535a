"""nnref: the NumPy reference implementation of lecture 1 (neuron, activations, softmax,
MLP, losses, SGD) and the answer key of HW1.

Conventions (DESIGN.md, "HW1"): batch-first arrays, ``X`` of shape (n, d); a layer computes
``A = H @ W.T + b`` with ``W`` of shape (out, in) and ``b`` of shape (out,); ``params`` is a
list of ``(W, b)``, input layer first; labels are integer class indices of shape (n,);
losses are means over rows. Float inputs keep their dtype, integers become float64.
Bad input raises ``ValueError`` naming the problem.

Pure NumPy: importing nnref imports nothing else of the project.
"""

from .activations import (
    ACTIVATIONS,
    linear,
    linear_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_grad,
)
from .gradcheck import check_gradient, check_mlp_gradients, numerical_gradient, rel_error
from .losses import l2_loss, l2_loss_grad, softmax_cross_entropy, softmax_cross_entropy_grad, zero_one_loss
from .mlp import init_params, mlp_backward, mlp_forward, mlp_logits, mlp_loss, mlp_predict
from .neuron import neuron, neuron_backward, neuron_preactivation
from .optim import sgd_momentum_step, sgd_step, zeros_like_params
from .softmax import softmax, softmax_backward
from .train import train_mlp

__all__ = [
    # activations.py
    "ACTIVATIONS",
    "linear",
    "linear_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    # softmax.py
    "softmax",
    "softmax_backward",
    # losses.py
    "l2_loss",
    "l2_loss_grad",
    "zero_one_loss",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    # neuron.py
    "neuron_preactivation",
    "neuron",
    "neuron_backward",
    # mlp.py
    "init_params",
    "mlp_logits",
    "mlp_forward",
    "mlp_predict",
    "mlp_loss",
    "mlp_backward",
    # optim.py
    "sgd_step",
    "sgd_momentum_step",
    "zeros_like_params",
    # train.py
    "train_mlp",
    # gradcheck.py
    "rel_error",
    "numerical_gradient",
    "check_gradient",
    "check_mlp_gradients",
]
