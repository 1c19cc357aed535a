"""Run untrusted Python in a bubblewrap sandbox under resource limits, and say what happened.

bubblewrap gives namespaces and a chosen view of the file system; it sets no limits
(DESIGN.md, "What the queue and the sandbox do not promise"). So a run is:

* a ``bwrap`` command line (``_bwrap_argv``): new PID, network, IPC, UTS and cgroup
  namespaces; ``--die-with-parent``, ``--new-session``, ``--clearenv``; a root that holds only
  the system libraries, the Python runtime (its ``site-packages`` hidden under an empty
  tmpfs) and NumPy, all read-only, plus ``/harness`` and the job folder ``/job`` read-only;
  a fresh ``/proc`` and minimal ``/dev``; a size-limited tmpfs ``/scratch`` (``/tmp`` points
  there), the only writable place;
* a seccomp filter built with libseccomp (``seccomp.py``): no new namespaces or mounts, no vsock,
  io_uring, kernel keyrings, perf events or BPF from inside; no filter, no run;
* rlimits set inside by ``harness/launch.py`` before any student code runs (``_limit_options``):
  address space, CPU seconds, file size, open files, processes, no core files;
* where the machine allows, a cgroup of the run's own holding all its processes to one memory
  limit and one core (``cgroups.py``; the address-space and CPU limits bind each process only);
* the CPU time of all the run's processes together, counted by that cgroup or else summed from
  /proc (``_ProcessTreeCpu``), reported as ``RunOutcome.cpu_seconds`` and held to
  ``Limits.cpu_seconds`` from here (``_watch``), as RLIMIT_CPU holds each process;
* an unprivileged user: when the worker is root, bubblewrap runs without a user namespace
  (a root-mapped namespace would leave the real user root, and RLIMIT_NPROC never binds
  root) and ``launch.py`` drops to a user id of its own for this run, taken from a pool
  under a lock so that two runs never share one (``sandbox_users.py``). A non-root worker runs
  bubblewrap in a user namespace instead, where the process limit counts this sandbox only;
* a wall-clock deadline and an output cap enforced from here (``_pump``); at the end the
  sandbox's PID namespace dies with its init, and for the root case we wait until no
  process of the run's user id is left before giving the id back.

Without bubblewrap, ``run_python`` raises ``SandboxUnavailable`` with install advice, unless
``Limits.allow_unsandboxed`` (local development only) runs the code as a plain subprocess
with the same rlimits and says so in ``RunOutcome.notes``.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import site
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy

from . import cgroups, seccomp
from .sandbox_users import NoFreeUserId, claim_user_id, kill_user, wait_until_gone

HARNESS_DIR = Path(__file__).resolve().parent / "harness"

WATCH_SECONDS = 0.05                 # how often a run is checked for an out-of-memory kill and its CPU time
TREE_WATCH_SECONDS = 0.25            # ... at most, when that means reading every process's /proc/<pid>/stat

# Where things are inside the sandbox.
JOB = "/job"
SCRATCH = "/scratch"
HARNESS = "/harness"
SITE = "/site"

# The whole environment of the sandboxed code (bwrap --clearenv drops everything else).
SANDBOX_ENV = {
    "OPENBLAS_NUM_THREADS": "1",    # NumPy's BLAS would start a thread per core
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",        # else each thread reserves a 64 MiB arena against RLIMIT_AS
    "HOME": SCRATCH,
    "TMPDIR": SCRATCH,
    "LANG": "C.UTF-8",
    "PATH": "/usr/bin:/bin",
}

INSTALL_ADVICE = (
    "bubblewrap is needed to run student code safely: install it with `apt-get install bubblewrap` "
    "(Debian/Ubuntu) or `dnf install bubblewrap`; for local development only, "
    "Limits(allow_unsandboxed=True) grades without a sandbox."
)


class SandboxUnavailable(RuntimeError):
    """The sandbox could not run (infrastructure trouble): retry later, never charge the student."""


@dataclass(frozen=True)
class Limits:
    """Limits of one grading run. The defaults fit HW1 (about 1 s of work for a correct solution)."""

    wall_seconds: float = 20.0          # whole run, all restarts together
    cpu_seconds: int = 20               # RLIMIT_CPU per process, and all of the run's processes together
    memory_bytes: int = 1 << 30         # RLIMIT_AS (address space): 1 GiB
    processes: int = 32                 # RLIMIT_NPROC: processes and threads of the run's user
    file_size_bytes: int = 16 << 20     # RLIMIT_FSIZE: largest file the program may write
    scratch_bytes: int = 64 << 20       # size of the /scratch tmpfs
    open_files: int = 64                # RLIMIT_NOFILE
    output_bytes: int = 64 << 10        # stdout and stderr kept, each
    output_kill_bytes: int = 4 << 20    # printing more than this ends the run
    allow_unsandboxed: bool = False     # development only: run without bubblewrap if it is missing
    bwrap: str = "bwrap"                # command name or path
    first_uid: int = 60000              # root workers run each sandbox as one of these user ids,
    uid_count: int = 100                # which must belong to nobody else (as isolate's box ids)
    cgroup: str = "auto"                # memory_bytes for the whole run: "auto", "off" or a cgroup folder


@dataclass(frozen=True)
class RunOutcome:
    """What one sandboxed run did, isolate-meta style. Student output is text, never parsed."""

    exit_code: int | None               # None when killed by a signal
    signal: int | None
    timed_out: bool                     # hit the wall-clock deadline (we killed it)
    output_flood: bool                  # printed more than output_kill_bytes (we killed it)
    cpu_seconds: float                  # of all the run's processes together (cpu_limit_scope)
    wall_seconds: float
    peak_memory_bytes: int              # of the whole run with a cgroup, else of its first process
    stdout: str
    stderr: str
    output_truncated: bool
    sandboxed: bool
    notes: tuple[str, ...] = field(default=())
    memory_exceeded: bool = False       # the kernel killed a process for the run's memory limit (cgroup)
    cpu_exceeded: bool = False          # its processes together passed cpu_seconds (we killed it)


def run_python(
    code: str,
    args: list[str] = (),  # type: ignore[assignment]
    *,
    job_dir: Path,
    results_fd: int | None = None,
    limits: Limits = Limits(),
    wall_seconds: float | None = None,
) -> RunOutcome:
    """Run Python source ``code`` as ``__main__`` in a fresh sandbox and wait for it to end.

    Inside, ``code`` sees ``sys.argv == ["<sandbox>", JOB, SCRATCH, *args]`` (paths as seen
    from inside), its working directory is the scratch folder, NumPy is importable, and
    ``results_fd`` (a file the caller opened for writing) is the one descriptor inherited.
    Returns when every process of the run is gone.

    Raises ``SandboxUnavailable`` when bubblewrap is missing (unless ``allow_unsandboxed``).
    """
    wall = limits.wall_seconds if wall_seconds is None else wall_seconds
    bwrap = shutil.which(limits.bwrap)
    if bwrap is None:
        if not limits.allow_unsandboxed:
            raise SandboxUnavailable(f"bubblewrap ({limits.bwrap!r}) was not found. {INSTALL_ADVICE}")
        return _run_unsandboxed(code, list(args), job_dir, results_fd, limits, wall)
    try:
        with (claim_user_id(limits.first_uid, limits.uid_count) as uid, seccomp.filter_fd() as filter_fd,
              _run_group(limits) as group):
            launch = _limit_options(limits)
            if uid is not None:
                launch += ["--uid", str(uid), "--gid", str(uid)]
            argv = _bwrap_argv(bwrap, job_dir, limits, privileged=uid is not None)
            argv += ["--seccomp", str(filter_fd)]
            argv += _launch_argv(launch, HARNESS, SITE, SCRATCH, code, [JOB, SCRATCH, *args])
            if group is not None:
                argv = group.wrap(argv)
            fds = tuple(fd for fd in (results_fd, filter_fd) if fd is not None)
            counted = group is not None and group.cpu_seconds() is not None
            outcome = _run(argv, fds, limits, wall, cwd="/", env={}, sandboxed=True, uid=uid,
                           out_of_memory=group.oom_killed if group is not None else None,
                           run_cpu=group.cpu_seconds if counted else None)
            if uid is not None and not wait_until_gone(uid):
                raise SandboxUnavailable(f"processes of sandbox user {uid} outlived their run")
            if group is not None:
                outcome = replace(outcome, memory_exceeded=outcome.memory_exceeded or group.oom_killed(),
                                  peak_memory_bytes=group.peak_bytes() or outcome.peak_memory_bytes)
            if counted:         # now that every process of the run is gone, its whole CPU time
                outcome = replace(outcome, cpu_seconds=group.cpu_seconds() or outcome.cpu_seconds)
    except (NoFreeUserId, seccomp.SeccompUnavailable) as exc:
        raise SandboxUnavailable(str(exc)) from exc
    return outcome


def memory_limit_scope(limits: Limits = Limits()) -> str:
    """What ``memory_bytes`` bounds on this machine, and why: makes and removes a cgroup to find out."""
    if limits.cgroup == "off":
        return "each process (cgroups turned off)"
    try:
        group = cgroups.create(_cgroup_parent(limits), limits.memory_bytes)
        cgroups.remove(group)
    except cgroups.CgroupError as exc:
        return f"each process ({exc})"
    return f"the whole run (a cgroup {'v2' if group.v2 else 'v1'} under {group.path.parent})"


def cpu_limit_scope(limits: Limits = Limits()) -> str:
    """How much CPU a run may take on this machine, and how its CPU time is counted (and held to
    ``cpu_seconds``): makes and removes a cgroup to find out."""
    counted_in = "summed over its processes from /proc"
    try:
        if limits.cgroup == "off":
            raise cgroups.CgroupError("cgroups turned off")
        group = cgroups.create(_cgroup_parent(limits), limits.memory_bytes)
        counted = group.cpu_seconds() is not None
        cgroups.remove(group)
    except cgroups.CgroupError as exc:
        return f"no limit on cores ({exc}); CPU time {counted_in}"
    if counted:
        counted_in = f"counted by the run's cgroup ({'cpu.stat' if group.v2 else 'cpuacct.usage'})"
    if group.cpu_quota:
        where = group.path.parent if group.v2 else group.cpu.parent
        cores = f"one core for the whole run (a cgroup {'v2' if group.v2 else 'v1'} CPU quota under {where})"
    else:
        cores = f"no limit on cores ({group.no_quota_because})"
    return f"{cores}; CPU time {counted_in}"


def _cgroup_parent(limits: Limits) -> cgroups.Parent:
    return cgroups.own_parent() if limits.cgroup == "auto" else cgroups.parent_at(limits.cgroup)


@contextlib.contextmanager
def _run_group(limits: Limits):
    """The run's cgroup, removed afterwards; None with ``cgroup="off"``, or with "auto" where the kernel
    refuses one. A refusal of a configured cgroup folder is infrastructure trouble."""
    if limits.cgroup == "off":
        yield None
        return
    try:
        group = cgroups.create(_cgroup_parent(limits), limits.memory_bytes)
    except cgroups.CgroupError as exc:
        if limits.cgroup != "auto":
            raise SandboxUnavailable(f"could not make the run's cgroup: {exc}") from exc
        yield None
        return
    try:
        yield group
    finally:
        try:
            cgroups.remove(group)
        except cgroups.CgroupError as exc:
            raise SandboxUnavailable(str(exc)) from exc


# --- the bubblewrap command line ---


def _runtime_binds() -> list[tuple[Path, str]]:
    """(host path, path inside) for the Python runtime and NumPy, bound read-only."""
    prefix = Path(sys.base_prefix).resolve()
    numpy_dir = Path(numpy.__file__).resolve().parent
    binds = [(prefix, str(prefix)), (numpy_dir, f"{SITE}/numpy")]
    libs = numpy_dir.with_name("numpy.libs")        # its bundled OpenBLAS, found via $ORIGIN/../numpy.libs
    if libs.is_dir():
        binds.append((libs, f"{SITE}/numpy.libs"))
    return binds


def _hidden_site_packages() -> list[str]:
    """The runtime's own site-packages folders: covered by an empty tmpfs inside, so the
    sandbox sees the standard library and nothing installed beside it."""
    prefix = str(Path(sys.base_prefix).resolve())
    return [p for p in site.getsitepackages([prefix]) if os.path.isdir(p)]


def _bwrap_argv(bwrap: str, job_dir: Path, limits: Limits, *, privileged: bool) -> list[str]:
    argv = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    # --as-pid-1: the code is the namespace's init, so wait4 on bwrap reports its CPU time and peak
    # memory (bwrap's own init would not pass them on), and when it exits the kernel kills the rest.
    argv += ["--as-pid-1", "--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox"]
    if privileged:
        # Root without a user namespace keeps every capability unless told otherwise; keep
        # only what launch.py needs to become the run's own user (and then loses).
        argv += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        argv += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--disable-userns"]
    made: set[str] = set()

    def parents(dest: str) -> list[str]:
        # bwrap creates missing parents with mode 0700, which the unprivileged user cannot enter.
        out = []
        for parent in reversed(Path(dest).parents[:-1]):
            if str(parent) not in made:
                made.add(str(parent))
                out += ["--perms", "0755", "--dir", str(parent)]
        return out

    for path in ("/usr/lib", "/usr/lib64", "/lib", "/lib64"):      # the C libraries Python and NumPy load
        if os.path.islink(path):
            argv += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            argv += parents(path) + ["--ro-bind", path, path]
    for source, dest in _runtime_binds():
        argv += parents(dest) + ["--ro-bind", str(source), dest]
    for hidden in _hidden_site_packages():
        argv += ["--tmpfs", hidden, "--remount-ro", hidden]
    argv += parents(HARNESS) + ["--ro-bind", str(HARNESS_DIR), HARNESS]
    argv += ["--ro-bind", str(job_dir), JOB]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--perms", "1777", "--size", str(limits.scratch_bytes), "--tmpfs", SCRATCH]
    argv += ["--symlink", SCRATCH, "/tmp"]
    argv += ["--remount-ro", "/dev", "--remount-ro", "/"]         # nothing else writable, even to a user namespace's root
    for name, value in SANDBOX_ENV.items():
        argv += ["--setenv", name, value]
    return argv + ["--chdir", SCRATCH]


def _launch_argv(options: list[str], harness: str, site_dir: str, scratch: str, code: str, args: list[str]) -> list[str]:
    python = os.path.realpath(sys.executable)       # the runtime's own binary, not the venv's symlink
    options = options + ["--harness", harness, "--site", site_dir, "--scratch", scratch]
    return [python, "-I", "-S", "-B", f"{harness}/launch.py", *options, "--", code, *args]


# --- limits, the run's user id, and the run itself ---


def _limit_options(limits: Limits) -> list[str]:
    """``launch.py``'s options for the rlimits (soft:hard), inherited by everything the run starts."""
    both = {"--nproc": limits.processes, "--as": limits.memory_bytes, "--fsize": limits.file_size_bytes,
            "--nofile": limits.open_files, "--core": 0}
    options = [item for option, value in both.items() for item in (option, f"{value}:{value}")]
    # SIGXCPU at the soft limit, SIGKILL a second later if it is ignored.
    return options + ["--cpu", f"{limits.cpu_seconds}:{limits.cpu_seconds + 1}"]


