"""One memory limit for all the processes of a sandbox run: a cgroup of its own, where the machine allows.

RLIMIT_AS bounds each process of a run; a run may start ``Limits.processes`` of them, so without a
cgroup a submission that forks and fills each child's memory could take processes × memory_bytes
from the machine. In a cgroup of its own with ``memory_bytes`` as its limit, the kernel's OOM killer
ends that run, and only it, when its processes together pass the limit.

Where the cgroup is made (``Limits.cgroup``):

* ``"auto"``: under the worker's own cgroup (``/proc/self/cgroup``), in the cgroup v1 memory tree or,
  on a cgroup v2 machine, where the worker's cgroup already hands the memory controller to its
  children (a delegated cgroup, e.g. a systemd service with ``Delegate=yes`` and the worker in a
  child of it). If the kernel refuses, runs go on with the per-process limit and
  says why (``sandbox.memory_limit_scope()``; ``manage.py bench_autograder`` prints it).
* a path: a cgroup folder prepared for this (v1 memory tree or v2 with ``+memory`` in its
  ``cgroup.subtree_control``); a refusal there is an error (``SandboxUnavailable``), not a fallback.
* ``"off"``: the per-process limit only.

A run joins its cgroup before bubblewrap starts: ``wrap`` puts ``/bin/sh -c 'echo $$ >
cgroup.procs; exec "$@"'`` in front of the command, so everything the run starts is counted.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import time
from dataclasses import dataclass
from pathlib import Path

from .sandbox_users import process_alive

MOUNT = Path("/sys/fs/cgroup")
PREFIX = "grader-run-"                   # then the worker's pid: grader-run-<pid>-<random>


class CgroupError(OSError):
    """The cgroup could not be made, set or removed."""


@dataclass(frozen=True)
class Parent:
    """A cgroup folder whose children may have a memory limit; ``v2`` tells the layout."""

    path: Path
    v2: bool


@dataclass(frozen=True)
class RunGroup:
    """The cgroup of one run."""

    path: Path
    v2: bool

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` run by a shell that first moves itself into this cgroup, then becomes ``argv``."""
        script = f'echo $$ > {shlex.quote(str(self.path / "cgroup.procs"))} && exec "$@"'
        return ["/bin/sh", "-c", script, "sandbox-cgroup", *argv]

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of the run for passing the memory limit."""
        name = "memory.events" if self.v2 else "memory.oom_control"
        with contextlib.suppress(OSError):
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and value.strip().isdigit():
                    return int(value) > 0
        return False

    def peak_bytes(self) -> int | None:
        name = "memory.peak" if self.v2 else "memory.max_usage_in_bytes"
        with contextlib.suppress(OSError, ValueError):
            return int((self.path / name).read_text())
        return None


def own_parent() -> Parent:
    """Where ``"auto"`` makes run cgroups: under the worker's own cgroup. Raises ``CgroupError``."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError as exc:
        raise CgroupError(f"cannot read /proc/self/cgroup ({exc})") from exc
    entries = {}
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            entries[controller] = path.lstrip("/")
    if "memory" in entries and (MOUNT / "memory").is_dir():
        return Parent(MOUNT / "memory" / entries["memory"], v2=False)
    if "" in entries and (MOUNT / "cgroup.controllers").is_file():
        return Parent(MOUNT / entries[""], v2=True)
    raise CgroupError("this machine has no cgroup memory controller mounted at /sys/fs/cgroup")


def parent_at(path: str) -> Parent:
    folder = Path(path)
    if (folder / "cgroup.subtree_control").is_file():
        return Parent(folder, v2=True)
    if (folder / "memory.limit_in_bytes").is_file():
        return Parent(folder, v2=False)
    raise CgroupError(f"{path} is not a cgroup v2 folder nor one of the cgroup v1 memory tree")


def create(parent: Parent, memory_bytes: int) -> RunGroup:
    """A new cgroup under ``parent`` limited to ``memory_bytes`` in all, swap included. Raises ``CgroupError``."""
    if parent.v2:
        try:
            delegated = "memory" in (parent.path / "cgroup.subtree_control").read_text().split()
        except OSError as exc:
            raise CgroupError(f"cannot read {parent.path}/cgroup.subtree_control ({exc})") from exc
        if not delegated:
            raise CgroupError(f"{parent.path} does not hand the memory controller to its children "
                              "(no memory in cgroup.subtree_control)")
    remove_orphans(parent)
    path = parent.path / f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        path.mkdir()
    except OSError as exc:
        raise CgroupError(f"cannot make a cgroup under {parent.path} ({exc.strerror or exc})") from exc
    group = RunGroup(path, parent.v2)
    try:
        if parent.v2:
            (path / "memory.max").write_text(str(memory_bytes))
            (path / "memory.oom.group").write_text("1")           # an out-of-memory kill takes the whole run
            with contextlib.suppress(FileNotFoundError):
                (path / "memory.swap.max").write_text("0")
        else:
            (path / "memory.limit_in_bytes").write_text(str(memory_bytes))
            with contextlib.suppress(FileNotFoundError, PermissionError):     # present only with swap accounting
                (path / "memory.memsw.limit_in_bytes").write_text(str(memory_bytes))
    except OSError as exc:
        remove(group)
        raise CgroupError(f"cannot set the memory limit of {path} ({exc.strerror or exc})") from exc
    return group


def remove(group: RunGroup, wait_seconds: float = 2.0) -> None:
    """Remove the run's cgroup once its processes are gone (killing any left). Raises ``CgroupError``."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            group.path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise CgroupError(f"cannot remove {group.path}: {exc.strerror or exc}") from exc
        _kill_members(group)
        time.sleep(0.005)


def remove_orphans(parent: Parent) -> list[str]:
    """Remove the cgroups of runs whose worker process is gone (a worker killed mid-grade never removed
    its run's); their processes died with bubblewrap (--die-with-parent), and any left are killed.
    Returns the names removed."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent.path):
            owner = entry.name.removeprefix(PREFIX).split("-")[0]
            if not entry.name.startswith(PREFIX) or not owner.isdigit() or process_alive(int(owner)):
                continue
            with contextlib.suppress(CgroupError):
                remove(RunGroup(Path(entry.path), parent.v2), wait_seconds=0.5)
                removed.append(entry.name)
    return removed


def run_groups(owner: int | None = None) -> list[str]:
    """The names of the run cgroups under this process's own cgroup now, all or those of one worker
    process; [] where there is no cgroup memory controller."""
    try:
        parent = own_parent()
    except CgroupError:
        return []
    pattern = f"{PREFIX}{owner}-*" if owner is not None else f"{PREFIX}*"
    return sorted(path.name for path in parent.path.glob(pattern))


def _kill_members(group: RunGroup) -> None:
    if group.v2:
        with contextlib.suppress(OSError):
            (group.path / "cgroup.kill").write_text("1")
            return
    with contextlib.suppress(OSError):
        for pid in (group.path / "cgroup.procs").read_text().split():
            with contextlib.suppress(OSError):
                os.kill(int(pid), 9)
