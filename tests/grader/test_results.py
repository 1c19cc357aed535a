"""Gradescope's results.json shape, the command line, and the grader staying free of Django."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main
from grader.results import GradeResult, RunSummary, TestResult

from .solutions.buggy import BUGS, source

ROOT = Path(__file__).resolve().parents[2]


def example() -> GradeResult:
    return GradeResult(
        spec="hw1",
        tests=(
            TestResult("relu: random inputs of shape (3, 4)", 2.0, 2, ""),
            TestResult("softmax: huge and tiny pre-activations", 0.0, 3, "softmax: returned nan at [0, 0]"),
            TestResult("sgd_step: three layers", 0.6, 1, "sgd_step: modified its input", "after_due_date"),
        ),
        execution_time=0.4321,
        sandboxed=True,
        notes=("A note for the student.",),
        stdout="debug print\n",
        runs=(RunSummary(0, None, False, 0.2, 0.25, 80 << 20),),
    )


def test_gradescope_json_has_the_documented_top_level_fields():
    data = example().to_gradescope_json()
    assert data["score"] == 2.6
    assert data["execution_time"] == 0.43
    assert data["output"] == "A note for the student."
    assert data["stdout_visibility"] == "hidden"
    assert json.loads(json.dumps(data)) == data


def test_each_test_has_name_score_max_score_status_output_and_visibility():
    tests = example().to_gradescope_json()["tests"]
    assert tests[0] == {
        "name": "relu: random inputs of shape (3, 4)", "score": 2.0, "max_score": 2,
        "status": "passed", "output": "", "visibility": "visible",
    }
    assert [t["status"] for t in tests] == ["passed", "failed", "failed"]
    assert tests[2]["visibility"] == "after_due_date"


def test_the_students_printed_output_is_for_staff_only():
    data = example().to_gradescope_json()
    assert "debug print" not in data["output"]
    assert data["extra_data"]["stdout"] == "debug print\n"
    assert data["extra_data"]["runs"][0]["peak_memory_bytes"] == 80 << 20


@pytest.mark.usefixtures("bwrap")
def test_the_command_line_prints_gradescope_json(capsys, tmp_path):
    bug = dict((name, extra) for name, _, extra in BUGS)["relu_grad is 1 at 0"]
    path = tmp_path / "my_solution.py"
    path.write_bytes(source(bug))
    assert main([f"hw1.py={path}", "--spec", "hw1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["score"] == 98
    assert {t["status"] for t in data["tests"]} == {"passed", "failed"}


def test_the_command_line_explains_a_missing_bubblewrap(capsys, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")           # no bwrap to be found
    assert main([str(ROOT / "handouts/hw1/hw1.py"), "--spec", "hw1"]) == 2
    assert "apt-get install bubblewrap" in capsys.readouterr().err


def test_the_grader_imports_no_django():
    code = "import sys, grader, grader.core, grader.specs.hw1, grader.cli\n" \
           "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'celery', 'coursesite'}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
