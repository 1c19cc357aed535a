"""University sign-in (OpenID Connect): who a university account reaches, and who may still use a password.

The flows run against a real provider process (tests/oidcprovider.py): the test client starts the sign-in,
the provider's own authorization form is posted as a person would, and the callback goes back to the site.
"""
import html
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
import requests
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.people.models import Membership, User
from coursesite.people.university import check_settings, match_accounts, password_barred
from tests.factories import PASSWORD, CourseFactory, MembershipFactory, UserFactory
from tests.oidcprovider import oidc_provider  # noqa: F401 (fixture)

REFUSED = ("No course account matches the university account {}: "
           "ask your course staff to add you to the roster.")
BACKENDS = ["coursesite.people.signin.SignInThrottleBackend", "coursesite.people.university.PasswordBackend",
            "coursesite.people.university.UniversityBackend"]


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def course(db):
    return CourseFactory()


def member(course, username, role=Membership.Role.STUDENT, **fields):
    return MembershipFactory(course=course, role=role, user=UserFactory(username=username, **fields)).user


@pytest.fixture
def university(settings, oidc_provider):  # noqa: F811
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    return oidc_provider


def sign_in_at_university(client, provider, sub: str):
    """The whole round trip: the site's button, the provider's form posted as `sub`, the site's callback."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(provider.url), start
    authorized = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert authorized.status_code == 302, authorized.text[:500]
    callback = urlsplit(authorized.headers["Location"])
    assert callback.path == reverse("oidc_authentication_callback")
    return client.get(f"{callback.path}?{callback.query}", follow=True)


# --- matching rules ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_email_claim_matches_the_rostered_account_ignoring_case(course):
    alice = member(course, "alice", email="alice@andrew.cmu.edu")
    assert list(match_accounts({"email": "Alice@Andrew.CMU.edu"}, "email")) == [alice]


@pytest.mark.django_db
def test_username_claims_match_the_username(course):
    alice = member(course, "alice", email="someone-else@example.org")
    assert list(match_accounts({"preferred_username": "ALICE"}, "preferred_username")) == [alice]
    assert list(match_accounts({"username": "alice"}, "username")) == [alice]
    assert list(match_accounts({"email": "alice"}, "email")) == []


@pytest.mark.django_db
def test_an_account_on_no_roster_is_not_matched(course):
    UserFactory(username="visitor", email="visitor@andrew.cmu.edu")
    assert list(match_accounts({"email": "visitor@andrew.cmu.edu"}, "email")) == []


@pytest.mark.django_db
def test_a_deactivated_account_is_not_matched(course):
    member(course, "gone", email="gone@andrew.cmu.edu", is_active=False)
    assert list(match_accounts({"email": "gone@andrew.cmu.edu"}, "email")) == []


@pytest.mark.django_db
def test_a_student_the_roster_dropped_is_not_matched(course):
    left = member(course, "left", email="left@andrew.cmu.edu")
    Membership.objects.filter(user=left).update(dropped_at=timezone.now())
    assert list(match_accounts({"email": "left@andrew.cmu.edu"}, "email")) == []


@pytest.mark.django_db
def test_a_missing_or_empty_claim_matches_no_one(course):
    member(course, "blank", email="")
    assert list(match_accounts({"sub": "x"}, "email")) == []
    assert list(match_accounts({"email": "  "}, "email")) == []


def test_an_unknown_match_claim_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="OIDC_MATCH_CLAIM must be one of"):
        match_accounts({"sub": "x"}, "sub")


def test_an_unknown_match_claim_stops_the_site_at_start(settings):
    settings.OIDC_MATCH_CLAIM = "sub"
    assert [error.id for error in check_settings()] == ["people.E001"]


def test_rs256_without_a_jwks_endpoint_stops_the_site_at_start(settings, oidc_provider):  # noqa: F811
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    assert check_settings() == []
    settings.OIDC_OP_JWKS_ENDPOINT = ""
    assert [error.id for error in check_settings()] == ["people.E002"]


# --- the round trip through a real provider ----------------------------------------------------------------

@pytest.mark.django_db
def test_a_rostered_student_signs_in_through_the_university(client, course, university):
    alice = member(course, "alice", email="alice@andrew.cmu.edu")
    response = sign_in_at_university(client, university, "alice@andrew.cmu.edu")
    assert response.redirect_chain[-1][0] == reverse("courses:home")
    assert response.wsgi_request.user == alice


@pytest.mark.django_db
def test_a_university_account_matching_no_one_is_refused_and_nothing_is_created(client, course, university):
    users_before = User.objects.count()
    response = sign_in_at_university(client, university, "mallory@andrew.cmu.edu")
    assert response.redirect_chain[-1][0] == reverse("login")
    assert REFUSED.format("mallory@andrew.cmu.edu") in text_of(response)
    assert not response.wsgi_request.user.is_authenticated
    assert User.objects.count() == users_before


@pytest.mark.django_db
def test_two_accounts_with_the_same_address_are_both_refused(client, course, university):
    member(course, "alice", email="alice@andrew.cmu.edu")
    member(course, "alice2", email="ALICE@andrew.cmu.edu")
    response = sign_in_at_university(client, university, "alice@andrew.cmu.edu")
    assert REFUSED.format("alice@andrew.cmu.edu") in text_of(response)
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_denying_at_the_university_returns_to_the_login_page_saying_so(client, course, university):
    start = client.get(reverse("oidc_authentication_init"))
    denied = requests.post(start["Location"], data={"action": "deny"}, allow_redirects=False, timeout=10)
    callback = urlsplit(denied.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}", follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Signing in with Carnegie Mellon did not complete. Please try again." in text_of(response)


@pytest.mark.django_db
def test_refused_university_accounts_do_not_lock_the_address_out(client, course, university, settings):
    alice = member(course, "alice", email="alice@andrew.cmu.edu")
    for i in range(settings.AXES_FAILURE_LIMIT + 1):
        assert REFUSED.format(f"m{i}@andrew.cmu.edu") in text_of(sign_in_at_university(client, university,
                                                                                      f"m{i}@andrew.cmu.edu"))
    assert sign_in_at_university(client, university, "alice@andrew.cmu.edu").wsgi_request.user == alice


@pytest.mark.django_db
def test_the_username_claim_signs_in_by_username_when_configured(client, course, university, settings):
    settings.OIDC_MATCH_CLAIM = "preferred_username"
    bob = member(course, "bob", email="bob@example.org")
    university.set_claims("bob-at-cmu", {"preferred_username": "bob", "email": "bob@andrew.cmu.edu"})
    response = sign_in_at_university(client, university, "bob-at-cmu")
    assert response.wsgi_request.user == bob


@pytest.mark.django_db
def test_the_login_page_offers_the_university_only_when_configured(client, settings, oidc_provider):  # noqa: F811
    assert "Sign in with" not in text_of(client.get(reverse("login")))
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    assert "Sign in with Carnegie Mellon" in text_of(client.get(reverse("login")))


# --- local passwords ---------------------------------------------------------------------------------------

def password_sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")


@pytest.mark.django_db
def test_students_sign_in_with_a_password_by_default(client, course):
    member(course, "alice")
    assert password_sign_in(client, "alice").status_code == 302


@pytest.mark.django_db
def test_without_local_passwords_a_student_is_told_to_use_the_university(client, course, university, settings):
    settings.LOCAL_PASSWORDS_FOR_STUDENTS = False
    member(course, "alice")
    response = password_sign_in(client, "alice")
    assert response.status_code == 200
    assert "Students sign in with Carnegie Mellon." in text_of(response)
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_without_local_passwords_staff_and_superusers_still_sign_in(client, course, settings):
    settings.LOCAL_PASSWORDS_FOR_STUDENTS = False
    member(course, "tina", role=Membership.Role.TA)
    UserFactory(username="root", is_superuser=True, is_staff=True)
    assert password_sign_in(client, "tina").status_code == 302
    client.logout()
    assert password_sign_in(client, "root").status_code == 302


@pytest.mark.django_db
def test_a_student_who_is_staff_in_another_course_keeps_the_password(course, settings):
    settings.LOCAL_PASSWORDS_FOR_STUDENTS = False
    alice = member(course, "alice")
    MembershipFactory(user=alice, course=CourseFactory(), role=Membership.Role.TA)
    assert not password_barred(alice)


def test_the_backend_refuses_to_create_an_account():
    from coursesite.people.university import UniversityBackend

    with pytest.raises(PermissionError, match="never creates accounts"):
        UniversityBackend.create_user(None, {"email": "new@andrew.cmu.edu"})
