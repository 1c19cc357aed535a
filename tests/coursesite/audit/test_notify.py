"""E-mail to students after a release, an extension decision or a regrade answer commits: enqueued after the
commit, sent by the `audit.send_notification` task (run here by direct calls, see `notifications` in
tests/conftest.py); a mail server or broker that is down breaks nothing. A real worker: test_notify_worker.py."""
import logging
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from coursesite.assignments.models import Assignment
from coursesite.audit import notify
from coursesite.audit.models import WaitingNotification
from coursesite.audit.notify import after_commit, waiting_notifications_send
from coursesite.audit.tasks import send_notification
from coursesite.grades.services.extensions import extension_decline, extension_grant
from coursesite.grades.services.release import grades_release, grades_unrelease
from coursesite.grades.services.scores import score_set

from tests.world import DAY, NOW, person

from .conftest import requested

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://dl.example.edu/"


def test_releasing_grades_emails_every_student_a_link_to_their_dashboard(mailoutbox, notifications,
                                                                          django_capture_on_commit_callbacks,
                                                                          alice, bob, ta, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
    notifications.deliver()

    assert sorted(m.to[0] for m in mailoutbox) == ["alice@andrew.cmu.edu", "bob@andrew.cmu.edu"]
    assert {m.subject for m in mailoutbox} == {"Grades for Midterm 1 are released"}
    to_alice = next(m for m in mailoutbox if m.to == ["alice@andrew.cmu.edu"])
    assert to_alice.body.startswith("Hello Alice Adams,\n\nGrades for Midterm 1 in 10707 Deep Learning are released.")
    assert "https://dl.example.edu/courses/10707-s21/dashboard/" in to_alice.body


def test_the_release_email_is_enqueued_only_after_the_release_commits(mailoutbox, notifications,
                                                                      django_capture_on_commit_callbacks,
                                                                      alice, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
    assert notifications.sent == [] and len(callbacks) == 1

    callbacks[0]()

    assert notifications.sent == [("notify_grades_released", {"assignment_id": midterm.id})]
    assert mailoutbox == []                      # the request sends nothing: a worker does


def test_the_release_task_enqueues_one_email_per_student_and_sends_none_itself(mailoutbox, notifications,
                                                                               alice, bob, midterm, instructor):
    grades_release(assignment=midterm, by=instructor.user, now=NOW)
    notifications.sent.clear()

    enqueued = send_notification("notify_grades_released", assignment_id=midterm.id)

    assert enqueued == 2 and mailoutbox == []
    assert sorted(notifications.sent, key=lambda n: n[1]["member_id"]) == [
        ("notify_grade_released_to_student", {"assignment_id": midterm.id, "member_id": alice.id}),
        ("notify_grade_released_to_student", {"assignment_id": midterm.id, "member_id": bob.id}),
    ]


def test_releasing_again_sends_no_second_email(mailoutbox, notifications, django_capture_on_commit_callbacks,
                                               alice, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
        grades_release(assignment=midterm, by=instructor.user, now=NOW + DAY)
    notifications.deliver()

    assert len(mailoutbox) == 1


def test_a_release_taken_back_before_the_worker_sends_sends_nothing(mailoutbox, notifications,
                                                                    django_capture_on_commit_callbacks,
                                                                    alice, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
    grades_unrelease(assignment=midterm, by=instructor.user, now=NOW)

    assert notifications.deliver() == [0]
    assert mailoutbox == []


def test_a_student_without_an_email_address_is_skipped(mailoutbox, notifications, django_capture_on_commit_callbacks,
                                                       course, alice, midterm, instructor):
    person(course, "noaddress", email="")

    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
    notifications.deliver()

    assert [m.to for m in mailoutbox] == [["alice@andrew.cmu.edu"]]


def test_a_failing_mail_server_does_not_break_the_release(client, settings, notifications,
                                                          django_capture_on_commit_callbacks, alice, midterm, instructor):
    settings.EMAIL_BACKEND = "tests.mailbackends.FailingBackend"
    score_set(member=alice, assignment=midterm, points=D(80), by=instructor.user, now=NOW)
    client.force_login(instructor.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grades:release", args=[midterm.course.slug, midterm.key]), {"confirmed": "on"},
                               follow=True)

    assert response.status_code == 200
    assert "The grades of Midterm 1 are released: students see their scores." in response.content.decode()
    assert Assignment.objects.get(pk=midterm.pk).grades_released_at == NOW
    assert notifications.kinds() == ["notify_grades_released"]


def test_a_failed_send_raises_an_error_the_task_retries_at_most_three_times(settings, notifications, alice, midterm,
                                                                            instructor):
    settings.EMAIL_BACKEND = "tests.mailbackends.FailingBackend"
    grades_release(assignment=midterm, by=instructor.user, now=NOW)

    with pytest.raises(ConnectionRefusedError, match="mail server down") as failed:
        send_notification("notify_grade_released_to_student", assignment_id=midterm.id, member_id=alice.id)

    assert isinstance(failed.value, send_notification.autoretry_for)
    assert send_notification.max_retries == 3 and send_notification.retry_backoff


def test_a_broker_that_is_down_does_not_break_the_release(client, caplog, monkeypatch, django_capture_on_commit_callbacks,
                                                          alice, midterm, instructor):
    def broker_down(kind, **arguments):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(notify, "enqueue", broker_down)
    client.force_login(instructor.user)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grades:release", args=[midterm.course.slug, midterm.key]), {"confirmed": "on"},
                               follow=True)

    assert "The grades of Midterm 1 are released: students see their scores." in response.content.decode()
    assert Assignment.objects.get(pk=midterm.pk).grades_released_at == NOW
    assert "Error calling after_commit_many.<locals>.enqueue_notification in on_commit()" in caplog.text


def release_while_the_broker_is_down(monkeypatch, capture, midterm, instructor):
    def broker_down(kind, **arguments):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(notify, "enqueue", broker_down)
    with capture(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)


def test_an_email_the_broker_could_not_take_waits_in_the_database(monkeypatch, django_capture_on_commit_callbacks,
                                                                  alice, midterm, instructor):
    release_while_the_broker_is_down(monkeypatch, django_capture_on_commit_callbacks, midterm, instructor)

    [waiting] = WaitingNotification.objects.all()
    assert (waiting.kind, waiting.arguments) == ("notify_grades_released", {"assignment_id": midterm.id})


def test_the_sweep_hands_the_broker_a_waiting_email_once_it_is_back(monkeypatch, django_capture_on_commit_callbacks,
                                                                    notifications, alice, midterm, instructor):
    release_while_the_broker_is_down(monkeypatch, django_capture_on_commit_callbacks, midterm, instructor)
    monkeypatch.setattr(notify, "enqueue", notifications.enqueue)            # the broker is back
    written = WaitingNotification.objects.get().waiting_since

    assert waiting_notifications_send(now=written + timedelta(seconds=29)) == []      # its commit's hook may yet
    assert len(waiting_notifications_send(now=written + timedelta(seconds=31))) == 1

    assert notifications.sent == [("notify_grades_released", {"assignment_id": midterm.id})]
    assert not WaitingNotification.objects.exists()
    assert waiting_notifications_send(now=written + timedelta(minutes=5)) == []       # sent once


def test_a_broker_still_down_leaves_the_email_waiting_for_the_next_sweep(monkeypatch, django_capture_on_commit_callbacks,
                                                                          alice, midterm, instructor):
    release_while_the_broker_is_down(monkeypatch, django_capture_on_commit_callbacks, midterm, instructor)
    written = WaitingNotification.objects.get().waiting_since

    assert waiting_notifications_send(now=written + timedelta(minutes=1)) == []

    assert WaitingNotification.objects.get().waiting_since == written + timedelta(minutes=1)


def test_an_email_the_broker_took_leaves_nothing_waiting(notifications, django_capture_on_commit_callbacks,
                                                         alice, midterm, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)

    assert notifications.kinds() == ["notify_grades_released"]
    assert not WaitingNotification.objects.exists()


def test_a_granted_extension_emails_the_student_the_new_due_time_in_the_courses_zone(
        mailoutbox, notifications, django_capture_on_commit_callbacks, course, alice, pset, associate):
    course.time_zone = "America/Los_Angeles"
    course.save()
    request = requested(alice, pset)

    with django_capture_on_commit_callbacks(execute=True):
        extension_grant(request=request, by=associate.user, due_at=pset.due_at + 2 * DAY, note="Get well soon.",
                        now=NOW)
    assert mailoutbox == [] and notifications.kinds() == ["notify_extension_decided"]
    notifications.deliver()

    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Extension granted for Problem set 1")
    assert "was granted. Your new due time is Fri Mar 19, 8:59 PM PDT." in mail.body
    assert "Note from the course staff:\nGet well soon." in mail.body
    assert f"https://dl.example.edu/extension-requests/{request.id}/" in mail.body


def test_a_declined_extension_emails_the_student_the_note(mailoutbox, notifications, django_capture_on_commit_callbacks,
                                                          alice, pset, instructor):
    with django_capture_on_commit_callbacks(execute=True):
        extension_decline(request=requested(alice, pset), by=instructor.user, note="Please send a doctor's note.",
                          now=NOW)
    notifications.deliver()

    [mail] = mailoutbox
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Extension request declined for Problem set 1")
    assert "Your extension request for Problem set 1 was declined.\n\nNote from the course staff:\n" \
           "Please send a doctor's note." in mail.body


def test_a_failing_mail_server_does_not_break_an_extension_decision(settings, notifications,
                                                                    django_capture_on_commit_callbacks,
                                                                    alice, pset, instructor):
    settings.EMAIL_BACKEND = "tests.mailbackends.FailingBackend"
    request = requested(alice, pset)

    with django_capture_on_commit_callbacks(execute=True):
        extension_decline(request=request, by=instructor.user, note="No.", now=NOW)

    request.refresh_from_db()
    assert request.status == "declined"
    assert notifications.sent == [("notify_extension_decided", {"request_id": request.id})]
    with pytest.raises(ConnectionRefusedError):
        notifications.deliver()                   # in a worker: retried, then logged (test_notify_worker.py)


def test_an_answered_regrade_request_emails_the_student_the_answer(mailoutbox, alice, midterm):
    sent = send_notification("notify_regrade_answered", member_id=alice.id, assignment_id=midterm.id,
                             answer="Q3: +4 points, rubric item 2.")

    [mail] = mailoutbox
    assert sent == 1
    assert (mail.to, mail.subject) == (["alice@andrew.cmu.edu"], "Your regrade request on Midterm 1 was answered")
    assert "Q3: +4 points, rubric item 2." in mail.body


def test_links_in_emails_use_the_site_url_serve_sh_sets_from_its_port(mailoutbox, notifications,
                                                                       django_capture_on_commit_callbacks,
                                                                       settings, alice, midterm, instructor):
    settings.SITE_URL = "http://127.0.0.1:8123"

    with django_capture_on_commit_callbacks(execute=True):
        grades_release(assignment=midterm, by=instructor.user, now=NOW)
    notifications.deliver()

    assert "\nhttp://127.0.0.1:8123/courses/10707-s21/dashboard/" in mailoutbox[0].body


def test_only_a_notification_the_worker_knows_can_be_enqueued():
    def notify_everyone(**arguments):
        return 0

    with pytest.raises(ValueError, match="notify_everyone is not a notification the worker can send"):
        after_commit(notify_everyone, course_id=1)
    with pytest.raises(ValueError, match="no notification is called 'os.system'"):
        send_notification("os.system", command="true")


def test_a_broker_that_goes_away_midway_leaves_waiting_only_what_it_did_not_take(
        monkeypatch, django_capture_on_commit_callbacks, alice, bob, midterm):
    from coursesite.grades.notify import notify_grade_released_to_student

    taken = []

    def broker_goes_away(kind, **arguments):
        if taken:
            raise OperationalError("Connection refused.")
        taken.append(arguments["member_id"])

    monkeypatch.setattr(notify, "enqueue", broker_goes_away)
    with django_capture_on_commit_callbacks(execute=True):
        notify.after_commit_many(notify_grade_released_to_student,
                                 [{"assignment_id": midterm.id, "member_id": m.id} for m in (alice, bob)])

    assert taken == [alice.id]
    assert [w.arguments["member_id"] for w in WaitingNotification.objects.all()] == [bob.id]
