"""Fingerprints of one submission: MOSS's winnowed k-gram hashes of its normalized Python tokens.

The method is copydetect's (Stanford's MOSS, Schleimer, Wilkerson and Aiken 2003): Python is tokenized
by Pygments and normalized the way ``copydetect.utils.filter_code`` does (every identifier becomes
``V``, every function name ``F``, every class name ``O``, every string ``S``; comments and whitespace
vanish), the k-grams of that text are hashed, and copydetect's robust winnowing keeps the smallest hash
of each window. Two departures, each for a reason:

* The k-gram hash is our own polynomial hash, not copydetect's, which is Python's ``hash()`` of a
  string: that is salted per process (PYTHONHASHSEED), so fingerprints stored in the database by one
  worker would never match those computed by another.
* The normalization walks the tokens itself (the same rules; a test holds it equal to
  ``filter_code``) so that it can record the source line of every normalized character: copydetect's
  offset table is off after a class name, and matches are reported as line ranges.
"""
import base64
import hashlib
import json
import os
import zlib
from dataclasses import dataclass

import numpy as np

# A match shorter than NOISE characters of normalized code is noise (copydetect's default), and one of
# GUARANTEE characters or more is always found. copydetect's default guarantee equals its noise, which
# keeps every hash (a window of 1); 30 keeps about one in three and a half (density 2 / (WINDOW + 1)),
# which is what makes 500 submissions cheap to store and to index. WINDOW follows (the winnowing paper).
NOISE = 25
GUARANTEE = 30
WINDOW = GUARANTEE - NOISE + 1
# Hashes kept below 2**53: copydetect's pure-Python winnowing compares them as floats.
_HASH_MASK = np.uint64((1 << 53) - 1)
_BASE = np.uint64(1_000_003)
FORMAT = 1


@dataclass(frozen=True)
class FileFingerprint:
    """One file: its winnowed hashes (in text order) with the normalized position of each, and where
    each source line starts in the normalized text (the map from a position back to a line)."""
    path: str
    hashes: np.ndarray          # uint64, one per selected k-gram, in order of position
    positions: np.ndarray       # int64, the k-gram's start in the normalized text
    line_starts: np.ndarray     # int64, line_starts[i] = first normalized position on or after line i + 1
    length: int                 # of the normalized text

    def lines(self, start: int, end: int) -> tuple[int, int]:
        """The source lines (1-based, inclusive) of the normalized characters [start, end)."""
        first = int(np.searchsorted(self.line_starts, start, side="right"))
        last = int(np.searchsorted(self.line_starts, max(end - 1, start), side="right"))
        return max(first, 1), max(last, 1)


@dataclass(frozen=True)
class Fingerprint:
    """All the .py files of one submission, starter code already subtracted."""
    files: tuple[FileFingerprint, ...]
    k: int = NOISE
    window: int = WINDOW
    starter: str = ""           # digest of the starter code subtracted ("" for none): only equals compare

    def unique_hashes(self) -> np.ndarray:
        """The distinct hashes of the submission, sorted: what the score counts."""
        if not self.files:
            return np.zeros(0, dtype=np.uint64)
        return np.unique(np.concatenate([f.hashes for f in self.files]))

    def to_json(self) -> dict:
        return {"format": FORMAT, "k": self.k, "window": self.window, "starter": self.starter,
                "files": [{"path": f.path, "length": f.length, "hashes": _pack(f.hashes, np.uint64),
                           "positions": _pack(f.positions, np.int64), "line_starts": _pack(f.line_starts, np.int64)}
                          for f in self.files]}

    @classmethod
    def from_json(cls, data: dict) -> "Fingerprint":
        if data.get("format") != FORMAT:
            raise ValueError(f"Fingerprint format {data.get('format')!r} is not {FORMAT}: compute it again.")
        files = tuple(FileFingerprint(path=f["path"], length=f["length"], hashes=_unpack(f["hashes"], np.uint64),
                                      positions=_unpack(f["positions"], np.int64),
                                      line_starts=_unpack(f["line_starts"], np.int64)) for f in data["files"])
        return cls(files=files, k=data["k"], window=data["window"], starter=data["starter"])

    def to_bytes(self) -> bytes:
        """Compact, for a BinaryField: about 5 KB for a HW1 submission."""
        return zlib.compress(json.dumps(self.to_json(), separators=(",", ":")).encode())

    @classmethod
    def from_bytes(cls, blob: bytes) -> "Fingerprint":
        return cls.from_json(json.loads(zlib.decompress(blob)))

    def __eq__(self, other):
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return self.to_json() == other.to_json()

    __hash__ = None


def _pack(array: np.ndarray, dtype) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()).decode()


def _unpack(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype)


