"""Comparisons run by a real Celery worker (on the configured broker, reading the test database): the one it
starts by itself once an assignment closed, from its sweep loop, and the one staff ask for."""
import pytest

from coursesite.similarity.models import SimilarityRun
from coursesite.similarity.services import similarity_run_request
from tests.coursesite.autograding.conftest import wait_for
from tests.world import NOW

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def frozen_clock():
    """The real clock: the worker runs on it, and HW1 (due in March 2021) closed long ago by it."""


def finished(run_id=None):
    runs = SimilarityRun.objects.exclude(status__in=["queued", "running"])
    run = (runs.filter(id=run_id) if run_id else runs).first()
    return run


def test_a_worker_compares_an_assignment_by_itself_once_it_closed(celery_worker_factory, copied):
    worker = celery_worker_factory(env={"AUTOGRADER_SWEEP_SECONDS": "1"})

    run = wait_for(finished, timeout=90, what="the worker's own comparison")

    assert (run.status, run.requested_by, run.submissions) == ("done", None, 3), worker.log_tail()
    [pair] = run.pairs.select_related("a__member__user", "b__member__user")
    assert {pair.a.member.user.username, pair.b.member.user.username} == {"alice", "bob"}


def test_a_worker_runs_the_comparison_staff_asked_for(celery_worker_factory, copied):
    worker = celery_worker_factory(env={"AUTOGRADER_SWEEP_SECONDS": "0"})    # no sweep: the message alone

    run = similarity_run_request(assignment=copied.coding, by=copied.member("risteski"), now=NOW)

    done = wait_for(lambda: finished(run.id), timeout=90, what="the comparison staff asked for")
    assert (done.status, done.requested_by_id, done.pairs.count()) == ("done", copied.member("risteski").user_id, 1), \
        worker.log_tail()
