"""HW1: activations, softmax, losses, a multilayer perceptron, backpropagation and SGD, in NumPy.

Fill in every function below; keep the names and parameters as they are, because the
autograder calls them by name. Use NumPy only (no PyTorch, no scikit-learn: the autograder
has neither).

Conventions (the same as the lecture's, applied to a batch of rows):

* Arrays are batch-first: ``X`` has shape (n, d), one example per row.
* A layer computes ``A = H @ W.T + b`` with ``W`` of shape (out, in) and ``b`` of shape
  (out,): that is the lecture's a = b + W h applied to every row h of ``H``.
* ``params`` is a list of ``(W, b)`` tuples, input layer first.
* Labels ``y`` are integer class indices of shape (n,).
* Losses are means over the n rows, never sums.

How you are graded: every function is tested on its own, with random inputs, numerically
hard inputs (pre-activations like ±1000 or ±1e308, where naive formulas overflow) and some
tests that stay hidden until the due date. Results must match the reference to about 1e-6
(relative). ``mlp_backward`` is also checked against finite differences, and ``train_mlp``
is trained on the 8x8 digits data set and scored by its accuracy on held-out digits.
Each call has a time limit of a few seconds.
"""

import numpy as np


# --- activations, elementwise: same shape in, same shape out ---


def linear(a):
    """Identity activation σ(a) = a.

    a : array of any shape. Returns an array of the same shape (a new array, not ``a`` itself).
    """
    raise NotImplementedError


def linear_grad(a):
    """Derivative of the identity, σ'(a) = 1, elementwise.

    a : array of any shape. Returns an array of ones of the same shape.
    """
    raise NotImplementedError


def sigmoid(a):
    """Logistic function σ(a) = 1 / (1 + e^(−a)), elementwise.

    Must be finite (and warning-free) for every finite input, including a = −1000 or −1e308,
    where e^(−a) overflows.

    a : array of any shape. Returns an array of the same shape, values in [0, 1].
    """
    raise NotImplementedError


def sigmoid_grad(a):
    """σ'(a) = σ(a)(1 − σ(a)), elementwise, at the pre-activation ``a`` (not at σ(a)).

    a : array of any shape. Returns an array of the same shape, values in [0, 1/4].
    """
    raise NotImplementedError


def tanh(a):
    """Hyperbolic tangent tanh(a) = (e^a − e^(−a)) / (e^a + e^(−a)), elementwise.

    a : array of any shape. Returns an array of the same shape, values in [−1, 1].
    """
    raise NotImplementedError


def tanh_grad(a):
    """tanh'(a) = 1 − tanh²(a), elementwise, at the pre-activation ``a``.

    a : array of any shape. Returns an array of the same shape, values in [0, 1].
    """
    raise NotImplementedError


def relu(a):
    """Rectified linear unit relu(a) = max(a, 0), elementwise.

    a : array of any shape. Returns an array of the same shape.
    """
    raise NotImplementedError


def relu_grad(a):
    """relu'(a) = 1 if a > 0 else 0, elementwise; the value at the kink a = 0 is 0.

    a : array of any shape. Returns a float array (0.0 and 1.0, not booleans) of the same shape.
    """
    raise NotImplementedError


# --- softmax and losses ---


def softmax(a):
    """Row-wise softmax, softmax(a)_ic = e^(a_ic) / Σ_c' e^(a_ic').

    Must be finite for every finite input: rows like [1000, 1000] or [−1e4, 0] overflow or
    underflow if computed naively (hint: subtracting the row's max changes nothing).

    a : array of shape (n, C). Returns an array of shape (n, C) whose rows sum to 1.
    """
    raise NotImplementedError


def l2_loss(f, y):
    """Mean over the n rows of the squared Euclidean norm, (1/n) Σ_i ‖f_i − y_i‖².

    f, y : arrays of shape (n, k). Returns a number (a float).
    """
    raise NotImplementedError


