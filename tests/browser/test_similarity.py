"""The instructor follows a copied hand-in from the similarity page to an integrity case, in a real browser:
HW1's comparison (run through the services, as the worker does) lists the pair; its page shows both hand-ins
with the matches highlighted and Bob's README declaring Alice; "Open a case on this pair" fills the case form,
which opens the case. Screenshots go to $SIMILARITY_SHOTS_DIR (default: the test's tmp_path) for a person to
look at: the two columns must fit a 1280 px laptop screen."""
from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from coursesite.integrity.models import Case
from coursesite.people.models import Membership
from tests.browser.support import SLUG, TIMEOUT_MS, demo_course_load, open_assignment, person_page
from tests.browser.test_student_upload import browser, chromium_executable  # noqa: F401 (fixtures)
from tests.coursesite.similarity.conftest import hand_in, run_now, solution

pytestmark = pytest.mark.browser

HW1 = "Coding assignment 1: multilayer perceptron"


@pytest.fixture
def hw1_compared(transactional_db):
    """The demo course with HW1 open: Alice hands in one corpus solution, Bob a disguised copy of it naming
    Alice in his README, Carol her own; the instructor's comparison has run."""
    hw1 = demo_course_load(14, "hw1-coding")
    member = {m.user.username: m for m in Membership.objects.filter(course=hw1.course).select_related("user")}
    earlier = timezone.now() - timedelta(hours=3)
    hand_in(member["alice"], hw1, solution("carol"), at=earlier)
    hand_in(member["bob"], hw1, solution("carol", seed=3), collaborators="alice, on backprop", at=earlier)
    hand_in(member["carol"], hw1, solution("dave"), at=earlier)
    run = run_now(hw1, member["risteski"], now=timezone.now())
    assert run.status == "done" and run.pairs.count() == 1
    return hw1


def test_the_instructor_opens_a_case_from_a_similar_pair(chromium_executable, hw1_compared, live_server, browser,
                                                         tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    shots = Path(os.environ.get("SIMILARITY_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = person_page(browser, base, "risteski")

    open_assignment(page, base, HW1)
    page.get_by_role("link", name="Code similarity", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Code similarity of {HW1}")
    top = page.locator("#pairs tbody tr").first
    expect(top).to_contain_text(re.compile(r"\d+ %"))
    expect(top).to_contain_text("Alice")
    expect(top).to_contain_text("Bob")
    expect(page.locator("#pairs tbody tr")).to_have_count(1)        # Carol wrote her own
    page.screenshot(path=str(shots / "similarity-assignment.png"), full_page=True)

    top.get_by_role("link", name="Side by side").click()
    expect(page.locator("#side-a .line.matched").first).to_be_visible()
    expect(page.locator("#side-b .line.matched").first).to_be_visible()
    bob = "#a-declarations" if "Bob" in page.locator("#side-a h2").inner_text() else "#b-declarations"
    expect(page.locator(bob)).to_contain_text("alice, on backprop")
    # Both columns fit the window; a long line scrolls inside its own column.
    for side in ("#side-a", "#side-b"):
        box = page.locator(side).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280, f"{side} overflows the window: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(shots / "similarity-pair.png"), full_page=False)
    # A match's number lines up both columns on it (each scrolls inside itself), its lines outlined.
    last = page.locator("#matches [data-show-match]").last
    number = last.inner_text()
    last.click()
    for side in ("a", "b"):
        expect(page.locator(f"#{side}-match-{number}")).to_be_in_viewport()
        expect(page.locator(f"#side-{side} .line.current").first).to_be_visible()
    page.screenshot(path=str(shots / "similarity-pair-match.png"), full_page=False)

    page.get_by_role("link", name="Open a case on this pair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open an academic-integrity case")
    expect(page.get_by_label("Students (Andrew IDs)")).to_have_value(re.compile(r"^(alice bob|bob alice)$"))
    expect(page.get_by_label("Evidence")).to_have_value(re.compile(r"^Code similarity \d+ % \(comparison of "))
    page.screenshot(path=str(shots / "similarity-case-open.png"), full_page=True)
    page.get_by_role("button", name="Open the case").click()
    case = Case.objects.get()
    expect(page).to_have_url(f"{base}/courses/{SLUG}/integrity/cases/{case.id}/")
    expect(page.locator(".messages")).to_contain_text(f"Case {case.id} is open.")
    assert {m.user.username for m in case.students.all()} == {"alice", "bob"}
    assert case.assignment_id == hw1_compared.id and "similarity" in case.evidence
    page.screenshot(path=str(shots / "similarity-case.png"), full_page=True)
    # The case list leads back to the comparison, with its pair count.
    page.get_by_role("link", name="All cases").click()
    expect(page.locator("#similarity-assignments")).to_contain_text(f"{HW1}")
    expect(page.locator("#similarity-assignments")).to_contain_text("1 pair")
    page.screenshot(path=str(shots / "similarity-case-list.png"), full_page=True)
    page.context.close()
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own
