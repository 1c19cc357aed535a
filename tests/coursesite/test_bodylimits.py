"""Large request bodies streamed to a live server: refused before they reach the disk, with a message.

Each test sends its body over a real socket (http.client, 1 MB at a time, never held whole in memory)
while a thread samples the upload temporary folder, and asserts on the largest file seen there.
"""
import http.client
import html
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils.html import strip_tags

from coursesite.assignments.models import RefusedUpload, Submission
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory

MB = 1024 * 1024
CSRF = "a" * 32          # an unmasked CSRF secret is a valid form token when it equals the cookie


class FolderWatch:
    """The largest file and the largest total size seen in `folder` while it ran (sampled every 10 ms)."""

    def __init__(self, folder: Path):
        self.folder, self.largest_file, self.largest_total = folder, 0, 0
        self.running = True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self):
        while self.running:
            sizes = []
            for path in self.folder.rglob("*"):
                try:
                    sizes.append(path.stat().st_size)
                except FileNotFoundError:
                    pass
            self.largest_file = max([self.largest_file, *sizes])
            self.largest_total = max(self.largest_total, sum(sizes))
            time.sleep(0.01)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


@pytest.fixture
def upload_temp(settings, tmp_path):
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def stream_post(url: str, path: str, head: bytes, size: int, tail: bytes, content_type: str,
                cookies: str = "") -> tuple[int, str]:
    """POST head + `size` filler bytes + tail to the live server; the status and the page's text."""
    netloc = urlsplit(url).netloc
    connection = http.client.HTTPConnection(netloc, timeout=120)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", content_type)
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.putheader("Referer", url + path)
    if cookies:
        connection.putheader("Cookie", cookies)
    connection.endheaders()
    chunk = b"%" * MB
    try:
        connection.send(head)
        for _ in range(size // MB):
            connection.send(chunk)
        connection.send(tail)
    except (BrokenPipeError, ConnectionResetError):
        pass                    # the server may answer before it has read everything
    response = connection.getresponse()
    text = " ".join(html.unescape(strip_tags(response.read().decode())).split())
    connection.close()
    return response.status, text


def multipart(fields: dict[str, str], file_field: str, file_name: str) -> tuple[bytes, bytes, str]:
    boundary = "----bodylimits-test"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
             f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head, tail, f"multipart/form-data; boundary={boundary}"


@pytest.mark.django_db(transaction=True)
def test_a_200_mb_post_to_the_login_page_is_refused_before_it_is_read(live_server, upload_temp):
    head, tail, content_type = multipart({"username": "alice", "password": "x"}, "file", "big.pdf")

    with FolderWatch(upload_temp) as watch:
        status, text = stream_post(live_server.url, "/accounts/login/", head, 200 * MB, tail, content_type)

    assert status == 413
    assert "This request is 200.0 MB; this page takes at most 2.5 MB. Nothing was stored." in text
    assert watch.largest_total == 0


@dataclass(frozen=True)
class SignedInUpload:
    """alice, signed in, about to post a PDF to ps1's upload URL: the multipart head and tail around the file."""
    alice: Membership
    url: str
    cookies: str
    head: bytes
    tail: bytes
    content_type: str


@pytest.fixture
def pdf_upload(client) -> SignedInUpload:
    course = CourseFactory(slug="10707-s21")
    pset = AssignmentFactory(course=course, key="ps1")
    alice = MembershipFactory(course=course, user=UserFactory(username="alice"), role=Membership.Role.STUDENT)
    client.force_login(alice.user)
    cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"
    head, tail, content_type = multipart({"csrfmiddlewaretoken": CSRF, "acknowledged_days_late": "0"},
                                         "files", "writeup.pdf")
    return SignedInUpload(alice, f"/courses/{course.slug}/assignments/{pset.key}/submit/", cookies, head, tail,
                          content_type)


@pytest.mark.django_db(transaction=True)
def test_a_300_mb_upload_is_stopped_at_the_assignment_limit_with_the_forms_message(live_server, upload_temp,
                                                                                   pdf_upload):

    with FolderWatch(upload_temp) as watch:
        started = time.monotonic()
        status, text = stream_post(live_server.url, pdf_upload.url, pdf_upload.head, 300 * MB, pdf_upload.tail,
                                   pdf_upload.content_type, pdf_upload.cookies)
        seconds = time.monotonic() - started

    assert status == 400
    assert "This upload is 300.0 MB; the limit is 20.0 MB. Nothing was stored." in text
    assert watch.largest_total == 0             # stopped at the file's first byte: the length said it all
    assert not Submission.objects.exists()
    assert RefusedUpload.objects.filter(member=pdf_upload.alice).count() == 1
    print(f"300 MB upload refused in {seconds:.1f} s; largest temporary file {watch.largest_file} bytes")


@pytest.mark.django_db(transaction=True)
def test_an_upload_whose_length_hides_its_size_is_stopped_once_it_passes_the_limit(live_server, upload_temp,
                                                                                    pdf_upload, settings):
    # A body within the limit plus the slack allowed for other fields (2.5 MB): its length does not
    # give it away, so the file's bytes are counted as they arrive and stopped past the limit.
    settings.SUBMISSION_PDF_MAX_BYTES = 3 * MB

    with FolderWatch(upload_temp) as watch:
        status, text = stream_post(live_server.url, pdf_upload.url, pdf_upload.head, 5 * MB, pdf_upload.tail,
                                   pdf_upload.content_type, pdf_upload.cookies)

    assert status == 400
    assert "This upload is larger than the limit of 3.0 MB. Nothing was stored." in text
    assert watch.largest_file <= 3 * MB
    assert not Submission.objects.exists()
