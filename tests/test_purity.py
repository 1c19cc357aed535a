"""The arrows point one way: the pure parts import neither Django nor Celery.

Each check runs in a fresh interpreter, so nothing this test session has imported can hide a leak.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE_MODULES = ["coursesite/grades/latepolicy.py", "coursesite/grades/weighting.py", "coursesite/grades/csvscores.py",
                "coursesite/grades/provenance.py", "coursesite/autograding/visibility.py"]

# Loaded by file path, not as `coursesite.grades.*`: importing the package would run
# coursesite/__init__.py, which loads the Celery app (Celery's Django recipe).
LOAD_BY_PATH = """
import importlib.util, sys
for i, path in enumerate({paths!r}):
    spec = importlib.util.spec_from_file_location(f"_pure_rule_{{i}}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module            # dataclasses look their module up here
    spec.loader.exec_module(module)
"""

REPORT = """
print(" ".join(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def top_level_modules_after(code: str) -> set[str]:
    """Top-level module names present after running `code` in a fresh interpreter at the repo root."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code + REPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_rule_modules_import_neither_django_nor_celery():
    loaded = top_level_modules_after(LOAD_BY_PATH.format(paths=[str(ROOT / p) for p in RULE_MODULES]))
    assert "django" not in loaded
    assert "celery" not in loaded


def test_nnref_does_not_import_django():
    loaded = top_level_modules_after("import nnref")
    assert "django" not in loaded
    assert "celery" not in loaded
