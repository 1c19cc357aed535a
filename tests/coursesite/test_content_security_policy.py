"""The site's Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) refuses inline scripts and
styles, so no page may carry any: they live in static/coursesite/. The browser tests hold every page
they visit to the policy (tests/browser/csp.py); this finds an inline one before a browser runs."""
import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# WeasyPrint renders these to PDF on the server; no browser applies a policy to them.
PRINTED = TEMPLATES / "reports"
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),
    "inline style element": re.compile(r"<style\b"),
    "style attribute": re.compile(r"\sstyle="),
    "event handler attribute": re.compile(r"\son[a-z]+=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def served_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*.html") if PRINTED not in p.parents)


@pytest.mark.parametrize("template", served_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_page_template_has_inline_script_or_style(template):
    text = template.read_text()
    found = [f"{what} on line {text.count(chr(10), 0, m.start()) + 1}"
             for what, pattern in INLINE.items() for m in pattern.finditer(text)]
    assert not found, f"{template.relative_to(TEMPLATES)}: {found}; the CSP refuses them: move them to static/coursesite/"


def test_pages_are_sent_with_the_policy(client):
    response = client.get("/accounts/login/")
    policy = dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))
    assert (policy["script-src"], policy["style-src"], policy["object-src"], policy["frame-ancestors"]) == (
        "'self'", "'self'", "'none'", "'none'")
