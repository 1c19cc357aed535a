"""HW1 coding of the shared demo course (tests/world.py) with hand-ins written from the similarity corpus:
independent solutions (tests/similarity/corpus) and disguised copies of them."""
import pytest

from coursesite.assignments.services import submission_create
from coursesite.assignments.uploads import CheckedFile, CheckedUpload
from coursesite.similarity.services import similarity_run_claim, similarity_run_execute, similarity_run_request
from tests.similarity.conftest import source
from tests.similarity.disguise import disguise
from tests.world import DAY, NOW

README = """# HW1 — README

**Name:** {name}
**Andrew ID:** {name}
**Collaborators** (who, and on what; "none" is an answer):  {collaborators}
**Outside sources** (links, books; "none" is an answer):  none
"""


def solution(name: str, seed: int | None = None) -> str:
    """A corpus solution ("alice" ... "dave"), or its disguised copy with `seed`."""
    return source(name) if seed is None else disguise(source(name), seed)


def hand_in(member, assignment, code: str, *, collaborators: str = "none", at=NOW - 2 * DAY, name: str = "hw1.py"):
    """The member's hand-in of `code` as hw1.py with a filled-in README, through the upload service."""
    readme = README.format(name=member.user.username, collaborators=collaborators)
    upload = CheckedUpload(files=(CheckedFile(name, code.encode()), CheckedFile("README.md", readme.encode())))
    return submission_create(member=member, assignment=assignment, upload=upload, now=at)


def run_now(assignment, by, now=NOW):
    """Ask for a comparison and run it here, as the worker's task does (no broker, no worker)."""
    run = similarity_run_request(assignment=assignment, by=by, now=now)
    claimed = similarity_run_claim(run_id=run.id, now=now)
    similarity_run_execute(run=claimed, clock=lambda: now)
    run.refresh_from_db()
    return run


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def copied(course_world):
    """Alice hands in carol's corpus solution, Bob a disguised copy of it, Carol dave's own solution."""
    w = course_world
    hand_in(w.member("alice"), w.coding, solution("carol"))
    hand_in(w.member("bob"), w.coding, solution("carol", seed=3), collaborators="alice, on backprop")
    hand_in(w.member("carol"), w.coding, solution("dave"))
    return w
