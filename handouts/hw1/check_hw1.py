"""Check your hw1.py before you submit it: python check_hw1.py (next to hw1.py; needs only NumPy).

These are the properties the autograder's tests rely on, checked against your own code (no
answer key inside): shapes, finiteness on huge and tiny inputs, each derivative against
centered differences of your own function, mlp_backward against centered differences of
your own mlp_forward, sgd_step leaving its inputs alone, and train_mlp learning a task
drawn at random (as the grader does: its training data is shuffled for every grading).
Passing here does not guarantee full marks; failing here almost surely costs points.
"""

import traceback

import numpy as np

import hw1

RNG = np.random.default_rng()
HUGE = np.array([[-1e308, -1000.0, -40.0, 0.0, 40.0, 1000.0, 1e308]])
failures = []


def check(name):
    def run(test):
        try:
            test()
            print(f"ok    {name}")
        except NotImplementedError:
            failures.append(name)
            print(f"TODO  {name}: not implemented yet")
        except Exception as exc:  # noqa: BLE001 - we report every problem
            failures.append(name)
            print(f"FAIL  {name}: {type(exc).__name__}: {exc}")
            print("      " + "      ".join(traceback.format_tb(exc.__traceback__)[-1:]))
    return run


def numeric_derivative(f, a, h=1e-6):
    return (f(a + h) - f(a - h)) / (2 * h)


def close(got, want, what, tol=1e-5):
    got = np.asarray(got, dtype=float)
    assert got.shape == np.shape(want), f"{what}: shape {got.shape}, expected {np.shape(want)}"
    assert np.all(np.isfinite(got)), f"{what}: contains NaN or inf"
    error = np.max(np.abs(got - want) / np.maximum(1, np.abs(want)), initial=0)
    assert error < tol, f"{what}: differs by {error:.2g} (relative)"


for name in ("linear", "sigmoid", "tanh", "relu"):
    @check(f"{name} and {name}_grad")
    def _(name=name):
        f, df = getattr(hw1, name), getattr(hw1, name + "_grad")
        a = RNG.standard_normal((3, 4)) + 0.01          # away from ReLU's kink
        close(df(a), numeric_derivative(f, a), f"{name}_grad against centered differences of {name}")
        for g in (f, df):
            out = np.asarray(g(HUGE))
            assert out.shape == HUGE.shape and not np.isnan(out).any(), f"{g.__name__} on huge inputs: {out}"
        assert np.asarray(f(RNG.standard_normal((2, 3, 5)))).shape == (2, 3, 5), f"{name} on a 3-D array"


@check("relu_grad is 0 at 0")
def _():
    assert np.all(np.asarray(hw1.relu_grad(np.zeros((2, 2)))) == 0)


@check("softmax")
def _():
    p = np.asarray(hw1.softmax(np.array([[1000.0, 1000.0, 999.0], [-1e4, 0.0, 1.0]])))
    assert np.all(np.isfinite(p)), f"softmax of huge inputs: {p}"
    close(p.sum(axis=1), np.ones(2), "rows of softmax sum to 1")


@check("softmax_cross_entropy and the losses")
def _():
    a, y = RNG.standard_normal((6, 4)), RNG.integers(0, 4, 6)
    close(hw1.softmax_cross_entropy(a, y), -np.mean(np.log(hw1.softmax(a)[np.arange(6), y])),
          "softmax_cross_entropy against -log of your softmax")
    assert np.isfinite(hw1.softmax_cross_entropy(np.array([[1000.0, -1000.0]]), np.array([1])))
    assert float(hw1.zero_one_loss(np.array([[2.0, 2.0]]), np.array([0]))) == 0, "ties go to the first index"
    f = RNG.standard_normal((5, 3))
    close(hw1.l2_loss(f, f + 1), 3.0, "l2_loss is the mean over rows of the squared norm")


def small_network(rng, sizes=(4, 5, 3), n=6):
    params = [(rng.standard_normal((m, k)), rng.standard_normal(m)) for k, m in zip(sizes[:-1], sizes[1:])]
    return params, rng.standard_normal((n, sizes[0])), rng.integers(0, sizes[-1], n)


@check("mlp_forward and mlp_backward (gradient check)")
def _():
    params, X, y = small_network(RNG)
    for activation in ("linear", "sigmoid", "tanh", "relu"):
        close(np.sum(hw1.mlp_forward(params, X, activation), axis=1), np.ones(6), "mlp_forward rows sum to 1")

        def loss():
            p = hw1.mlp_forward(params, X, activation)
            return -np.mean(np.log(p[np.arange(len(y)), y]))
        value, grads = hw1.mlp_backward(params, X, y, activation)
        close(value, loss(), f"mlp_backward's loss ({activation})")
        for k, layer in enumerate(params):
            for j, array in enumerate(layer):
                numeric = np.zeros_like(array)
                for index in np.ndindex(array.shape):
                    keep = array[index]
                    array[index] = keep + 1e-6
                    up = loss()
                    array[index] = keep - 1e-6
                    numeric[index] = (up - loss()) / 2e-6
                    array[index] = keep
                close(grads[k][j], numeric, f"grads[{k}][{j}] ({activation}) against centered differences")


@check("sgd_step")
def _():
    params, _, _ = small_network(RNG)
    grads, _, _ = small_network(RNG)
    before = [(W.copy(), b.copy()) for W, b in params]
    new = hw1.sgd_step(params, grads, 0.1)
    for (W, b), (W0, b0), (dW, db), (nW, nb) in zip(params, before, grads, new):
        assert np.array_equal(W, W0) and np.array_equal(b, b0), "sgd_step modified params in place"
        close(nW, W0 - 0.1 * dW, "new W")
        close(nb, b0 - 0.1 * db, "new b")


@check("train_mlp on a task drawn at random")
def _():
    centers = RNG.standard_normal((5, 20)) * 2
    y = RNG.integers(0, 5, 900)
    X = centers[y] + RNG.standard_normal((900, 20))
    seed = int(RNG.integers(1000))
    params = hw1.train_mlp(X[:600], y[:600], [20, 16, 5], "relu", 0.1, 10, 32, seed)
    accuracy = np.mean(np.argmax(hw1.mlp_forward(params, X[600:], "relu"), axis=1) == y[600:])
    assert accuracy >= 0.9, f"held-out accuracy {accuracy:.1%} (the grader gives full points from 90 %)"
    start = hw1.train_mlp(X[:600], y[:600], [20, 16, 5], "relu", 0.1, 0, 32, seed)
    other = hw1.train_mlp(X[:600], y[:600], [20, 16, 5], "relu", 0.1, 0, 32, seed + 1)
    assert not np.allclose(start[0][0], other[0][0]), "another seed should give other starting weights"
    assert not np.allclose(start[0][0], params[0][0]), "epochs=0 should give the untrained starting weights"


print(f"\n{len(failures)} check(s) failed" if failures else "\nAll checks pass.")
