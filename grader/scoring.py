"""Trusted-side reading and comparing of what the student's functions returned.

The sandbox hands back raw arrays only. Here they are loaded with ``allow_pickle=False``
(an object array is refused, never unpickled), their archive is sized before it is read,
and each value is checked for type, dtype, shape and finiteness before it is compared with
the reference at a stated tolerance. Every problem becomes one sentence a student can act
on ("wrong shape (3, 4), expected (4, 3)", "... the largest error at [2, 1] is of order 1e-01",
"returned nan at [0, 3]"), raised as ``Mismatch`` by the helpers and turned into a ``Verdict``.

Feedback is not an answer key (DESIGN.md): a message says what is wrong and where (shape,
NaN, which entry is worst and by how many powers of ten), never the expected value, which a
student could paste back for points since the inputs are the same for every submission.
"""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np

from .harness import codec
from .specs import Verdict


class Mismatch(Exception):
    """The answer is wrong in a way the message explains."""


class BadOutput(Exception):
    """The raw output could not be read safely (not an archive, too large, object arrays)."""


def load_arrays(payload: bytes, max_bytes: int) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` payload, read-only, refusing pickles, compression and archives that unpack
    to more than ``max_bytes``: what an array takes here is then at most what it took in the results file.

    Each member is read by hand from its ``.npy`` header (``numpy.lib.format``) rather than with
    ``np.load``: one pass over the archive instead of two, and an array whose header claims more
    elements than its member holds is refused before anything is allocated for it.
    """
    if not payload:
        return {}
    arrays = {}
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            members = archive.infolist()
            unpacked = sum(info.file_size for info in members)
            if unpacked > max_bytes:
                raise BadOutput(f"its arrays unpack to {unpacked} bytes, more than the {max_bytes} allowed")
            if any(info.compress_type != zipfile.ZIP_STORED for info in members):
                # The harness never compresses; a compressed member is forged, and would unpack to many
                # times the bytes it takes in the results file.
                raise BadOutput("its arrays are compressed, which the grader's harness never does")
            for info in members:
                name = info.filename.removesuffix(".npy")
                with archive.open(info) as member:
                    arrays[name] = _read_npy(member, info.file_size, name)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, KeyError) as exc:
        raise BadOutput(f"not a readable .npz archive ({exc})") from exc
    return arrays


def _read_npy(member, size: int, name: str) -> np.ndarray:
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(member)
    else:
        shape, fortran_order, dtype = np.lib.format.read_array_header_2_0(member)
    if dtype.hasobject:
        raise BadOutput(f"it holds arrays that would need unpickling (array {name!r} has dtype {dtype})")
    count = math.prod(shape)
    data = member.read(size)
    if len(data) != count * dtype.itemsize:
        raise BadOutput(f"array {name!r} claims shape {shape} of {dtype} but holds {len(data)} bytes")
    return np.frombuffer(data, dtype=dtype, count=count).reshape(shape, order="F" if fortran_order else "C")


def describe(value) -> str:
    """A short name for a returned value's kind, for messages: "a dict", "None", "a list of 2"."""
    if value is None:
        return "None"
    if isinstance(value, codec.Unsupported):
        return f"a {value.type_name}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}" if value.ndim else "a number"
    return f"a {type(value).__name__}"


def real_array(value, what: str = "an array") -> np.ndarray:
    """``value`` as a float64 array: NumPy arrays and numbers of bool, integer or float dtype,
    and (leniently) lists of numbers. Raises ``Mismatch`` for anything else."""
    if isinstance(value, (bool, int, float)):
        value = np.asarray(value, dtype=np.float64)
    elif isinstance(value, (list, tuple)):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise Mismatch(f"returned {describe(value)}, expected {what}") from None
    if not isinstance(value, np.ndarray):
        raise Mismatch(f"returned {describe(value)}, expected {what}")
    if value.dtype.kind == "c":
        raise Mismatch(f"returned complex numbers (dtype {value.dtype}), expected real numbers")
    if value.dtype.kind not in "biuf":
        raise Mismatch(f"returned an array of dtype {value.dtype}, expected real numbers")
    return value.astype(np.float64)


def scalar(value, what: str = "a number") -> float:
    """A returned number: a Python or NumPy number, or any array holding exactly one."""
    array = real_array(value, what)
    if array.size != 1:
        raise Mismatch(f"returned an array of shape {array.shape}, expected {what}")
    return float(array.reshape(()))


def _where(index: tuple) -> str:
    return f" at [{', '.join(str(int(i)) for i in index)}]" if index else ""


def check_close(got, expected, *, rtol: float, atol: float, what: str = "an array") -> None:
    """Raise ``Mismatch`` unless ``got`` has ``expected``'s shape, is finite wherever
    ``expected`` is, and |got − expected| ≤ atol + rtol·|expected| everywhere."""
    expected = np.asarray(expected, dtype=np.float64)
    got = real_array(got, what)
    if got.shape != expected.shape:
        if expected.ndim == 0 and got.size == 1:
            got = got.reshape(())
        else:
            raise Mismatch(f"wrong shape {got.shape}, expected {expected.shape}")
    for bad in (np.isnan(got) & ~np.isnan(expected), np.isinf(got) & ~np.isinf(expected)):
        if bad.any():
            index = np.unravel_index(np.argmax(bad), bad.shape)
            raise Mismatch(f"returned {got[index]}{_where(index)}")      # nan, inf or -inf
    with np.errstate(invalid="ignore", over="ignore"):   # inf − inf (equal, set to 0 here); ±1e308 apart
        error = np.where(got == expected, 0.0, np.abs(got - expected))
    error = np.where(np.isnan(got) & np.isnan(expected), 0.0, error)
    allowed = atol + rtol * np.abs(np.where(np.isfinite(expected), expected, 0.0))
    excess = error - allowed
    if excess.size and excess.max() > 0:
        index = np.unravel_index(np.argmax(excess), excess.shape)
        wrong = int((excess > 0).sum())
        count = f"{wrong} of {excess.size} values are" if excess.size > 1 else "the value is"
        raise Mismatch(
            f"{count} outside the tolerance (atol {atol:g} + rtol {rtol:g}·|expected|); the largest error"
            f"{_where(index)} is of order {_order(error[index])}"
        )


def _order(error: float) -> str:
    """An error's power of ten ("1e-03" for 0.0042): says how far off, never a value to paste back."""
    if not np.isfinite(error):
        return "infinity"
    return f"1e{int(np.floor(np.log10(error))):+03d}" if error > 0 else "0"


def compare(got, expected, *, rtol: float, atol: float, what: str = "an array") -> Verdict:
    """``check_close`` as a verdict: all the points, or none with the reason."""
    try:
        check_close(got, expected, rtol=rtol, atol=atol, what=what)
    except Mismatch as exc:
        return Verdict(0.0, str(exc))
    return Verdict(1.0)


def layers(value, shapes: list[tuple[tuple[int, ...], tuple[int, ...]]], what: str = "params") -> list:
    """A list of (W, b) pairs with the given shapes, as float64 arrays; ``Mismatch`` otherwise.

    Messages name the layer: "params[1][0] has shape (10, 32), expected (32, 10)".
    """
    if not isinstance(value, (list, tuple)):
        raise Mismatch(f"returned {describe(value)}, expected a list of {len(shapes)} (W, b) pairs")
    if len(value) != len(shapes):
        raise Mismatch(f"returned {len(value)} layers, expected {len(shapes)} (W, b) pairs")
    pairs = []
    for k, (layer, shape_pair) in enumerate(zip(value, shapes)):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            raise Mismatch(f"{what}[{k}] is {describe(layer)}, expected a (W, b) pair")
        pair = []
        for j, (array, shape) in enumerate(zip(layer, shape_pair)):
            array = real_array(array, f"an array for {what}[{k}][{j}]")
            if array.shape != shape:
                raise Mismatch(f"{what}[{k}][{j}] has shape {array.shape}, expected {shape}")
            pair.append(array)
        pairs.append(tuple(pair))
    return pairs


def summary(tests, visible: str = "visible") -> str:
    """The first lines of the feedback: which functions fail and the first thing to fix, over the
    tests shown before the due date only (a hidden test's result is not hinted at, not even by a count).

    "" when every test shown failed without running (the note above them already says why).
    """
    shown = [t for t in tests if t.visibility == visible]
    failing = [t for t in shown if t.score < t.max_score]
    if not shown or (failing and all(", because " in t.output and "not run" in t.output for t in shown)):
        return ""
    if not failing:
        return f"All {len(shown)} tests shown pass."
    by_function: dict[str, list] = {}
    for test in shown:
        by_function.setdefault(test.name.split(":")[0], []).append(test)
    parts = [f"{function} ({sum(t.score < t.max_score for t in rows)} of {len(rows)})"
             for function, rows in by_function.items() if any(t.score < t.max_score for t in rows)]
    lost = sum(t.max_score - t.score for t in failing)
    first = failing[0]
    return (f"{len(failing)} of {len(shown)} tests shown fail ({lost:g} points): {', '.join(parts)}.\n"
            f"Fix first: {first.name}\n    {first.output.splitlines()[0] if first.output else ''}")
