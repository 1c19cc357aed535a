"""Trusted-side reading and comparing: messages a student can act on, and no unpickling ever."""

import io
import pickle
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.harness import codec
from grader.results import TestResult
from grader.scoring import (BadOutput, Mismatch, check_close, compare, layers, load_arrays, real_array, scalar,
                            summary)


def message(got, expected, rtol=1e-6, atol=1e-9):
    with pytest.raises(Mismatch) as info:
        check_close(got, expected, rtol=rtol, atol=atol)
    return str(info.value)


def test_wrong_shape_names_both_shapes():
    assert message(np.zeros((3, 4)), np.zeros((4, 3))) == "wrong shape (3, 4), expected (4, 3)"


def test_an_error_names_how_many_values_are_off_the_worst_place_and_its_order():
    expected = np.arange(12.0).reshape(3, 4) / 10
    got = expected.copy()
    got[2, 1] += 0.12
    got[0, 0] += 0.001
    assert message(got, expected, atol=1e-6, rtol=0) == (
        "2 of 12 values are outside the tolerance (atol 1e-06 + rtol 0·|expected|); "
        "the largest error at [2, 1] is of order 1e-01"
    )


def test_an_error_never_prints_the_expected_value():
    """Feedback is not an answer key: the inputs are fixed, so an expected value could be pasted back."""
    text = message(np.array([0.0, 0.0]), np.array([2.6874, -0.31415]))
    assert "2.6874" not in text and "2.687" not in text and "0.314" not in text


def test_the_worst_error_relative_to_its_tolerance_is_reported():
    expected = np.array([1000.0, 1.0])
    got = expected + np.array([1e-4, 1e-5])     # 1e-4 is fine at 1000 (rtol), 1e-5 is not at 1
    assert "at [1]" in message(got, expected, rtol=1e-6, atol=0)


