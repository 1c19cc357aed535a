"""Request bodies are bounded before they are read, so that no one fills the disk or memory with a POST.

Django reads a request body only up to its Content-Length, and keeps files up to
FILE_UPLOAD_MAX_MEMORY_SIZE in memory, writing larger ones to the temporary folder. So:

- a view that takes no files refuses (413) any body above DATA_UPLOAD_MAX_MEMORY_SIZE before
  anything reads it: nothing of it is read, nothing reaches the disk;
- a view marked with ``@takes_files(limit)`` gets an upload handler that stops reading files once
  they pass the view's own limit (at once when the Content-Length already says so), so at most that
  limit is ever written. The view either shows ``upload_refusal(request)`` itself (the submission
  page puts it on its form) or, by default, the person gets the 413 page with the same sentence.
"""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coursesite.assignments.uploads import megabytes


def takes_files(limit: int | Callable[..., int], *, shows_refusal: bool = False):
    """Mark a view as taking files of at most `limit` bytes in all (or `limit(**url_kwargs)`).

    With ``shows_refusal``, the view is called even when the files were stopped, and shows the reason
    (``upload_refusal(request)``); otherwise the middleware answers 413 with that reason.
    """
    def mark(view):
        view.file_limit = limit
        view.file_refusal_shown = shows_refusal
        return view
    return mark


def upload_refusal(request: HttpRequest) -> str | None:
    """Why the request's files were stopped, in a sentence for the person; None when they were not."""
    return getattr(request, "upload_refusal", None)


class LimitedFileUploadHandler(FileUploadHandler):
    """First in the chain: lets file bytes through to Django's handlers until they pass `limit`."""

    def __init__(self, request: HttpRequest, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.request_length = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # The other fields are a few bytes: a body this much larger than the limit can only hold too much.
        if self.request_length > self.limit + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            self.refuse(f"This upload is {megabytes(self.request_length)}; the limit is {megabytes(self.limit)}.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refuse(f"This upload is larger than the limit of {megabytes(self.limit)}.")
        return raw_data

    def file_complete(self, file_size: int):
        return None

    def refuse(self, message: str):
        self.request.upload_refusal = message + " Nothing was stored."
        # Read (and drop) the rest of the body rather than reset the connection, so that the browser
        # gets the page that says why; nothing more is kept or written.
        raise StopUpload(connection_reset=False)


def content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def too_large(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "request_too_large.html", {"message": message}, status=413)


class RequestBodyLimitMiddleware:
    """Applies each view's body limit (see the module's docstring); placed before CsrfViewMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        length = content_length(request)
        limit = getattr(view_func, "file_limit", None)
        if limit is None:
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return too_large(request, f"This request is {megabytes(length)}; this page takes at most "
                                          f"{megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}. Nothing was stored.")
            return None
        if length == 0:
            return None
        if callable(limit):
            limit = limit(**view_kwargs)
        request.upload_handlers.insert(0, LimitedFileUploadHandler(request, limit))
        if not view_func.file_refusal_shown and request.method == "POST":
            request.POST  # parse now (it would be at the CSRF check next) to answer a refusal here
            refusal = upload_refusal(request)
            if refusal:
                return too_large(request, refusal)
        return None
