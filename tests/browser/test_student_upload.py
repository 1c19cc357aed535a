"""The whole upload journey in a real browser (Playwright driving Debian's Chromium).

A demo student logs in through the login form, reads her dashboard and the syllabus, has a fake
PDF refused, uploads a real one and sees it listed; her assignment page is checked at a phone's
width; then a TA logs in, finds her submission and downloads the very bytes she uploaded.
"""
from __future__ import annotations

import io
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from coursesite.assignments.models import Assignment, Submission
from coursesite.coursefile.management.commands.loaddemo import DEMO_FILE, DEMO_PASSWORD
from tests.browser.csp import watch_csp
from tests.pdfs import minimal_pdf

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
SLUG = "10707-s21"
KEY = "ps2"  # "Problem set 2": a PDF problem set, released and open with the shift below
TIMEOUT_MS = 10_000


@pytest.fixture
def demo_course(transactional_db):
    """The demo course exactly as `manage.py loaddemo` loads it for a newcomer.

    loaddemo shifts the term to start in the week of today - 20 days, i.e. on the Monday in
    [today - 26, today - 20] (the file's term starts Monday 2021-02-01; shifts are whole weeks).
    ps2 is released 16 days 12 h after the start and due 30 days 23:59 after it, so it was
    released 3.5 to 9.5 days ago and is due in 5 to 11 days: open, and on time.
    """
    call_command("loadcourse", str(REPO / DEMO_FILE), shift_to=timezone.localdate() - timedelta(days=20),
                 demo_password=DEMO_PASSWORD, stdout=io.StringIO())
    ps2 = Assignment.objects.get(course__slug=SLUG, key=KEY)
    now = timezone.now()
    assert ps2.release_at < now - timedelta(days=3) and ps2.due_at > now + timedelta(days=4), (
        f"{KEY} must be released and open: released {ps2.release_at}, due {ps2.due_at}, now {now}")
    return ps2


@pytest.fixture(scope="session")
def chromium_executable():
    """Debian's Chromium; without it the test is skipped, except in CI. Session-scoped so that
    the check comes before the test database is built."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("CI"):
            pytest.fail(f"CI must install Chromium ({CHROMIUM} is missing): apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); the browser tests need Debian's Chromium")
    return CHROMIUM


@pytest.fixture
def browser(chromium_executable, monkeypatch):
    """Headless Chromium driven by Playwright's sync API. Every page it opens is held to the site's
    Content-Security-Policy: a test whose pages met a violation fails at its end, listing them."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, so Django would refuse the
    # ORM calls the test (and the database fixtures' teardown) make while the browser is open.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        violations = watch_csp(chromium)
        try:
            yield chromium
        finally:
            chromium.close()
    assert not violations, "pages broke the Content-Security-Policy:\n" + "\n".join(violations)


