"""Sign-in throttling around django-axes: the client's address, the lockout page, unlocking.

Axes counts failed sign-ins per account and address (settings AXES_*); this module is the one
place that says what a locked-out person sees and how staff lift a lockout.
"""
from __future__ import annotations

import logging
import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from coursesite.people.university import signin_page_context

log = logging.getLogger(__name__)


class SignInThrottleBackend(AxesStandaloneBackend):
    """Axes' check, for sign-ins through a page (which always pass the request).

    ``authenticate()`` without a request (the test client's ``login()``, a shell) is no web sign-in:
    there is no address to count, so it is let through to the next backend instead of failing.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def not_a_password_signin(request: HttpRequest, credentials: dict | None) -> bool:
    """Axes' whitelist: a sign-in without a password (the university's callback) is neither counted nor locked.

    Throttling is there against password guessing; a university sign-in carries a one-time code from
    the provider, which throttles its own sign-ins. Counted, five refused university accounts behind
    one campus address would lock every student there out of the university button.
    """
    return credentials is not None and not credentials.get("password")


def client_ip(request: HttpRequest) -> str:
    """The socket's address; behind a proxy (settings.CLIENT_IP_HEADER set), the last address that
    proxy appended: the entries before it are whatever the client chose to send."""
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        forwarded = [part.strip() for part in value.split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def minutes_left(username: str, ip_address: str) -> int:
    """Whole minutes (rounded up) until the lockout of this account at this address ends."""
    cool_off = get_cool_off()
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        last=Max("attempt_time"))["last"]
    if last is None:
        return math.ceil(cool_off.total_seconds() / 60)
    left = (last + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def lockout_message(minutes: int) -> str:
    when = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return (f"Too many failed sign-ins for this account: try again in {when}, "
            "or ask course staff to unlock it.")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The login page again (status 429) with the lockout in words, instead of axes' bare text."""
    username = get_client_username(request, credentials) or ""
    message = lockout_message(minutes_left(username, client_ip(request)))
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "registration/login.html",
                  {"form": form, "lockout": message, "next": request.POST.get("next", ""), **signin_page_context()},
                  status=429)


def locked_usernames(usernames) -> set[str]:
    """Which of these accounts are locked out now, from at least one address."""
    since = timezone.now() - get_cool_off()
    return set(
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since,
                                     failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def signin_unlock(*, username: str, by) -> int:
    """Lift every lockout of this account (all addresses); how many attempt records were cleared."""
    removed, _ = AccessAttempt.objects.filter(username=username).delete()
    log.info("sign-in lockout of %s lifted by %s (%d records)", username, by.username, removed)
    return removed
