"""E-mail to students after a release or an extension decision commits; a failing mail server breaks nothing."""
import logging
from decimal import Decimal as D

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from coursesite.assignments.models import Assignment
from coursesite.audit.notify import notify_regrade_answered
from coursesite.grades.services.extensions import extension_decline, extension_grant
from coursesite.grades.services.release import grades_release
from coursesite.grades.services.scores import score_set

from .conftest import DAY, NOW, person, requested

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://dl.example.edu/"


def test_releasing_grades_emails_every_student_a_link_to_their_dashboard(mailoutbox, django_capture_on_commit_callbacks,
                                                                          alice, bob, ta, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)

    assert sorted(m.to[0] for m in mailoutbox) == ["alice@andrew.cmu.edu", "bob@andrew.cmu.edu"]
    assert {m.subject for m in mailoutbox} == {"Grades for Midterm 1 are released"}
    to_alice = next(m for m in mailoutbox if m.to == ["alice@andrew.cmu.edu"])
    assert to_alice.body.startswith("Hello Alice Adams,\n\nGrades for Midterm 1 in 10707 Deep Learning are released.")
    assert "https://dl.example.edu/courses/10707-s21/dashboard/" in to_alice.body


def test_the_release_email_goes_only_after_the_release_commits(mailoutbox, django_capture_on_commit_callbacks,
                                                                alice, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        grades_release(assignment=midterm, by=instructor.user, now=NOW)

    assert mailoutbox == [] and len(callbacks) == 1


def test_releasing_again_sends_no_second_email(mailoutbox, django_capture_on_commit_callbacks, alice, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
        grades_release(assignment=midterm, by=instructor.user, now=NOW + DAY)

    assert len(mailoutbox) == 1


def test_a_student_without_an_email_address_is_skipped(mailoutbox, django_capture_on_commit_callbacks,
                                                       course, alice, midterm, instructor):
    person(course, "noaddress", email="")

    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)

    assert [m.to for m in mailoutbox] == [["alice@andrew.cmu.edu"]]


def test_a_failing_mail_server_does_not_break_the_release(client, settings, caplog, mailoutbox,
                                                          django_capture_on_commit_callbacks, alice, midterm, instructor):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    score_set(member=alice, assignment=midterm, points=D(80), by=instructor.user, now=NOW)
    client.force_login(instructor.user)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grades:release", args=[midterm.course.slug, midterm.key]), {"confirmed": "on"},
                               follow=True)

    assert response.status_code == 200
    assert "The grades of Midterm 1 are released: students see their scores." in response.content.decode()
    assert Assignment.objects.get(pk=midterm.pk).grades_released_at == NOW
    assert "could not e-mail the release of midterm-1's grades (10707-s21) to 1 students" in caplog.text


def test_a_granted_extension_emails_the_student_the_new_due_time_in_the_courses_zone(
        mailoutbox, django_capture_on_commit_callbacks, course, alice, pset, associate):
    course.time_zone = "America/Los_Angeles"
    course.save()
    request = requested(alice, pset)

    with django_capture_on_commit_callbacks(execute=True):
        extension_grant(request=request, by=associate.user, due_at=pset.due_at + 2 * DAY, note="Get well soon.",
                        now=NOW)

    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Extension granted for Problem set 1")
    assert "was granted. Your new due time is Fri Mar 19, 20:59 PDT." in mail.body
    assert "Note from the course staff:\nGet well soon." in mail.body
    assert f"https://dl.example.edu/extension-requests/{request.id}/" in mail.body


def test_a_declined_extension_emails_the_student_the_note(mailoutbox, django_capture_on_commit_callbacks,
                                                          alice, pset, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        extension_decline(request=requested(alice, pset), by=instructor.user, note="Please send a doctor's note.",
                          now=NOW)

    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Extension request declined for Problem set 1")
    assert "Your extension request for Problem set 1 was declined.\n\nNote from the course staff:\n" \
           "Please send a doctor's note." in mail.body


def test_a_failing_mail_server_does_not_break_an_extension_decision(settings, caplog, mailoutbox,
                                                                    django_capture_on_commit_callbacks,
                                                                    alice, pset, instructor):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    request = requested(alice, pset)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        extension_decline(request=request, by=instructor.user, note="No.", now=NOW)

    request.refresh_from_db()
    assert request.status == "declined"
    assert f"could not e-mail the decision on extension request {request.id} to alice" in caplog.text


def test_an_answered_regrade_request_emails_the_student_the_answer(mailoutbox, alice, midterm):
    sent = notify_regrade_answered(member_id=alice.id, assignment_id=midterm.id, answer="Q3: +4 points, rubric item 2.")

    [mail] = mailoutbox
    assert sent == 1
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Your regrade request on Midterm 1 was answered")
    assert "Q3: +4 points, rubric item 2." in mail.body


def test_links_in_emails_use_the_site_url_serve_sh_sets_from_its_port(mailoutbox, django_capture_on_commit_callbacks,
                                                                       settings, alice, midterm, instructor):
    settings.SITE_URL = "http://127.0.0.1:8123"

    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)

    assert "\nhttp://127.0.0.1:8123/courses/10707-s21/dashboard/" in mailoutbox[0].body