def _run(argv: list[str], pass_fds: tuple[int, ...], limits: Limits, wall: float, *, cwd: str, env: dict[str, str],
         sandboxed: bool, uid: int | None = None, notes: tuple[str, ...] = (),
         out_of_memory: Callable[[], bool] | None = None,
         run_cpu: Callable[[], float | None] | None = None) -> RunOutcome:
    """Start ``argv`` and wait for the run to end. ``run_cpu`` reads the CPU time of all the run's
    processes (its cgroup's count); without it they are summed from /proc."""
    start = time.monotonic()
    deadline = start + wall
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=pass_fds,
            env=env,                    # never the worker's own: its secrets stay out, even of /proc/1/environ
            cwd=cwd,
            start_new_session=True,     # and no preexec_fn, so that Python starts bwrap with vfork
        )
    except OSError as exc:
        raise SandboxUnavailable(f"could not start {argv[0]}: {exc}") from exc
    tree = None if run_cpu is not None else _ProcessTreeCpu(proc.pid)
    watch = _watch(limits, out_of_memory, run_cpu or tree)
    with proc.stdout, proc.stderr:          # closed only once the run is over: else it sees EPIPE first
        (out, err), stopped = _pump(proc, deadline, limits, watch)
        ended = None
        if not stopped:
            ended, stopped = _wait(proc.pid, deadline, watch)
        if ended is None:
            stopped = stopped or "timeout"
            ended = _stop(proc, sandboxed, uid)
    status, usage = ended
    if not sandboxed:
        _stop(proc, sandboxed=False, uid=None, wait=False)     # leftovers in its process group
    code = proc.returncode = os.waitstatus_to_exitcode(status)     # so Popen never waits for it again
    if sandboxed and code > 128 and code - 128 in signal.valid_signals():
        code = 128 - code               # bwrap reports a signal N as 128 + N (as a shell does)
    return RunOutcome(
        exit_code=code if code >= 0 else None,
        signal=-code if code < 0 else None,
        timed_out=stopped == "timeout",
        output_flood=stopped == "flood",
        memory_exceeded=stopped == "memory",
        cpu_exceeded=stopped == "cpu",
        # bwrap's rusage counts only the processes that were waited for; the cgroup's count replaces it
        cpu_seconds=max(usage.ru_utime + usage.ru_stime, tree.seconds if tree is not None else 0.0),
        wall_seconds=time.monotonic() - start,
        peak_memory_bytes=usage.ru_maxrss * 1024,
        stdout=bytes(out[0]).decode("utf-8", "replace"),
        stderr=bytes(err[0]).decode("utf-8", "replace"),
        output_truncated=out[1] > limits.output_bytes or err[1] > limits.output_bytes,
        sandboxed=sandboxed,
        notes=notes,
    )


