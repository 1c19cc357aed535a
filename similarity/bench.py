"""``python -m similarity.bench``: fingerprint and compare 500 HW1-sized submissions; print the time of
each step, the peak memory and the pairs found.

The submissions: the four independent solutions of tests/similarity/corpus, each of them disguised
twice, and synthetic HW1 files (the handout's functions with bodies of random NumPy statements, as long
as a real solution) for the rest; a few of those are disguised too (tests/similarity/disguise.py), so
that the comparison also finds and locates copies at scale. Run from the repository's root.
"""
import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from similarity.compare import THRESHOLD, compare, compare_new
from similarity.fingerprint import fingerprint, starter_hashes

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "similarity" / "corpus"
SOLUTIONS = ["alice", "bob", "carol", "dave"]
SIGNATURES = [("linear", "a"), ("linear_grad", "a"), ("sigmoid", "a"), ("sigmoid_grad", "a"), ("tanh", "a"),
              ("tanh_grad", "a"), ("relu", "a"), ("relu_grad", "a"), ("softmax", "a"), ("l2_loss", "f, y"),
              ("zero_one_loss", "scores, y"), ("softmax_cross_entropy", "a, y"),
              ("mlp_forward", "params, X, activation"), ("mlp_backward", "params, X, y, activation"),
              ("sgd_step", "params, grads, lr"), ("train_mlp", "X, y, sizes, activation, lr, epochs, batch_size, seed")]
UNARY = ["np.exp", "np.log1p", "np.tanh", "np.abs", "np.sqrt", "np.square", "np.sign", "np.cumsum", "np.ravel",
         "np.atleast_2d", "np.copy", "np.negative", "np.expm1", "np.log", "np.transpose", "np.argmax", "np.sort"]
BINARY = ["+", "-", "*", "/", "@", "**"]
REDUCE = ["sum", "mean", "max", "min", "std", "argmax", "prod"]


def synthetic(rng: random.Random) -> str:
    """A HW1-shaped file whose function bodies are random NumPy statements: its own code, like an
    independent solution, and about as long as one."""
    out = ["import numpy as np", ""]
    for name, args in SIGNATURES:
        names = [a.strip() for a in args.split(",")]
        out += ["", "", f"def {name}({args}):", f'    """{name}, my way."""']
        for _ in range(rng.randint(4, 11)):
            out += ["    " + line for line in _statement(rng, names)]
        out.append(f"    return {rng.choice(names)}")
    return "\n".join(out) + "\n"


def _statement(rng: random.Random, names: list) -> list:
    target = f"v{rng.randint(0, 40)}"
    x, y = rng.choice(names), rng.choice(names)
    number = round(rng.uniform(-9, 9), rng.randint(0, 3))
    kind = rng.randrange(7)
    if kind == 0:
        line = [f"{target} = {rng.choice(UNARY)}({x})"]
    elif kind == 1:
        line = [f"{target} = {x} {rng.choice(BINARY)} {rng.choice([y, str(number)])}"]
    elif kind == 2:
        line = [f"{target} = {x}.{rng.choice(REDUCE)}(axis={rng.randint(-1, 1)}, keepdims={rng.choice([True, False])})"]
    elif kind == 3:
        line = [f"for i in range({rng.randint(1, 9)}):", f"    {target} = {x}[i] {rng.choice(BINARY)} {number}"]
    elif kind == 4:
        line = [f"if {x}.ndim {rng.choice(['>', '<', '=='])} {rng.randint(0, 3)}:",
                f"    {target} = {x}.reshape({rng.randint(-1, 9)}, -1)"]
    elif kind == 5:
        line = [f"{target} = np.where({x} > {number}, {y}, {rng.choice(UNARY)}({y}))"]
    else:
        line = [f"{target} = np.clip({x}, {-abs(number)}, {abs(number) + 1}) {rng.choice(BINARY)} {y}.T"]
    names.append(target)
    return line


def submissions(count: int, seed: int) -> dict[str, str]:
    sys.path.insert(0, str(CORPUS.parents[2]))
    from tests.similarity.disguise import disguise

    rng = random.Random(seed)
    sources = {}
    for name in SOLUTIONS:
        sources[name] = (CORPUS / name / "hw1.py").read_text()
        for copy in (0, 1):
            sources[f"{name}-copy{copy}"] = disguise(sources[name], copy)
    copied = max(1, count // 50)
    for i in range(count - len(sources) - copied):
        sources[f"synthetic-{i:03d}"] = synthetic(rng)
    for i in range(copied):
        sources[f"synthetic-{i:03d}-copy"] = disguise(sources[f"synthetic-{i:03d}"], seed + i)
    return sources


def run(count: int = 500, seed: int = 0, threshold: float = THRESHOLD) -> str:
    sources = submissions(count, seed)
    starter = starter_hashes([(CORPUS.parents[2] / "handouts" / "hw1" / "hw1.py").read_text()])
    started = time.perf_counter()
    fingerprints = {name: fingerprint({"hw1.py": code}, starter) for name, code in sources.items()}
    fingerprinted = time.perf_counter()
    # tracemalloc from here only: it slows the tokenizer's many small allocations several times over.
    tracemalloc.start()
    pairs = compare(fingerprints, threshold=threshold)
    compared = time.perf_counter()
    last = sorted(fingerprints)[-1]
    others = {name: fp for name, fp in fingerprints.items() if name != last}
    compare_new({last: fingerprints[last]}, others, threshold=threshold)
    added = time.perf_counter()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    copies = sum(p.a.split("-copy")[0] == p.b.split("-copy")[0] for p in pairs)
    stored = sum(len(fp.to_bytes()) for fp in fingerprints.values())
    lines = sum(code.count("\n") for code in sources.values())
    return "\n".join([
        f"{len(sources)} submissions ({lines / len(sources):.0f} lines each on average), threshold {threshold}",
        f"fingerprinting: {fingerprinted - started:.2f} s ({stored / len(sources) / 1024:.1f} KB stored per submission)",
        f"comparing all pairs: {compared - fingerprinted:.2f} s",
        f"one added submission against the rest: {added - compared:.2f} s",
        f"total: {added - started:.2f} s; peak memory while comparing (tracemalloc) {peak / 2**20:.0f} MB, "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        f"pairs found: {len(pairs)} ({copies} between a solution and its copies)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m similarity.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(argv)
    if args.submissions < 20:
        parser.exit(2, f"{parser.prog}: error: --submissions must be at least 20.\n")
    print(run(args.submissions, args.seed, args.threshold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
