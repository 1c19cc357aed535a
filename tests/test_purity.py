"""The arrows point one way: the pure parts import neither Django nor Celery.

Each check runs in a fresh interpreter, so nothing this test session has imported can hide a leak.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE_MODULES = ["coursesite/grades/latepolicy.py", "coursesite/grades/weighting.py", "coursesite/grades/csvscores.py",
                "coursesite/grades/provenance.py", "coursesite/autograding/visibility.py", "coursesite/display.py",
                "coursesite/rubrics/scoring.py", "coursesite/assignments/groupsfile.py"]

# Imported by name under a bare `coursesite` package: the real coursesite/__init__.py loads the
# Celery app (Celery's Django recipe), which the rule modules never ask for. Their own imports of
# each other (coursesite.display, ...) run for real, so a leak through them is caught too.
LOAD_RULE_MODULES = """
import importlib, sys, types
package = types.ModuleType("coursesite")
package.__path__ = [{root!r}]
sys.modules["coursesite"] = package
for path in {paths!r}:
    importlib.import_module(path.removesuffix(".py").replace("/", "."))
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
    loaded = top_level_modules_after(LOAD_RULE_MODULES.format(root=str(ROOT / "coursesite"), paths=RULE_MODULES))
    assert "django" not in loaded
    assert "celery" not in loaded


# Every module of the grader (not `__main__`, which runs the CLI), and the harness as the sandbox runs it:
# its scripts as top-level modules from their own folder.
LOAD_GRADER = """
import importlib, pkgutil, grader
for module in pkgutil.walk_packages(grader.__path__, "grader."):
    if not module.name.endswith("__main__") and not module.name.startswith("grader.harness."):
        importlib.import_module(module.name)
sys.path.insert(0, grader.harness.__path__[0])
for module in pkgutil.iter_modules(grader.harness.__path__):
    importlib.import_module(module.name)
"""


def test_the_grader_imports_neither_django_nor_celery():
    loaded = top_level_modules_after(LOAD_GRADER)
    assert "grader" in loaded and "nnref" in loaded      # the walk really imported the package
    assert "django" not in loaded
    assert "celery" not in loaded


def test_nnref_does_not_import_django():
    loaded = top_level_modules_after("import nnref")
    assert "django" not in loaded
    assert "celery" not in loaded
