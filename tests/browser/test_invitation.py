"""An invitation in a real browser (Playwright driving Debian's Chromium), from the roster to a first sign-in.

The instructor sends a student who has no password yet an invitation from the roster page; the student
opens the link of the e-mail (Django's test outbox), reads "Welcome to <course>: choose a password", chooses
one and lands on the course dashboard signed in; the used link then says to ask for a new invitation.
Screenshots go to $INVITATION_SHOTS_DIR (default: the test's tmp_path) for a person to look at.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from tests.browser.test_student_upload import TIMEOUT_MS, browser, chromium_executable  # noqa: F401 (fixtures)
from tests.factories import PASSWORD
from tests.world import person

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-long-passphrase-for-class"


def test_an_invited_student_chooses_a_password_from_the_email_and_lands_on_the_dashboard(
        chromium_executable, transactional_db, course, instructor, live_server, browser, notifications, tmp_path,
        settings):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    settings.SITE_URL = live_server.url
    shots = Path(os.environ.get("INVITATION_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    dana = person(course, "dana", name="Dana Diaz")
    dana.user.set_unusable_password()
    dana.user.save()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(f"{base}/accounts/login/")
    staff.fill("#id_username", instructor.user.username)
    staff.fill("#id_password", PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.goto(f"{base}/courses/{course.slug}/people/")
    row = staff.get_by_role("row").filter(has_text="Dana Diaz")
    expect(row).to_contain_text("No password yet")
    row.get_by_role("button", name="Send invitation").click()
    expect(staff.locator(".messages")).to_contain_text("An invitation is on its way to Dana Diaz")
    expect(staff.get_by_role("row").filter(has_text="Dana Diaz").get_by_role("button", name="Resend invitation")
           ).to_be_visible()
    staff.screenshot(path=str(shots / "invitation-roster.png"), full_page=True)

    notifications.deliver()
    assert [message.to for message in mail.outbox] == [["dana@andrew.cmu.edu"]]
    link = re.search(r"^(http\S+/welcome/\S+)$", mail.outbox[0].body, re.MULTILINE).group(1)

    student = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    student.goto(link)
    expect(student.get_by_role("heading", level=1)).to_have_text(
        f"Welcome to {course.number} {course.title}: choose a password")
    student.screenshot(path=str(shots / "invitation-welcome.png"), full_page=True)
    student.fill("#id_new_password1", NEW_PASSWORD)
    student.fill("#id_new_password2", NEW_PASSWORD)
    student.get_by_role("button", name="Set my password and sign in").click()
    expect(student).to_have_url(f"{base}/courses/{course.slug}/dashboard/")
    expect(student.locator("header.site")).to_contain_text("Dana Diaz")
    student.screenshot(path=str(shots / "invitation-dashboard.png"), full_page=True)

    student.goto(link)
    expect(student.get_by_role("heading", level=1)).to_have_text("This invitation link no longer works")
    expect(student.get_by_text("Ask the course staff to send you a new invitation.")).to_be_visible()
    student.screenshot(path=str(shots / "invitation-used.png"), full_page=True)
