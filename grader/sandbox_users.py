"""The user ids sandboxes run as when the grading worker is root (see ``sandbox.py``).

Each run takes an id of its own from a pool (``Limits.first_uid`` and the next
``uid_count``), held under a file lock for the whole run, as isolate does with its box ids.
Two things follow from an id per run: RLIMIT_NPROC counts this run's processes only, and
"every process of this id" is exactly "every process of this run", which is how the end
of a run is checked (``wait_until_gone``) and how a run is killed (``kill_user``). The ids
must belong to no one else on the machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


class NoFreeUserId(RuntimeError):
    pass


@contextlib.contextmanager
def claim_user_id(first_uid: int, count: int) -> Iterator[int | None]:
    """A user id no other run is using, locked until the block ends (None when not root:
    then bubblewrap maps the worker's own user into a user namespace instead)."""
    if os.geteuid() != 0:
        yield None
        return
    lock_dir = Path(tempfile.gettempdir()) / "grader-sandbox-uids"
    lock_dir.mkdir(mode=0o700, exist_ok=True)
    for uid in range(first_uid, first_uid + count):
        fd = os.open(lock_dir / f"{uid}.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            if processes_of(uid):           # a leftover of a worker that died, or not ours: skip it
                continue
            yield uid
            return
        finally:
            os.close(fd)
    raise NoFreeUserId(f"all {count} sandbox user ids from {first_uid} are busy")


def processes_of(uid: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:       # ended while we looked
                pass
    return pids


def kill_user(uid: int) -> None:
    for pid in processes_of(uid):           # only this run's processes carry this uid
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def wait_until_gone(uid: int, seconds: float = 5.0) -> bool:
    """True once no process of the run's user id is left, killing any that still are; False
    if some outlive ``seconds``.

    When the namespace's init ends, the kernel kills the rest of the namespace, but the run
    is only over when they are gone, so the id is handed to the next run clean."""
    deadline = time.monotonic() + seconds
    while processes_of(uid):
        if time.monotonic() > deadline:
            return False
        kill_user(uid)
        time.sleep(0.002)
    return True


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (of any user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
