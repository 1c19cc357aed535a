"""The staff's day over a crowd (issue 21), in Chromium: the demo course with 40 students from loaddemo_students.

The instructor's dashboard says what waits for the staff, with counts, and its regrade line leads to the queue;
the gradebook's "missing work" filter narrows the class; a TA who opens the academic-integrity cases gets the
403 page that offers to sign in as someone else; an address nobody has under the course gets the 404 page with
the course's header. The staff dashboard and the gradebook are shot at a laptop's and a phone's width into
$STAFF_SHOTS_DIR (default: the test's tmp_path) for a person to look at; at the phone's width no column is cut.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from coursesite.people.models import Membership
from tests.browser.support import COURSE, SLUG, TIMEOUT_MS
from tests.browser.test_phone_widths import fits
from tests.browser.test_student_upload import browser, chromium_executable, log_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
CROWD = 40
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def crowd(transactional_db) -> int:
    """The demo course as loaddemo loads it and 40 crowd students; returns how many students it has."""
    call_command("loaddemo", interactive=False, stdout=io.StringIO())
    call_command("loaddemo_students", count=CROWD, stdout=io.StringIO())
    return Membership.objects.filter(course__slug=SLUG).students().count()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("STAFF_SHOTS_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staff_page(browser, base: str, username: str, viewport: dict):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    log_in(page, base, username)
    return page


def test_the_dashboard_says_what_waits_and_leads_to_the_regrade_queue(chromium_executable, crowd, live_server,
                                                                     browser, shots):  # noqa: F811
    from playwright.sync_api import expect

    page = staff_page(browser, live_server.url, "risteski", LAPTOP)
    page.goto(f"{live_server.url}/courses/{SLUG}/dashboard/")
    waiting = page.locator("#work-waiting")
    expect(waiting.get_by_role("heading", name="Waiting for the staff")).to_be_visible()
    expect(waiting.get_by_role("link", name=re.compile(r"^\d+ regrade requests?"))).to_be_visible()
    expect(waiting.get_by_role("link", name=re.compile(r"^\d+ extension requests?$"))).to_be_visible()
    expect(page.get_by_text(f"{crowd} students")).to_be_visible()
    page.screenshot(path=str(shots / "staff-dashboard-1280.png"), full_page=True)

    waiting.get_by_role("link", name=re.compile("regrade request")).click()
    expect(page).to_have_url(f"{live_server.url}/courses/{SLUG}/regrades/")
    expect(page.get_by_role("heading", name="Regrade requests", level=1)).to_be_visible()
    page.context.close()
    connections.close_all()     # see test_student_upload.py: Playwright's greenlet has connections of its own


def test_the_gradebooks_missing_filter_narrows_the_class(chromium_executable, crowd, live_server, browser,
                                                         shots):  # noqa: F811
    from playwright.sync_api import expect

    page = staff_page(browser, live_server.url, "abasu", LAPTOP)
    page.goto(f"{live_server.url}/courses/{SLUG}/gradebook/")
    expect(page.locator("#gradebook-count")).to_have_text(f"{crowd} students")
    page.screenshot(path=str(shots / "gradebook-1280.png"))

    page.get_by_label("Only missing work").check()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#gradebook-count")).to_have_text(re.compile(rf"^\d+ of {crowd} students: missing work$"))
    narrowed = int(page.locator("#gradebook-count").inner_text().split()[0])
    assert 0 < narrowed < crowd
    expect(page.locator("#gradebook tbody tr")).to_have_count(narrowed)
    page.context.close()
    connections.close_all()


def test_at_a_phones_width_no_column_of_the_staff_pages_is_cut(chromium_executable, crowd, live_server, browser,
                                                               shots):  # noqa: F811
    page = staff_page(browser, live_server.url, "risteski", PHONE)
    page.goto(f"{live_server.url}/courses/{SLUG}/dashboard/")
    page.screenshot(path=str(shots / "staff-dashboard-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert fits(page) == []
    page.goto(f"{live_server.url}/courses/{SLUG}/gradebook/")
    page.screenshot(path=str(shots / "gradebook-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]   # only the table's box scrolls
    page.context.close()
    connections.close_all()


def test_a_ta_opening_the_integrity_cases_gets_the_403_page_to_sign_in_as_someone_else(
        chromium_executable, crowd, live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = staff_page(browser, live_server.url, "abasu", LAPTOP)
    response = page.goto(f"{live_server.url}/courses/{SLUG}/integrity/cases/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="This page is not for your account", level=1)).to_be_visible()
    expect(page.locator("#sign-in-as-someone-else")).to_be_visible()
    page.locator("#sign-in-as-someone-else").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=.*integrity"))
    page.context.close()
    connections.close_all()


def test_an_unknown_address_under_the_course_gets_the_404_page_with_the_courses_header(
        chromium_executable, crowd, live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = staff_page(browser, live_server.url, "abasu", LAPTOP)
    response = page.goto(f"{live_server.url}/courses/{SLUG}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(page.locator("header.site")).to_contain_text(COURSE.split(" (")[0])
    expect(page.get_by_role("link", name="Back to the 10707 dashboard")).to_be_visible()
    page.context.close()
    connections.close_all()
