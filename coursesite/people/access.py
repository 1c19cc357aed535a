"""Who may see what. Every view starts with one of these helpers.

A non-member, or a student asking for another student's object, gets 404 so that ids
can't be probed; a member without the role gets 403; anonymous users are sent to log in
by @login_required before they get here. The apps above add helpers for their own objects in their
own access.py (an assignment or submission in assignments/access.py, an extension request in
grades/access.py, ...), on top of these.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from coursesite.display import in_course_date
from coursesite.people.models import Membership


def get_course_for_user(user, slug: str) -> tuple[models.Model, Membership]:
    """The Course and the user's membership in it; 404 for anyone who is not a member (or no such course)."""
    membership = Membership.objects.filter(user=user, course__slug=slug).select_related("course", "user").first()
    if membership is None:
        raise Http404("You are not a member of this course.")
    if membership.dropped_at is not None:
        # Like a non-member (404), but saying why: the student may not know the registrar dropped them.
        raise Http404(f"You are no longer enrolled in {membership.course}: the registrar's roster dropped you "
                      f"on {in_course_date(membership.dropped_at, membership.course)}. "   # the day the roster shows
                      "Ask the course's staff if this is a mistake.")
    return membership.course, membership


def has_role(membership: Membership, *allowed: str) -> bool:
    """Whether the member has one of the `allowed` roles: what a page may offer them (a button, a form)."""
    return membership.role in allowed


def require_role(membership: Membership, *allowed: str, message: str = "") -> None:
    """403 unless the member has one of the `allowed` roles; `message`, or one naming the roles, says why."""
    if not has_role(membership, *allowed):
        if message:
            raise PermissionDenied(message)
        names = [label.lower() + "s" for value, label in Membership.Role.choices if value in allowed]
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        raise PermissionDenied(f"Only the course's {who} may do this.")


def require_staff(membership: Membership) -> None:
    require_role(membership, *Membership.STAFF_ROLES)


def require_student(membership: Membership, message: str) -> None:
    """403 unless the member is a student of the course; `message` says who does it instead."""
    require_role(membership, Membership.Role.STUDENT, message=message)


# Said in place of a private text to staff who do not decide (TAs).
PRIVATE_TEXT_HIDDEN = "visible to the instructor and education associate"


def sees_private_reasons(viewer: Membership, about: Membership | None = None) -> bool:
    """Whether `viewer` may read private reasons about the student `about` (None: any student).

    Accommodation reasons (a grace-day grant's reason) and an extension request's note and
    document (a medical letter) stay with those who decide on them, the instructor and the
    education associate, and with the student they are about. A TA sees that a grant or a request
    exists and what was decided, not why.
    """
    return has_role(viewer, *Membership.ADMIN_ROLES) or (about is not None and about.id == viewer.id)


def require_private_reasons(viewer: Membership, about: Membership) -> None:
    """403 unless `viewer` may read the private reasons about `about` (sees_private_reasons)."""
    if not sees_private_reasons(viewer, about):
        raise PermissionDenied(f"This document is {PRIVATE_TEXT_HIDDEN} only.")
