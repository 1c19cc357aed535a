"""Plain-text e-mail to students when something about their grade is decided.

Services call `after_commit(notify_..., id=...)`: once the transaction commits, the notification is
enqueued (ids and plain strings only) and a Celery worker sends it (`coursesite.audit.tasks.
send_notification`), so a release to 300 students sends no e-mail inside the request. The hook is
`robust`: a broker that is down is logged and never undoes or breaks the action. Nor is the e-mail lost:
`after_commit` writes it (`WaitingNotification`) in the action's own transaction, the hook deletes the row once
the broker took the message, and the workers' sweep hands the broker whatever still waits
(`waiting_notifications_send`). A mail server that is down or refuses a message makes the
task retry a bounded number of times, then log the failure for staff.

The `notify_*` functions live with the app whose decision they tell (grades/notify.py, regrades/notify.py)
and register here with @notification: this module sits below those apps and never imports them; each
app's ready() imports its notify module, so a worker knows every one. Each runs in the worker: it reads
the committed rows, sends its e-mail, returns how many it sent, and raises on a failed send (the task
retries it).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import KombuError

from coursesite.audit.models import WaitingNotification

log = logging.getLogger(__name__)
RESEND_AFTER = timedelta(seconds=30)     # far longer than a commit's hook takes to hand a message over
BATCH = 200                              # a round's share: the next round, seconds later, takes the rest

# What the worker may send, by name (the task carries the name, never a function).
NOTIFICATIONS: dict[str, Callable[..., int]] = {}


def enqueue(kind: str, **arguments: int | str) -> None:
    """Send the notification `kind` (a `notify_*` name) to the broker for a worker to send."""
    # Sent by name: the task module imports this one, so the import goes one way only.
    current_app.send_task("audit.send_notification", args=[kind], kwargs=arguments)


def after_commit(notify: Callable[..., int], **arguments: int | str) -> None:
    """Enqueue `notify(**arguments)` once the surrounding transaction commits (right away outside one).

    Pass ids and text, never model objects: the worker reads the committed rows.
    """
    after_commit_many(notify, [arguments])


def after_commit_many(notify: Callable[..., int], each: list[dict[str, int | str]]) -> None:
    """`after_commit` for many at once (a roster import invites 400 students): the waiting rows are written in
    one query, and deleted in one once the broker took them all."""
    kind = notify.__name__
    if NOTIFICATIONS.get(kind) is not notify:
        raise ValueError(f"{kind} is not a notification the worker can send")
    now = timezone.now()
    waiting = WaitingNotification.objects.bulk_create(
        WaitingNotification(kind=kind, arguments=arguments, waiting_since=now) for arguments in each)

    def enqueue_notification() -> None:  # not a partial: Django names a failing robust hook by its __qualname__
        carried = []
        try:
            for row in waiting:
                enqueue(kind, **row.arguments)
                carried.append(row.pk)
        finally:                        # what the broker took waits no more, even if it refused the rest
            WaitingNotification.objects.filter(pk__in=carried).delete()

    transaction.on_commit(enqueue_notification, robust=True)


def waiting_notifications_send(*, now: datetime) -> list[int]:
    """The sweep's round: hand the broker again each notification still waiting RESEND_AFTER after it was written
    (the broker was down when its transaction committed). Each row is taken by compare-and-set on its time, so
    workers sweeping at once send it once; a broker still down leaves it for the next round."""
    sent = []
    for row in WaitingNotification.objects.filter(waiting_since__lt=now - RESEND_AFTER)[:BATCH]:
        if not WaitingNotification.objects.filter(pk=row.pk, waiting_since=row.waiting_since).update(waiting_since=now):
            continue                    # another worker's sweep took it
        try:
            enqueue(row.kind, **row.arguments)
        except (KombuError, OSError) as exc:
            log.warning("notification %s(%s) still not handed to the broker (%s); the next sweep tries again",
                        row.kind, row.arguments, exc)
            break
        WaitingNotification.objects.filter(pk=row.pk).delete()
        sent.append(row.pk)
    if sent:
        log.info("sweep handed the broker %d notification(s) that were waiting", len(sent))
    return sent


def site_link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def signature(course) -> str:
    return f"\n-- \n{course.number} {course.title} ({course.term})\n"


def notification(notify: Callable[..., int]) -> Callable[..., int]:
    """Register `notify` under its name as a notification the worker may send."""
    if NOTIFICATIONS.setdefault(notify.__name__, notify) is not notify:
        raise ValueError(f"two notifications are called {notify.__name__}")
    return notify
