"""Releasing grades in a real browser: the instructor sees what the release would do (who has no score,
which graded submission is not graded yet, that the due time has not passed, how many e-mails go out),
is refused without ticking "release before the due time", and releases once she ticks it."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from tests.browser.support import SLUG, TIMEOUT_MS, demo_course_load, open_assignment, person_page
from tests.browser.test_student_upload import browser, chromium_executable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PS2 = "Problem set 2"


@pytest.fixture
def demo_course_ps2_open(transactional_db):
    """The demo course as loaddemo loads it: Problem set 2 released and due in 5 to 11 days, with a
    rubric; alice has handed in a write-up that nobody has graded."""
    ps2 = demo_course_load(20, "ps2")
    assert ps2.questions.exists(), "the demo course ships a rubric for Problem set 2"
    alice = ps2.course.memberships.get(user__username="alice")
    Submission.objects.create(member=alice, assignment=ps2, submitted_at=timezone.now() - timedelta(hours=1),
                              is_active=True, sha256="0" * 64)
    return ps2


def test_the_instructor_confirms_an_early_release_after_reading_its_consequences(
        chromium_executable, demo_course_ps2_open, live_server, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    risteski = person_page(browser, base, "risteski")
    open_assignment(risteski, base, PS2)
    risteski.get_by_role("link", name="Scores (not released)").click()
    risteski.locator("#release").get_by_role("link", name="Release grades…").click()

    # What the release would do, before anything is released.
    expect(risteski.get_by_role("heading", level=1)).to_have_text(f"Release the grades of {PS2}?")
    expect(risteski.locator("#due-time")).to_contain_text(f"The due time has not passed: {PS2} is due")
    expect(risteski.locator("#without-score li")).to_have_text(
        [re.compile(r"\(alice\)"), re.compile(r"\(bob\)"), re.compile(r"\(carol\)")])
    expect(risteski.locator("#ungraded li")).to_have_text([re.compile(r"\(alice\): rubric: 0 of 3 questions graded")])
    expect(risteski.locator("#emails")).to_have_text("3 students will be e-mailed that the grades are out.")

    # Without the tick the release is refused, with the reason.
    risteski.locator("#release-form").get_by_role("button", name="Release grades").click()
    expect(risteski.locator("#release-errors")).to_contain_text(
        re.compile(rf"{PS2} is due .*: students may still submit. To release its grades before the due time, "
                   r"tick that you mean to."))
    assert Assignment.objects.get(key="ps2", course__slug=SLUG).grades_released_at is None

    # Ticked, it is released.
    risteski.get_by_label("Yes, release before the due time").check()
    risteski.locator("#release-form").get_by_role("button", name="Release grades").click()
    expect(risteski.locator(".messages")).to_have_text(f"The grades of {PS2} are released: students see their scores.")
    expect(risteski.locator("#release")).to_contain_text("Grades released")
    risteski.context.close()
    assert Assignment.objects.get(key="ps2", course__slug=SLUG).grades_released_at is not None
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own
