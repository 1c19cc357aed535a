"""What the browser journeys share: the demo course loaded with a chosen shift, one logged-in browser
context per person, and the steps every journey takes the same way (opening an assignment, releasing
its grades as the instructor).

The Chromium launch, the `browser` fixture and the log-in form are test_student_upload.py's.
"""
from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.coursefile.management.commands.loaddemo import DEMO_FILE
from coursesite.display import in_course_time
from tests.browser.test_student_upload import DEMO_PASSWORD, log_in

REPO = Path(__file__).resolve().parents[2]
SLUG = "10707-s21"
COURSE = "10707 Deep Learning (Spring 2021)"
TIMEOUT_MS = 10_000
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"    # Chromium's built-in PDF viewer
GRADING_TIMEOUT_MS = 60_000     # a real worker starts, sandboxes the code and trains two small networks


def demo_course_load(days_ago: int, key: str) -> Assignment:
    """The demo course as loaddemo loads it, its term starting in the week of today - `days_ago`;
    `key` must then be released and open, on time, for a few days more (checked here)."""
    call_command("loadcourse", str(REPO / DEMO_FILE), shift_to=timezone.localdate() - timedelta(days=days_ago),
                 demo_password=DEMO_PASSWORD, stdout=io.StringIO())
    assignment = Assignment.objects.select_related("course").get(course__slug=SLUG, key=key)
    now = timezone.now()
    assert assignment.release_at < now - timedelta(days=1) and assignment.due_at > now + timedelta(days=2), (
        f"{key} must be released and open: released {assignment.release_at}, due {assignment.due_at}, now {now}")
    return assignment


def person_page(browser, base_url: str, username: str, **context_options):
    """A browser context of its own for `username` (so several people are logged in at once), logged in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    log_in(page, base_url, username)
    return page


def dashboard(page, base_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/")
    mine = page.get_by_role("listitem").filter(has_text=f"{COURSE} — ")     # "Your courses": the role follows
    mine.get_by_role("link", name=COURSE).click()
    expect(page).to_have_url(f"{base_url}/courses/{SLUG}/dashboard/")


def open_assignment(page, base_url: str, title: str) -> None:
    """From the person's course dashboard, the assignment's page."""
    from playwright.sync_api import expect

    dashboard(page, base_url)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def release_grades(page, base_url: str, title: str) -> None:
    """The instructor releases an assignment's grades from its scores page, through the confirmation
    page (ticking "release before the due time" when the page asks for it)."""
    from playwright.sync_api import expect

    open_assignment(page, base_url, title)
    page.get_by_role("link", name="Scores (not released)").click()
    expect(page.get_by_role("heading", name=f"Scores for {title}")).to_be_visible()
    page.locator("#release").get_by_role("link", name="Release grades…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Release the grades of {title}?")
    early = page.get_by_label("Yes, release before the due time")
    if early.count():
        early.check()
    page.locator("#release-form").get_by_role("button", name="Release grades").click()
    expect(page.locator(".messages")).to_have_text(f"The grades of {title} are released: students see their scores.")
    expect(page.locator("#release")).to_contain_text("Grades released")


def pdf_viewer_title(page, iframe_selector: str) -> str:
    """The document title of Chromium's PDF viewer in the frame (the PDF's file name): the PDF was
    rendered there, not refused (a refused frame holds Chromium's error page and no viewer)."""
    frame = page.locator(iframe_selector).element_handle().content_frame()
    for _ in range(TIMEOUT_MS // 100):
        viewers = [child for child in frame.child_frames if child.url.startswith(PDF_VIEWER)]
        title = viewers[0].title() if viewers else ""     # the viewer names itself once it read the PDF
        if title:
            return title
        page.wait_for_timeout(100)
    raise AssertionError(f"no PDF viewer in {iframe_selector} ({frame.url}): its frames are "
                         f"{[child.url for child in frame.child_frames]}")


def shown(moment, course) -> str:
    """A time as every page and message prints it: in the course's zone, the zone named (coursesite.display)."""
    return in_course_time(moment, course)
