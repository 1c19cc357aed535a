"""HW1's grading spec: every function of the contract (DESIGN.md, "HW1") scored on its own.

Each function has a few cases: random inputs, the numerically hard ones (huge and tiny
pre-activations, ties, the ReLU kink), and one hidden until the due date. On top of that,
a gradient check of ``mlp_backward`` against centered differences of ``nnref.mlp_loss``, and
training runs of ``train_mlp`` scored by held-out accuracy with ``nnref.mlp_predict`` (the
student's parameters are checked for shape first).

Tolerances are relative and absolute, |got − expected| ≤ atol + rtol·|expected|:
rtol 1e-6 everywhere (a correct float64 solution is within ~1e-12), atol 1e-9 for values
of order one and 1e-12 for probabilities and derivatives that may be tiny.

Grading validity (issue 15): no points without an implementation.

* Fixed inputs, feedback without expected values. The inputs of every case except training
  are seeded from the case's name and built once per process (``grader.core.prepare``), with
  their reference answers: per-submission inputs would rebuild them, and the gradient check's
  centered differences, on every grading (the "upload to graded < 1 s" goal). So the inputs
  are public in effect, and what keeps the feedback from being an answer key is that no
  message carries an expected value: ``grader.scoring`` says the shape, a NaN and where, how
  many values are off, where the largest error is and its power of ten. A student who reads
  the inputs (by raising them) and works out the answers offline needs an implementation to
  do it, which is the point of the assignment.
* Hidden cases come last (``Spec`` refuses otherwise, and ``CASES`` is sorted so): the harness
  runs the cases in order in one process, so a file that keeps the arguments it was given can
  raise a hidden case's inputs only in hidden cases' messages. (Chosen over stripping exception
  messages, which would also strip the student's own useful ``ValueError`` text.)
* Partial credit for work done: ``sgd_step``'s "inputs left unmodified" share needs the right
  values (None, a constant or the unchanged params earn 0); the gradient-dependent checks of
  ``train_mlp`` count only when its training test reaches 60 %.
* ``train_mlp`` is graded on training: its cases are ``per_grading``, drawn for each grading
  from the operating system's entropy — the digits with rows, pixels and labels permuted, a
  new split and a new ``seed`` — so weights trained in advance on the published digits score
  chance. Three one-point cases check that the result depends on the arguments as training's
  does: ``epochs=0`` and a vanishing ``lr`` leave it untrained, another seed starts elsewhere.
  Drawing costs a few milliseconds (a permutation of 1797 × 64 values and the archive of the
  inputs). ``python -m grader.specs.hw1_reliability --draws 200`` measured 0 false failures in
  200 draws for nnref and for tests/grader/solutions/correct_hw1.py (lowest held-out accuracy
  92.8 % and 93.0 %, full points from 90 %).
"""

from __future__ import annotations

import functools

import numpy as np

import nnref
from grader import scoring
from grader.scoring import Mismatch
from grader.specs import AFTER_DUE_DATE, VISIBLE, Call, Case, Spec, Verdict

RTOL = 1e-6
ATOL = 1e-9
ATOL_SMALL = 1e-12

FUNCTIONS = {
    "linear": ("a",),
    "linear_grad": ("a",),
    "sigmoid": ("a",),
    "sigmoid_grad": ("a",),
    "tanh": ("a",),
    "tanh_grad": ("a",),
    "relu": ("a",),
    "relu_grad": ("a",),
    "softmax": ("a",),
    "l2_loss": ("f", "y"),
    "zero_one_loss": ("scores", "y"),
    "softmax_cross_entropy": ("a", "y"),
    "mlp_forward": ("params", "X", "activation"),
    "mlp_backward": ("params", "X", "y", "activation"),
    "sgd_step": ("params", "grads", "lr"),
    "train_mlp": ("X", "y", "sizes", "activation", "lr", "epochs", "batch_size", "seed"),
}

# Pre-activations where naive formulas overflow (e^1000), lose precision or divide inf by inf.
HUGE_AND_TINY = np.array([
    [-1e308, -1e4, -1000.0, -745.0, -40.0, -1e-300],
    [0.0, 1e-300, 40.0, 745.0, 1000.0, 1e308],
])


# --- inputs ---


def normal(shape, scale=2.0):
    return lambda rng: Call((scale * rng.standard_normal(shape),))


def fixed(*args):
    return lambda rng: Call(tuple(np.array(a, dtype=np.float64) if isinstance(a, list) else a for a in args))


