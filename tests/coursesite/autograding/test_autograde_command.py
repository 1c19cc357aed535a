"""manage.py autograde: the site's grading core on local files, for staff testing a spec."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.coursesite.autograding.conftest import CORRECT_HW1, HANDOUT_README


@pytest.fixture
def handed_in(tmp_path, bubblewrap):
    (tmp_path / "hw1.py").write_bytes(CORRECT_HW1)
    (tmp_path / "README.md").write_bytes(HANDOUT_README)
    return [str(tmp_path / "hw1.py"), str(tmp_path / "README.md")]


def test_json_output_is_gradescope_shaped_and_gives_the_reference_solution_full_marks(handed_in):
    out = StringIO()
    call_command("autograde", "hw1", *handed_in, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["score"] == sum(t["max_score"] for t in report["tests"]) == 100
    assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(report["tests"][0])
    assert all(t["status"] == "passed" for t in report["tests"])


def test_text_output_names_each_failing_test_and_why(handed_in, tmp_path):
    (tmp_path / "hw1.py").write_bytes(CORRECT_HW1 + b"\n\ndef relu(a):\n    return a\n")
    out = StringIO()
    call_command("autograde", "hw1", *handed_in, stdout=out)
    failing = [line for line in out.getvalue().splitlines() if line.startswith("FAIL")]
    assert failing and all(" relu" in line for line in failing)
    assert out.getvalue().splitlines()[-1].startswith("score: ")


BROKEN_HW1 = b"import numpy as np\n\ndef relu(a)\n    return np.maximum(a, 0)\n"
IMPORT_FAILED = "hw1.py could not be imported: raised SyntaxError"


def test_text_output_says_once_at_the_top_that_hw1_does_not_import(handed_in, tmp_path):
    (tmp_path / "broken.py").write_bytes(BROKEN_HW1)
    out = StringIO()
    call_command("autograde", "hw1", f"hw1.py={tmp_path / 'broken.py'}", handed_in[1], stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(IMPORT_FAILED)
    assert out.getvalue().count("SyntaxError") == 1
    assert "relu: not run, because hw1.py could not be imported (see the message above the tests)" in out.getvalue()


def test_json_output_puts_the_import_failure_in_the_top_level_output(handed_in, tmp_path):
    (tmp_path / "hw1.py").write_bytes(BROKEN_HW1)
    out = StringIO()
    call_command("autograde", "hw1", *handed_in, "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["output"].startswith(IMPORT_FAILED)
    assert "line 3" in report["output"]
    assert not any("SyntaxError" in t["output"] for t in report["tests"])


def test_broken_py_handed_in_under_its_own_name_is_said_once_to_be_no_hw1_py(handed_in, tmp_path):
    (tmp_path / "broken.py").write_bytes(BROKEN_HW1)
    out = StringIO()
    call_command("autograde", "hw1", str(tmp_path / "broken.py"), handed_in[1], stdout=out)
    assert out.getvalue().splitlines()[0] == "Your submission has no hw1.py: nothing could be graded."


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(CommandError, match="nothere.py: no such file"):
        call_command("autograde", "hw1", str(tmp_path / "nothere.py"))


def test_an_unknown_spec_is_refused_by_name(handed_in):
    with pytest.raises(CommandError, match="unknown grading spec 'hw9'"):
        call_command("autograde", "hw9", *handed_in)
