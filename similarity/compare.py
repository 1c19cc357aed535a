"""Which submissions share code, how much, and where.

Score: of the smaller side's distinct fingerprints, the share also found in the other,
``shared / min(|A|, |B|)`` (the larger of copydetect's two per-side similarities). The larger, not the
mean, because padding a copy with dead code or extra functions is a disguise: it lowers the padded
side's share but not the original's. The cost is that a tiny submission is "contained" in anything by
a few common lines, so a pair must also share at least ``min_shared`` fingerprints (about ten short
statements) to be scored at all.

All pairs at once go through an inverted index (a sparse submissions × hashes matrix, whose product
with its transpose counts each pair's shared hashes while touching only the pairs that share one),
never through 125,000 pairwise comparisons.
"""
from dataclasses import dataclass

import numpy as np

from similarity.fingerprint import FileFingerprint, Fingerprint

THRESHOLD = 0.3     # pairs below are not shown: independent HW1 solutions score under 0.05, disguised copies over 0.65
MIN_SHARED = 10     # fewer shared fingerprints than this is never a pair
MAX_PAIRS = 1000    # the most similar pairs reported (MOSS shows 250): nobody reads more, and each costs its regions
MAX_REPEATS = 4     # a fingerprint repeated more often in a file is an idiom: its first few places are enough


@dataclass(frozen=True)
class Match:
    """A region of code found in both: the files (paths inside each submission) and their line ranges."""
    a_file: str
    a_lines: tuple[int, int]
    b_file: str
    b_lines: tuple[int, int]

    def to_json(self) -> dict:
        return {"a_file": self.a_file, "a_lines": list(self.a_lines),
                "b_file": self.b_file, "b_lines": list(self.b_lines)}


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    score: float
    shared: int
    matches: tuple[Match, ...]

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "shared": self.shared,
                "matches": [m.to_json() for m in self.matches]}


def compare(fingerprints: dict[str, Fingerprint], threshold: float = THRESHOLD,
            min_shared: int = MIN_SHARED, limit: int = MAX_PAIRS, involving: set[str] | None = None) -> list[Pair]:
    """The pairs of submissions scoring at least `threshold`, most similar first, at most `limit` of them;
    with `involving`, only the pairs with at least one of those on a side (this term's submissions, not two
    of an archive's: earlier terms' copies among themselves were somebody else's to find)."""
    from scipy import sparse

    _check_comparable(fingerprints.values())
    names = sorted(fingerprints)
    uniques = [fingerprints[n].unique_hashes() for n in names]
    sizes = np.array([len(u) for u in uniques], dtype=np.int64)
    if len(names) < 2 or not sizes.sum():
        return []
    rows = np.repeat(np.arange(len(names)), sizes)
    _, columns = np.unique(np.concatenate(uniques), return_inverse=True)
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns.ravel())),
                                  shape=(len(names), int(columns.max()) + 1))
    shared = sparse.triu(incidence @ incidence.T, k=1).tocoo()
    candidates = []
    for i, j, count in zip(shared.row, shared.col, shared.data):
        if involving is not None and names[i] not in involving and names[j] not in involving:
            continue
        score = _score(int(count), sizes[i], sizes[j], min_shared)
        if score and score >= threshold:
            candidates.append((names[i], names[j], score, int(count)))
    return _pairs(fingerprints, candidates, limit)


def compare_new(new: dict[str, Fingerprint], others: dict[str, Fingerprint], threshold: float = THRESHOLD,
                min_shared: int = MIN_SHARED, limit: int = MAX_PAIRS) -> list[Pair]:
    """The pairs that submissions added since the last run (`new`) make with the others and with each
    other: the same pairs ``compare`` would find holding a new one, without comparing the others again."""
    overlap = set(new) & set(others)
    if overlap:
        raise ValueError(f"Submissions both new and old: {', '.join(sorted(overlap))}.")
    everyone = {**others, **new}
    _check_comparable(everyone.values())
    uniques = {name: everyone[name].unique_hashes() for name in everyone}
    candidates, seen = [], set()
    for name in sorted(new):
        for other in sorted(everyone):
            key = tuple(sorted((name, other)))
            if other == name or key in seen:
                continue
            seen.add(key)
            count = len(np.intersect1d(uniques[name], uniques[other], assume_unique=True))
            score = _score(count, len(uniques[key[0]]), len(uniques[key[1]]), min_shared)
            if score and score >= threshold:
                candidates.append((key[0], key[1], score, count))
    return _pairs(everyone, candidates, limit)


