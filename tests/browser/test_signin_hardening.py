"""Sign-in lockout and the password reset journey in a real browser (Playwright driving Debian's Chromium).

A student mistypes her password five times and reads the lockout on the login page; she follows
"Forgot your password?", receives the email (Django's test outbox), opens its link, chooses a new
password, and logs in with it: the reset also lifted the lockout. Screenshots go to
$SIGNIN_SHOTS_DIR (default: the test's tmp_path) for a person to look at.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from tests.browser.test_student_upload import TIMEOUT_MS, browser, chromium_executable  # noqa: F401 (fixtures)
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

LOCKED = ("Too many failed sign-ins for this account: try again in 15 minutes, "
          "or ask course staff to unlock it.")


@pytest.fixture
def alice(transactional_db):
    return UserFactory(username="alice", first_name="Alice", last_name="Ng", email="alice@example.org")


def test_a_locked_out_student_resets_her_password_by_email_and_logs_in(
        chromium_executable, alice, live_server, browser, tmp_path, settings):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    settings.SITE_URL = live_server.url
    shots = Path(os.environ.get("SIGNIN_SHOTS_DIR", tmp_path))
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)

    page.goto(f"{base}/accounts/login/")
    for attempt in range(1, 6):
        page.fill("#id_username", "alice")
        page.fill("#id_password", f"wrong-{attempt}")
        page.get_by_role("button", name="Log in").click()
        if attempt < 5:
            expect(page.get_by_role("alert")).to_have_text(
                "Your username and password didn't match. Please try again.")
    expect(page.get_by_role("alert")).to_have_text(LOCKED)
    page.screenshot(path=str(shots / "signin-locked.png"), full_page=True)

    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.fill("#id_email", "alice@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.screenshot(path=str(shots / "reset-sent.png"), full_page=True)

    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    link = re.search(rf"{re.escape(base)}/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".errorlist").first).to_contain_text("This password is too short.")
    page.screenshot(path=str(shots / "reset-too-short.png"), full_page=True)
    page.fill("#id_new_password1", "backprop-through-time")
    page.fill("#id_new_password2", "backprop-through-time")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()

    page.get_by_role("link", name="Log in").last.click()
    page.fill("#id_username", "alice")
    page.fill("#id_password", "backprop-through-time")
    page.get_by_role("button", name="Log in").click()
    header = page.locator("header.site")
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    expect(header.get_by_role("link", name="Password")).to_be_visible()
    page.screenshot(path=str(shots / "signed-in.png"), full_page=True)
