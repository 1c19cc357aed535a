"""manage.py similarity: the same command as python -m similarity, through Django's management."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.similarity.conftest import CORPUS, STARTER

ROOT = Path(__file__).resolve().parents[3]


def test_json_lists_a_copied_pair(tmp_path, capsys):
    from tests.similarity.disguise import disguise
    copy = tmp_path / "copy.py"
    copy.write_text(disguise((CORPUS / "carol" / "hw1.py").read_text(), 3))
    call_command("similarity", str(CORPUS / "carol"), str(copy), str(CORPUS / "dave"),
                 "--starter", str(STARTER), "--json")
    [pair] = json.loads(capsys.readouterr().out)["pairs"]
    assert {pair["a"], pair["b"]} == {str(CORPUS / "carol"), str(copy)}


def test_bad_input_is_a_command_error_with_exit_code_2(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder") as error:
        call_command("similarity", str(CORPUS / "carol"), str(tmp_path / "nobody"))
    assert error.value.returncode == 2


def test_from_the_shell_bad_input_exits_2_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "similarity", str(CORPUS / "carol")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == "CommandError: Give at least two submissions to compare."