def random_params(rng, sizes, scale=0.5):
    """Random weights and biases (non-zero biases: a bias added on the wrong axis shows)."""
    return [
        (scale * rng.standard_normal((fan_out, fan_in)), scale * rng.standard_normal(fan_out))
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
    ]


def network(sizes, activation, n=6):
    def build(rng):
        X = rng.standard_normal((n, sizes[0]))
        y = rng.integers(0, sizes[-1], n)
        return Call((random_params(rng, sizes), X, y, activation))
    return build


def network_forward(sizes, activation, n=6):
    def build(rng):
        params, X, _, activation_ = network(sizes, activation, n)(rng).args
        return Call((params, X, activation_))
    return build


# --- checks ---


def same_as(reference, atol=ATOL, what="an array"):
    """Compare with ``reference(*args)`` at tolerance rtol = 1e-6 and ``atol``."""
    def check(call, answer):
        expected = call.remember("expected", lambda: reference(*call.args))
        return scoring.compare(answer.value, expected, rtol=RTOL, atol=atol, what=what)
    return check


def shapes_of(params):
    return [(W.shape, b.shape) for W, b in params]


def backward_check(call, answer):
    """The loss is a quarter of the points, the gradients three quarters."""
    loss, grads = call.remember("expected", lambda: nnref.mlp_backward(*call.args))
    value = answer.value
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise Mismatch(f"returned {scoring.describe(value)}, expected a (loss, grads) pair")
    messages, fraction = [], 0.0
    try:
        scoring.check_close(value[0], loss, rtol=RTOL, atol=ATOL, what="a number (the loss)")
        fraction += 0.25
    except Mismatch as exc:
        messages.append(f"loss: {exc}")
    try:
        got = scoring.layers(value[1], shapes_of(grads), what="grads")
        for k, (pair, expected) in enumerate(zip(got, grads)):
            for j in (0, 1):
                try:
                    scoring.check_close(pair[j], expected[j], rtol=RTOL, atol=ATOL)
                except Mismatch as exc:
                    raise Mismatch(f"grads[{k}][{j}] ({('dW', 'db')[j]} of layer {k}): {exc}") from None
        fraction += 0.75
    except Mismatch as exc:
        messages.append(str(exc) if str(exc).startswith("grads") else f"grads: {exc}")
    return Verdict(fraction, "; ".join(messages))


def gradient_check(call, answer):
    """Each (dW, db) of the student against centered differences of the reference loss."""
    params = call.args[0]
    value = answer.value
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise Mismatch(f"returned {scoring.describe(value)}, expected a (loss, grads) pair")
    got = scoring.layers(value[1], shapes_of(params), what="grads")
    numeric = call.remember("centered differences", lambda: centered_differences(*call.args))
    for k in range(len(params)):
        for j in (0, 1):
            error = nnref.rel_error(got[k][j], numeric[k][j])
            if not error < 1e-6:
                name = ("dW", "db")[j]
                raise Mismatch(
                    f"gradient check failed for {name} of layer {k}: relative error {error:.3g} against "
                    f"centered differences (threshold 1e-06)"
                )
    return Verdict(1.0)


def centered_differences(params, X, y, activation):
    """The numerical gradient of the reference loss, (dW, db) per layer."""
    work = [(W.copy(), b.copy()) for W, b in params]
    return [
        tuple(nnref.numerical_gradient(lambda: nnref.mlp_loss(work, X, y, activation), layer[j]) for j in (0, 1))
        for layer in work
    ]


def sgd_check(call, answer):
    """Right values: 60% of the points; inputs left unmodified: the other 40%, earned only with
    right values (returning None, or the params unchanged, leaves the inputs alone too)."""
    params = call.args[0]
    expected = call.remember("expected", lambda: nnref.sgd_step(*call.args))
    messages, right = [], False
    try:
        got = scoring.layers(answer.value, shapes_of(params))
        for k, ((W, b), (eW, eb)) in enumerate(zip(got, expected)):
            for j, (g, e) in enumerate(((W, eW), (b, eb))):
                try:
                    scoring.check_close(g, e, rtol=RTOL, atol=ATOL)
                except Mismatch as exc:
                    raise Mismatch(f"params[{k}][{j}]: {exc}") from None
        right = True
    except Mismatch as exc:
        messages.append(str(exc))
    changed = [path for path in answer.mutated if path != "lists"]
    if changed or "lists" in answer.mutated:
        where = ", ".join(_argument(path) for path in changed) or "the params or grads list"
        messages.append(f"modified its input {where} in place; the inputs must not be modified (return new arrays)")
        return Verdict(0.6 if right else 0.0, "; ".join(messages))
    if not right:
        messages.append("leaving the inputs unmodified earns its share of the points only with the right values")
        return Verdict(0.0, "; ".join(messages))
    return Verdict(1.0)


