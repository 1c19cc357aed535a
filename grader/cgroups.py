"""One memory limit and one core for all the processes of a sandbox run: a cgroup of its own, where the machine allows.

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

CPU (issue 14): RLIMIT_CPU too binds each process only, and a run of many processes could take
every core of the machine for the whole wall limit. So the run's cgroup also gets

* a quota of one core (``CPU_PERIOD_US`` of CPU every ``CPU_PERIOD_US``): cgroup v1's ``cpu``
  controller (``cpu.cfs_quota_us``, in a folder of the cpu tree under the worker's own cgroup there),
  or v2's ``cpu.max`` where the parent hands the cpu controller to its children. Where neither is
  allowed, runs go on without a quota and say why (``sandbox.cpu_limit_scope()``);
* the CPU time of all its processes together (``RunGroup.cpu_seconds``): v1's ``cpuacct.usage``
  (a folder of the cpuacct tree, as for the quota) or v2's ``cpu.stat``, present in every v2 cgroup.
  ``sandbox.py`` reports it and holds it to ``Limits.cpu_seconds``; where it cannot be read,
  ``sandbox.py`` sums the run's processes from /proc instead.

In cgroup v1 these other trees are always those of the worker's own cgroup, also when
``Limits.cgroup`` names a folder of the memory tree. Their folders are named as the memory one,
made and removed with it; if the kernel refuses them, the run goes on without them.

A run joins its cgroups before bubblewrap starts: ``wrap`` puts ``/bin/sh -c 'echo $$ >
cgroup.procs; ...; exec "$@"'`` in front of the command, so everything the run starts is counted.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .sandbox_users import process_alive

MOUNT = Path("/sys/fs/cgroup")
PREFIX = "grader-run-"                   # then the worker's pid: grader-run-<pid>-<random>
CPU_PERIOD_US = 100_000                 # the kernel's default CFS period; the quota is one period per period


class CgroupError(OSError):
    """The cgroup could not be made, set or removed."""


@dataclass(frozen=True)
class Parent:
    """A cgroup folder whose children may have a memory limit; ``v2`` tells the layout. In v1, the
    worker's own folders of the cpu and cpuacct trees (None where the tree is not mounted)."""

    path: Path
    v2: bool
    cpu: Path | None = None
    cpuacct: Path | None = None


