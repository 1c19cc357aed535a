"""An exam regrade in a real browser: the instructor enters and releases midterm scores, a student asks
for a regrade of hers from the dashboard (an exam has no submission page), the instructor answers it
from the queue, and the student's dashboard shows the new score and the answered request."""
from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.coursefile.management.commands.loaddemo import DEMO_FILE
from coursesite.grades.models import Score
from coursesite.regrades.models import RegradeRequest
from tests.browser.support import REPO, SLUG, TIMEOUT_MS, dashboard, person_page
from tests.browser.test_student_upload import DEMO_PASSWORD, browser, chromium_executable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

MIDTERM = "Midterm 1"


@pytest.fixture
def demo_course_after_midterm_1(transactional_db):
    """The demo course with the term starting in the week of today - 42 days: Midterm 1 (five weeks and a
    Monday in) was sat 7 to 13 days ago."""
    call_command("loadcourse", str(REPO / DEMO_FILE), shift_to=timezone.localdate() - timedelta(days=42),
                 demo_password=DEMO_PASSWORD, stdout=io.StringIO())
    midterm = Assignment.objects.get(course__slug=SLUG, key="midterm-1")
    assert midterm.due_at < timezone.now(), f"Midterm 1 must be over: it ends {midterm.due_at}"
    return midterm


def test_student_asks_for_a_regrade_of_her_midterm_score_and_sees_the_answer(
        chromium_executable, demo_course_after_midterm_1, live_server, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url

    # The instructor enters Alice's midterm score and releases the midterm's grades.
    risteski = person_page(browser, base, "risteski")
    risteski.goto(f"{base}/courses/{SLUG}/assignments/midterm-1/")
    risteski.get_by_role("link", name="Scores (not released)").click()
    expect(risteski.get_by_role("heading", name=f"Scores for {MIDTERM}")).to_be_visible()
    risteski.get_by_label("Alice Example").fill("72")
    risteski.get_by_role("button", name="Save scores").click()
    expect(risteski.locator("#scores")).to_contain_text("72")
    risteski.locator("#release").get_by_role("link", name="Release grades…").click()
    expect(risteski.locator("#due-time")).to_contain_text("The due time has passed")
    risteski.locator("#release-form").get_by_role("button", name="Release grades").click()
    expect(risteski.locator("#release")).to_contain_text("Grades released")

    # Alice reads her score on the dashboard and asks for a regrade from there.
    alice = person_page(browser, base, "alice")
    dashboard(alice, base)
    score = alice.locator("#item-midterm-1 td.score")
    expect(score).to_contain_text(re.compile(r"72\s*/\s*100"))
    score.get_by_role("link", name="Ask for a regrade").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text(f"Ask for a regrade of {MIDTERM}")
    alice.get_by_label("Why the grade is wrong").fill("Question 3: the bound in my second line is tight; see the key.")
    alice.get_by_role("button", name="Send the request").click()
    expect(alice.locator("#status")).to_have_text("Waiting for a member of staff")
    expect(alice.locator("#part")).to_have_text("The whole assignment")

    # The instructor answers it from the queue with 4 more points.
    dashboard(risteski, base)
    risteski.get_by_role("link", name="Regrade requests").click()
    queue = risteski.locator("#regrade-queue tbody tr")
    expect(queue).to_have_count(1)
    expect(queue.first).to_contain_text(f"Alice Example (alice) {MIDTERM} The whole assignment")
    queue.first.get_by_role("link").click()
    expect(risteski.locator("#current")).to_have_text(f"{MIDTERM}: 72 of 100 points")
    risteski.get_by_label("Answer: change the score (or keep it, with 0)").check()
    risteski.get_by_label("Change of score").fill("4")
    risteski.get_by_label("Note to the student").fill("Right: the bound is tight. +4.")
    risteski.get_by_role("button", name="Send the answer").click()
    expect(risteski.locator(".messages")).to_have_text(f"Answered Alice Example's regrade request. {MIDTERM}: 72 → 76.")

    # Alice's dashboard shows the new score and the answered request.
    dashboard(alice, base)
    expect(score).to_contain_text(re.compile(r"76\s*/\s*100"))
    expect(score).to_contain_text(re.compile(r"Regrade request of \w{3} \w{3} \d{1,2}( \d{4})?: answered \(\+4\)"))
    for page in (alice, risteski):
        page.context.close()

    assert Score.objects.get(assignment__key="midterm-1", member__user__username="alice").points == Decimal(76)
    assert RegradeRequest.objects.get().submission is None
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own
