"""University sign-in in a real browser: Chromium, the site on a live server, and a real OpenID Connect
provider in a process of its own (tests/oidcprovider.py), whose own authorization page the test fills in.

Screenshots go to $SIGNIN_SHOTS_DIR (default: the test's tmp_path) for a person to look at.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursesite.people.models import Membership, User
from tests.browser.test_student_upload import TIMEOUT_MS, browser, chromium_executable  # noqa: F401 (fixtures)
from tests.factories import PASSWORD, CourseFactory, MembershipFactory, UserFactory
from tests.oidcprovider import oidc_provider  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

BACKENDS = ["coursesite.people.signin.SignInThrottleBackend", "coursesite.people.university.PasswordBackend",
            "coursesite.people.university.UniversityBackend"]


@pytest.fixture
def course(transactional_db):
    course = CourseFactory(slug="10707-s21")
    for username, role in (("alice", Membership.Role.STUDENT), ("tina", Membership.Role.TA)):
        user = UserFactory(username=username, first_name=username.title(), last_name="Ng",
                           email=f"{username}@andrew.cmu.edu")
        MembershipFactory(course=course, user=user, role=role)
    return course


@pytest.fixture
def site(settings, oidc_provider, live_server, course, browser, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    expect.set_options(timeout=TIMEOUT_MS)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    shots = Path(os.environ.get("SIGNIN_SHOTS_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    return page, live_server.url, shots


def authorize_at_university(page, sub: str) -> None:
    """On the provider's own page: type the account and authorize."""
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_student_signs_in_with_the_university_and_lands_on_her_dashboard(site, course, oidc_provider):  # noqa: F811
    from playwright.sync_api import expect

    page, base, shots = site
    page.goto(f"{base}/courses/{course.slug}/dashboard/")          # not signed in: the login page, then back
    page.screenshot(path=str(shots / "oidc-login-page.png"), full_page=True)
    page.get_by_role("link", name="Sign in with Carnegie Mellon").click()
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.screenshot(path=str(shots / "oidc-provider-page.png"), full_page=True)
    authorize_at_university(page, "Alice@andrew.cmu.edu")

    expect(page).to_have_url(f"{base}/courses/{course.slug}/dashboard/")
    expect(page.get_by_text("Alice Ng")).to_be_visible()
    page.screenshot(path=str(shots / "oidc-signed-in.png"), full_page=True)


def test_a_university_account_on_no_roster_is_refused_and_nothing_is_created(site):
    from playwright.sync_api import expect

    page, base, shots = site
    users_before = User.objects.count()
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Sign in with Carnegie Mellon").click()
    authorize_at_university(page, "mallory@andrew.cmu.edu")

    expect(page).to_have_url(f"{base}/accounts/login/")
    expect(page.get_by_text("No course account matches the university account mallory@andrew.cmu.edu: "
                            "ask your course staff to add you to the roster.")).to_be_visible()
    page.screenshot(path=str(shots / "oidc-refused.png"), full_page=True)
    assert User.objects.count() == users_before


def test_without_local_passwords_a_student_is_sent_to_the_university_and_a_ta_signs_in(site, settings):
    from playwright.sync_api import expect

    page, base, shots = site
    settings.LOCAL_PASSWORDS_FOR_STUDENTS = False
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Students sign in with Carnegie Mellon.")
    page.screenshot(path=str(shots / "oidc-student-password-refused.png"), full_page=True)

    page.fill("#id_username", "tina")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_text("Tina Ng")).to_be_visible()
