"""A student's pages on a phone (390 px wide, in Chromium): the dashboard and a submission's page with its
autograder feedback fit the screen; their tables show each row as a block of labelled lines, no column clipped and no
word cut in two. Screenshots go to $PHONE_SHOTS_DIR (default: the test's tmp_path) for a person to look at.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from coursesite.people.models import Membership
from tests.browser.support import demo_course_load
from tests.browser.test_student_upload import browser, chromium_executable, log_in  # noqa: F401 (fixtures)
from tests.factories import GradingJobFactory, SubmissionFactory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LONG_NAME = "mlp_backward: gradient check, sigmoid, two hidden layers"
RESULT = {"score": 5.0, "tests": [
    {"name": "linear: random inputs of shape (3, 4)", "score": 2.0, "max_score": 2.0, "output": "", "status": "passed",
     "visibility": "visible"},
    {"name": LONG_NAME, "score": 0.0, "max_score": 4.0, "visibility": "visible", "status": "failed",
     "output": "The gradient of W1 is off at 12 of 48 entries; the largest error, at [3, 7], is of order 1e-1."},
    {"name": "softmax: huge and tiny pre-activations", "score": 3.0, "max_score": 3.0, "output": "",
     "visibility": "visible", "status": "passed"},
]}


@pytest.fixture
def alice_graded(transactional_db):
    """Alice's HW1 hand-in in the demo course, graded by the autograder (one test failing, with feedback)."""
    hw1 = demo_course_load(14, "hw1-coding")
    alice = Membership.objects.get(course=hw1.course, user__username="alice")
    submission = SubmissionFactory(member=alice, assignment=hw1, submitted_at=timezone.now())
    GradingJobFactory(submission=submission, score=Decimal(5), max_score=Decimal(9), result=RESULT)
    return submission


def fits(page) -> list[str]:
    """The cells that reach past the screen's right edge (none should), as text."""
    return page.evaluate("""() => [...document.querySelectorAll('main td, main th')]
        .filter(cell => cell.offsetParent !== null && cell.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(cell => cell.textContent.trim().slice(0, 40))""")


def test_a_students_pages_fit_a_phone(chromium_executable, alice_graded, live_server, browser, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    shots = Path(os.environ.get("PHONE_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server.url, "alice")
    pages = {
        "dashboard": reverse("courses:dashboard", args=["10707-s21"]),
        "submission": reverse("assignments:submission-detail", args=[alice_graded.id]),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.screenshot(path=str(shots / f"phone-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
        assert fits(page) == [], name

    # The dashboard's assignments: a block per assignment, its lines labelled, the header row hidden.
    page.goto(live_server.url + pages["dashboard"])
    row = page.locator("#item-hw1-coding")
    expect(page.locator("#assignments thead")).to_be_hidden()
    lead, due = row.locator("td.lead"), row.locator("td[data-label=Due]")
    assert due.bounding_box()["y"] > lead.bounding_box()["y"]            # below the title, not beside it
    assert abs(due.bounding_box()["x"] - lead.bounding_box()["x"]) < 1

    # The feedback (on the submission's page): the long test name wraps between words, and the failing test's feedback is there in full.
    page.goto(live_server.url + pages["submission"])
    name = page.locator("#tests code", has_text="mlp_backward")
    cut = name.evaluate("""el => { const node = el.firstChild, range = document.createRange(); let at = 0;
        return el.textContent.split(' ').filter(word => { range.setStart(node, at); range.setEnd(node, at + word.length);
            at += word.length + 1; return range.getClientRects().length > 1 }) }""")
    assert cut == [], f"words of the test's name cut across two lines: {cut}"
    expect(page.locator("#tests")).to_contain_text("The gradient of W1 is off at 12 of 48 entries")
