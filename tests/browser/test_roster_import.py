"""The registrar's roster in a real browser: the instructor uploads it, reads what it would change, applies
it; the student it no longer lists is told they are no longer enrolled."""
from __future__ import annotations

import pytest

from coursesite.people.models import Membership
from tests.browser.support import SLUG, TIMEOUT_MS, demo_course_load, person_page
from tests.browser.test_student_upload import browser, chromium_executable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

ROSTER = ("\ufeffAndrew ID;First Name;Last Name;E-mail;Sect\r\n"
          "alice;Alice;Example;alice@example.org;A\r\n"
          "bob;Bob;Example;bob@example.org;B\r\n"
          "dave;Dave;Doe;dave@example.org;B\r\n").encode()


@pytest.fixture
def demo_course(transactional_db):
    return demo_course_load(14, "hw1-coding").course


def test_the_instructor_previews_and_applies_a_roster_and_the_dropped_student_is_told(
        chromium_executable, demo_course, live_server, browser, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    carol = person_page(browser, base, "carol")
    risteski = person_page(browser, base, "risteski")
    risteski.goto(f"{base}/courses/{SLUG}/people/")
    risteski.get_by_role("link", name="Import the registrar's roster (CSV)").click()
    (tmp_path / "fall.csv").write_bytes(ROSTER)
    risteski.get_by_label("Roster CSV").set_input_files(tmp_path / "fall.csv")
    risteski.get_by_role("button", name="Preview").click()

    expect(risteski.locator("ul.changes li")).to_have_text([
        "add dave (Dave Doe, dave@example.org, section B)",
        "update alice: section (none) → A",
        "update bob: section (none) → B",
        "drop carol (Carol Example): records kept, access ends",
    ])
    assert not Membership.objects.filter(user__username="dave").exists()

    risteski.get_by_role("button", name="Apply these changes").click()
    expect(risteski.locator("ul.messages")).to_have_text(
        "Roster fall.csv applied: 1 added, 2 updated, 1 dropped, 0 restored. "
        "1 new student(s) were sent an invitation to choose a password.")
    expect(risteski.get_by_role("row").filter(has_text="carol@example.org")).to_contain_text("dropped")

    carol.goto(f"{base}/courses/{SLUG}/dashboard/")
    expect(carol.locator("#not-found-reason")).to_contain_text(
        "You are no longer enrolled in 10707 Deep Learning (Spring 2021): the registrar's roster dropped you")
