"""An archive of earlier terms' submissions, uploaded by staff as a zip of folders (one top-level folder
per earlier submission), read into memory so that this term's work is compared with it too.

Everything in the zip is hostile: names, sizes and flags are the uploader's word, so every size is bounded
before anything is allocated for it, and every read is capped whatever the header says (a zip bomb
declares a few bytes and inflates to gigabytes). The limits of one folder are those of a submission read
from disk (similarity.inputs); a folder over them is left out with a sentence saying why, and the rest
of the archive is kept. Only a problem with the whole archive raises InputError.

What is kept of a folder: its .py files, compared, and its READMEs, whose declarations staff read beside
the code (similarity.readme). Junk that zip tools add (``__MACOSX/``, ``.DS_Store``, hidden folders,
``__pycache__``) and files of other kinds are left out without a word; anything that could have been a
submission's code or README and is left out is named in ``skipped``.
"""
import io
import stat
import zipfile
import zlib
from dataclasses import dataclass

from similarity.inputs import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_SUBMISSION_BYTES,
    SKIPPED_FOLDERS,
    InputError,
    python_source,
)
from similarity.readme import is_readme

MAX_ENTRIES = 20_000                    # files and folders in the zip: 500 submissions of 40 entries
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 256  # the zip's table of contents, read whole by zipfile on opening
MAX_TOTAL_BYTES = 200 * 1024 * 1024     # unpacked, all folders together
MAX_FOLDER_NAME = 200                   # characters
GOOD_ARCHIVE = ("An archive is a .zip with one folder per submission, each holding its .py files and "
                "README (for example alice/hw1.py and alice/README.md).")


@dataclass(frozen=True)
class Archive:
    submissions: dict[str, dict[str, str]]      # folder name -> {path inside the folder (posix) -> text}
    skipped: list[str]                          # one sentence per folder or file left out, and why


def read_archive(data: bytes) -> Archive:
    """The submissions of an archive (a zip's bytes), and what was left out; InputError if the archive as
    a whole cannot be used (not a zip, too many entries, too big unpacked, no submission in it)."""
    archive = _open(data)
    skipped: list[str] = []
    members = []                        # (parts of the path, entry): the files that may be kept
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")         # zip tools on Windows may write either
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if name.endswith("/") or not parts:
            continue
        if name.startswith("/") or ".." in parts or parts[0][1:] == ":":        # C: is a Windows drive
            skipped.append(f"{_shown(name)}: a path leading outside the archive (absolute, or with '..').")
        elif any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts):
            continue
        else:
            members.append((parts, info))       # every file: a folder of other files only is named below
    folders: dict[str, list] = {}
    for parts, info in _unwrapped(members):
        if len(parts) == 1:
            skipped.append(f"{_shown(info.filename)}: not in a folder; each submission is a top-level folder.")
        else:
            folders.setdefault(parts[0], []).append(("/".join(parts[1:]), info))
    budget = _Budget(MAX_TOTAL_BYTES)
    submissions = {}
    for folder, files in sorted(folders.items()):
        if len(folder) > MAX_FOLDER_NAME:
            skipped.append(f"{folder[:60]}…/: a folder name longer than {MAX_FOLDER_NAME} characters.")
            continue
        files = [(path, info) for path, info in files if _wanted(path.rsplit("/", 1)[-1])]
        files_read = _read_folder(archive, folder, files, budget, skipped)
        if files_read is not None:
            submissions[folder] = files_read
    if not submissions:
        raise InputError(f"No submission found in this archive. {GOOD_ARCHIVE}")
    return Archive(submissions=submissions, skipped=skipped)


def _open(data: bytes) -> zipfile.ZipFile:
    """The zip, its table of contents bounded before zipfile reads all of it into objects."""
    too_many = InputError(f"This archive holds more than {MAX_ENTRIES:,} files and folders: "
                          "give one homework's submissions at a time.")
    try:
        # zipfile's own reading of the zip's last record, so the bound is on what it will read next.
        end = zipfile._EndRecData(io.BytesIO(data))
        if end is None:
            raise zipfile.BadZipFile("it has no zip directory at its end")
    except _BROKEN as error:
        raise _not_a_zip(error) from None
    if end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ENTRIES:
        raise too_many
    if end[zipfile._ECD_SIZE] > MAX_DIRECTORY_BYTES:
        raise InputError(f"This archive's list of contents is over {MAX_DIRECTORY_BYTES // 1024 // 1024} MB, "
                         "far more than one homework's submissions need.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN as error:
        raise _not_a_zip(error) from None
    if len(archive.infolist()) > MAX_ENTRIES:        # the count in the last record may lie
        raise too_many
    return archive


# What zipfile raises on a damaged zip (a name not in UTF-8 is a ValueError); anything else is a bug here.
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError, zlib.error)


