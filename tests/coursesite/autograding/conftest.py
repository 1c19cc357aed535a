"""A real Celery worker in a subprocess, on the configured broker (Redis in CI, the file-system
transport on the embedded default), reading the test database, on a queue of its own."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[3]
HANDOUT_README = (REPO / "handouts" / "hw1" / "README.md").read_bytes()
CORRECT_HW1 = (REPO / "tests" / "grader" / "solutions" / "correct_hw1.py").read_bytes()


def database_url() -> str:  # also used by tests/conftest.py's celery_worker_factory
    """The test database as a URL the worker process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def bubblewrap():
    if shutil.which("bwrap") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install bubblewrap (apt-get install bubblewrap)")
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")


@pytest.fixture
def worker_factory(bubblewrap, celery_worker_factory):
    """Grading workers (see `celery_worker_factory` in tests/conftest.py): they need bubblewrap."""
    return celery_worker_factory


def wait_for(predicate, timeout: float = 60, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