def _check_comparable(fingerprints) -> None:
    settings = {(fp.k, fp.window) for fp in fingerprints}
    if len(settings) > 1:
        raise ValueError(f"Fingerprints made with different k and window {sorted(settings)} never match: "
                         "compute the old ones again.")
    if len({fp.starter for fp in fingerprints}) > 1:
        raise ValueError("Fingerprints made with different starter code subtracted do not compare fairly: "
                         "compute them again with this assignment's starter code.")


def _score(shared: int, size_a: int, size_b: int, min_shared: int) -> float:
    if shared < min_shared or not min(size_a, size_b):
        return 0.0
    return shared / min(size_a, size_b)


def _pairs(fingerprints: dict[str, Fingerprint], candidates: list, limit: int) -> list[Pair]:
    """The most similar `limit` candidates (a, b, score, shared) as pairs, with their regions."""
    candidates = sorted(candidates, key=lambda c: (-c[2], c[0], c[1]))[:limit]
    return [Pair(a=a, b=b, score=float(score), shared=count, matches=matches(fingerprints[a], fingerprints[b]))
            for a, b, score, count in candidates]


def matches(a: Fingerprint, b: Fingerprint) -> tuple[Match, ...]:
    """The regions of code the two share, as line ranges in both, in order of a's files and lines."""
    found = []
    for fa in a.files:
        for fb in b.files:
            for (a_start, a_end), (b_start, b_end) in _regions(fa, fb, a.k):
                found.append(Match(fa.path, fa.lines(a_start, a_end), fb.path, fb.lines(b_start, b_end)))
    return tuple(sorted(set(found), key=lambda m: (m.a_file, m.a_lines, m.b_file, m.b_lines)))


def _regions(fa: FileFingerprint, fb: FileFingerprint, k: int, min_hashes: int = 2):
    """Chains of shared fingerprints that advance together in both files (each at most k characters
    after the previous): one copied passage each. A lone shared fingerprint is not a region."""
    common = np.intersect1d(fa.hashes, fb.hashes)
    if not len(common):
        return []
    in_b = np.isin(fb.hashes, common)
    b_hashes, b_positions = fb.hashes[in_b], fb.positions[in_b]
    order = np.argsort(b_hashes, kind="stable")
    b_hashes, b_positions = b_hashes[order], b_positions[order]
    points = []
    in_a = np.isin(fa.hashes, common)
    a_hashes, a_positions = fa.hashes[in_a], fa.positions[in_a].tolist()
    lows = np.searchsorted(b_hashes, a_hashes, side="left").tolist()
    highs = np.searchsorted(b_hashes, a_hashes, side="right").tolist()
    b_positions = b_positions.tolist()
    for pa, lo, hi in zip(a_positions, lows, highs):
        points.extend((pa, pb) for pb in b_positions[lo:min(hi, lo + MAX_REPEATS)])
    chains: list[list[tuple[int, int]]] = []
    for pa, pb in sorted(points):
        for chain in chains:
            last_a, last_b = chain[-1]
            if 0 <= pa - last_a <= k and 0 <= pb - last_b <= k and (pa, pb) != (last_a, last_b):
                chain.append((pa, pb))
                break
        else:
            chains.append([(pa, pb)])
    spans = sorted((((min(p[0] for p in c), max(p[0] for p in c) + k), (min(p[1] for p in c), max(p[1] for p in c) + k))
                    for c in chains if len(c) >= min_hashes), key=lambda s: s[0][0] - s[0][1])
    # Code that repeats itself (sigmoid and tanh look alike once names are gone) also matches across:
    # a region lying inside a longer one on both sides says nothing new.
    kept = []
    for (a, b) in spans:
        if not any(ka[0] <= a[0] and a[1] <= ka[1] and kb[0] <= b[0] and b[1] <= kb[1] for ka, kb in kept):
            kept.append((a, b))
    return kept