def _not_a_zip(error: Exception) -> InputError:
    return InputError(f"This is not a zip file: {error}. {GOOD_ARCHIVE}")


def _shown(path: str) -> str:
    """A path from the zip as a reason names it: bounded, since the uploader chose it."""
    return path if len(path) <= MAX_FOLDER_NAME else path[:MAX_FOLDER_NAME - 1] + "…"


def _wanted(name: str) -> bool:
    return name.endswith(".py") or is_readme(name)


def _unwrapped(members: list) -> list:
    """People often zip the folder holding the submissions (s20/alice/hw1.py, s20/bob/hw1.py): a single
    top-level folder that holds folders and no .py file of its own is unwrapped, one level. Left as it
    is, the whole class would be one submission. A file beside the folders (s20/README.md) or beside the
    wrapper is then outside any folder, and is named in skipped."""
    wanted = [(parts, info) for parts, info in members if _wanted(parts[-1])]
    folders = {parts[0] for parts, _ in wanted if len(parts) > 1}
    if (len(folders) == 1 and any(len(parts) > 2 for parts, _ in wanted)
            and not any(len(parts) == 2 and parts[-1].endswith(".py") for parts, _ in wanted)):
        return [(parts[1:] if len(parts) > 1 else parts, info) for parts, info in members]
    return members


class _Budget:
    """The bytes still allowed to be unpacked from the whole archive."""

    def __init__(self, left: int):
        self.left = left

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise InputError(f"This archive unpacks to more than {MAX_TOTAL_BYTES // 1024 // 1024} MB of code "
                             "and READMEs: give one homework's submissions at a time.")


def _read_folder(archive: zipfile.ZipFile, folder: str, files: list, budget: _Budget,
                 skipped: list[str]) -> dict[str, str] | None:
    """One submission's files (path inside the folder -> text), or None with the reason in skipped."""
    python = [path for path, _ in files if path.endswith(".py")]
    if not python:
        skipped.append(f"{folder}/: no .py file.")
        return None
    if len(python) > MAX_FILES:
        skipped.append(f"{folder}/: more than {MAX_FILES} .py files; is this one submission?")
        return None
    if sum(info.file_size for _, info in files) > MAX_SUBMISSION_BYTES:     # declared: checked before reading
        skipped.append(f"{folder}/: more than {MAX_SUBMISSION_BYTES // 1024 // 1024} MB of .py files and READMEs.")
        return None
    kept, total = {}, 0
    for path, info in sorted(files, key=lambda file: file[0]):
        text, size = _read_file(archive, info, path.endswith(".py"), budget)
        total += size
        if total > MAX_SUBMISSION_BYTES:    # the sizes declared were lies
            skipped.append(f"{folder}/: more than {MAX_SUBMISSION_BYTES // 1024 // 1024} MB of .py files and "
                           "READMEs once unpacked.")
            return None
        if isinstance(text, _Refused):
            skipped.append(f"{_shown(f'{folder}/{path}')}: {text.reason}")
        else:
            kept[path] = text
    if not any(path.endswith(".py") for path in kept):
        skipped.append(f"{folder}/: none of its .py files could be read.")
        return None
    return kept


@dataclass(frozen=True)
class _Refused:
    reason: str


def _read_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo, is_code: bool,
               budget: _Budget) -> tuple[str | _Refused, int]:
    """The text of one entry and the bytes unpacked for it, or why it is refused. Never more than
    MAX_FILE_BYTES + 1 bytes are unpacked, whatever the entry declares."""
    if stat.S_ISLNK(info.external_attr >> 16):
        return _Refused("a symbolic link, which could point anywhere."), 0
    if info.flag_bits & 0x1:
        return _Refused("encrypted, so it cannot be read."), 0
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # zipfile bounds what one read inflates only for deflate: a few KB of bzip2 can unpack to gigabytes.
        return _Refused("compressed with a method other than the usual (deflate); zip it again with the "
                        "ordinary settings."), 0
    too_big = _Refused(f"larger than {MAX_FILE_BYTES // 1024} KB, too big to be a submission's "
                       f"{'code' if is_code else 'README'}.")
    if info.file_size > MAX_FILE_BYTES:
        return too_big, 0
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except _BROKEN as error:
        return _Refused(f"cannot be unpacked ({error})."), 0
    budget.take(len(data))
    if len(data) > MAX_FILE_BYTES:
        return too_big, len(data)
    if not is_code:     # shown to staff, not run: a README in another encoding is still worth reading
        if b"\0" in data:
            return _Refused("a binary file, not text."), len(data)
        return data.decode("utf-8-sig", errors="replace"), len(data)
    try:
        return python_source(data), len(data)
    except InputError as refused:
        return _Refused(str(refused)), len(data)
