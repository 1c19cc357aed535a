"""The simulated students of the deadline-rush benchmark (benchmarks/rush.py): each one, in a thread of its
own, signs in through the login page, opens the assignment page, uploads HW1 through the upload form and
polls its live feedback until the grading is finished, as a browser would, over plain HTTP.

No Django here: the students talk to the served site only, and time everything on their own clock.
"""
from __future__ import annotations

import http.cookiejar
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FINISHED = 'data-finished="1"'
SUBMISSION_URL = re.compile(r"/submissions/(\d+)/$")


@dataclass
class Timings:
    """What one student saw: seconds per request by kind, and what went wrong."""
    pages: list[float] = field(default_factory=list)        # login page, assignment page, submission page
    logins: list[float] = field(default_factory=list)       # the POST of the login form (a password hash)
    uploads: list[float] = field(default_factory=list)      # the POST of the upload form, to the redirect's page
    polls: list[float] = field(default_factory=list)        # each fetch of the live feedback
    to_feedback: float | None = None                        # upload sent -> feedback shows finished
    submission_id: int | None = None
    errors: list[str] = field(default_factory=list)


class LoopbackIsTheProxy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over the plain-HTTP hop from the (simulated) TLS proxy to gunicorn."""

    def return_ok_secure(self, cookie, request):
        return True


class Student:
    def __init__(self, base: str, username: str, password: str, assignment_path: str, files: dict[str, bytes],
                 *, poll_every: float, give_up_after: float):
        self.base, self.username, self.password = base.rstrip("/"), username, password
        self.assignment_path, self.files = assignment_path, files
        self.poll_every, self.give_up_after = poll_every, give_up_after
        # The site runs as in production, behind a TLS proxy: its cookies are Secure, and the students'
        # requests carry the proxy's X-Forwarded-Proto, so they must go back over this plain loopback too.
        self.cookies = http.cookiejar.CookieJar(LoopbackIsTheProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.timings = Timings()

    def _request(self, kind: list[float], path: str, data: bytes | None = None,
                 headers: dict[str, str] | None = None) -> tuple[str, str]:
        """(final URL, body) of one request, its time appended to `kind`; raises on a status >= 400."""
        secure_base = self.base.replace("http://", "https://", 1)
        request = urllib.request.Request(self.base + path, data=data, headers={
            "X-Forwarded-Proto": "https", "Referer": secure_base + path, **(headers or {})})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as response:
                body = response.read().decode("utf-8", "replace")
                url = response.geturl()
        finally:
            kind.append(time.perf_counter() - started)
        return url, body

    def _csrf(self, body: str, where: str) -> str:
        found = CSRF_INPUT.search(body)
        if not found:
            raise RuntimeError(f"no CSRF token on {where}")
        return found.group(1)

    def run(self) -> Timings:
        t = self.timings
        try:
            _, body = self._request(t.pages, "/accounts/login/")
            form = urllib.parse.urlencode({"csrfmiddlewaretoken": self._csrf(body, "the login page"),
                                           "username": self.username, "password": self.password}).encode()
            url, body = self._request(t.logins, "/accounts/login/", form,
                                      {"Content-Type": "application/x-www-form-urlencoded"})
            if "/accounts/login/" in url:
                raise RuntimeError("the login was refused")
            _, body = self._request(t.pages, self.assignment_path)
            fields = {"csrfmiddlewaretoken": self._csrf(body, "the assignment page"), "acknowledged_days_late": "0"}
            data, content_type = multipart(fields, self.files)
            sent = time.perf_counter()
            url, body = self._request(t.uploads, self.assignment_path + "submit/", data,
                                      {"Content-Type": content_type})
            found = SUBMISSION_URL.search(urllib.parse.urlparse(url).path)
            if not found:
                raise RuntimeError(f"the upload did not lead to a submission page (ended at {url})")
            t.submission_id = int(found.group(1))
            feedback = f"/submissions/{t.submission_id}/grading/"
            while FINISHED not in body:
                if time.perf_counter() - sent > self.give_up_after:
                    raise RuntimeError(f"no feedback {self.give_up_after:g} s after the upload")
                time.sleep(self.poll_every)
                _, body = self._request(t.polls, feedback)
            t.to_feedback = time.perf_counter() - sent
        except (urllib.error.URLError, OSError, RuntimeError) as exc:
            detail = f"HTTP {exc.code} on {exc.url}" if isinstance(exc, urllib.error.HTTPError) else str(exc)
            t.errors.append(f"{self.username}: {detail}")
        return t


def multipart(fields: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    """A multipart/form-data body as a browser sends the upload form: every file under the field "files"."""
    boundary = "----rush" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for filename, content in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def rush(students: list[Student], *, arrive_within: float) -> list[Timings]:
    """Start the students spread evenly over `arrive_within` seconds; wait for all; their timings."""
    results: list[Timings | None] = [None] * len(students)

    def one(index: int, student: Student) -> None:
        results[index] = student.run()

    threads = []
    started = time.perf_counter()
    for index, student in enumerate(students):
        arrival = started + arrive_within * index / max(1, len(students))
        time.sleep(max(0.0, arrival - time.perf_counter()))
        thread = threading.Thread(target=one, args=(index, student), name=student.username, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None]
