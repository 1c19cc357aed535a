import numpy as np
from copydetect.utils import filter_code

from similarity.fingerprint import Fingerprint, fingerprint, kgram_hashes, normalize
from tests.similarity.conftest import SOLUTIONS, source


def test_normalization_is_copydetects_filter_code():
    for name in [*SOLUTIONS, "starter"]:
        assert normalize(source(name))[0] == filter_code(source(name), "hw1.py")[0]


def test_normalization_forgets_names_comments_whitespace_and_strings():
    one = "def f(x):\n    # double it\n    return x * 2  # 'why'\n"
    other = "def g(value):\n\n    return value   *   2\n"
    assert normalize(one)[0] == normalize(other)[0]


def test_each_normalized_character_knows_its_source_line():
    text, lines = normalize("a = 1\n\n# note\nb = a + 2\n")
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


def test_starter_code_is_subtracted(starter):
    assert len(fingerprint({"hw1.py": source("starter")}, starter).unique_hashes()) == 0
    filled_in = source("starter").replace("raise NotImplementedError", "return np.asarray(a) * 2 + 1")
    with_starter = fingerprint({"hw1.py": filled_in})
    without = fingerprint({"hw1.py": filled_in}, starter)
    assert len(without.unique_hashes()) < len(with_starter.unique_hashes())
    assert not np.isin(without.unique_hashes(), starter).any()


def test_line_of_a_position_skips_blank_and_comment_lines():
    file = fingerprint({"a.py": "a = 1\n\n# note\nb = a + 2\n"}).files[0]
    assert file.lines(0, 3) == (1, 1)
    assert file.lines(3, 8) == (4, 4)
    assert file.lines(0, 8) == (1, 4)
