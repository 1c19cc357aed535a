"""Checks on what a student uploads, before anything is stored.

Every refusal is an UploadRefused with a sentence the student can act on. The checks read
at most the configured limits of bytes, whatever sizes a file or a zip header claims.
"""
from __future__ import annotations

import hashlib
import io
import lzma
import os
import re
import resource
import select
import signal
import stat
import time
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from pypdf import PdfReader

CODE_EXTENSIONS = (".py", ".md", ".txt")
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
IGNORED_IN_ZIPS = ("__MACOSX/", ".DS_Store")
PDF_MAGIC = b"%PDF-"                # a PDF's first bytes, whatever its name says
PDF_CHECK_MEMORY_BYTES = 1 << 30    # what the PDF check's child may allocate beyond the site's own size
PDF_CHECK_WALL_FACTOR = 10          # wall-clock bound of the check, in multiples of its CPU bound (a busy machine)


class UploadRefused(ValueError):
    """The upload is refused as a whole; nothing of it is stored."""


@dataclass(frozen=True)
class UploadLimits:
    pdf_max_bytes: int
    code_file_max_bytes: int
    code_total_max_bytes: int
    code_max_files: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            pdf_max_bytes=settings.SUBMISSION_PDF_MAX_BYTES,
            code_file_max_bytes=settings.SUBMISSION_CODE_FILE_MAX_BYTES,
            code_total_max_bytes=settings.SUBMISSION_CODE_TOTAL_MAX_BYTES,
            code_max_files=settings.SUBMISSION_CODE_MAX_FILES,
        )


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class CheckedUpload:
    files: tuple[CheckedFile, ...]

    @property
    def sha256(self) -> str:
        """One digest for the whole submission: over the sorted names and file digests."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(f"{f.name}\0{f.sha256}\n".encode())
        return digest.hexdigest()


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def read_bounded(upload: UploadedFile, limit: int, what: str) -> bytes:
    """The upload's bytes, refusing it when it is empty or larger than `limit`."""
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(f"{what} is {megabytes(upload.size)}; the limit is {megabytes(limit)}.")
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(f"{what} is larger than the limit of {megabytes(limit)}.")
    if not content:
        raise UploadRefused(f"{what} is empty.")
    return content


def check_pdf_upload(uploads: Sequence[UploadedFile], limits: UploadLimits) -> CheckedUpload:
    """Exactly one real, readable PDF within the size limit."""
    if not uploads:
        raise UploadRefused("Choose your write-up as one PDF file.")
    if len(uploads) > 1:
        raise UploadRefused("Upload exactly one PDF file (your whole write-up), not several files.")
    upload = uploads[0]
    content = read_bounded(upload, limits.pdf_max_bytes, f"“{upload.name}”")
    if not content.startswith(PDF_MAGIC):
        raise UploadRefused(f"“{upload.name}” is not a PDF file. Export your write-up from LaTeX as a PDF.")
    problem = pdf_problem(content, f"“{upload.name}”")
    if problem:
        raise UploadRefused(problem)
    return CheckedUpload(files=(CheckedFile(name=pdf_name(upload.name), content=content),))


def pdf_problem(content: bytes, shown: str, *, name_the_error: bool = True) -> str | None:
    """Why a PDF's content is refused, in a sentence about the file `shown`; None when it is fine.

    The one PDF check, for write-ups and for extension documents alike: it must open (pypdf,
    leniently), not ask for a password and have at least one page, all within
    settings.PDF_CHECK_CPU_SECONDS of CPU time. `name_the_error` adds the reader's error to
    "could not be read" (the upload page says it, the extension page not).
    """
    seconds = settings.PDF_CHECK_CPU_SECONDS
    outcome, detail = read_pdf_bounded(content, cpu_seconds=seconds)
    if outcome == "slow":
        return (f"We could not read {shown} within {seconds} s: it may be damaged or built to be slow to read. "
                "Export it again as a PDF (from LaTeX, or your editor's “Save as PDF”) and upload that.")
    if outcome == "encrypted":
        return f"{shown} is password-protected; upload it without a password."
    if outcome == "error":
        error = f" ({detail})" if name_the_error else ""
        return f"{shown} could not be read as a PDF{error}; is it damaged?"
    if detail == "0":
        return f"{shown} has no pages."
    return None