def _argument(path: str) -> str:
    """"[0][1][0]" (argument 0, item 1, item 0) -> "params[1][0]"."""
    position, _, rest = path[1:].partition("]")
    return FUNCTIONS["sgd_step"][int(position)] + rest


# --- training, on a task drawn for each grading ---

ACCURACY_CREDIT = ((0.90, 1.0), (0.80, 0.75), (0.60, 0.5), (0.30, 0.25))
TRAINS = 0.60              # held-out accuracy that shows the function trains (the checks of seed, lr, epochs)
UNTRAINED = 0.40           # held-out accuracy an untrained network stays below (chance is 10 %)


@functools.lru_cache(maxsize=1)
def digits():
    """scikit-learn's 8x8 digits scaled to [0, 1]: (X of shape (1797, 64), y)."""
    from sklearn.datasets import load_digits

    data = load_digits()
    X = data.data / 16.0
    X.flags.writeable = False
    return X, data.target


def shuffled_digits(rng):
    """A task no pretrained model fits: the digits with their rows, features (pixels) and labels
    permuted by ``rng``, split 1200 for training and 597 held out. A network trained on it does
    as well as on the digits; weights trained on the published digits score chance."""
    X, y = digits()
    rows, pixels, labels = rng.permutation(len(X)), rng.permutation(X.shape[1]), rng.permutation(10)
    X, y = X[rows][:, pixels], labels[y[rows]]
    return X[:1200], y[:1200], X[1200:], y[1200:]


def training(sizes, activation, lr, epochs, batch_size, seed_offset=0, rows=1200):
    """A ``per_grading`` build: the grading's shuffled digits (its first ``rows`` training rows)
    and a seed drawn for the grading, plus ``seed_offset``."""
    def build(rng):
        X_train, y_train, X_test, y_test = shuffled_digits(rng)
        seed = int(rng.integers(2**31)) + seed_offset
        return Call((X_train[:rows], y_train[:rows], list(sizes), activation, lr, epochs, batch_size, seed),
                    held_out=(X_test, y_test))
    return build


def held_out_accuracy(call, answer) -> tuple[list, float]:
    """The student's parameters (checked for shape and finiteness) and their held-out accuracy."""
    X_test, y_test = call.held_out
    sizes, activation = call.args[2], call.args[3]
    shapes = [((m, n), (m,)) for n, m in zip(sizes[:-1], sizes[1:])]
    params = scoring.layers(answer.value, shapes)
    if not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in params):
        raise Mismatch("the trained parameters contain NaN or inf")
    return params, float((nnref.mlp_predict(params, X_test, activation) == y_test).mean())


def accuracy_rule(points: float) -> str:
    """"8 of 8 points at 90 % or more, 6 at 80 % or more, ...": the credit rule in points."""
    steps = [f"{points * credit:g}" + (f" of {points:g} points" if i == 0 else "") + f" at {floor:.0%} or more"
             for i, (floor, credit) in enumerate(ACCURACY_CREDIT)]
    return ", ".join(steps).replace("%", " %") + ", 0 below"


def accuracy_check(points: float):
    """Credit by held-out accuracy (``ACCURACY_CREDIT``), the rule said in points."""
    def check(call, answer):
        _, accuracy = held_out_accuracy(call, answer)
        call.shared["trains"] = accuracy >= TRAINS
        fraction = next((credit for floor, credit in ACCURACY_CREDIT if accuracy >= floor), 0.0)
        if fraction == 1:
            return Verdict(1.0)
        return Verdict(fraction, f"held-out accuracy {accuracy * 100:.1f} %: {points * fraction:g} of {points:g} points "
                                 f"({accuracy_rule(points)})")
    return check


def _only_if_it_trains(call):
    if not call.shared.get("trains"):
        raise Mismatch(f"this test earns its point only when the training test above reaches {TRAINS * 100:g} % "
                       "held-out accuracy (it checks that the result depends on the arguments as training's does)")


def untrained_check(call, answer):
    """epochs = 0 or a vanishing lr: the starting weights, which score near chance on the task."""
    params, accuracy = held_out_accuracy(call, answer)
    _only_if_it_trains(call)
    epochs, lr = call.args[5], call.args[4]
    if accuracy >= UNTRAINED:
        raise Mismatch(f"with epochs={epochs} and lr={lr:g} the result should be the untrained starting weights, "
                       f"but it reaches {accuracy * 100:.0f} % held-out accuracy (an untrained network stays near 10 %)")
    if epochs == 0:
        call.shared["start"] = params
    return Verdict(1.0)


