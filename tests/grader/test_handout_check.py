"""The handout's self-check (check_hw1.py, NumPy only) passes the correct solution and catches each bug."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .solutions.buggy import BUGS, CORRECT, source

CHECK = Path(__file__).resolve().parents[2] / "handouts" / "hw1" / "check_hw1.py"
UNSAFE = ("relu segfaults", "linear_grad loops forever")       # the grader's sandbox catches these


def self_check(tmp_path, code: bytes) -> str:
    shutil.copy(CHECK, tmp_path / "check_hw1.py")
    (tmp_path / "hw1.py").write_bytes(code)
    return subprocess.run([sys.executable, "check_hw1.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60).stdout


def test_the_self_check_passes_a_correct_solution(tmp_path):
    assert self_check(tmp_path, CORRECT.read_bytes()).endswith("All checks pass.\n")


@pytest.mark.parametrize(("bug", "broken", "extra"), [b for b in BUGS if b[0] not in UNSAFE],
                         ids=[b[0] for b in BUGS if b[0] not in UNSAFE])
def test_the_self_check_catches_each_single_bug(tmp_path, bug, broken, extra):
    output = self_check(tmp_path, source(extra))
    assert "FAIL" in output and output.endswith("check(s) failed\n")
