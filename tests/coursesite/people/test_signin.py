"""Sign-in throttling (django-axes, on as in production) and the password change and reset pages."""
import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.people.models import Membership
from tests.factories import PASSWORD, CourseFactory, MembershipFactory, UserFactory

LOCKED = ("Too many failed sign-ins for this account: try again in {}, "
          "or ask course staff to unlock it.")


def text_of(response) -> str:
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def sign_in(client, username: str, password: str, address: str = "10.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **headers)


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_at_that_address_with_the_time_left(client, alice):
    for _ in range(4):
        assert "didn't match" in text_of(sign_in(client, "alice", "wrong"))

    fifth = sign_in(client, "alice", "wrong")
    assert fifth.status_code == 429
    assert LOCKED.format("15 minutes") in text_of(fifth)
    right_password = sign_in(client, "alice", PASSWORD)
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_page_counts_down_and_then_lets_the_person_in(client, alice, time_machine):
    time_machine.move_to("2026-03-02 10:00:00+00:00", tick=False)
    for _ in range(5):
        sign_in(client, "alice", "wrong")

    time_machine.move_to("2026-03-02 10:11:30+00:00", tick=False)
    assert LOCKED.format("4 minutes") in text_of(sign_in(client, "alice", PASSWORD))
    time_machine.move_to("2026-03-02 10:15:01+00:00", tick=False)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_lockout_binds_the_account_at_that_address_only(client, alice):
    for _ in range(5):
        sign_in(client, "alice", "wrong", address="10.0.0.1")

    assert sign_in(client, "alice", PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.django_db
def test_a_forwarded_for_header_is_ignored_unless_the_proxy_setting_names_it(client, alice, settings):
    for n in range(5):       # an attacker rotating a made-up header still hits the limit
        sign_in(client, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429

    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    # Behind the proxy the socket's address is the proxy's; the last entry is the one it appended.
    response = sign_in(client, "alice", PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert response.status_code == 302


@pytest.fixture
def course_people(db):
    course = CourseFactory()
    people = {role: MembershipFactory(course=course, role=role, user=UserFactory(username=role))
              for role in (Membership.Role.STUDENT, Membership.Role.TA, Membership.Role.INSTRUCTOR)}
    return course, people


@pytest.mark.django_db
def test_the_instructor_sees_the_lockout_on_the_roster_and_lifts_it(client, course_people):
    course, people = course_people
    student = people[Membership.Role.STUDENT]
    for _ in range(5):
        sign_in(client, student.user.username, "wrong")
    staff_client = type(client)()
    staff_client.force_login(people[Membership.Role.INSTRUCTOR].user)

    roster = text_of(staff_client.get(reverse("people:roster", args=[course.slug])))
    assert "Student Locked out Unlock" in roster
    response = staff_client.post(reverse("people:signin-unlock", args=[course.slug, student.id]), follow=True)

    assert f"{student.user.display_name} can sign in again." in text_of(response)
    assert "Locked out" not in text_of(response)
    assert sign_in(client, student.user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_ta_sees_a_lockout_but_cannot_lift_it(client, course_people):
    course, people = course_people
    student = people[Membership.Role.STUDENT]
    for _ in range(5):
        sign_in(client, student.user.username, "wrong")
    client.force_login(people[Membership.Role.TA].user)

    assert "Locked out" in text_of(client.get(reverse("people:roster", args=[course.slug])))
    response = client.post(reverse("people:signin-unlock", args=[course.slug, student.id]))
    assert response.status_code == 403
    assert sign_in(type(client)(), student.user.username, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_password_reset_by_email_sets_a_new_password_and_lifts_a_lockout(client, alice, settings):
    settings.SITE_URL = "https://courses.example.edu"
    for _ in range(5):
        sign_in(client, "alice", "wrong")

    response = client.post(reverse("password_reset"), {"email": alice.email}, follow=True)
    assert "Check your email" in text_of(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice.email]
    assert mail.outbox[0].subject == "Reset your course site password"
    link = re.search(r"https://courses\.example\.edu(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in text_of(form_page)
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"}, follow=True)

    assert "Your password is set" in text_of(done)
    assert sign_in(client, "alice", "a-new-long-password").status_code == 302
    assert "This link no longer works" in text_of(client.get(link, follow=True))


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)

    assert "If an account has that address, we have sent it a link" in text_of(response)
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change_needs_the_current_password(client, alice):
    client.force_login(alice)
    wrong = client.post(reverse("password_change"), {
        "old_password": "not-it", "new_password1": "a-new-long-password", "new_password2": "a-new-long-password"})
    assert "Your old password was entered incorrectly. Please enter it again." in text_of(wrong)

    done = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-long-password", "new_password2": "a-new-long-password"},
        follow=True)
    assert "Your password is changed" in text_of(done)
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-password")


@pytest.mark.django_db
def test_the_header_links_to_the_password_page_and_the_login_page_to_the_reset(client, alice):
    assert f'href="{reverse("password_reset")}"' in client.get(reverse("login")).content.decode()
    client.force_login(alice)
    assert f'href="{reverse("password_change")}"' in client.get(reverse("courses:home")).content.decode()

