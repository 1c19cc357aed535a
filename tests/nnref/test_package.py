import inspect
import subprocess
import sys
from pathlib import Path

import nnref
from nnref import bench

ROOT = Path(__file__).resolve().parents[2]
HW1_NAMES = [
    "linear", "sigmoid", "tanh", "relu", "linear_grad", "sigmoid_grad", "tanh_grad", "relu_grad", "softmax",
    "l2_loss", "zero_one_loss", "softmax_cross_entropy", "mlp_forward", "mlp_backward", "sgd_step", "train_mlp",
]


def test_every_hw1_function_is_exported_by_the_package():
    assert set(HW1_NAMES) <= set(nnref.__all__)
    assert all(callable(getattr(nnref, name)) for name in HW1_NAMES)


def test_importing_nnref_in_a_fresh_interpreter_imports_neither_django_nor_celery():
    code = "import sys, nnref; print(' '.join(sorted({m.partition('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "numpy" in loaded and "nnref" in loaded
    assert not loaded & {"django", "celery", "kombu", "coursesite", "grader", "sklearn", "torch"}


def test_every_public_function_documents_parameters_returns_and_raises():
    functions = [getattr(nnref, name) for name in nnref.__all__ if inspect.isfunction(getattr(nnref, name))]
    sections = ("Parameters", "Returns", "Raises")
    undocumented = [f.__name__ for f in functions if not all(s in (f.__doc__ or "") for s in sections)]
    assert not undocumented


def test_bench_prints_a_row_per_batch_size(capsys):
    bench.main(["--seconds", "0.01", "--samples", "512"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("MLP 64-128-64-10 relu, SGD, float32")
    assert [line.split()[0] for line in lines[2:]] == ["1", "32", "256"]
    assert all(float(line.split()[1].replace(",", "")) > 0 for line in lines[2:])
