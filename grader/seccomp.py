"""A seccomp filter that keeps sandboxed code from making namespaces or mounts of its own.

Without it, code running as an unprivileged user may still create a user namespace (Debian
allows that to everyone), become root in it, and mount a tmpfs of any size: memory that no
rlimit counts. bubblewrap's ``--disable-userns`` needs a user namespace of its own, which a
root worker does not use (see ``sandbox.py``), so the filter is what closes it, in both
modes. It is a classic BPF program, handed to ``bwrap --seccomp FD``:

    other architecture (32-bit or x32 calls)   -> kill the process
    unshare, setns, mount, umount2, pivot_root  -> EPERM
    clone3                                      -> ENOSYS (glibc then falls back to clone)
    clone with a CLONE_NEW* flag                -> EPERM
    anything else                               -> allowed
"""

from __future__ import annotations

import contextlib
import os
import platform
import struct
from collections.abc import Iterator

# struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
LOAD = 0x20                     # BPF_LD | BPF_W | BPF_ABS
JEQ = 0x15                      # BPF_JMP | BPF_JEQ | BPF_K
JSET = 0x45                     # BPF_JMP | BPF_JSET | BPF_K
RET = 0x06                      # BPF_RET | BPF_K

ALLOW = 0x7FFF0000
KILL_PROCESS = 0x80000000
EPERM = 0x00050000 | 1
ENOSYS = 0x00050000 | 38

NAMESPACE_FLAGS = 0x7E020080    # CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME
X32_BIT = 0x40000000

# (audit arch, {syscall: number}) per machine
SYSCALLS = {
    "x86_64": (0xC000003E, {"unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
                            "clone": 56, "clone3": 435}),
    "aarch64": (0xC00000B7, {"unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41,
                             "clone": 220, "clone3": 435}),
}


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine: str | None = None) -> bytes | None:
    """The filter for this machine's architecture, or None where we have no syscall table."""
    table = SYSCALLS.get(machine or platform.machine())
    if table is None:
        return None
    arch, numbers = table
    denied = [numbers[name] for name in ("unshare", "setns", "mount", "umount2", "pivot_root")]
    ops = [
        _op(LOAD, 4),                               # seccomp_data.arch
        _op(JEQ, arch, jt=1),
        _op(RET, KILL_PROCESS),
        _op(LOAD, 0),                               # seccomp_data.nr
        _op(JSET, X32_BIT, jf=1),
        _op(RET, KILL_PROCESS),
    ]
    for number in denied:
        ops += [_op(JEQ, number, jf=1), _op(RET, EPERM)]
    ops += [
        _op(JEQ, numbers["clone3"], jf=1),
        _op(RET, ENOSYS),
        _op(JEQ, numbers["clone"], jf=3),
        _op(LOAD, 16),                              # low 32 bits of args[0], the flags (little-endian)
        _op(JSET, NAMESPACE_FLAGS, jf=1),
        _op(RET, EPERM),
        _op(RET, ALLOW),
    ]
    return b"".join(ops)


@contextlib.contextmanager
def filter_fd() -> Iterator[int | None]:
    """The read end of a pipe holding the program, for bwrap --seccomp (None: no filter for
    this architecture)."""
    code = program()
    if code is None:
        yield None
        return
    read, write = os.pipe()
    try:
        os.write(write, code)                       # a few hundred bytes: fits the pipe's buffer
        os.close(write)
        yield read
    finally:
        os.close(read)