def normalize(code: str) -> tuple[str, list[int], list[int]]:
    """The code as copydetect's filter_code normalizes it, the 1-based source line of each of its
    characters, and where each top-level statement (a function, a class, an import...) starts in it."""
    from pygments.lexers import PythonLexer

    out, lines, starts = [], [], [0]
    line, length, fresh, depth = 1, 0, True, 0      # depth: of brackets, inside which column 0 means nothing
    for kind, text in PythonLexer().get_tokens(code):
        rule = _RULES.get(kind)
        if rule is None:
            rule = _RULES[kind] = _rule(kind)
        piece = text if rule == "keep" else ('"' if text in ("'", '"') else "S") if rule == "string" else rule
        if piece:
            if fresh and not depth and length and starts[-1] != length:
                starts.append(length)       # a line starting in column 0: a new top-level statement
            if rule == "keep":
                depth = max(0, depth + sum(map(piece.count, "([{")) - sum(map(piece.count, ")]}")))
            out.append(piece)
            lines.extend([line] * len(piece))
            length += len(piece)
        if text.strip("\n") and not (fresh and rule == "" and not text.isspace()):
            fresh = False                   # indentation or code: the line is not top-level (comments don't say)
        if text.endswith("\n"):
            fresh = True
        line += text.count("\n")
    return "".join(out), lines, starts


_RULES: dict = {}


def _rule(kind) -> str:
    """What filter_code makes of a token of this type: a letter, nothing, "string" or "keep" (as is).
    Worked out once per token type: the checks of Pygments' type hierarchy cost more than the lexing."""
    from pygments import token

    if kind in {token.Name, token.Name.Variable, token.Name.Attribute}:
        return "V"
    if kind in token.Name.Function:
        return "F"
    if kind in token.Name.Class:
        return "O"
    if kind == token.Comment.Preproc or kind == token.Comment.Hashbang:
        return "P"
    if kind in token.Text or kind in token.Comment:
        return ""
    if kind in token.Literal.String:
        return "string"
    return "keep"


def kgram_hashes(text: str, k: int = NOISE) -> np.ndarray:
    """A hash of every k characters of text (len(text) - k + 1 of them): polynomial, then mixed
    (splitmix64's finalizer) so that winnowing's minimum is spread evenly; the same in every process."""
    if len(text) < k:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    powers = _BASE ** np.arange(k - 1, -1, -1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = np.lib.stride_tricks.sliding_window_view(codes, k) @ powers
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return h & _HASH_MASK


def starter_hashes(sources: list[str], k: int = NOISE) -> np.ndarray:
    """Every k-gram hash of the starter code (not only the winnowed ones, so that no piece of it can
    survive in a submission by landing on a different window)."""
    parts = [_segment_hashes(*normalize(code)[::2], k)[0] for code in sources]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


def _segment_hashes(text: str, starts: list[int], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k-gram hashes of each top-level statement on its own, and their positions. No k-gram spans
    two functions: HW1's functions are short (an activation is about k characters once normalized), so
    k-grams across their boundaries would be a good part of the fingerprint, and reordering the
    functions, a common disguise, would destroy them."""
    hashes, positions = [], []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        if end - start >= k:
            hashes.append(kgram_hashes(text[start:end], k))
            positions.append(np.arange(start, end - k + 1, dtype=np.int64))
    if not hashes:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(positions)


def _winnow():
    """copydetect's winnowing, imported on first use: ``import copydetect`` imports matplotlib.pyplot (for
    its HTML report), which must not pick a GUI backend on a server or a worker."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from copydetect.utils import winnow
    return winnow


def fingerprint_file(path: str, code: str, starter: np.ndarray | None = None,
                     k: int = NOISE, window: int = WINDOW) -> FileFingerprint:
    winnow = _winnow()
    text, char_lines, starts = normalize(code)
    hashes, positions = _segment_hashes(text, starts, k)
    if len(hashes):
        # float64 for copydetect's pure-Python winnowing: exact below 2**53.
        _, selected = winnow(hashes.astype(np.float64), window, remove_duplicates=False)
        selected = np.asarray(selected, dtype=np.int64)
        hashes, positions = hashes[selected], positions[selected]
    if starter is not None and len(starter) and len(hashes):
        keep = ~np.isin(hashes, starter)
        hashes, positions = hashes[keep], positions[keep]
    line_count = code.count("\n") + 1
    # The first normalized position on or after each line: lines map to positions by a binary search.
    line_starts = np.searchsorted(np.asarray(char_lines, dtype=np.int64), np.arange(1, line_count + 1), side="left")
    return FileFingerprint(path=path, hashes=hashes, positions=positions,
                           line_starts=line_starts.astype(np.int64), length=len(text))


def fingerprint(files: dict[str, str], starter: np.ndarray | None = None) -> Fingerprint:
    """The fingerprint of one submission, from its .py files (path inside the submission -> source)."""
    return Fingerprint(files=tuple(fingerprint_file(path, code, starter) for path, code in sorted(files.items())),
                       starter=starter_digest(starter))


def starter_digest(starter: np.ndarray | None) -> str:
    """A short name for a starter's hashes: a submission fingerprinted against another handout (or
    none) matches differently, so fingerprints are compared only with those of the same starter."""
    if starter is None or not len(starter):
        return ""
    return hashlib.sha256(np.ascontiguousarray(np.unique(starter), dtype="<u8").tobytes()).hexdigest()[:16]