def _wait(pid: int, deadline: float, watch: Callable[[], str | None] | None = None):
    """((status, rusage), None) once ``pid`` has ended; (None, why) if the deadline passes first
    ("timeout") or ``watch()`` says why the run must end."""
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return (status, usage), None
        if time.monotonic() >= deadline:
            return None, "timeout"
        if watch is not None and (why := watch()):
            return None, why
        time.sleep(0.002)


def _watch(limits: Limits, out_of_memory: Callable[[], bool] | None,
           cpu: Callable[[], float | None]) -> Callable[[], str | None]:
    """Why the run must end now, if it must: "memory" when the kernel killed one of its processes for the
    run's memory limit (the rest go too, as with cgroup v2's memory.oom.group, so that passing the limit
    always ends the run with one clear result), "cpu" when its processes together used more than
    ``cpu_seconds`` (RLIMIT_CPU holds each one alone to it). Looks at most every ``WATCH_SECONDS``, however
    often asked (a flood of output asks at every read)."""
    looked = [-WATCH_SECONDS]

    def why() -> str | None:
        if time.monotonic() - looked[0] < WATCH_SECONDS:
            return None
        looked[0] = time.monotonic()
        if out_of_memory is not None and out_of_memory():
            return "memory"
        used = cpu()
        if used is not None and used > limits.cpu_seconds:
            return "cpu"
        return None
    return why


