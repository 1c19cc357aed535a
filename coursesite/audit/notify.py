"""Plain-text e-mail to students when something about their grade is decided.

Services call `after_commit(notify_..., id=...)`: once the transaction commits, the notification is
enqueued (ids and plain strings only) and a Celery worker sends it (`coursesite.audit.tasks.
send_notification`), so a release to 300 students sends no e-mail inside the request. The hook is
`robust`: a broker that is down is logged and never undoes or breaks the action (the e-mail is then
lost: there is no sweep for notifications). A mail server that is down or refuses a message makes the
task retry a bounded number of times, then log the failure for staff.

The `notify_*` functions live with the app whose decision they tell (grades/notify.py, regrades/notify.py)
and register here with @notification: this module sits below those apps and never imports them; each
app's ready() imports its notify module, so a worker knows every one. Each runs in the worker: it reads
the committed rows, sends its e-mail, returns how many it sent, and raises on a failed send (the task
retries it).
"""
from __future__ import annotations

from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.urls import reverse

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
    kind = notify.__name__
    if NOTIFICATIONS.get(kind) is not notify:
        raise ValueError(f"{kind} is not a notification the worker can send")

    def enqueue_notification() -> None:  # not a partial: Django names a failing robust hook by its __qualname__
        enqueue(kind, **arguments)

    transaction.on_commit(enqueue_notification, robust=True)


def site_link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def signature(course) -> str:
    return f"\n-- \n{course.number} {course.title} ({course.term})\n"


def notification(notify: Callable[..., int]) -> Callable[..., int]:
    """Register `notify` under its name as a notification the worker may send."""
    if NOTIFICATIONS.setdefault(notify.__name__, notify) is not notify:
        raise ValueError(f"two notifications are called {notify.__name__}")
    return notify
