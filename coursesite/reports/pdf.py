"""HTML templates to PDF bytes with WeasyPrint, and the HTTP response that carries them.

A report never reaches the network or the file system: the URL fetcher refuses everything but
`data:` URIs, so a stray `<img src>` or `@import` in a template (or in text someone typed) can't
make the server fetch anything. The print style (paper, margins, running header, page numbers)
lives in templates/reports/_print.html.

WeasyPrint is imported on first use: importing it takes about 0.4 s, and the URLconf (so this
module) is imported by every `manage.py` command's system checks.
"""
from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def offline_fetcher():
    """A WeasyPrint URL fetcher limited to `data:` URIs; anything else is refused before it is opened."""
    return _offline_fetcher_class()()


@cache
def _offline_fetcher_class():
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url: str, headers=None):
            if not url.lower().startswith("data:"):
                raise ValueError(f"Reports fetch nothing from outside the document; refused {url}")
            return super().fetch(url, headers)

    return OfflineFetcher


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """The template rendered as a PDF document.

    Links are made absolute against the site's address (so they work in a PDF viewer), but nothing
    is fetched from there.
    """
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url, url_fetcher=offline_fetcher()).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """`inline` opens in the browser's viewer (the syllabus); otherwise it downloads (grade reports)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