@dataclass(frozen=True)
class RunGroup:
    """The cgroup of one run: ``path`` (memory in v1, all in v2) and, in v1, its folders of the cpu and
    cpuacct trees where they could be made. ``cpu_quota`` says whether the kernel holds the run to one
    core; if not, ``no_quota_because`` says why."""

    path: Path
    v2: bool
    cpu: Path | None = None
    cpuacct: Path | None = None
    cpu_quota: bool = False
    no_quota_because: str = ""

    def folders(self) -> list[Path]:
        return list(dict.fromkeys(f for f in (self.path, self.cpu, self.cpuacct) if f is not None))

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` run by a shell that first moves itself into this cgroup, then becomes ``argv``."""
        joins = " && ".join(f'echo $$ > {shlex.quote(str(folder / "cgroup.procs"))}' for folder in self.folders())
        return ["/bin/sh", "-c", f'{joins} && exec "$@"', "sandbox-cgroup", *argv]

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by all the run's processes, those already ended included; None where
        the kernel does not count it for this cgroup."""
        with contextlib.suppress(OSError, ValueError):
            if self.v2:
                for line in (self.path / "cpu.stat").read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "usage_usec":
                        return int(value) / 1e6
            elif self.cpuacct is not None:
                return int((self.cpuacct / "cpuacct.usage").read_text()) / 1e9
        return None

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
    entries = _own_entries()
    if "memory" in entries and (MOUNT / "memory").is_dir():
        return Parent(MOUNT / "memory" / entries["memory"], v2=False, **_v1_cpu_trees(entries))
    if "" in entries and (MOUNT / "cgroup.controllers").is_file():
        return Parent(MOUNT / entries[""], v2=True)
    raise CgroupError("this machine has no cgroup memory controller mounted at /sys/fs/cgroup")


def parent_at(path: str) -> Parent:
    folder = Path(path)
    if (folder / "cgroup.subtree_control").is_file():
        return Parent(folder, v2=True)
    if (folder / "memory.limit_in_bytes").is_file():
        try:
            entries = _own_entries()
        except CgroupError:
            entries = {}
        return Parent(folder, v2=False, **_v1_cpu_trees(entries))
    raise CgroupError(f"{path} is not a cgroup v2 folder nor one of the cgroup v1 memory tree")


def _own_entries() -> dict[str, str]:
    """The worker's own cgroup in each controller's tree ("" for v2's). Raises ``CgroupError``."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError as exc:
        raise CgroupError(f"cannot read /proc/self/cgroup ({exc})") from exc
    entries = {}
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            entries[controller] = path.lstrip("/")
    return entries


def _v1_cpu_trees(entries: dict[str, str]) -> dict[str, Path | None]:
    """The worker's own folders of the v1 cpu and cpuacct trees (often mounted together as cpu,cpuacct)."""
    found: dict[str, Path | None] = {}
    for controller in ("cpu", "cpuacct"):
        mount = next((MOUNT / name for name in (controller, "cpu,cpuacct", "cpuacct,cpu")
                      if (MOUNT / name).is_dir()), None)
        found[controller] = mount / entries[controller] if controller in entries and mount else None
    return found


def create(parent: Parent, memory_bytes: int) -> RunGroup:
    """A new cgroup under ``parent`` limited to ``memory_bytes`` in all, swap included, and where the kernel
    allows to one core, its CPU time counted. Raises ``CgroupError`` if the memory limit cannot be set."""
    if parent.v2:
        try:
            delegated = "memory" in (parent.path / "cgroup.subtree_control").read_text().split()
        except OSError as exc:
            raise CgroupError(f"cannot read {parent.path}/cgroup.subtree_control ({exc})") from exc
        if not delegated:
            raise CgroupError(f"{parent.path} does not hand the memory controller to its children "
                              "(no memory in cgroup.subtree_control)")
    remove_orphans(parent)
    name = f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    path = parent.path / name
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
    return _v2_cpu(group, parent) if parent.v2 else _v1_cpu(group, parent, name)


def _v2_cpu(group: RunGroup, parent: Parent) -> RunGroup:
    """``group`` held to one core if ``parent`` hands the cpu controller to its children. (Its CPU time is
    counted in cpu.stat either way.)"""
    delegated = False
    with contextlib.suppress(OSError):
        delegated = "cpu" in (parent.path / "cgroup.subtree_control").read_text().split()
    if not delegated:
        return replace(group, no_quota_because=f"{parent.path} does not hand the cpu controller to its "
                                                "children (no cpu in cgroup.subtree_control)")
    try:
        (group.path / "cpu.max").write_text(f"{CPU_PERIOD_US} {CPU_PERIOD_US}")
    except OSError as exc:
        return replace(group, no_quota_because=f"cannot set {group.path}/cpu.max ({exc.strerror or exc})")
    return replace(group, cpu_quota=True)


def _v1_cpu(group: RunGroup, parent: Parent, name: str) -> RunGroup:
    """``group`` with folders ``name`` of its own in the v1 cpu tree (held to one core) and cpuacct tree
    (its CPU time counted), each where the kernel allows it; a refusal only leaves that part out."""
    made: dict[Path, Path] = {}
    refused: dict[Path, str] = {}
    for tree in dict.fromkeys(t for t in (parent.cpu, parent.cpuacct) if t is not None):
        try:
            (tree / name).mkdir()
            made[tree] = tree / name
        except OSError as exc:
            refused[tree] = f"cannot make a cgroup under {tree} ({exc.strerror or exc})"
    cpu = made.get(parent.cpu) if parent.cpu is not None else None
    group = replace(group, cpu=cpu, cpuacct=made.get(parent.cpuacct) if parent.cpuacct is not None else None)
    if parent.cpu is None:
        return replace(group, no_quota_because="this machine has no cgroup v1 cpu controller mounted at "
                                               f"{MOUNT} (nor a delegated cgroup v2)")
    if cpu is None:
        return replace(group, no_quota_because=refused[parent.cpu])
    try:
        (cpu / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
        (cpu / "cpu.cfs_quota_us").write_text(str(CPU_PERIOD_US))
    except OSError as exc:
        return replace(group, no_quota_because=f"cannot set the CPU quota of {cpu} ({exc.strerror or exc})")
    return replace(group, cpu_quota=True)


def remove(group: RunGroup, wait_seconds: float = 2.0) -> None:
    """Remove the run's cgroup, each of its folders, once its processes are gone (killing any left).
    Raises ``CgroupError``, after trying every folder."""
    errors = []
    for folder in group.folders():
        try:
            _remove_folder(folder, group.v2, wait_seconds)
        except CgroupError as exc:
            errors.append(str(exc))
    if errors:
        raise CgroupError("; ".join(errors))


def _remove_folder(folder: Path, v2: bool, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            folder.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise CgroupError(f"cannot remove {folder}: {exc.strerror or exc}") from exc
        _kill_members(folder, v2)
        time.sleep(0.005)


def remove_orphans(parent: Parent) -> list[str]:
    """Remove the cgroups of runs whose worker process is gone (a worker killed mid-grade never removed
    its run's), in every tree the runs use; their processes died with bubblewrap (--die-with-parent),
    and any left are killed. Returns the folders removed."""
    removed = []
    for tree in _trees(parent):
        with contextlib.suppress(OSError):
            for entry in os.scandir(tree):
                owner = entry.name.removeprefix(PREFIX).split("-")[0]
                if not entry.name.startswith(PREFIX) or not owner.isdigit() or process_alive(int(owner)):
                    continue
                with contextlib.suppress(CgroupError):
                    _remove_folder(Path(entry.path), parent.v2, wait_seconds=0.5)
                    removed.append(entry.path)
    return removed


def run_groups(owner: int | None = None, *, every_tree: bool = False) -> list[str]:
    """The run cgroups under this process's own cgroup now, all or those of one worker process; [] where
    there is no cgroup memory controller. One name a run (its memory folder in v1); with ``every_tree``,
    the paths of its folders in the v1 cpu and cpuacct trees too. Those trees are often shared by every
    worker on the machine (the worker's own cgroup there is the root), so name an ``owner`` with it."""
    try:
        parent = own_parent()
    except CgroupError:
        return []
    pattern = f"{PREFIX}{owner}-*" if owner is not None else f"{PREFIX}*"
    if not every_tree:
        return sorted(path.name for path in parent.path.glob(pattern))
    return sorted(str(path) for tree in _trees(parent) for path in tree.glob(pattern))


def _trees(parent: Parent) -> list[Path]:
    return list(dict.fromkeys(t for t in (parent.path, parent.cpu, parent.cpuacct) if t is not None))


def _kill_members(folder: Path, v2: bool) -> None:
    if v2:
        with contextlib.suppress(OSError):
            (folder / "cgroup.kill").write_text("1")
            return
    with contextlib.suppress(OSError):
        for pid in (folder / "cgroup.procs").read_text().split():
            with contextlib.suppress(OSError):
                os.kill(int(pid), 9)
