"""Invitations: the e-mail with a link to choose a password, the welcome page it opens, resending, the command."""
import datetime
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from coursesite.audit.invitations import invite_after_commit
from coursesite.audit.models import AuditEntry
from coursesite.people.models import Invitation
from tests.world import DAY, NOW, person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-passphrase-for-class"


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def newcomer(course):
    """A student as the roster import creates them: an account with no usable password yet."""
    member = person(course, "dana", name="Dana Diaz")
    member.user.set_unusable_password()
    member.user.save()
    return member


def invite_and_deliver(members, notifications, mailoutbox, django_capture_on_commit_callbacks, by=None):
    with django_capture_on_commit_callbacks(execute=True):
        invite_after_commit([m.id for m in members], by=by, source="" if by else "a test")
    notifications.deliver()
    return mailoutbox[-1]


def link_in(mail) -> str:
    return re.search(r"^(http\S+/welcome/\S+)$", mail.body, re.MULTILINE).group(1)


def test_invitation_email_names_the_course_the_inviter_the_link_and_when_it_expires(
        clock, course, newcomer, instructor, notifications, mailoutbox, django_capture_on_commit_callbacks):
    mail = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks,
                              by=instructor.user)
    assert mail.to == ["dana@andrew.cmu.edu"]
    assert mail.subject == f"Welcome to {course.number} {course.title}: choose a password"
    assert f"Andrej Risteski invited you to {course.number} {course.title} ({course.term})" in mail.body
    assert "Your username is dana." in mail.body
    assert link_in(mail).startswith(f"{settings.SITE_URL.rstrip('/')}/courses/{course.slug}/welcome/")
    # 7 days of 24 hours after Wed Mar 10 at noon EST, across the change to daylight saving time
    assert "expires on Wed Mar 17, 1:00 PM EDT (in 7 days)" in mail.body
    assert "ask the course staff to send you a new invitation" in mail.body


def test_invitation_is_enqueued_only_after_commit(newcomer, notifications, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite_after_commit([newcomer.id], source="a test")
    assert notifications.sent == []
    assert len(callbacks) == 1


def test_following_the_link_sets_the_password_and_signs_in_on_the_course_dashboard(
        client, course, newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    mail = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    form_page = client.get(link_in(mail), follow=True)
    assert f"Welcome to {course.number} {course.title}: choose a password" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("courses:dashboard", args=[course.slug])
    assert done.context["user"] == newcomer.user
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_and_says_to_ask_for_a_new_invitation(
        clock, client, newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    mail = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    clock.move_to(NOW + 7 * DAY + timezone.timedelta(minutes=1), tick=False)
    page = client.get(link_in(mail), follow=True).content.decode()
    assert "This invitation link no longer works" in page
    assert "Ask the course staff to send you a new invitation." in page


def test_a_link_still_works_just_before_it_expires(
        clock, client, newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    mail = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    clock.move_to(NOW + 7 * DAY - timezone.timedelta(minutes=1), tick=False)
    assert "choose a password" in client.get(link_in(mail), follow=True).content.decode()


def test_a_used_link_is_refused(client, newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    mail = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    form_page = client.get(link_in(mail), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()
    assert "This invitation link no longer works" in client.get(link_in(mail), follow=True).content.decode()


def test_a_resent_invitation_replaces_the_old_link(
        client, newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    first = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    second = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    assert "This invitation link no longer works" in client.get(link_in(first), follow=True).content.decode()
    assert "choose a password" in client.get(link_in(second), follow=True).content.decode()


def test_a_link_for_another_course_does_not_work(
        client, newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    mail = invite_and_deliver([newcomer], notifications, mailoutbox, django_capture_on_commit_callbacks)
    elsewhere = link_in(mail).replace(f"/courses/{newcomer.course.slug}/", "/courses/another-course/")
    assert "This invitation link no longer works" in client.get(elsewhere, follow=True).content.decode()


def test_a_password_reset_link_is_not_an_invitation_link(client, newcomer):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    Invitation.objects.create(member=newcomer, sent_at=timezone.now())
    url = reverse("people:invitation-accept", args=[newcomer.course.slug, urlsafe_base64_encode(
        force_bytes(newcomer.user_id)), default_token_generator.make_token(newcomer.user)])
    assert "This invitation link no longer works" in client.get(url, follow=True).content.decode()


def test_staff_resend_from_the_roster_shows_when_it_was_sent(
        client, clock, course, newcomer, instructor, notifications, django_capture_on_commit_callbacks):
    client.force_login(instructor.user)
    roster = reverse("people:roster", args=[course.slug])
    assert "Send invitation" in client.get(roster).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("audit:invitation-send", args=[course.slug, newcomer.id]), follow=True)
    text = page.content.decode()
    assert "An invitation is on its way to Dana Diaz (dana@andrew.cmu.edu)" in text
    assert "Invited Wed Mar 10, 12:00 PM EST" in text
    assert "Resend invitation" in text and "No password yet" in text
    assert notifications.kinds() == ["notify_invitation"]


def test_a_ta_may_not_send_invitations(client, course, newcomer, ta, notifications):
    client.force_login(ta.user)
    response = client.post(reverse("audit:invitation-send", args=[course.slug, newcomer.id]))
    assert response.status_code == 403
    assert not Invitation.objects.exists() and notifications.sent == []


def test_a_student_who_has_a_password_is_not_invited_and_staff_are_told_why(
        client, course, alice, associate, notifications):
    client.force_login(associate.user)
    page = client.post(reverse("audit:invitation-send", args=[course.slug, alice.id]), follow=True)
    assert "Alice Adams has already chosen a password" in page.content.decode()
    assert notifications.sent == []


def test_each_invitation_is_in_the_course_history(clock, course, newcomer, associate):
    invite_after_commit([newcomer.id], by=associate.user)
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.INVITATION)
    assert (entry.course, entry.who, entry.member, entry.why) == (
        course, associate.user, newcomer, "Invited to choose a password.")
    assert entry.new_value == NOW.astimezone(datetime.UTC).isoformat()


def test_command_invites_every_student_without_a_password(course, newcomer, alice, notifications,
                                                         django_capture_on_commit_callbacks, capsys):
    nomail = person(course, "eve", email="")
    nomail.user.set_unusable_password()
    nomail.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", course.slug, "--all-without-password")
    out, err = capsys.readouterr()
    assert "Invited 1: dana." in out
    assert "Skipped eve: no e-mail address." in err
    assert notifications.kinds() == ["notify_invitation"]
    assert AuditEntry.objects.get(kind=AuditEntry.Kind.INVITATION).source == f"manage.py invite {course.slug}"


def test_command_invites_the_named_students(course, newcomer, notifications, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", course.slug, "dana")
    assert Invitation.objects.get().member == newcomer


def test_command_refuses_names_that_are_not_students_of_the_course(course, newcomer):
    with pytest.raises(CommandError, match="Not students of 10707-s21: zed."):
        call_command("invite", course.slug, "dana", "zed")
    assert not Invitation.objects.exists()


def test_command_needs_names_or_the_all_flag(course):
    with pytest.raises(CommandError, match="USERNAME|all-without-password"):
        call_command("invite", course.slug)


def test_only_the_latest_of_two_queued_invitations_is_emailed(
        newcomer, notifications, mailoutbox, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            invite_after_commit([newcomer.id], source="a test")
    assert notifications.deliver() == [0, 1]
    assert len(mailoutbox) == 1
