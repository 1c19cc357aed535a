"""A real Celery worker in a subprocess, on the configured broker (Redis in CI, the file-system
transport on the embedded default), reading the test database, on a queue of its own."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from coursesite.celery import app

REPO = Path(__file__).resolve().parents[3]
HANDOUT_README = (REPO / "handouts" / "hw1" / "README.md").read_bytes()
CORRECT_HW1 = (REPO / "tests" / "grader" / "solutions" / "correct_hw1.py").read_bytes()


def database_url() -> str:
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


class Worker:
    def __init__(self, queue: str, env: dict[str, str], log: Path, concurrency: int = 1):
        self.queue, self.env, self.log, self.concurrency = queue, env, log, concurrency
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "coursesite", "worker", "-Q", self.queue, "-n", f"{self.queue}@%h",
             f"--concurrency={self.concurrency}", "--pool=prefork", "--without-gossip", "--without-mingle",
             "--loglevel=INFO"],
            cwd=REPO, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker: main process, pool child and any sandbox it runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Warm shutdown: SIGTERM to the main process only, which stops its pool. (A pool process sent
        SIGTERM itself can die holding the pool's queue lock; the main process then waits forever.)"""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_factory(transactional_db, bubblewrap, settings, tmp_path):
    """Start workers (one by default) consuming this test's own queue; all stopped at the end.

    ``start(env={...})`` overrides the worker's environment (e.g. another CELERY_BROKER_URL),
    ``start(concurrency=N)`` its number of pool processes."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue  # what the test process sends goes to this test's workers only
    workers: list[Worker] = []

    def start(env: dict[str, str] | None = None, concurrency: int = 1) -> Worker:
        worker_env = {  # read now, so that a test may change a setting before it starts a worker
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coursesite.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "AUTOGRADER_LEASE_SECONDS": str(settings.AUTOGRADER_LEASE_SECONDS),
            "AUTOGRADER_RESEND_SECONDS": str(settings.AUTOGRADER_RESEND_SECONDS),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        worker = Worker(queue, worker_env, tmp_path / "worker.log", concurrency).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    app.conf.task_default_queue = saved_queue
    connection.close()


def wait_for(predicate, timeout: float = 60, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
