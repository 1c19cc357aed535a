"""The 403 and 404 pages: in the site's header, with the reason the view gave and what to do next.

On a course's page the header is the course's, but only for a member of it: a 404 must not tell anyone else
that a course with that address exists.
"""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coursesite.people.models import Membership

# Django's own Http404 text for get_object_or_404 names a model: useless to the reader, and it tells what was asked.
_QUERY_TEXT = " matches the given query"


def _reason(exception: Exception | None) -> str:
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) and _QUERY_TEXT not in message else ""


def _member(request: HttpRequest) -> Membership | None:
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("slug") if match else None
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
