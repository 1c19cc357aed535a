"""Celery tasks of the audit app: the e-mail notifications of coursesite/audit/notify.py.

Small and bounded: load by id, send one e-mail (or fan out one task per student), return. A mail
server that is down or refuses the message (any `OSError`, `smtplib.SMTPException` among them) is
retried with a growing, jittered delay, at most `max_retries` times; then the failure is logged for
staff, with what was not sent and to whom.
"""
from __future__ import annotations

import logging
from smtplib import SMTPException

from celery import shared_task

from coursesite.audit.notify import NOTIFICATIONS

log = logging.getLogger(__name__)
MAX_RETRIES = 3


def _notification_not_sent(self, exc, task_id, args, kwargs, einfo) -> None:
    """After the last retry (or on an error that is not retried): a line for staff in the log."""
    kind = args[0] if args else kwargs.get("kind", "?")
    about = ", ".join(f"{name}={value!r}" for name, value in kwargs.items() if name != "kind")
    log.error("could not send the e-mail %s(%s) (task %s) after %d attempt(s); it is not sent: %s: %s",
              kind, about, task_id, self.request.retries + 1, type(exc).__name__, exc)


@shared_task(
    name="audit.send_notification",
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=MAX_RETRIES,
    ignore_result=True,
    on_failure=_notification_not_sent,
)
def send_notification(self, kind: str, **arguments: int | str) -> int:
    """Send the notification `kind` (a name in `NOTIFICATIONS`) with its ids and text; how many e-mails."""
    try:
        notify = NOTIFICATIONS[kind]
    except KeyError:
        raise ValueError(f"no notification is called {kind!r}") from None
    return notify(**arguments)
