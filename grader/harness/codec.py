"""Nested values as (a JSON tree, named arrays), and the framed records of the results channel.

Both sides use this file: the trusted side to write a test's arguments and to read what the
student's functions returned, the harness for the opposite. Nothing here unpickles: arrays
travel in ``.npz`` archives loaded with ``allow_pickle=False``, everything else is JSON.

A tree is one of::

    {"array": "a3"}              an ndarray (or NumPy scalar, as a 0-d array) stored under that name
    {"int": 3} {"float": 0.1}    a Python number (a float only when finite; else it is an array)
    {"str": "relu"} {"none": true} {"bool": true}
    {"list": [tree, ...]}  {"tuple": [tree, ...]}
    {"other": "dict"}            anything else, by type name: reported, never rebuilt

Standard library and NumPy only: this file is also bound into the sandbox.
"""

import io
import json
import math
import struct

import numpy as np

MAX_DEPTH = 6
MAX_ITEMS = 1000        # leaves and containers in one tree
ARRAY_KINDS = "biufc"   # bool, integers, floats, complex: the dtypes an .npz holds without pickle


class Unsupported:
    """A returned value the codec does not carry (a dict, an object array, ...), by type name."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"Unsupported({self.type_name!r})"


class TooLarge(ValueError):
    """The value nests too deep or holds too many items to be sent."""


def encode(value, arrays: dict, prefix: str = "a") -> dict:
    """The tree of ``value``; its arrays are added to ``arrays`` under fresh names."""
    counter = [0]

    def walk(v, depth):
        counter[0] += 1
        if counter[0] > MAX_ITEMS or depth > MAX_DEPTH:
            raise TooLarge(f"more than {MAX_ITEMS} items or {MAX_DEPTH} levels of nesting")
        if isinstance(v, bool):
            return {"bool": v}
        if isinstance(v, int) and type(v) is int:
            # JSON refuses to write an int of more than 4300 digits (Python's limit), and no test wants one.
            return {"int": v} if -(2**63) <= v < 2**63 else {"other": "huge integer"}
        if isinstance(v, float) and type(v) is float and math.isfinite(v):
            return {"float": v}
        if isinstance(v, str) and type(v) is str:
            return {"str": v[:1000]}
        if v is None:
            return {"none": True}
        if isinstance(v, (list, tuple)) and type(v) in (list, tuple):
            return {type(v).__name__: [walk(item, depth + 1) for item in v]}
        if isinstance(v, float):                            # inf and nan travel as arrays
            v = np.float64(v)
        if isinstance(v, (np.ndarray, np.generic)) and type(v).__module__ == "numpy":
            a = np.asarray(v)
            if a.dtype.kind not in ARRAY_KINDS or a.dtype.fields is not None:
                return {"other": f"ndarray of dtype {a.dtype}"}
            name = f"{prefix}{len(arrays)}"
            arrays[name] = np.ascontiguousarray(a)
            return {"array": name}
        return {"other": type(v).__name__[:100]}

    return walk(value, 0)


def decode(tree, arrays, *, max_bytes: int | None = None):
    """The value a tree describes, with arrays looked up in ``arrays`` (a dict or an NpzFile).

    With ``max_bytes`` (the trusted side reading a return value), the tree is held to what ``encode``
    makes of an honest value: each array named once, and at most ``max_bytes`` of arrays in all. A
    forged tree naming one array a thousand times would otherwise turn a kilobyte record into
    gigabytes once the value is converted. Raises ``ValueError`` for a malformed tree.
    """
    counter, used, total = [0], set(), [0]

    def walk(t, depth):
        counter[0] += 1
        if counter[0] > MAX_ITEMS or depth > MAX_DEPTH or not isinstance(t, dict) or len(t) != 1:
            raise ValueError("malformed value tree")
        ((kind, x),) = t.items()
        if kind == "array" and isinstance(x, str):
            array = arrays[x]
            if max_bytes is not None:
                if x in used:
                    raise ValueError(f"malformed value tree (array {x!r} named twice)")
                used.add(x)
                total[0] += array.nbytes
                if total[0] > max_bytes:
                    raise ValueError(f"more than {max_bytes} bytes of arrays")
            return array
        if kind in ("list", "tuple") and isinstance(x, list):
            items = [walk(item, depth + 1) for item in x]
            return items if kind == "list" else tuple(items)
        if (kind, type(x)) in (("int", int), ("float", float), ("str", str), ("bool", bool)):
            return x
        if kind == "none":
            return None
        if kind == "other" and isinstance(x, str):
            return Unsupported(x)
        raise ValueError(f"malformed value tree (node {kind!r})")

    return walk(tree, 0)


def npz_bytes(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


# --- framed records: magic, header length, payload length, JSON header, .npz payload ---

MAGIC = b"GRv1"
STARTED = "grader: the harness started\n"    # the harness's first output line, before any student code
CHANNEL_LOST = 86      # the harness's exit status when it can no longer write to the results channel
_LENGTHS = struct.Struct(">4sII")


def frame(header: dict, arrays: dict | None = None) -> bytes:
    """One record, written with a single ``os.write`` so that a killed run leaves whole
    records and at most one cut-off record at the end."""
    head = json.dumps(header, allow_nan=False).encode()
    payload = npz_bytes(arrays) if arrays else b""
    return _LENGTHS.pack(MAGIC, len(head), len(payload)) + head + payload


def read_frames(data: bytes) -> tuple[list[tuple[dict, bytes]], bool]:
    """``(records, intact)``: the whole records in ``data`` and whether nothing else was there.

    Reading stops at the first bytes that are not a whole, well-formed record (a run killed
    mid-write, or a program writing into the channel).
    """
    records, at = [], 0
    while at < len(data):
        if len(data) - at < _LENGTHS.size:
            return records, False
        magic, head_len, payload_len = _LENGTHS.unpack_from(data, at)
        start = at + _LENGTHS.size
        end = start + head_len + payload_len
        if magic != MAGIC or end > len(data):
            return records, False
        try:
            header = json.loads(data[start : start + head_len])
        except (ValueError, RecursionError):              # RecursionError: absurdly nested JSON
            return records, False
        if not isinstance(header, dict):
            return records, False
        records.append((header, data[start + head_len : end]))
        at = end
    return records, True
