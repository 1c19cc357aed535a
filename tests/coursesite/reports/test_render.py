"""The render helper: a report fetches nothing from outside the document."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from coursesite.reports.pdf import offline_fetcher, render_pdf
from tests.coursesite.reports.support import pdf_text

PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw=="


@pytest.fixture
def listening_server():
    """A local HTTP server that records every request it gets."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def probe_template(settings, tmp_path):
    """A template of our own, from a folder put in front of the site's."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    def write(html: str) -> str:
        (tmp_path / "probe.html").write_text(html, encoding="utf-8")
        return "probe.html"

    return write


def test_fetcher_refuses_http_addresses():
    with pytest.raises(ValueError, match="refused http://example.org/logo.png"):
        offline_fetcher()("http://example.org/logo.png")


def test_fetcher_refuses_local_files():
    with pytest.raises(ValueError, match="refused file:///etc/passwd"):
        offline_fetcher()("file:///etc/passwd")


def test_fetcher_reads_data_uris():
    assert offline_fetcher()(PIXEL).read().startswith(b"GIF89a")


def test_a_report_with_outside_images_and_styles_renders_without_fetching_them(listening_server, probe_template):
    address, requests = listening_server
    template = probe_template(
        f'<link rel="stylesheet" href="{address}/style.css"><style>@import url("{address}/more.css");</style>'
        f'<p>Still printed</p><img src="{address}/logo.png"><img src="/relative.png"><img src="{PIXEL}">'
    )

    pdf = render_pdf(template, {})

    assert "Still printed" in pdf_text(pdf)
    assert requests == []