def read_pdf_bounded(content: bytes, *, cpu_seconds: int) -> tuple[str, str]:
    """("pages", count), ("encrypted", ""), ("error", exception name) or ("slow", "").

    pypdf reads in pure Python: a crafted file of a few megabytes (a page tree of 100 000 leaves,
    say) keeps it busy for many seconds. So it reads in a forked child whose CPU time is capped
    by RLIMIT_CPU (the kernel stops it) and whose memory is capped too; the site's process only
    waits, at most a wall-clock bound, for a one-line answer on a pipe.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                       # the child: read, answer, leave without cleanup
        try:
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
            address_space = _address_space_bytes()
            if address_space:
                limit = address_space + PDF_CHECK_MEMORY_BYTES
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.write(write_end, ":".join(_read_pdf(content)).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        answer = _read_answer(read_end, timeout=PDF_CHECK_WALL_FACTOR * cpu_seconds + 5)
    finally:
        os.close(read_end)
        if answer is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
    if not answer:
        return ("slow", "")                            # killed by the CPU limit (SIGXCPU), or out of time
    outcome, _, detail = answer.decode().partition(":")
    return (outcome, detail)


def _read_pdf(content: bytes) -> tuple[str, str]:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return ("encrypted", "")
        return ("pages", str(len(reader.pages)))
    except Exception as exc:                           # any failure of a hostile file is a refusal
        return ("error", type(exc).__name__)


def _read_answer(fd: int, timeout: float) -> bytes | None:
    """What the child wrote before it exited (b"" if it died first); None if it ran out of wall time."""
    deadline = time.monotonic() + timeout
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 4096)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _address_space_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def pdf_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", PurePosixPath(name.replace("\\", "/")).name).strip("-.")
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return f"{stem[:80] or 'writeup'}.pdf"


def check_code_upload(
    uploads: Sequence[UploadedFile], required: Sequence[str], limits: UploadLimits
) -> CheckedUpload:
    """Code files plus a README, as separate files or as one zip; the required files present."""
    if not uploads:
        raise UploadRefused(f"Choose your files ({', '.join(required)}), or one zip file holding them.")
    if len(uploads) == 1 and uploads[0].name.lower().endswith(".zip"):
        files = files_from_zip(uploads[0], limits)
    else:
        if len(uploads) > limits.code_max_files:
            raise UploadRefused(f"{len(uploads)} files is too many; at most {limits.code_max_files}.")
        files = [CheckedFile(check_code_name(u.name), read_bounded(u, limits.code_file_max_bytes, f"“{u.name}”"))
                 for u in uploads]
    names = [f.name for f in files]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UploadRefused(f"These files appear twice: {', '.join(duplicates)}.")
    missing = [name for name in required if name not in names]
    if missing:
        raise UploadRefused(f"Missing required file(s): {', '.join(missing)}. You handed in: {', '.join(sorted(names))}.")
    total = sum(len(f.content) for f in files)
    if total > limits.code_total_max_bytes:
        raise UploadRefused(f"Your files add up to {megabytes(total)}; the limit is {megabytes(limits.code_total_max_bytes)}.")
    return CheckedUpload(files=tuple(files))


def check_code_name(name: str) -> str:
    if not SAFE_NAME.fullmatch(name) or ".." in name:
        raise UploadRefused(
            f"“{name}” is not an allowed file name: use letters, digits, '_', '-' and '.', with no folders."
        )
    if not name.lower().endswith(CODE_EXTENSIONS):
        raise UploadRefused(f"“{name}” is not a code or text file; allowed endings: {', '.join(CODE_EXTENSIONS)}.")
    return name


def files_from_zip(upload: UploadedFile, limits: UploadLimits) -> list[CheckedFile]:
    """The files of a zip, refusing path escapes, links, encryption and anything over the limits."""
    content = read_bounded(upload, limits.code_total_max_bytes, f"“{upload.name}”")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, NotImplementedError) as exc:
        raise UploadRefused(f"“{upload.name}” is not a valid zip file.") from exc
    members = []
    for info in infos:
        path = info.filename
        if not path:
            raise UploadRefused(f"“{upload.name}” is not a valid zip file: it holds an entry without a name.")
        if path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path) or ".." in PurePosixPath(path).parts:
            raise UploadRefused(f"The zip holds “{path}”, a path that leads outside the submission; zip only your files.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UploadRefused(f"The zip holds “{path}”, a symbolic link; zip the files themselves.")
        if info.flag_bits & 0x1:
            raise UploadRefused("The zip is password-protected; upload it without a password.")
        if info.is_dir() or path.startswith(IGNORED_IN_ZIPS) or path.endswith(IGNORED_IN_ZIPS):
            continue
        members.append(info)
    if len(members) > limits.code_max_files:
        raise UploadRefused(f"The zip holds {len(members)} files; at most {limits.code_max_files} are allowed.")
    declared = sum(info.file_size for info in members)
    if declared > limits.code_total_max_bytes:
        raise UploadRefused(
            f"The zip unpacks to {megabytes(declared)}; the limit is {megabytes(limits.code_total_max_bytes)}."
        )
    prefix = common_folder([info.filename for info in members])
    files = []
    for info in members:
        name = info.filename[len(prefix):]
        if "/" in name:
            raise UploadRefused(f"The zip holds “{info.filename}” in a sub-folder; put your files at its top level.")
        check_code_name(name)
        # Read at most the limit, whatever the header claims: a lying header can't inflate us.
        try:
            with archive.open(info) as member:
                data = member.read(limits.code_file_max_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, ValueError, OSError) as exc:
            raise UploadRefused(f"“{info.filename}” in the zip is damaged or uses an unsupported compression.") from exc
        if len(data) > limits.code_file_max_bytes:
            raise UploadRefused(f"“{name}” unpacks to more than {megabytes(limits.code_file_max_bytes)}.")
        files.append(CheckedFile(name=name, content=data))
    if not files:
        raise UploadRefused("The zip holds no files.")
    return files


def common_folder(paths: list[str]) -> str:
    """'hw1/' when every path sits in that one folder (a zipped folder), else ''."""
    tops = {p.split("/", 1)[0] for p in paths}
    if len(tops) == 1 and all("/" in p for p in paths):
        return tops.pop() + "/"
    return ""
