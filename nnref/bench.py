"""Training throughput of nnref, against a matrix-multiply floor and (if installed) PyTorch.

    python -m nnref.bench [--seconds 1.0] [--dtype float32|float64] [--samples 8192]

For batch sizes 1, 32 and 256 it trains a 64-128-64-10 ReLU network by minibatch SGD on
random data and prints samples per second for

* ``nnref``:  ``train_mlp`` itself (validation, initialisation, per-epoch shuffling included);
* ``matmul floor``: the eight matrix products one step needs (three forward, three for the
  weight gradients, two for the hidden-layer gradients) and nothing else: the most that any
  NumPy implementation of this network could reach;
* ``torch``: the same network, loss, shuffling and SGD step in PyTorch (``nn.Linear``,
  ``F.cross_entropy``, ``optim.SGD``), measured in the same run, when torch can be imported.

Each figure is the best of a few repeats of at least ``seconds / 3`` each. Thread counts are
the libraries' defaults; run with ``OPENBLAS_NUM_THREADS=1`` (and ``torch.set_num_threads``) to
compare single cores.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np

from .train import train_mlp

SIZES = [64, 128, 64, 10]
BATCH_SIZES = (1, 32, 256)
LR = 0.01


def _best_rate(run: Callable[[], int], seconds: float, repeats: int = 3) -> float:
    """Largest samples per second over ``repeats`` timings of back-to-back ``run()`` calls
    (each returns how many samples it processed), each timing lasting at least seconds/repeats."""
    run()                                                  # warm-up: caches, thread pools, allocator
    best = 0.0
    for _ in range(repeats):
        samples, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / repeats or samples == 0:
            samples += run()
        best = max(best, samples / elapsed)
    return best


def nnref_rate(X: np.ndarray, y: np.ndarray, batch_size: int, seconds: float) -> float:
    """Samples per second of one-epoch ``train_mlp`` calls."""
    samples = X.shape[0] if batch_size > 1 else min(X.shape[0], 2048)
    X, y = X[:samples], y[:samples]

    def run() -> int:
        train_mlp(X, y, SIZES, "relu", LR, 1, batch_size, 0)
        return samples

    return _best_rate(run, seconds)


def matmul_floor_rate(dtype: np.dtype, batch_size: int, seconds: float) -> float:
    """Samples per second if a training step cost only its eight matrix products."""
    rng = np.random.default_rng(0)
    Ws = [rng.normal(size=(out, inp)).astype(dtype) for inp, out in zip(SIZES[:-1], SIZES[1:])]
    Hs = [rng.normal(size=(batch_size, width)).astype(dtype) for width in SIZES]
    steps = max(1, 2048 // batch_size)

    def run() -> int:
        for _ in range(steps):
            for k, W in enumerate(Ws):
                Hs[k] @ W.T                                 # forward
                Hs[k + 1].T @ Hs[k]                         # dW = G.T @ H
                if k:
                    Hs[k + 1] @ W                           # dH = G @ W
        return steps * batch_size

    return _best_rate(run, seconds)


def torch_rate(X: np.ndarray, y: np.ndarray, batch_size: int, seconds: float) -> float | None:
    """Samples per second of the same training loop in PyTorch, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    samples = X.shape[0] if batch_size > 1 else min(X.shape[0], 2048)
    Xt = torch.from_numpy(np.ascontiguousarray(X[:samples]))
    yt = torch.from_numpy(y[:samples].astype(np.int64))
    generator = torch.Generator().manual_seed(0)

    def run() -> int:
        layers = [torch.nn.Linear(i, o, dtype=Xt.dtype) for i, o in zip(SIZES[:-1], SIZES[1:])]
        model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
        optimizer = torch.optim.SGD(model.parameters(), lr=LR)
        order = torch.randperm(samples, generator=generator)
        X_epoch, y_epoch = Xt[order], yt[order]
        for start in range(0, samples, batch_size):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(
                model(X_epoch[start : start + batch_size]), y_epoch[start : start + batch_size]
            )
            loss.backward()
            optimizer.step()
        return samples

    return _best_rate(run, seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m nnref.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per figure (default 1.0)")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                        help="data and parameter dtype (default float32, PyTorch's default)")
    parser.add_argument("--samples", type=int, default=8192, help="training set size (default 8192)")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.samples, SIZES[0])).astype(args.dtype)
    y = rng.integers(0, SIZES[-1], size=args.samples)
    try:
        import torch
        torch_note = f"torch {torch.__version__}, {torch.get_num_threads()} threads"
    except ImportError:
        torch_note = "torch not installed"
    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"MLP {'-'.join(map(str, SIZES))} relu, SGD, {args.dtype}, numpy {np.__version__} "
          f"(OPENBLAS_NUM_THREADS={blas_threads}), {torch_note}")
    print(f"{'batch':>5}  {'nnref':>12}  {'matmul floor':>12}  {'torch':>12}  {'nnref/torch':>11}   (samples/s)")
    for batch_size in BATCH_SIZES:
        ours = nnref_rate(X, y, batch_size, args.seconds)
        floor = matmul_floor_rate(X.dtype, batch_size, args.seconds)
        theirs = torch_rate(X, y, batch_size, args.seconds)
        ratio = f"{ours / theirs:10.2f}x" if theirs else f"{'-':>11}"
        theirs_text = f"{theirs:12,.0f}" if theirs else f"{'-':>12}"
        print(f"{batch_size:>5}  {ours:12,.0f}  {floor:12,.0f}  {theirs_text}  {ratio}", flush=True)


if __name__ == "__main__":
    main()
