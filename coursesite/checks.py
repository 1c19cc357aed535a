"""`manage.py check --deploy`: what a production site needs beyond Django's own security checks."""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs) -> list[Warning]:
    """Links in emails and the addresses the site hands out start from SITE_URL: it must be the site's own
    HTTPS address, on a host the site answers to."""
    url = urlsplit(settings.SITE_URL)
    if url.scheme != "https":
        return [Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in emails would send students to the site without TLS.",
            hint="Set SITE_URL to the site's https:// address, e.g. SITE_URL=https://course.example.edu",
            id="coursesite.W001",
        )]
    hosts = settings.ALLOWED_HOSTS
    host = url.hostname or ""
    if not validate_host(host, hosts):
        return [Warning(
            f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS {hosts}: every link in an email would be refused (400).",
            hint=f"Add it: ALLOWED_HOSTS={','.join([host, *hosts])}",
            id="coursesite.W002",
        )]
    return []
