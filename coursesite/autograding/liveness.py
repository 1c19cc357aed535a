"""How a dead worker's grading comes back within seconds: the grading beats, every worker sweeps.

- While a grading runs, a thread of its pool process renews the job's heartbeat (``heartbeat``) every
  AUTOGRADER_HEARTBEAT_SECONDS, by compare-and-set on the attempt. A SIGKILL, an OOM kill or a lost machine
  stops the beats with the grading; a job silent for AUTOGRADER_HEARTBEAT_TIMEOUT_SECONDS is abandoned
  (``services.abandoned``), long before its lease runs out.
- Every worker runs the sweep itself (``SweepStep``), in a thread of its main process, every
  AUTOGRADER_SWEEP_SECONDS. Why not beat and a queue of its own: beat's message is lost when the broker is
  down as it sends, and a message, on any queue, waits for a free pool process, that is, behind the
  gradings of a busy worker. The loop needs neither the broker nor a pool process to run; the broker only
  carries the re-sent jobs, and a send it refuses leaves the job due for the next round. Several workers
  sweeping at once send a job once (compare-and-set per job in ``grading_jobs_sweep``).

The sweep also hands the broker the e-mail notifications it could not take when they were decided
(``coursesite.audit.notify.waiting_notifications_send``). Apps above this one add their own round to the
sweep (``also_sweep``, from their AppConfig.ready()): the comparison of code similarity once a coding
assignment closes is one.

No Django import at module level: ``coursesite/celery.py`` imports this before Django is set up.
"""
from __future__ import annotations

import logging
import os
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from celery import bootsteps

log = logging.getLogger(__name__)


@contextmanager
def heartbeat(job, *, every: float) -> Iterator[None]:
    """Renew `job`'s heartbeat every `every` seconds while the block runs. Stops by itself once the attempt
    lost the job (the grading goes on: its result is then dropped by the finish's compare-and-set)."""
    from django.db import DatabaseError, connection
    from django.utils import timezone

    from coursesite.autograding.services import grading_job_beat

    stopping = threading.Event()

    def beat() -> None:
        try:
            while not stopping.wait(every):
                try:
                    if not grading_job_beat(job=job, now=timezone.now()):
                        log.warning("job %s attempt %s is no longer this worker's; its heartbeat stops",
                                    job.id, job.attempt)
                        return
                except DatabaseError:       # a database briefly away: the next beat may get through
                    log.exception("job %s: heartbeat not written", job.id)
        finally:
            connection.close()          # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-job-{job.id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join()


# More rounds for the sweep, each called with `now` after the grading jobs' (see also_sweep).
_also: list[Callable[..., object]] = []


def also_sweep(round_: Callable[..., object]) -> None:
    """Run `round_(now=...)` in every worker's sweep loop after the grading jobs' own; its failure is logged and
    stops neither the loop nor the other rounds."""
    if round_ not in _also:
        _also.append(round_)


# Held through each round of the sweep. The pool forks new processes from the worker's main process at any
# time (one died, or hit its time limit); a fork taken while this thread is inside SQLite or the database
# driver can leave the child a lock no thread of it will ever release. So a fork waits for the round to end
# (os.register_at_fork in SweepStep.start), and no connection stays open between rounds.
_round = threading.Lock()


def sweep_forever(period: float, stopping: threading.Event) -> None:
    """Sweep every `period` seconds until `stopping` is set; the first round at a random point of the
    first period, so that workers started together do not sweep in step."""
    from django.db import connection
    from django.utils import timezone

    from coursesite.audit.notify import waiting_notifications_send
    from coursesite.autograding.services import grading_jobs_sweep

    wait = random.uniform(0, period)
    while not stopping.wait(wait):
        wait = period
        with _round:
            try:
                for round_ in (grading_jobs_sweep, waiting_notifications_send, *_also):
                    try:
                        round_(now=timezone.now())
                    except Exception:       # whatever went wrong, the loop must live to sweep again
                        log.exception("sweep round %s failed; the next one runs in %s s", round_.__name__, period)
            finally:
                connection.close()


class SweepStep(bootsteps.StartStopStep):
    """The worker's own sweep loop (see the module's docstring); AUTOGRADER_SWEEP_SECONDS=0 turns it off."""

    requires = {"celery.worker.components:Pool"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, worker) -> None:
        from django.conf import settings

        period = settings.AUTOGRADER_SWEEP_SECONDS
        if period <= 0:
            return
        os.register_at_fork(before=_round.acquire, after_in_parent=_round.release, after_in_child=_round.release)
        self.thread = threading.Thread(target=sweep_forever, args=(period, self.stopping), name="autograder-sweep",
                                       daemon=True)
        self.thread.start()
        log.info("sweeping grading jobs every %s s", period)

    def stop(self, worker) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