class _ProcessTreeCpu:
    """The CPU time of a process and all its descendants, from /proc: what a run used where no cgroup
    counts it. Each process's own time plus that of the ended children it waited for (cutime, cstime);
    an ended child not yet waited for still shows its own; orphans are adopted inside the run (by the
    sandbox's init). Reads /proc at most every ``TREE_WATCH_SECONDS``; ``seconds`` is the most seen, so
    all that is missed is what a process that is never waited for (SIGCHLD ignored) used since the last
    reading before it ended."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, root: int):
        self.root = root
        self.seconds = 0.0
        self.read_at = -TREE_WATCH_SECONDS

    def __call__(self) -> float:
        if time.monotonic() - self.read_at >= TREE_WATCH_SECONDS:
            self.read_at = time.monotonic()
            self.seconds = max(self.seconds, self._read())
        return self.seconds

    def _read(self) -> float:
        children: dict[int, list[int]] = {}
        ticks: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):       # ended while we looked
                continue
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            ticks[pid] = sum(int(value) for value in fields[11:15])     # utime stime cutime cstime
        total, todo = 0, [self.root]        # bwrap itself included: a few ms, and unsandboxed the root is the run's
        while todo:
            pid = todo.pop()
            total += ticks.get(pid, 0)
            todo += children.get(pid, ())
        return total / self.TICK


def _pump(proc: subprocess.Popen, deadline: float, limits: Limits,
          watch: Callable[[], str | None] | None = None) -> tuple[tuple[list, list], str | None]:
    """Read stdout and stderr until both close, the deadline passes ("timeout") or the run
    prints more than ``output_kill_bytes`` ("flood"), or ``watch()`` says why it must end (``_watch``),
    checked every ``WATCH_SECONDS``. Keeps the first ``output_bytes`` of
    each stream as ``[bytearray, bytes seen]`` and drains the rest: a writer blocked on a
    full pipe would only turn a flood into a timeout."""
    streams = {f.fileno(): [bytearray(), 0] for f in (proc.stdout, proc.stderr)}
    order = (streams[proc.stdout.fileno()], streams[proc.stderr.fileno()])
    total = 0
    with selectors.DefaultSelector() as selector:
        for f in (proc.stdout, proc.stderr):
            selector.register(f, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                return order, "timeout"
            if watch is not None and (why := watch()):
                return order, why
            for key, _ in selector.select(timeout=min(left, 1.0 if watch is None else WATCH_SECONDS)):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                kept = streams[key.fd]
                kept[0] += chunk[: max(0, limits.output_bytes - len(kept[0]))]
                kept[1] += len(chunk)
                total += len(chunk)
                if total > limits.output_kill_bytes:
                    return order, "flood"
    return order, None


def _stop(proc: subprocess.Popen, sandboxed: bool, uid: int | None, wait: bool = True):
    """SIGKILL the run and reap bwrap; returns its (status, rusage).

    With a user id of its own, the run's processes are killed first, its init among them:
    bwrap then reaps that init and exits by itself, so no orphan is left for the host's init
    to reap at its leisure. Otherwise (or if bwrap lingers) bwrap is killed, and
    --die-with-parent kills the namespace's init, and with it the whole PID namespace.
    """
    if uid is not None:
        kill_user(uid)
        ended, _ = _wait(proc.pid, time.monotonic() + 1.0)
        if ended is not None:
            return ended
    with contextlib.suppress(ProcessLookupError):
        if sandboxed:
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)     # daemons that left the process group escape
    return os.wait4(proc.pid, 0)[1:] if wait else None


# --- development only ---


def _run_unsandboxed(code: str, args: list[str], job_dir: Path, results_fd: int | None, limits: Limits,
                     wall: float) -> RunOutcome:
    """Local development without bubblewrap: same harness, rlimits and deadline, no isolation."""
    note = (
        "Graded WITHOUT a sandbox (Limits.allow_unsandboxed, development only): the code could read "
        "and write this machine's files, use the network and see the environment; the process limit "
        "does not bind root, and daemons that leave the process group can outlive the run."
    )
    numpy_parent = str(Path(numpy.__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory(prefix="grader-scratch-") as scratch:
        argv = _launch_argv(_limit_options(limits), str(HARNESS_DIR), numpy_parent, scratch,
                            code, [str(job_dir), scratch, *args])
        env = {**SANDBOX_ENV, "HOME": scratch, "TMPDIR": scratch}
        fds = () if results_fd is None else (results_fd,)
        return _run(argv, fds, limits, wall, cwd=scratch, env=env, sandboxed=False, notes=(note,))
