"""python -m similarity: its output, text and JSON, and an error without a traceback for bad input."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from similarity.cli import main
from similarity.inputs import MAX_FILE_BYTES, MAX_FILES
from tests.similarity.conftest import STARTER, source
from tests.similarity.disguise import disguise

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def submissions(tmp_path):
    """alice, her disguised copy, and bob, each a folder holding hw1.py."""
    for name, code in [("alice", source("alice")), ("copy", disguise(source("alice"), 0)), ("bob", source("bob"))]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "hw1.py").write_text(code)
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit:
        code = exit.code
    out, err = capsys.readouterr()
    return code, out, err


def test_text_lists_the_copied_pair_with_its_score_and_line_ranges(capsys, submissions):
    code, out, _ = run(capsys, submissions / "alice", submissions / "copy", submissions / "bob",
                       "--starter", STARTER)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("0.") and f"{submissions}/alice  {submissions}/copy" in lines[0]
    assert all(" ~ " in line and f"{submissions}/alice/hw1.py:" in line for line in lines[1:])
    assert "bob" not in out


def test_text_names_a_one_file_submission_by_its_path(capsys, submissions):
    _, out, _ = run(capsys, submissions / "alice" / "hw1.py", submissions / "copy" / "hw1.py")
    assert f"{submissions}/alice/hw1.py:" in out.splitlines()[1]
    assert f"{submissions}/alice/hw1.py/hw1.py" not in out


def test_json_gives_pairs_with_scores_and_matches(capsys, submissions):
    code, out, _ = run(capsys, submissions / "alice", submissions / "copy", submissions / "bob", "--json")
    assert code == 0
    [pair] = json.loads(out)["pairs"]
    assert (pair["a"], pair["b"]) == (str(submissions / "alice"), str(submissions / "copy"))
    assert 0.5 < pair["score"] <= 1
    match = pair["matches"][0]
    assert set(match) == {"a_file", "a_lines", "b_file", "b_lines"}
    assert match["a_file"] == match["b_file"] == "hw1.py"
    assert match["a_lines"][0] <= match["a_lines"][1]


def test_a_high_threshold_hides_the_pair(capsys, submissions):
    code, out, _ = run(capsys, submissions / "alice", submissions / "copy", "--threshold", "1")
    assert (code, out.strip()) == (0, "No pair of submissions is above the threshold.")


def test_json_with_nothing_above_the_threshold_is_an_empty_list(capsys, submissions):
    _, out, _ = run(capsys, submissions / "alice", submissions / "bob", "--json")
    assert json.loads(out) == {"pairs": []}


def bad_input(capsys, *args) -> str:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and "Traceback" not in err
    return err.strip()


def test_a_missing_path_is_an_error(capsys, submissions):
    assert bad_input(capsys, submissions / "alice", submissions / "nobody") == (
        f"python -m similarity: error: {submissions}/nobody: no such file or folder.")


def test_a_folder_without_python_is_an_error(capsys, submissions):
    (submissions / "empty").mkdir()
    (submissions / "empty" / "README.md").write_text("# HW1\n")
    assert bad_input(capsys, submissions / "alice", submissions / "empty").endswith(
        f"{submissions}/empty: no .py file in this folder.")


def test_a_file_that_is_not_python_is_an_error(capsys, submissions):
    (submissions / "notes.txt").write_text("hello\n")
    assert bad_input(capsys, submissions / "alice", submissions / "notes.txt").endswith(
        "notes.txt: not a .py file (give a folder holding one submission, or its .py file).")


def test_a_binary_file_is_an_error(capsys, submissions):
    (submissions / "bob" / "hw1.py").write_bytes(b"\x00\x01\x02compiled")
    assert bad_input(capsys, submissions / "alice", submissions / "bob").endswith(
        "bob/hw1.py: a binary file, not Python source.")


def test_a_file_not_in_utf8_is_an_error(capsys, submissions):
    (submissions / "bob" / "hw1.py").write_bytes("x = 'café'\n".encode("latin-1"))
    assert bad_input(capsys, submissions / "alice", submissions / "bob").endswith(
        "bob/hw1.py: not UTF-8 text, so not Python source the grader could run.")


def test_a_huge_file_is_an_error_without_reading_it_all(capsys, submissions):
    (submissions / "bob" / "hw1.py").write_text("x = 1\n" * (MAX_FILE_BYTES // 6 + 10))
    assert bad_input(capsys, submissions / "alice", submissions / "bob").endswith(
        "bob/hw1.py: larger than 512 KB, too big to be a submission's code.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_an_error(capsys, submissions):
    (submissions / "bob" / "hw1.py").chmod(0)
    assert bad_input(capsys, submissions / "alice", submissions / "bob").endswith(
        "bob/hw1.py: cannot be read (Permission denied).")


def test_fewer_than_two_submissions_is_an_error(capsys, submissions):
    assert bad_input(capsys, submissions / "alice").endswith("Give at least two submissions to compare.")


def test_the_same_submission_twice_is_an_error(capsys, submissions):
    assert bad_input(capsys, submissions / "alice", f"{submissions}/alice/").endswith(
        "The same submission is given twice.")


def test_a_threshold_outside_0_and_1_is_an_error(capsys, submissions):
    assert bad_input(capsys, submissions / "alice", submissions / "bob", "--threshold", "7").endswith(
        "--threshold 7.0: give a number between 0 and 1.")


def test_caches_and_hidden_folders_are_not_read(capsys, submissions):
    shutil.copytree(submissions / "alice", submissions / "bob" / ".git")
    shutil.copytree(submissions / "alice", submissions / "bob" / "__pycache__")
    _, out, _ = run(capsys, submissions / "alice", submissions / "bob", "--json")
    assert json.loads(out) == {"pairs": []}


def test_python_dash_m_runs_it(submissions):
    result = subprocess.run([sys.executable, "-m", "similarity", submissions / "alice", submissions / "nobody"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no such file or folder" in result.stderr and "Traceback" not in result.stderr


def test_text_says_when_the_limit_cut_pairs(capsys, submissions):
    code, out, _ = run(capsys, submissions / "alice", submissions / "copy", submissions / "bob", "--threshold", "0",
                       "--limit", "1")
    assert out.strip().endswith("Only the 1 most similar pairs are shown: raise --threshold or --limit to see more.")


def test_a_missing_starter_is_an_error(capsys, submissions):
    assert bad_input(capsys, submissions / "alice", submissions / "bob", "--starter", submissions / "hw1.py").endswith(
        f"--starter {submissions}/hw1.py: no such file.")


def test_a_limit_below_1_is_an_error(capsys, submissions):
    assert bad_input(capsys, submissions / "alice", submissions / "bob", "--limit", "0").endswith(
        "--limit 0: give a number of pairs, 1 or more.")


def test_a_folder_with_too_many_files_is_an_error(capsys, submissions):
    for i in range(MAX_FILES):
        (submissions / "bob" / f"part{i}.py").write_text(f"x = {i}\n")
    assert bad_input(capsys, submissions / "alice", submissions / "bob").endswith(
        f"bob: more than {MAX_FILES} .py files; is this one submission?")


def test_output_cut_short_by_its_reader_is_no_traceback(submissions):
    result = subprocess.run(f"{sys.executable} -m similarity {submissions}/alice {submissions}/copy --threshold 0"
                            " | head -1", shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("0.") and "Traceback" not in result.stderr