def zero_one_loss(scores, y):
    """Fraction of rows whose predicted class is wrong, (1/n) Σ_i 1[argmax_c scores_ic ≠ y_i].

    On ties the prediction is the first index with the largest score (as ``np.argmax``).

    scores : array of shape (n, C). y : int array of shape (n,). Returns a number in [0, 1].
    """
    raise NotImplementedError


def softmax_cross_entropy(a, y):
    """Mean cross-entropy from pre-activations, (1/n) Σ_i −log softmax(a)_{i, y_i}.

    Compute it from ``a`` directly (log-sum-exp with the row max subtracted), not as
    log(softmax(a)): it must be finite for every finite input, e.g. a row [−1e4, 0] with
    label 0 has loss 1e4.

    a : array of shape (n, C) (the output layer's pre-activations, "logits").
    y : int array of shape (n,), labels in [0, C). Returns a number (a float).
    """
    raise NotImplementedError


# --- the multilayer perceptron ---


def mlp_forward(params, X, activation):
    """Class probabilities of an MLP with a softmax output layer.

        H⁽⁰⁾ = X,   A⁽ᵏ⁾ = H⁽ᵏ⁻¹⁾ W⁽ᵏ⁾ᵀ + b⁽ᵏ⁾,   H⁽ᵏ⁾ = σ(A⁽ᵏ⁾)   for the hidden layers k = 1 .. L
        f(X) = softmax(H⁽ᴸ⁾ W⁽ᴸ⁺¹⁾ᵀ + b⁽ᴸ⁺¹⁾)

    params : list of (W, b), W of shape (out, in), b of shape (out,), input layer first;
        a list of one layer is a network without hidden layers.
    X : array of shape (n, d).
    activation : "linear", "sigmoid", "tanh" or "relu", the hidden layers' σ.
    Returns an array of shape (n, C), C the last layer's width; rows sum to 1.
    """
    raise NotImplementedError


def mlp_backward(params, X, y, activation):
    """The mean softmax cross-entropy of the network and its gradient, by backpropagation.

        ℓ = (1/n) Σ_i −log f(x_i)_{y_i}
        G⁽ᴸ⁺¹⁾ = (softmax(A⁽ᴸ⁺¹⁾) − onehot(y)) / n
        ∂ℓ/∂W⁽ᵏ⁾ = G⁽ᵏ⁾ᵀ H⁽ᵏ⁻¹⁾,   ∂ℓ/∂b⁽ᵏ⁾ = Σ_i G⁽ᵏ⁾_i,   G⁽ᵏ⁻¹⁾ = (G⁽ᵏ⁾ W⁽ᵏ⁾) ⊙ σ'(A⁽ᵏ⁻¹⁾)

    params, X, activation : as ``mlp_forward``. y : int array of shape (n,).
    Returns ``(loss, grads)``: the loss as a number, and a list of (dW, db) shaped like
    ``params`` (grads[k][0] has W's shape, grads[k][1] has b's).
    """
    raise NotImplementedError


def sgd_step(params, grads, lr):
    """One step of gradient descent: W ← W − lr·dW and b ← b − lr·db for every layer.

    params, grads : lists of (W, b) and (dW, db) of the same shapes. lr : a positive number.
    Returns a new list of new (W, b) arrays. Do not modify ``params`` or ``grads``
    (no ``W -= ...``): the caller may still need them.
    """
    raise NotImplementedError


def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    """Train an MLP by minibatch SGD on the mean softmax cross-entropy; return its params.

    Start from random weights (e.g. normal with variance 2 / (fan_in + fan_out)) and zero
    biases, drawn from ``np.random.default_rng(seed)``. Each epoch visits the training rows
    once in a fresh random order, in batches of ``batch_size`` rows (the last one may be
    smaller), with one ``sgd_step`` per batch.

    X : array of shape (n, d). y : int array of shape (n,).
    sizes : list of layer widths, input first and classes last, e.g. [64, 32, 10].
    activation : the hidden layers' activation. lr : step size. epochs, batch_size, seed : ints.
    Returns params: a list of (W, b) with W of shape (sizes[k+1], sizes[k]).
    """
    raise NotImplementedError
