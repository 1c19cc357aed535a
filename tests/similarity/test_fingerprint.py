import numpy as np
from copydetect.utils import filter_code

from similarity.fingerprint import Fingerprint, fingerprint, kgram_hashes, normalize, starter_hashes
from tests.similarity.conftest import SOLUTIONS, source


def test_normalization_is_copydetects_filter_code():
    for name in [*SOLUTIONS, "starter"]:
        assert normalize(source(name))[0] == filter_code(source(name), "hw1.py")[0]


def test_normalization_forgets_names_comments_whitespace_and_strings():
    one = "def f(x):\n    # double it\n    return x * 2  # 'why'\n"
    other = "def g(value):\n\n    return value   *   2\n"
    assert normalize(one)[0] == normalize(other)[0]


def test_each_normalized_character_knows_its_source_line():
    text, lines, starts = normalize("a = 1\n\n# note\nb = a + 2\n")
    assert text == "V=1V=V+2"
    assert lines == [1, 1, 1, 4, 4, 4, 4, 4]


def test_kgram_hashes_are_the_same_in_every_process():
    # Python's hash() of a string (copydetect's) is salted per process; stored fingerprints need a fixed one.
    assert kgram_hashes("V=V+1" * 10, 25)[:2].tolist() == kgram_hashes("V=V+1" * 10, 25)[:2].tolist()
    assert int(kgram_hashes("x" * 25, 25)[0]) == 3464687010079402


def test_serialization_round_trips_through_bytes_and_json():
    original = fingerprint({"hw1.py": source("alice"), "util/extra.py": source("bob")})
    assert Fingerprint.from_bytes(original.to_bytes()) == original
    assert Fingerprint.from_json(original.to_json()) == original
    assert len(original.to_bytes()) < 20_000


HELPER = """
def load_digits_split(seed, share=0.2):
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(y))
    cut = int(len(y) * (1 - share))
    return X[order[:cut]] / 16.0, y[order[:cut]], X[order[cut:]] / 16.0, y[order[cut:]]
"""


def test_the_handouts_stubs_alone_leave_no_fingerprint(starter):
    assert len(fingerprint({"hw1.py": source("starter")}, starter).unique_hashes()) == 0


def test_starter_code_is_subtracted_and_the_students_own_code_kept():
    handout = source("starter") + HELPER
    starter = starter_hashes([handout])
    submission = handout + "\n\n" + source("alice")
    kept = fingerprint({"hw1.py": submission}, starter).unique_hashes()
    assert not np.isin(kept, starter).any()
    assert len(kept) < len(fingerprint({"hw1.py": submission}).unique_hashes())
    assert set(fingerprint({"hw1.py": source("alice")}).unique_hashes().tolist()) <= set(kept.tolist())


def test_line_of_a_position_skips_blank_and_comment_lines():
    file = fingerprint({"a.py": "a = 1\n\n# note\nb = a + 2\n"}).files[0]
    assert file.lines(0, 3) == (1, 1)
    assert file.lines(3, 8) == (4, 4)
    assert file.lines(0, 8) == (1, 4)


def test_top_level_statements_start_where_a_line_starts_in_column_0_outside_brackets():
    text, _, starts = normalize("import numpy as np\n\n# c\ndef f(a):\n    return a\n\n\nx = [1,\n2]\nclass A:\n    pass\n")
    assert [text[s:s + 6] for s in starts] == ["import", "defF(V", "V=[1,2", "classO"]


def test_reordering_short_functions_changes_no_fingerprint():
    functions = ["def relu(a):\n    return np.maximum(a, 0)\n", "def tanh(a):\n    return np.tanh(a) + 0\n",
                 "def lin(a):\n    return a * 1.0 - 0.0\n", "def sig(a):\n    return 1 / (1 + np.exp(-a))\n"]
    one = fingerprint({"m.py": "\n\n".join(functions)}).unique_hashes()
    other = fingerprint({"m.py": "\n\n".join(reversed(functions))}).unique_hashes()
    assert len(one) and set(one.tolist()) == set(other.tolist())


def test_a_fingerprint_names_the_starter_subtracted(starter):
    assert fingerprint({"hw1.py": source("bob")}).starter == ""
    named = fingerprint({"hw1.py": source("bob")}, starter).starter
    assert len(named) == 16 and named == fingerprint({"hw1.py": source("carol")}, starter).starter
    assert Fingerprint.from_bytes(fingerprint({"hw1.py": source("bob")}, starter).to_bytes()).starter == named
