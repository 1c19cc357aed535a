"""Notifications sent by a real Celery worker (on the configured broker, reading the test database): the
e-mails of a release leave from the worker, and a send that keeps failing is retried, then logged for staff."""
import re
from email import message_from_string

import pytest

from coursesite.grades.services.extensions import extension_decline
from coursesite.grades.services.release import grades_release
from tests.coursesite.autograding.conftest import wait_for
from tests.world import NOW

from .conftest import requested

pytestmark = pytest.mark.django_db(transaction=True)


def sent_mail(folder):
    """The messages the worker's file-based backend wrote (one file per connection, one message per send)."""
    if not folder.exists():
        return []
    return [message_from_string(part) for path in sorted(folder.iterdir())
            for part in path.read_text().split("-" * 79 + "\n") if part.strip()]


def test_a_worker_sends_each_student_the_release_email(celery_worker_factory, tmp_path, alice, bob, midterm, instructor):
    mail = tmp_path / "mail"
    celery_worker_factory(env={"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                               "EMAIL_FILE_PATH": str(mail)})

    grades_release(assignment=midterm, by=instructor.user, now=NOW)   # commits, then enqueues

    messages = wait_for(lambda: len(sent_mail(mail)) == 2 and sent_mail(mail), what="two e-mails")
    assert sorted(m["To"] for m in messages) == ["alice@andrew.cmu.edu", "bob@andrew.cmu.edu"]
    assert {m["Subject"] for m in messages} == {"Grades for Midterm 1 are released"}


def test_a_send_that_keeps_failing_is_retried_three_times_then_logged_for_staff(celery_worker_factory, tmp_path,
                                                                                alice, pset, instructor):
    worker = celery_worker_factory(env={"EMAIL_BACKEND": "tests.mailbackends.FailingBackend"})
    request = requested(alice, pset)

    extension_decline(request=request, by=instructor.user, note="No.", now=NOW)

    gave_up = f"could not send the e-mail notify_extension_decided(request_id={request.id})"
    log = wait_for(lambda: gave_up in worker.log.read_text() and worker.log.read_text(), what="the give-up line")
    retries = re.findall(r"audit\.send_notification\[[-0-9a-f]+\] retry: Retry in \d+s: "
                         r"ConnectionRefusedError\('mail server down'\)", log)
    assert len(retries) == 3, log[-3000:]
    assert re.search(re.escape(gave_up) + r" \(task [-0-9a-f]+\) after 4 attempt\(s\); it is not sent: "
                     r"ConnectionRefusedError: mail server down", log), log[-3000:]


def test_an_email_decided_while_the_broker_was_down_leaves_from_the_workers_sweep(celery_worker_factory, tmp_path,
                                                                                 alice, midterm, instructor):
    from datetime import timedelta

    from django.utils import timezone

    from coursesite.audit.models import WaitingNotification

    # What after_commit leaves when the broker refuses the message: the row, written with the release.
    midterm.grades_released_at = NOW
    midterm.save(update_fields=["grades_released_at"])
    WaitingNotification.objects.create(kind="notify_grade_released_to_student", waiting_since=timezone.now()
                                       - timedelta(minutes=1), arguments={"assignment_id": midterm.id,
                                                                          "member_id": alice.id})
    mail = tmp_path / "mail"
    celery_worker_factory(env={"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                               "EMAIL_FILE_PATH": str(mail), "AUTOGRADER_SWEEP_SECONDS": "1"})

    [message] = wait_for(lambda: sent_mail(mail), what="the waiting e-mail")
    assert message["To"] == "alice@andrew.cmu.edu"
    assert wait_for(lambda: not WaitingNotification.objects.exists(), what="the row gone")
