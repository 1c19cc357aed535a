"""The seccomp filter every sandbox runs under: kernel surfaces that namespaces do not cover.

bubblewrap's namespaces hide the network, the file system and other processes, but not these:

    another architecture's calls (32-bit, x32)        -> kill the process
    unshare, setns, mount, umount2, pivot_root,
    clone with a CLONE_NEW* flag                      -> EPERM   (a user namespace's root could mount a
                                                                  tmpfs of any size: memory no rlimit counts)
    clone3                                            -> ENOSYS  (its flags are in memory a filter can't
                                                                  read; glibc then falls back to clone)
    socket / socketpair of family AF_VSOCK            -> EAFNOSUPPORT (a network namespace does not cover
                                                                  vsock: on a VM worker the host answers)
    io_uring_setup, io_uring_enter, io_uring_register -> ENOSYS  (its operations bypass seccomp)
    add_key, request_key, keyctl                      -> EPERM   (the user keyring @u outlives a run and is
                                                                  shared with the next run of the same uid)
    perf_event_open, bpf, userfaultfd                 -> EPERM   (kernel attack surface no grading needs)
    anything else                                     -> allowed

The program is built with libseccomp (through pyseccomp) rather than assembled by hand, once per
process, and handed to ``bwrap --seccomp FD``. Where no filter can be built (no libseccomp, an
architecture it does not know), ``filter_fd`` raises ``SeccompUnavailable``: no code runs unfiltered.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import socket
import tempfile
from collections.abc import Iterator

AF_VSOCK = getattr(socket, "AF_VSOCK", 40)

# Every namespace flag of clone(2): CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME.
NAMESPACE_FLAGS = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)

DENIED = {
    errno.EPERM: ("unshare", "setns", "mount", "umount2", "pivot_root", "add_key", "request_key", "keyctl",
                  "perf_event_open", "bpf", "userfaultfd"),
    errno.ENOSYS: ("clone3", "io_uring_setup", "io_uring_enter", "io_uring_register"),
}


class SeccompUnavailable(RuntimeError):
    """No seccomp filter can be built on this machine, so no student code may run here."""


@functools.cache
def program() -> bytes:
    """The filter as a BPF program for this machine's architecture (built once per process)."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:       # OSError: the package is there, libseccomp.so.2 is not
        raise SeccompUnavailable(f"libseccomp could not be loaded ({exc}); install Debian's libseccomp2.") from exc
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
        for error, names in DENIED.items():
            for name in names:
                rules.add_rule(seccomp.ERRNO(error), name)
        for flag in NAMESPACE_FLAGS:
            rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
        for name in ("socket", "socketpair"):
            rules.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), name, seccomp.Arg(0, seccomp.EQ, AF_VSOCK))
        with tempfile.TemporaryFile() as exported:
            rules.export_bpf(exported)
            exported.seek(0)
            return exported.read()
    except (OSError, RuntimeError, ValueError) as exc:
        raise SeccompUnavailable(f"libseccomp could not build the sandbox's filter here: {exc}") from exc


@contextlib.contextmanager
def filter_fd() -> Iterator[int]:
    """The read end of a pipe holding the program, for ``bwrap --seccomp FD``."""
    code = program()
    read, write = os.pipe()
    try:
        os.write(write, code)                       # a few hundred bytes: fits the pipe's buffer
        os.close(write)
        yield read
    finally:
        os.close(read)
