"""The 403 and 404 pages: in the site's header, with the reason the view gave and what to do next.

On a course's page the header is the course's, but only for a member of it: a 404 must not tell anyone else
that a course with that address exists.
"""
from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coursesite.people.models import Membership

# Django's own Http404 text for get_object_or_404 names a model: useless to the reader, and it tells what was asked.
_QUERY_TEXT = " matches the given query"
# An address no URL pattern matched has no resolver match to take the slug from; under a course's prefix it is
# still that course's (a mistyped or outdated link from one of its pages or e-mails).
_UNDER_A_COURSE = re.compile(r"^/courses/(?P<slug>[-a-zA-Z0-9_]+)/")


def _reason(exception: Exception | None) -> str:
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) and _QUERY_TEXT not in message else ""


def _member(request: HttpRequest) -> Membership | None:
    match = getattr(request, "resolver_match", None)
    if match:
        slug = match.kwargs.get("slug")
    else:
        under = _UNDER_A_COURSE.match(request.path_info)
        slug = under["slug"] if under else None
    if not slug or not request.user.is_authenticated:
        return None
    return Membership.objects.filter(course__slug=slug, user=request.user).select_related("course").first()


def _page(request: HttpRequest, template: str, exception: Exception | None, status: int) -> HttpResponse:
    member = _member(request)
    return render(request, template, {"reason": _reason(exception), "member": member,
                                      "course": member.course if member else None}, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", exception, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", exception, 404)
