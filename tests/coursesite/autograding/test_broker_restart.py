"""A Redis restart loses no submission and grades none twice.

Redis here keeps nothing (no RDB, no AOF): a restart drops every queued message, and sends made
while it is down fail. The database is the source of truth (DESIGN.md, "The pipeline"): the
uploads still succeed, the worker's own sweep (which needs no message to run) goes on through the
outage and re-sends what the broker lost once it is back, the worker reconnects by itself,
and the compare-and-set on the job's attempt keeps duplicate deliveries from grading twice.

The machine's shared Redis is never touched: the test starts a private redis-server of its own,
and points the worker and this process's sends at it.
"""
from __future__ import annotations

import os
import re
import shutil
import time
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu import pools
from kombu.utils.collections import eqhash

from benchmarks.workers import PrivateRedis
from coursesite.audit.models import AuditEntry
from coursesite.autograding.models import GradingJob
from coursesite.celery import app
from coursesite.grades.models import Score
from tests.coursesite.autograding.conftest import CORRECT_HW1, HANDOUT_README, wait_for
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_KILL = 4     # sent while Redis is up: one may be running when it dies, the rest are lost with it
WHILE_DOWN = 2      # uploaded while Redis is down: their sends fail, only the sweep can send them
AFTER_RESTART = 4   # sent to the new, empty Redis
RESEND_SECONDS = 2  # the sweep re-sends a job left queued this long
SWEEP_SECONDS = 1   # how often the worker sweeps


@pytest.fixture
def private_redis(settings, tmp_path):
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        pytest.skip(f"the configured broker is {settings.CELERY_BROKER_URL.split('://')[0]}://, not Redis: "
                    "this test is about restarting a Redis broker (CELERY_BROKER_URL=redis://...)")
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install redis-server (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = PrivateRedis(tmp_path / "redis").start()
    yield server
    server.kill()


@contextmanager
def sends_to(url: str):
    """Send this process's tasks to the broker at ``url``, through connection and producer pools of its own.

    Sends use ``broker_write_url`` (``broker_url`` itself would lose to the CELERY_BROKER_URL environment
    variable). Celery caches its pools: ``app.pool`` (kombu's ``pools.connections[conn]``) and
    ``app.amqp.producer_pool`` (``pools.producers[conn]``), each made once from that URL. Both caches
    are cleared so that they are made again for ``url``; afterwards the pools made for ``url`` are
    closed and dropped from kombu's registry, and the previous ones (still registered) come back.
    """
    saved = app.conf.get("broker_write_url"), app._pool, app.amqp._producer_pool
    app.conf.broker_write_url = url
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        key = app.connection_for_write()      # lazy: names the pools' key, opens nothing
        for group in (pools.producers, pools.connections):
            pool = dict.get(group, eqhash(key))
            if pool is not None:
                pool.force_close_all()
                del group[key]
        key.release()
        app.conf.broker_write_url, app._pool, app.amqp._producer_pool = saved


@pytest.fixture
def hw1(db):
    return AssignmentFactory(course=CourseFactory(), coding=True, key="hw1-coding")


def upload(client, member, assignment) -> GradingJob:
    client.force_login(member.user)
    files = [SimpleUploadedFile("hw1.py", CORRECT_HW1), SimpleUploadedFile("README.md", HANDOUT_README)]
    response = client.post(reverse("assignments:submission-upload", args=[assignment.course.slug, assignment.key]),
                           {"files": files, "acknowledged_days_late": 0})
    assert response.status_code == 302, response.content.decode()[-2000:]  # the upload never depends on the broker
    return GradingJob.objects.get(submission__member=member)


def status(job: GradingJob) -> str:
    return GradingJob.objects.values_list("status", flat=True).get(id=job.id)


def resent_by_the_worker(worker) -> set[int]:
    """The jobs the worker's own sweeps re-sent, from its log."""
    lines = re.findall(r"sweep re-sent grading jobs \[([\d, ]+)\]", worker.log.read_text(errors="replace"))
    return {int(job_id) for line in lines for job_id in line.split(",")}


def test_a_redis_restart_loses_no_submission_and_grades_none_twice(private_redis, worker_factory, client, settings,
                                                                   hw1, caplog):
    settings.AUTOGRADER_RESEND_SECONDS = RESEND_SECONDS   # here and in the worker's environment
    settings.AUTOGRADER_SWEEP_SECONDS = SWEEP_SECONDS
    worker = worker_factory(env={"CELERY_BROKER_URL": private_redis.url})
    students = [MembershipFactory(course=hw1.course) for _ in range(BEFORE_KILL + WHILE_DOWN + AFTER_RESTART + 1)]
    started, configured = time.monotonic(), app.connection_for_write().as_uri()
    with sends_to(private_redis.url):
        assert app.amqp.producer_pool.connections.connection.port == private_redis.port
        before = [upload(client, s, hw1) for s in students[:BEFORE_KILL]]
        # Kill Redis as soon as the worker has taken the first job: with a prefetch of one it holds at most
        # one more, so the rest of the burst is still in Redis, and goes with it.
        wait_for(lambda: status(before[0]) != GradingJob.Status.QUEUED, timeout=30, what="the worker to start")
        private_redis.kill()
        caplog.clear()
        down = [upload(client, s, hw1) for s in students[BEFORE_KILL:BEFORE_KILL + WHILE_DOWN]]
        failed_sends = [r for r in caplog.records if r.levelname == "ERROR" and "send_grading_job" in r.getMessage()]
        assert len(failed_sends) == WHILE_DOWN, [r.getMessage() for r in caplog.records]
        # The worker's sweep comes while Redis is still down, finds jobs due and cannot send them ...
        wait_for(lambda: "sweep could not send grading job" in worker.log.read_text(errors="replace"), timeout=30,
                 what="a sweep of the worker while Redis is down")
        private_redis.start()
        after = [upload(client, s, hw1) for s in students[BEFORE_KILL + WHILE_DOWN:-1]]
        jobs = before + down + after
        graded = GradingJob.objects.filter(id__in=[j.id for j in jobs])
        # ... and the sweeps after it, nobody else sweeping, send what Redis lost and what could not be sent.
        wait_for(lambda: not graded.exclude(status=GradingJob.Status.DONE).exists(), timeout=60,
                 what="every job of the burst to be graded")
        assert {j.id for j in before[2:] + down} <= resent_by_the_worker(worker)

        assert not GradingJob.objects.filter(status=GradingJob.Status.FAILED).exists()
        assert list(graded.values_list("status", "attempt", "score")) == [(GradingJob.Status.DONE, 1, 100)] * len(jobs)
        for student in students[:-1]:
            assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=student).count() == 1
            assert Score.objects.get(member=student, assignment=hw1).points == hw1.points

        # The same worker process is still there, and reconnected: a new upload is graded with no sweep.
        assert worker.alive()
        last = upload(client, students[-1], hw1)
        last = wait_for(lambda: GradingJob.objects.filter(id=last.id, status=GradingJob.Status.DONE).first(),
                        timeout=30, what="an upload made after the restart to be graded without the sweep")
        assert last.attempt == 1 and worker.alive()
        assert AuditEntry.objects.filter(kind=AuditEntry.Kind.SCORE, member=students[-1]).count() == 1
    assert app.connection_for_write().as_uri() == configured
    assert time.monotonic() - started < 90
