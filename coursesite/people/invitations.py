"""Invitation links: a new member chooses a password through a link e-mailed to them.

The link is Django's password-reset token machinery with its own salt and lifetime
(settings.INVITATION_TIMEOUT_DAYS), so a password-reset link never opens the welcome page nor the other way
round. It stops working once used (a password set changes the hash the token is made from), when it expires,
and when a newer invitation is sent to the same person (its id is part of the hash too), so staff who resend
know that only the latest e-mail works.

Sending (the e-mail, the history entry) belongs to coursesite.audit.invitations: the history and the e-mail
machinery sit above this app.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from coursesite.people.models import Invitation, Membership


def invitation_lifetime() -> timedelta:
    return timedelta(days=settings.INVITATION_TIMEOUT_DAYS)


def invitation_expires_at(invitation: Invitation) -> datetime:
    return invitation.sent_at + invitation_lifetime()


def latest_invitation(member: Membership) -> Invitation | None:
    return member.invitations.order_by("-sent_at", "-id").first()


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "coursesite.people.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        latest = Invitation.objects.filter(member__user=user).order_by("-sent_at", "-id").values_list("id", flat=True)
        return f"{super()._make_hash_value(user, timestamp)}{latest.first()}"

    def check_token(self, user, token) -> bool:
        """Django's check with the invitation's lifetime in place of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > invitation_lifetime().total_seconds():
            return False
        return any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks])


invitation_token = InvitationTokenGenerator()


def invitation_link_args(member: Membership) -> tuple[str, str, str]:
    """The arguments of `people:invitation-accept` for the member's latest invitation, made now."""
    return member.course.slug, urlsafe_base64_encode(force_bytes(member.user_id)), invitation_token.make_token(member.user)
