"""A grading process's own memory limit: an allocation past it fails with MemoryError, and the process goes on."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings")
django.setup()
import numpy as np
from coursesite.autograding.tasks import limit_address_space

limit_address_space(extra_bytes=256 << 20)
try:
    np.ones(512 << 20, dtype=np.uint8)
    print("allocated")
except MemoryError:
    print("refused")
print(int(np.ones(1 << 20, dtype=np.uint8).sum()))
"""


def test_a_pool_process_refuses_an_allocation_past_its_limit_and_goes_on():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["refused", str(1 << 20)]