def log_in(page, base_url: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header.site").get_by_role("button", name="Log out")).to_be_visible()


def open_course(page, role: str) -> None:
    """From the home page, the course in the "Your courses" list, where the user has `role`."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name="Your courses")).to_be_visible()
    mine = page.get_by_role("listitem").filter(has_text=f"— {role}")
    mine.get_by_role("link", name="10707 Deep Learning (Spring 2021)").click()


def test_student_uploads_a_pdf_and_a_ta_finds_it(chromium_executable, demo_course, live_server, browser, tmp_path, settings):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    base = live_server.url
    pdf = minimal_pdf("Alice's problem set 2")
    good = tmp_path / "alice-ps2.pdf"
    good.write_bytes(pdf)
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"not a pdf")

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()

    # The student logs in and opens the course from her home page.
    log_in(page, base, "alice")
    open_course(page, "Student")
    expect(page).to_have_url(f"{base}/courses/{SLUG}/dashboard/")
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect(page.locator("#grace-days")).to_contain_text("0 used, 7 left of 7")
    expect(page.get_by_role("link", name="Problem set 2")).to_be_visible()

    # The syllabus, from the header.
    page.locator("header.site").get_by_role("link", name="Syllabus").click()
    expect(page).to_have_url(f"{base}/courses/{SLUG}/")
    expect(page.get_by_role("heading", name="Late policy")).to_be_visible()
    expect(page.locator("#late-days + p")).to_contain_text("a total of 7 grace days")
    expect(page.locator("h2#grading + .table-wrap tbody tr")).to_have_text([
        re.compile(r"Assignments\s*45%"), re.compile(r"Midterm 1\s*15%"),
        re.compile(r"Midterm 2\s*15%"), re.compile(r"Final exam\s*25%"),
    ])

    # The assignment page, from the dashboard.
    page.locator("header.site").get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Problem set 2").click()
    expect(page).to_have_url(f"{base}/courses/{SLUG}/assignments/{KEY}/")
    expect(page.get_by_role("heading", name="Problem set 2", level=1)).to_be_visible()
    expect(page.locator("#closed")).to_have_count(0)
    expect(page.locator("#late-notice")).to_have_count(0)
    my_submissions = page.locator("#my-submissions tbody tr")
    expect(my_submissions).to_have_text([re.compile("You have not submitted anything yet")])

    # A file that only claims to be a PDF is refused on the form, and nothing is listed.
    page.get_by_label("PDF write-up").set_input_files(fake)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#file-errors")).to_have_text(re.compile(r"“fake\.pdf” is not a PDF file"))
    expect(my_submissions).to_have_text([re.compile("You have not submitted anything yet")])

    # A real PDF, from the refused form, is received and shown.
    page.get_by_label("PDF write-up").set_input_files(good)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page).to_have_url(re.compile(rf"{re.escape(base)}/submissions/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Your submission to Problem set 2 was received at")
    expect(page.get_by_role("link", name="alice-ps2.pdf")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Active: this is the submission that is graded.")

    page.get_by_role("heading", level=1).get_by_role("link", name="Problem set 2").click()
    expect(page).to_have_url(f"{base}/courses/{SLUG}/assignments/{KEY}/")
    expect(my_submissions).to_have_count(1)
    expect(my_submissions.first.locator("td").nth(1)).to_have_text("alice-ps2.pdf")
    expect(my_submissions.first.locator("td").nth(2)).to_have_text("not graded")
    expect(my_submissions.first.locator("td").nth(3)).to_have_text("active")

    # The same page on a phone: no sideways scrolling.
    phone = browser.new_context(storage_state=context.storage_state(), viewport={"width": 390, "height": 844},
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    phone_page = phone.new_page()
    phone_page.goto(f"{base}/courses/{SLUG}/assignments/{KEY}/")
    expect(phone_page.locator("#my-submissions")).to_contain_text("alice-ps2.pdf")
    phone_page.screenshot(path=str(tmp_path / "assignment-phone.png"), full_page=True)
    widths = phone_page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    assert widths["inner"] == 390, f"the phone page was zoomed out to fit wide content: {widths}"
    assert widths["scroll"] <= widths["inner"], f"the assignment page scrolls sideways on a phone: {widths}"
    phone.close()

    # The student logs out; a TA logs in and finds her submission from the staff dashboard.
    page.locator("header.site").get_by_role("button", name="Log out").click()
    expect(page.locator("header.site").get_by_role("link", name="Log in")).to_be_visible()
    log_in(page, base, "abasu")
    open_course(page, "Teaching assistant")
    expect(page.get_by_role("heading", name="Staff dashboard")).to_be_visible()
    ps2_row = page.locator("tbody tr").filter(has=page.get_by_role("link", name="Problem set 2", exact=True))
    ps2_row.get_by_role("link", name="1 / 3").click()
    expect(page).to_have_url(f"{base}/courses/{SLUG}/assignments/{KEY}/submissions/")
    rows = page.locator("#submissions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alice Example")
    expect(rows.first).to_contain_text("(alice)")
    with page.expect_download() as download_info:
        rows.first.get_by_role("link", name="alice-ps2.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "alice-ps2.pdf"
    assert Path(download.path()).read_bytes() == pdf
    context.close()

    # What the pages showed is what was stored: one submission, the refused upload left nothing.
    stored = Submission.objects.get()
    assert (stored.member.user.username, stored.assignment.key, stored.is_active) == ("alice", KEY, True)
    assert [f.name for f in stored.files.all()] == ["alice-ps2.pdf"]
    media_files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in media_files] == [pdf]
    # Queries made while Playwright runs use a connection of their own (a greenlet's context):
    # close it here, or the test database can't be dropped at the end of the session.
    connections.close_all()