@pytest.mark.parametrize(("value", "word"), [(np.nan, "nan"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_nan_and_inf_are_named_with_their_place(value, word):
    got = np.zeros((2, 4))
    got[0, 3] = value
    assert message(got, np.zeros((2, 4))) == f"returned {word} at [0, 3]"


def test_a_scalar_error_has_no_place():
    assert message(np.float64(2.5), 2.0) == (
        "the value is outside the tolerance (atol 1e-09 + rtol 1e-06·|expected|); the largest error is of order 1e-01"
    )


def test_a_python_number_or_a_one_element_array_is_a_number():
    assert scalar(1.5) == 1.5
    assert scalar(np.array([[2.0]])) == 2.0
    with pytest.raises(Mismatch, match=r"returned an array of shape \(3,\), expected a number"):
        scalar(np.ones(3))


@pytest.mark.parametrize(("value", "text"), [
    (None, "returned None, expected an array"),
    (codec.Unsupported("dict"), "returned a dict, expected an array"),
    (np.ones(2, dtype=complex), "returned complex numbers"),
    ([1.0, "x"], "returned a list of 2, expected an array"),
])
def test_values_that_are_not_real_arrays_are_named(value, text):
    with pytest.raises(Mismatch, match=text):
        real_array(value)


def test_bool_and_integer_arrays_count_as_numbers():
    assert compare(np.array([True, False]), np.array([1.0, 0.0]), rtol=0, atol=0).fraction == 1


def test_layers_name_the_layer_with_the_wrong_shape():
    shapes = [((3, 2), (3,)), ((1, 3), (1,))]
    value = [(np.zeros((3, 2)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(1))]
    with pytest.raises(Mismatch, match=r"params\[1\]\[0\] has shape \(3, 1\), expected \(1, 3\)"):
        layers(value, shapes)
    with pytest.raises(Mismatch, match="returned 1 layers, expected 2"):
        layers(value[:1], shapes)


def test_object_arrays_are_refused_and_never_unpickled(tmp_path):
    marker = tmp_path / "unpickled"

    class Bomb:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    buffer = io.BytesIO()
    np.savez(buffer, r0=np.array([Bomb()], dtype=object), allow_pickle=True)
    with pytest.raises(BadOutput, match="unpickling"):
        load_arrays(buffer.getvalue(), 1 << 20)
    assert not marker.exists()


def test_a_raw_pickle_is_not_an_archive():
    with pytest.raises(BadOutput, match="not a readable .npz"):
        load_arrays(pickle.dumps([1, 2, 3]), 1 << 20)


def test_an_archive_that_unpacks_too_large_is_refused_before_reading():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("r0.npy", b"\0" * (50 << 20))          # 50 MiB of zeros compress to ~50 KiB
    with pytest.raises(BadOutput, match="unpack to 52428800 bytes"):
        load_arrays(buffer.getvalue(), 16 << 20)


def test_an_array_whose_header_claims_more_than_it_holds_is_refused():
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("r0.npy", header.getvalue() + b"\0" * 80)
    with pytest.raises(BadOutput, match=r"array 'r0' claims shape \(1000000000000,\) of float64 but holds 80 bytes"):
        load_arrays(buffer.getvalue(), 1 << 20)


def test_the_arrays_read_back_are_read_only_and_keep_fortran_order():
    arrays = load_arrays(codec.npz_bytes({"r0": np.asfortranarray(np.arange(6.0).reshape(2, 3))}), 1 << 20)
    assert np.array_equal(arrays["r0"], np.arange(6.0).reshape(2, 3)) and not arrays["r0"].flags.writeable


def test_the_codec_round_trips_nested_values():
    value = ([(np.eye(2), np.arange(3))], "relu", 3, 0.5, float("nan"), None, True, np.float32(1.5))
    arrays = {}
    tree = codec.encode(value, arrays)
    back = codec.decode(tree, load_arrays(codec.npz_bytes(arrays), 1 << 20))
    assert back[1:4] == ("relu", 3, 0.5) and back[5:7] == (None, True)
    assert np.array_equal(back[0][0][0], np.eye(2)) and np.isnan(back[4]) and back[7].dtype == np.float32


def test_the_codec_marks_what_it_does_not_carry():
    arrays = {}
    tree = codec.encode([{"a": 1}, np.array(["x"]), np.array([object()], dtype=object), 10**5000], arrays)
    assert tree == {"list": [{"other": "dict"}, {"other": "ndarray of dtype <U1"},
                             {"other": "ndarray of dtype object"}, {"other": "huge integer"}]}
    assert arrays == {}
    assert codec.read_frames(codec.frame({"value": tree}))[0] == [({"value": tree}, b"")]
    with pytest.raises(codec.TooLarge):
        codec.encode(list(range(5000)), {})


def test_frames_stop_at_the_first_damaged_record():
    data = codec.frame({"event": "hello"}) + codec.frame({"event": "done", "test": "t0"}, {"r0": np.ones(2)})
    records, intact = codec.read_frames(data + b"GRv1\0\0\0\x05")
    assert [h["event"] for h, _ in records] == ["hello", "done"] and not intact
    records, intact = codec.read_frames(b"garbage" + data)
    assert records == [] and not intact
    deep = b"[" * 100_000
    records, _ = codec.read_frames(codec._LENGTHS.pack(codec.MAGIC, len(deep), 0) + deep)
    assert records == []


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5), elements=st.floats(-1e6, 1e6)),
       st.data())
def test_an_error_beyond_tolerance_is_found_where_it_is(expected, data):
    assert compare(expected.copy(), expected, rtol=1e-6, atol=1e-9).fraction == 1
    index = data.draw(st.tuples(*(st.integers(0, n - 1) for n in expected.shape)))
    got = expected.copy()
    got[index] += 1e-3 + 1e-5 * abs(got[index])
    text = message(got, expected)
    assert "outside the tolerance" in text and (f"at [{', '.join(map(str, index))}]" in text or not index)


def result_row(name, score, max_score, output="", visibility="visible"):
    return TestResult(name, score, max_score, output, visibility)


def test_the_summary_names_the_failing_functions_and_the_first_to_fix():
    tests = [result_row("relu: a", 2, 2), result_row("relu: b", 0, 1, "relu: returned nan at [0]"),
             result_row("softmax: a", 1, 3, "softmax: wrong shape (2,), expected (3,)")]
    assert summary(tests) == ("2 of 3 tests shown fail (3 points): relu (1 of 2), softmax (1 of 1).\n"
                              "Fix first: relu: b\n    relu: returned nan at [0]")


def test_the_summary_says_nothing_of_hidden_tests():
    tests = [result_row("relu: a", 2, 2), result_row("relu: hidden", 0, 1, "relu: wrong", "after_due_date")]
    assert summary(tests) == "All 1 tests shown pass."


def test_no_summary_when_nothing_ran():
    tests = [result_row("relu: a", 0, 2, "relu: not run, because hw1.py could not be imported (see ...)")]
    assert summary(tests) == ""
