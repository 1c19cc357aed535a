import itertools
from dataclasses import replace

import pytest

from similarity.compare import compare, compare_new
from similarity.fingerprint import fingerprint
from tests.similarity.conftest import SOLUTIONS, source

COPIED = '''def mlp_forward(params, X, activation):
    act = ACTS[activation]
    out = X
    for i, (W, b) in enumerate(params):
        out = out @ W.T + b
        if i < len(params) - 1:
            out = act(out)
    shifted = out - out.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)
'''


def family(name: str) -> str:
    return name.partition("-")[0]


def test_every_disguised_copy_pair_ranks_above_every_independent_pair(corpus):
    pairs = compare(corpus, threshold=0, min_shared=0)
    copies = [p.score for p in pairs if family(p.a) == family(p.b)]
    independent = [p.score for p in pairs if family(p.a) != family(p.b)]
    assert len(copies) == len(SOLUTIONS) * 3
    assert min(copies) > max(independent, default=0)


def test_disguised_copies_are_above_the_default_threshold_and_independent_solutions_are_not(corpus):
    pairs = compare(corpus)
    assert {(p.a, p.b) for p in pairs} == {tuple(sorted(pair)) for name in SOLUTIONS
                                          for pair in itertools.combinations([name, f"{name}-copy0", f"{name}-copy1"], 2)}


def test_pairs_come_most_similar_first(corpus):
    scores = [p.score for p in compare(corpus, threshold=0)]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_two_submissions_of_only_the_starter_code_are_not_reported(starter):
    fingerprints = {"one": fingerprint({"hw1.py": source("starter")}, starter),
                    "two": fingerprint({"hw1.py": source("starter")}, starter)}
    assert compare(fingerprints, threshold=0) == []


def test_starter_plus_small_independent_changes_are_not_reported(starter):
    handout = source("starter")
    one = handout.replace("def relu(a):", "def relu(a):\n    return np.maximum(a, 0)\n\n\ndef _unused(a):")
    two = handout.replace("def tanh(a):", "def tanh(a):\n    return np.tanh(a)\n\n\ndef _unused(a):")
    fingerprints = {"one": fingerprint({"hw1.py": one}, starter), "two": fingerprint({"hw1.py": two}, starter)}
    assert compare(fingerprints, threshold=0) == []


def test_the_starter_would_make_them_look_alike_without_subtraction():
    fingerprints = {"one": fingerprint({"hw1.py": source("starter")}), "two": fingerprint({"hw1.py": source("starter")})}
    assert compare(fingerprints)[0].score == 1


def test_the_threshold_hides_low_pairs(corpus):
    everything = compare(corpus, threshold=0)
    shown = compare(corpus, threshold=0.6)
    assert shown == [p for p in everything if p.score >= 0.6]
    assert len(shown) < len(everything)


def test_matched_lines_are_those_of_the_copied_function_in_both_files():
    a = "import numpy as np\n\n\ndef relu(a):\n    return np.maximum(a, 0)\n\n\n" + COPIED
    b = ("import numpy as np\nimport math\n\nclass Thing:\n    def go(self, x):\n        while x > 3:\n"
         "            x = x // 2 - math.sqrt(x)\n        return [x] * 7\n\n\n"
         + COPIED.replace("params", "layers").replace("out", "h")
         + "\n\ndef sgd_step(p, g, lr):\n    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(p, g)]\n")
    [pair] = compare({"a": fingerprint({"x.py": a}), "b": fingerprint({"y.py": b})}, threshold=0)
    [match] = pair.matches
    assert (match.a_file, match.a_lines, match.b_file, match.b_lines) == ("x.py", (8, 17), "y.py", (11, 20))


def test_reordered_functions_are_matched_where_each_one_went():
    first = "def one(a):\n    total = 0\n    for x in a:\n        total += x * x - 3\n    return total / len(a)\n"
    second = "def two(a, b):\n    out = []\n    while a < b:\n        out.append(a ** 2 + b)\n        a += 1\n    return out\n"
    [pair] = compare({"a": fingerprint({"m.py": first + "\n\n" + second}),
                      "b": fingerprint({"m.py": second + "\n\n" + first})}, threshold=0, min_shared=1)
    assert {(m.a_lines, m.b_lines) for m in pair.matches} == {((1, 5), (9, 13)), ((8, 13), (1, 6))}


def test_compare_new_finds_what_the_full_compare_finds_for_the_new_submission(corpus):
    others = {name: fp for name, fp in corpus.items() if name != "carol-copy1"}
    incremental = compare_new({"carol-copy1": corpus["carol-copy1"]}, others, threshold=0)
    full = [p for p in compare(corpus, threshold=0) if "carol-copy1" in (p.a, p.b)]
    assert incremental == full
    assert incremental


def test_only_the_most_similar_pairs_up_to_the_limit_are_given(corpus):
    everything = compare(corpus, threshold=0)
    assert compare(corpus, threshold=0, limit=3) == everything[:3]


def test_fingerprints_made_with_another_k_are_refused(corpus):
    odd = {"alice": corpus["alice"], "old": replace(corpus["bob"], k=30)}
    with pytest.raises(ValueError, match="different k and window"):
        compare(odd)
    with pytest.raises(ValueError, match="different k and window"):
        compare_new({"old": odd["old"]}, {"alice": corpus["alice"]})


def test_fingerprints_made_against_another_starter_are_refused(corpus):
    odd = {"alice": corpus["alice"], "none": fingerprint({"hw1.py": source("bob")})}
    with pytest.raises(ValueError, match="different starter code"):
        compare(odd)
