"""Reading submissions from disk, bounded: what a staff member points the command at may be anything."""
import itertools
from pathlib import Path

MAX_FILE_BYTES = 512 * 1024         # a HW1 file is ~10 KB; anything this big is not a student's code
MAX_FILES = 200                     # .py files per submission
MAX_SUBMISSION_BYTES = 4 * 1024 * 1024
SKIPPED_FOLDERS = {"__pycache__", "__MACOSX", "node_modules"}


class InputError(ValueError):
    """Input the command cannot use; the message says which and why."""


def read_source(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror or error}).") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KB, too big to be a submission's code.")
    try:
        return python_source(data)
    except InputError as refused:
        raise InputError(f"{path}: {refused}") from None


def python_source(data: bytes) -> str:
    """The text of a .py file's bytes: UTF-8 (a byte-order mark allowed), no NUL byte; InputError saying which
    not. The one rule for files from disk, from an archive and from the site's storage."""
    if b"\0" in data:
        raise InputError("a binary file, not Python source.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text, so not Python source the grader could run.") from None


def read_submission(path: Path) -> dict[str, str]:
    """The .py files of a submission (a folder, searched below, or one file): path inside it -> source.
    Hidden folders, caches and symbolic links are skipped (a link could point anywhere)."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder.")
    if path.is_file():
        if path.suffix != ".py":
            raise InputError(f"{path}: not a .py file (give a folder holding one submission, or its .py file).")
        return {path.name: read_source(path)}
    found = (p for p in path.rglob("*.py") if p.is_file() and not p.is_symlink()
             and not any(part.startswith(".") or part in SKIPPED_FOLDERS for part in p.relative_to(path).parts[:-1]))
    files = sorted(itertools.islice(found, MAX_FILES + 1))      # stops early in a folder far too big
    if not files:
        raise InputError(f"{path}: no .py file in this folder.")
    if len(files) > MAX_FILES:
        raise InputError(f"{path}: more than {MAX_FILES} .py files; is this one submission?")
    sources, total = {}, 0
    for file in files:
        sources[file.relative_to(path).as_posix()] = code = read_source(file)
        total += len(code)
        if total > MAX_SUBMISSION_BYTES:
            raise InputError(f"{path}: more than {MAX_SUBMISSION_BYTES // 1024 // 1024} MB of .py files.")
    return sources


def submission_name(path: Path) -> str:
    return str(path).rstrip("/") or "/"
