"""No points without an implementation: the feedback oracle, do-nothing answers and pretrained weights.

Each test grades a hostile submission end to end, as a student who wants points without the work
would write it (issue 15), and asserts what it earns on the tests it targets.
"""

import base64
import functools
import re

import numpy as np
import pytest

import nnref
from grader import grade
from grader.specs import VISIBLE, get_spec
from grader.specs.hw1 import digits

from .solutions.buggy import source

SPEC = get_spec("hw1")
SCALAR_FUNCTIONS = ("l2_loss", "zero_one_loss", "softmax_cross_entropy")


def earned(result, function: str) -> float:
    return sum(t.score for t in result.tests if t.name.split(":")[0] == function)


def fingerprint(array) -> str:
    return repr(round(float(np.sum(array)), 9))


ORACLE = '''
FOUND = {found!r}
TRY = {attempt}


def _key(a):
    return repr(round(float(np.sum(a)), 9))


def _answer(a):
    if {raising}:
        raise ValueError("FP" + _key(a) + "FP")
    numbers = FOUND.get(_key(a), [])
    return numbers[TRY] if TRY < len(numbers) else 0.0


def l2_loss(f, y):
    return _answer(f)


def zero_one_loss(scores, y):
    return _answer(scores)


def softmax_cross_entropy(a, y):
    return _answer(a)
'''


def oracle(found=None, attempt=0, raising=False) -> bytes:
    return source(ORACLE.format(found=found or {}, attempt=attempt, raising=raising))


NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


@pytest.mark.usefixtures("bwrap")
def test_the_feedback_oracle_over_several_gradings_earns_nothing():
    """Grading 1 raises each input's fingerprint; grading 2 returns 0 and reads the messages; the
    next ones paste back every number a message gave for that input. None of them scores."""
    first = grade("hw1", {"hw1.py": oracle(raising=True)})
    names = {}
    for test in first.tests:
        match = re.search(r"FP(.*?)FP", test.output)
        if match and test.visibility == VISIBLE:
            names[test.name] = match.group(1)
    assert len(names) == 5                     # the visible cases of the three functions
    second = grade("hw1", {"hw1.py": oracle()})
    found = {names[t.name]: [float(x) for x in NUMBER.findall(t.output.split(":", 1)[1])]
             for t in second.tests if t.name in names}
    assert all(found.values())                 # the messages still say something
    for attempt in range(max(len(numbers) for numbers in found.values())):
        result = grade("hw1", {"hw1.py": oracle(found, attempt)})
        assert sum(earned(result, f) for f in SCALAR_FUNCTIONS) == 0, attempt


@pytest.mark.parametrize("body", ["return None", "return params", "return [(W.copy(), b.copy()) for W, b in params]"],
                         ids=["None", "its input", "a copy of its input"])
@pytest.mark.usefixtures("bwrap")
def test_sgd_step_that_does_no_step_scores_zero(body):
    result = grade("hw1", {"hw1.py": source(f"def sgd_step(params, grads, lr):\n    {body}\n")})
    assert earned(result, "sgd_step") == 0
    assert [t.score for t in result.tests if t.name.startswith("sgd_step")] == [0, 0]


@functools.lru_cache(maxsize=None)
def pretrained(sizes: tuple, activation: str) -> list:
    """Weights trained offline on the published digits, as a student could with scikit-learn."""
    X, y = digits()
    params = nnref.train_mlp(X, y, list(sizes), activation, 0.1, 30, 32, seed=0)
    assert (nnref.mlp_predict(params, X, activation) == y).mean() > 0.95      # they do fit the digits
    return params


PRETRAINED = '''
import base64 as _b64

_WEIGHTS = {weights!r}


def train_mlp(X, y, sizes, activation, lr, epochs, batch_size, seed):
    shapes = [((m, n), (m,)) for n, m in zip(sizes[:-1], sizes[1:])]
    flat = np.frombuffer(_b64.b64decode(_WEIGHTS[tuple(sizes)]))
    params, at = [], 0
    for (w, b) in shapes:
        W = flat[at : at + w[0] * w[1]].reshape(w); at += W.size
        params.append((W.copy(), flat[at : at + b[0]].copy())); at += b[0]
    return params
'''


@pytest.mark.usefixtures("bwrap")
def test_pretrained_digits_weights_score_zero_on_every_training_test():
    weights = {}
    for sizes, activation in (((64, 32, 10), "relu"), ((64, 48, 10), "tanh")):
        flat = np.concatenate([np.concatenate([W.ravel(), b]) for W, b in pretrained(sizes, activation)])
        weights[sizes] = base64.b64encode(flat.tobytes()).decode()
    result = grade("hw1", {"hw1.py": source(PRETRAINED.format(weights=weights))})
    training = [t for t in result.tests if t.name.startswith("train_mlp")]
    assert [t.score for t in training] == [0] * len(training)
    assert earned(result, "relu") == sum(c.points for c in SPEC.cases if c.function == "relu")


HOARDER = '''
SEEN = []


def _hoard(*args):
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            SEEN.append("FP" + repr(round(float(np.sum(a)), 9)) + "FP")
    raise ValueError(" ".join(SEEN))
'''


@pytest.mark.usefixtures("bwrap")
def test_a_hidden_tests_inputs_never_reach_a_message_shown_before_the_due_date():
    """A file that keeps every argument it saw and raises them all: the visible tests run first."""
    wrappers = "".join(f"\ndef {f}(*args):\n    _hoard(*args)\n" for f in SPEC.functions if f != "train_mlp")
    result = grade("hw1", {"hw1.py": source(HOARDER + wrappers)})
    hidden = {
        fingerprint(a)
        for case, call in zip(SPEC.cases, SPEC.calls)
        if case.visibility != VISIBLE and not case.per_grading
        for a in call.args if isinstance(a, np.ndarray) and a.dtype.kind == "f"     # labels' sums collide
    }
    shown = "\n".join([*result.notes, *(t.output for t in result.tests if t.visibility == VISIBLE)])
    assert "FP" in shown                                            # the visible inputs do come back
    assert not any(f"FP{value}FP" in shown for value in hidden)
    assert any(f"FP{value}FP" in t.output for t in result.tests for value in hidden)   # ... later, hidden


@pytest.mark.parametrize(("body", "right_answers"), [
    ("return None", set()),
    ("return 0.0", set()),
    ("return args[0]", {"linear"}),                                   # the identity is linear's answer
    ("return np.ones_like(np.asarray(args[0], dtype=float))", {"linear_grad", "softmax: one class and many rows"}),
], ids=["None", "a constant", "its input", "ones"])
@pytest.mark.usefixtures("bwrap")
def test_a_file_that_does_nothing_earns_only_where_that_is_the_answer(body, right_answers):
    code = "import numpy as np\n" + "".join(f"\ndef {f}(*args):\n    {body}\n" for f in SPEC.functions)
    result = grade("hw1", {"hw1.py": code.encode()})
    scored = {t.name for t in result.tests if t.score}
    assert scored == {t.name for t in result.tests
                      if t.name.split(":")[0] in right_answers or t.name in right_answers}