def seed_check(call, answer):
    """Another seed, other starting weights (compared with the epochs = 0 test's)."""
    params, _ = held_out_accuracy(call, answer)
    _only_if_it_trains(call)
    start = call.shared.get("start")
    if start is None:
        raise Mismatch("this test compares with the epochs=0 test above, which did not pass")
    if all(np.allclose(W, W0) and np.allclose(b, b0) for (W, b), (W0, b0) in zip(params, start)):
        raise Mismatch("another seed gave the same starting weights; draw them from "
                       "np.random.default_rng(seed)")
    return Verdict(1.0)


# --- the cases ---


def elementwise(function, reference, hard_name, hard_input, atol=ATOL, points=(2, 2, 1)):
    """Random (3, 4), the hard inputs, and a hidden random 3-D array."""
    check = same_as(reference, atol=atol)
    return [
        Case(f"{function}: random inputs of shape (3, 4)", function, points[0], normal((3, 4)), check),
        Case(f"{function}: {hard_name}", function, points[1], fixed(hard_input), check),
        Case(f"{function}: random 3-D inputs", function, points[2], normal((2, 3, 5)), check, AFTER_DUE_DATE),
    ]


AT_ZERO = [[0.0, -0.0, 1.0, -1.0], [0.0, 2.5, 0.0, -1e-300]]
SOFTMAX_HARD = [[1000.0, 1000.0, 999.0], [-1e4, 0.0, 1.0], [1e308, -1e308, 0.0], [-800.0, -801.0, -802.0]]
CE_HARD = [[1000.0, -1000.0, 0.0], [-1e4, 0.0, 1.0], [1e-300, 0.0, -1e-300], [800.0, 800.0, 800.0]]
TIES = [[1, 3, 3, 0], [2, 2, 2, 2], [5, 1, 5, 1], [0, 0, 1, 1], [4, 4, 0, 0], [1, 2, 3, 3]]


def labels_and_scores(n, classes):
    def build(rng):
        return Call((rng.standard_normal((n, classes)), rng.integers(0, classes, n)))
    return build


