"""The similarity engine runs without Django or Celery (it is also `python -m similarity`), checked in a
fresh interpreter after it has fingerprinted and compared, so copydetect's own imports count too."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import importlib, pkgutil, sys, similarity
for module in pkgutil.walk_packages(similarity.__path__, "similarity."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
from similarity.compare import compare
from similarity.fingerprint import fingerprint
compare({"a": fingerprint({"a.py": "x = 1\\n"}), "b": fingerprint({"b.py": "y = 2\\n"})})
print(" ".join(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def test_similarity_imports_neither_django_nor_celery():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"})
    loaded = set(result.stdout.split())
    assert result.returncode == 0, result.stderr
    assert {"similarity", "copydetect", "scipy"} <= loaded
    assert not loaded & {"django", "celery", "kombu", "coursesite"}
