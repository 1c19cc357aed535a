"""serve-production.sh: migrate, collectstatic and gunicorn with the production settings, in a process of
its own on a free port, behind a (pretend) TLS proxy: the requests carry the X-Forwarded-Proto it sets."""
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings

from tests.coursesite.test_deploy_checks import LONG_KEY

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "serve-production.sh"
FROM_PROXY = {"Host": "course.example.edu", "X-Forwarded-Proto": "https"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    text: str


def fetch(url: str, headers: dict[str, str] | None = None) -> Fetched:
    """The response, read whole and closed; redirects not followed and error statuses returned, not raised."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return Fetched(response.status, response.headers, response.read().decode())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """The address of gunicorn started by serve-production.sh on an empty SQLite database; stopped at the end."""
    var = tmp_path_factory.mktemp("production")
    port = free_port()
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env = {
        **keep, "DEBUG": "0", "SECRET_KEY": LONG_KEY, "ALLOWED_HOSTS": "course.example.edu",
        "SITE_URL": "https://course.example.edu", "BEHIND_TLS_PROXY": "1",
        "COURSESITE_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "STATIC_ROOT": str(var / "static"), "MEDIA_ROOT": str(var / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1",
    }
    log = (var / "serve.log").open("w")
    server = subprocess.Popen([str(SCRIPT)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"serve-production.sh stopped: {(var / 'serve.log').read_text()[-3000:]}"
            try:
                fetch(f"{base}/accounts/login/", FROM_PROXY)
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, f"gunicorn never answered: {(var / 'serve.log').read_text()[-3000:]}"
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def test_gunicorn_serves_the_login_page_with_the_security_headers(production_server):
    response = fetch(f"{production_server}/accounts/login/", FROM_PROXY)
    assert response.status == 200
    assert "<h1>Log in</h1>" in response.text
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Secure" in response.headers["Set-Cookie"]                    # the CSRF cookie, HTTPS only


def test_whitenoise_serves_the_pages_stylesheet_cached_for_a_year(production_server):
    page = fetch(f"{production_server}/accounts/login/", FROM_PROXY).text
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/coursesite/site\.[0-9a-f]{12}\.css)">', page)
    assert stylesheet, page[:1000]
    response = fetch(production_server + stylesheet[1], FROM_PROXY)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "--accent" in response.text


def test_plain_http_is_redirected_to_https(production_server):
    response = fetch(f"{production_server}/accounts/login/", {"Host": "course.example.edu"})
    assert response.status == 301
    assert response.headers["Location"] == "https://course.example.edu/accounts/login/"