CASES = (
    *elementwise("linear", nnref.linear, "huge and tiny inputs", HUGE_AND_TINY, points=(2, 1, 1)),
    *elementwise("linear_grad", nnref.linear_grad, "huge and tiny inputs", HUGE_AND_TINY, points=(2, 1, 1)),
    *elementwise("sigmoid", nnref.sigmoid, "huge and tiny inputs", HUGE_AND_TINY, ATOL_SMALL),
    *elementwise("sigmoid_grad", nnref.sigmoid_grad, "huge and tiny inputs", HUGE_AND_TINY, ATOL_SMALL),
    *elementwise("tanh", nnref.tanh, "huge and tiny inputs", HUGE_AND_TINY, ATOL_SMALL),
    *elementwise("tanh_grad", nnref.tanh_grad, "huge and tiny inputs", HUGE_AND_TINY, ATOL_SMALL),
    *elementwise("relu", nnref.relu, "huge and tiny inputs", HUGE_AND_TINY, points=(2, 1, 1)),
    *elementwise("relu_grad", nnref.relu_grad, "value at 0 is 0", AT_ZERO),
    Case("softmax: random inputs of shape (4, 5)", "softmax", 2, normal((4, 5)), same_as(nnref.softmax, ATOL_SMALL)),
    Case("softmax: huge and tiny pre-activations", "softmax", 3, fixed(SOFTMAX_HARD), same_as(nnref.softmax, ATOL_SMALL)),
    Case("softmax: one class and many rows", "softmax", 1, normal((9, 1)), same_as(nnref.softmax, ATOL_SMALL),
         AFTER_DUE_DATE),
    Case("l2_loss: random (5, 3)", "l2_loss", 3, lambda rng: Call((rng.standard_normal((5, 3)),
         rng.standard_normal((5, 3)))), same_as(nnref.l2_loss, what="a number")),
    Case("l2_loss: one output column", "l2_loss", 1, lambda rng: Call((rng.standard_normal((8, 1)),
         rng.standard_normal((8, 1)))), same_as(nnref.l2_loss, what="a number"), AFTER_DUE_DATE),
    Case("zero_one_loss: random scores (10, 4)", "zero_one_loss", 2, labels_and_scores(10, 4),
         same_as(nnref.zero_one_loss, ATOL_SMALL, "a number")),
    Case("zero_one_loss: ties go to the first index", "zero_one_loss", 2,
         fixed(TIES, np.array([1, 0, 0, 2, 1, 2])), same_as(nnref.zero_one_loss, ATOL_SMALL, "a number")),
    Case("zero_one_loss: random scores (50, 10)", "zero_one_loss", 1, labels_and_scores(50, 10),
         same_as(nnref.zero_one_loss, ATOL_SMALL, "a number"), AFTER_DUE_DATE),
    Case("softmax_cross_entropy: random (6, 4)", "softmax_cross_entropy", 3, labels_and_scores(6, 4),
         same_as(nnref.softmax_cross_entropy, what="a number")),
    Case("softmax_cross_entropy: huge and tiny pre-activations", "softmax_cross_entropy", 3,
         fixed(CE_HARD, np.array([1, 0, 2, 2])), same_as(nnref.softmax_cross_entropy, what="a number")),
    Case("softmax_cross_entropy: random (20, 10)", "softmax_cross_entropy", 1, labels_and_scores(20, 10),
         same_as(nnref.softmax_cross_entropy, what="a number"), AFTER_DUE_DATE),
    Case("mlp_forward: relu, one hidden layer", "mlp_forward", 3, network_forward([5, 7, 3], "relu"),
         same_as(nnref.mlp_forward, ATOL_SMALL)),
    Case("mlp_forward: tanh, two hidden layers", "mlp_forward", 3, network_forward([4, 6, 5, 3], "tanh"),
         same_as(nnref.mlp_forward, ATOL_SMALL)),
    Case("mlp_forward: no hidden layer", "mlp_forward", 2, network_forward([4, 3], "linear"),
         same_as(nnref.mlp_forward, ATOL_SMALL)),
    Case("mlp_forward: sigmoid, three hidden layers", "mlp_forward", 2, network_forward([3, 5, 4, 6, 2], "sigmoid"),
         same_as(nnref.mlp_forward, ATOL_SMALL), AFTER_DUE_DATE),
    Case("mlp_backward: relu, one hidden layer", "mlp_backward", 4, network([5, 7, 3], "relu"), backward_check),
    Case("mlp_backward: tanh, two hidden layers", "mlp_backward", 4, network([4, 6, 5, 3], "tanh"), backward_check),
    Case("mlp_backward: gradient check, sigmoid, two hidden layers", "mlp_backward", 4,
         network([4, 5, 4, 3], "sigmoid", n=3), gradient_check),
    Case("mlp_backward: linear, one hidden layer", "mlp_backward", 2, network([3, 4, 2], "linear"), backward_check,
         AFTER_DUE_DATE),
    Case("sgd_step: two layers, inputs left unmodified", "sgd_step", 5,
         lambda rng: Call((random_params(rng, [4, 5, 3]), random_params(rng, [4, 5, 3]), 0.1)), sgd_check),
    Case("sgd_step: three layers", "sgd_step", 1,
         lambda rng: Call((random_params(rng, [3, 4, 4, 2]), random_params(rng, [3, 4, 4, 2]), 0.5)), sgd_check,
         AFTER_DUE_DATE),
    Case("train_mlp: shuffled digits, relu, held-out accuracy", "train_mlp", 7,
         training([64, 32, 10], "relu", 0.1, 20, 32), accuracy_check(7), seconds=8.0, per_grading=True),
    Case("train_mlp: epochs=0 gives the untrained starting weights", "train_mlp", 1,
         training([64, 32, 10], "relu", 0.1, 0, 32), untrained_check, per_grading=True),
    Case("train_mlp: another seed gives other starting weights", "train_mlp", 1,
         training([64, 32, 10], "relu", 0.1, 0, 32, seed_offset=1), seed_check, per_grading=True),
    Case("train_mlp: a vanishing lr leaves the weights untrained", "train_mlp", 1,
         training([64, 32, 10], "relu", 1e-12, 2, 32, rows=300), untrained_check, per_grading=True),
    Case("train_mlp: shuffled digits, tanh, held-out accuracy", "train_mlp", 1,
         training([64, 48, 10], "tanh", 0.1, 15, 16), accuracy_check(1), AFTER_DUE_DATE, seconds=8.0,
         per_grading=True),
)

# Visible cases first (the spec checks it): the harness runs the cases in this order in one process, so a
# file that keeps the arguments it was given cannot raise a hidden case's inputs in a visible case's message.
CASES = tuple(sorted(CASES, key=lambda case: case.visibility != VISIBLE))

SPEC = Spec(
    name="hw1",
    title="HW1: activations, softmax, losses, MLP, backpropagation, SGD",
    module="hw1",
    files=("hw1.py",),
    functions=FUNCTIONS,
    cases=CASES,
    seed=10707,
)
