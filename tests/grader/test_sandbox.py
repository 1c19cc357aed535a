"""The sandbox's limits and isolation really bind: each test runs real code in real bubblewrap."""

import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader import cgroups
from grader.sandbox import Limits, SandboxUnavailable, run_python

pytestmark = pytest.mark.usefixtures("bwrap")

ROOT = Path(__file__).resolve().parents[2]


def run(code, job_dir, limits, **kwargs):
    started = time.monotonic()
    outcome = run_python(code, job_dir=job_dir, limits=limits, **kwargs)
    return outcome, time.monotonic() - started


def facts(outcome) -> dict:
    """The JSON the sandboxed code printed last."""
    assert outcome.exit_code == 0, outcome.stderr
    return json.loads(outcome.stdout.strip().splitlines()[-1])


def test_runs_numpy_as_an_unprivileged_user_in_the_scratch_folder(job_dir, limits):
    outcome, _ = run(
        "import os, json, numpy\n"
        "print(json.dumps([os.getuid(), os.getgid(), os.getcwd(), numpy.ones(3).sum().item(), os.getgroups()]))",
        job_dir, limits,
    )
    uid, gid, cwd, total, groups = facts(outcome)
    assert uid != 0 and gid != 0 and groups == []
    assert cwd == "/scratch"
    assert total == 3.0
    assert outcome.sandboxed and outcome.peak_memory_bytes > 0 and outcome.cpu_seconds > 0


def test_every_limit_is_set_and_cannot_be_raised_from_inside(job_dir, limits):
    outcome, _ = run(
        "import json, resource\n"
        "names = ['AS', 'CPU', 'FSIZE', 'NOFILE', 'NPROC', 'CORE']\n"
        "got = {n: resource.getrlimit(getattr(resource, 'RLIMIT_' + n)) for n in names}\n"
        "try:\n"
        "    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
        "    raised = True\n"
        "except (ValueError, OSError):\n"
        "    raised = False\n"
        "print(json.dumps([got, raised]))",
        job_dir, limits,
    )
    got, raised = facts(outcome)
    m, cpu = limits.memory_bytes, limits.cpu_seconds
    assert got == {"AS": [m, m], "CPU": [cpu, cpu + 1], "FSIZE": [limits.file_size_bytes] * 2,
                   "NOFILE": [limits.open_files] * 2, "NPROC": [limits.processes] * 2, "CORE": [0, 0]}
    assert not raised


def test_the_kernel_kills_the_sandbox_first_when_memory_runs_out(job_dir, limits):
    outcome, _ = run(
        "import json\n"
        "adj = open('/proc/self/oom_score_adj').read().strip()\n"
        "try:\n"
        "    open('/proc/self/oom_score_adj', 'w').write('-1000')\n"
        "    lowered = True\n"
        "except OSError:\n"
        "    lowered = False\n"
        "print(json.dumps([adj, lowered]))",
        job_dir, limits,
    )
    assert facts(outcome) == ["1000", False]


@pytest.mark.usefixtures("run_cgroup")
def test_processes_that_together_pass_the_memory_limit_end_the_run(job_dir, limits):
    limits = dataclasses.replace(limits, memory_bytes=256 << 20)
    code = ("import os, time\n"
            "for _ in range(4):\n"
            "    if os.fork() == 0:\n"
            "        hoard = b'x' * (100 << 20)\n"
            "        time.sleep(60)\n"
            "time.sleep(60)")
    outcome, elapsed = run(code, job_dir, limits)
    assert outcome.memory_exceeded and not outcome.timed_out and elapsed < 5


@pytest.mark.usefixtures("run_cgroup")
def test_the_cgroup_of_a_run_whose_worker_died_is_removed_by_the_next_run(job_dir, limits):
    parent = cgroups.own_parent()
    dead = subprocess.Popen(["true"])
    dead.wait()
    orphan = parent.path / f"{cgroups.PREFIX}{dead.pid}-0000"
    orphan.mkdir()
    outcome, _ = run("print('next')", job_dir, limits)
    assert outcome.stdout == "next\n" and not orphan.exists()


@pytest.mark.usefixtures("cpu_quota")
def test_the_cpu_cgroups_of_a_run_whose_worker_died_are_removed_by_the_next_run(job_dir, limits):
    parent = cgroups.own_parent()
    dead = subprocess.Popen(["true"])
    dead.wait()
    orphans = [tree / f"{cgroups.PREFIX}{dead.pid}-0000" for tree in (parent.cpu, parent.cpuacct)]
    for orphan in orphans:
        orphan.mkdir()
    outcome, _ = run("print('next')", job_dir, limits)
    assert outcome.stdout == "next\n" and not any(orphan.exists() for orphan in orphans)


def test_a_cgroup_folder_that_cannot_hold_runs_is_infrastructure_trouble(job_dir, limits, tmp_path):
    with pytest.raises(SandboxUnavailable, match="is not a cgroup v2 folder nor one of the cgroup v1 memory tree"):
        run_python("print(1)", job_dir=job_dir, limits=dataclasses.replace(limits, cgroup=str(tmp_path)))


def test_without_a_cgroup_the_memory_limit_binds_each_process(job_dir, limits):
    limits = dataclasses.replace(limits, cgroup="off")
    outcome, _ = run("print(sum(range(10)))", job_dir, limits)
    assert outcome.stdout == "45\n" and not outcome.memory_exceeded


def test_a_sleeping_program_is_stopped_at_the_wall_clock_limit(job_dir, limits):
    outcome, elapsed = run("import time\ntime.sleep(60)", job_dir, limits, wall_seconds=1.0)
    assert outcome.timed_out
    assert elapsed < 3


def test_a_spinning_program_is_stopped_at_the_cpu_limit(job_dir, limits):
    limits = dataclasses.replace(limits, cpu_seconds=1, wall_seconds=10)
    outcome, elapsed = run("while True:\n    pass", job_dir, limits)
    assert not outcome.timed_out
    assert outcome.signal in (signal.SIGXCPU, signal.SIGKILL)
    assert 0.9 < outcome.cpu_seconds < 3 and elapsed < 8


def spinners(count: int, seconds: float, then: str) -> str:
    """Code that forks ``count`` processes, each spinning for ``seconds`` of wall time (forever if None),
    printing the CPU time it used and sleeping; the first process then runs ``then``."""
    spin = "while True:\n            pass" if seconds is None else (
        f"end = time.monotonic() + {seconds}\n        while time.monotonic() < end:\n            pass")
    return ("import os, time\n"
            f"for _ in range({count}):\n"
            "    if os.fork() == 0:\n"
            f"        {spin}\n"
            "        print(time.process_time(), flush=True)\n"
            "        time.sleep(60)\n"
            f"{then}")


@pytest.mark.usefixtures("cpu_quota")
def test_the_processes_of_a_run_together_get_at_most_one_core(job_dir, limits):
    limits = dataclasses.replace(limits, wall_seconds=4.0, cpu_seconds=20)
    outcome, elapsed = run(spinners(8, 3.0, "time.sleep(60)"), job_dir, limits)
    used = sum(map(float, outcome.stdout.split()))
    # Without the quota 8 spinners take every core (2 of them here: 1.9); a busy machine only lowers it.
    assert len(outcome.stdout.split()) == 8 and used / elapsed <= 1.2


@pytest.mark.parametrize("cgroup", ["auto", "off"])
def test_the_reported_cpu_time_counts_every_process_of_the_run(job_dir, limits, cgroup):
    # The first process ends without waiting for the others, so the sandbox's end kills them: the CPU
    # time bubblewrap's rusage reports never includes theirs (0.03 s reported against 1.1 s used).
    limits = dataclasses.replace(limits, cgroup=cgroup)
    outcome, _ = run(spinners(4, 1.5, "time.sleep(2.5)"), job_dir, limits)
    used = sum(map(float, outcome.stdout.split()))
    assert len(outcome.stdout.split()) == 4 and outcome.exit_code == 0
    assert used > 0.2 and outcome.cpu_seconds >= 0.9 * used


@pytest.mark.parametrize("cgroup", ["auto", "off"])
def test_processes_that_together_pass_the_cpu_limit_end_the_run(job_dir, limits, cgroup):
    # Each process stays far under RLIMIT_CPU (2 s each); together they pass it.
    limits = dataclasses.replace(limits, cgroup=cgroup, cpu_seconds=2, wall_seconds=20)
    outcome, elapsed = run(spinners(4, None, "while True:\n    pass"), job_dir, limits)
    assert outcome.cpu_exceeded and not outcome.timed_out and outcome.signal == signal.SIGKILL
    assert 2 < outcome.cpu_seconds < 3 and elapsed < 15


def test_memory_beyond_the_limit_is_refused(job_dir, limits):
    outcome, _ = run(
        "import numpy\ntry:\n    numpy.ones(2**31 // 8 * 2)\nexcept MemoryError:\n    print('refused')", job_dir, limits
    )
    assert outcome.stdout.strip() == "refused"


def test_a_fork_bomb_hits_the_process_limit(job_dir, limits):
    code = (
        "import os, time\n"
        "children = 0\n"
        "try:\n"
        "    while True:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(30)\n"
        "            os._exit(0)\n"
        "        children += 1\n"
        "except OSError as exc:\n"
        "    print(children, exc.errno)\n"
    )
    outcome, elapsed = run(code, job_dir, limits)
    children, errno = map(int, outcome.stdout.split())
    assert children < limits.processes
    assert errno == 11                              # EAGAIN
    assert elapsed < 5                              # the sleeping children died with the run


def test_a_thread_bomb_hits_the_process_limit(job_dir, limits):
    code = (
        "import threading, time\n"
        "threads = 0\n"
        "try:\n"
        "    while True:\n"
        "        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
        "        threads += 1\n"
        "except RuntimeError:\n"
        "    print(threads, flush=True)\n"
        "import os; os._exit(0)\n"
    )
    outcome, elapsed = run(code, job_dir, limits)
    assert int(outcome.stdout) < limits.processes
    assert elapsed < 3


def test_a_file_beyond_the_size_limit_cannot_be_written(job_dir, limits):
    outcome, _ = run("open('big', 'wb').write(b'x' * (8 << 20))", job_dir, limits)
    # The code runs as the PID namespace's init, which the kernel spares SIGXFSZ: the write fails.
    assert outcome.exit_code == 1 and "File too large" in outcome.stderr


def test_a_sparse_two_gigabyte_file_is_refused(job_dir, limits):
    code = (
        "import signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "f = open('sparse', 'wb')\nf.seek(2**31)\n"
        "try:\n    f.write(b'x'); f.flush()\nexcept OSError as exc:\n    print(exc.errno)\n"
    )
    outcome, _ = run(code, job_dir, limits)
    assert outcome.stdout.strip() == "27"           # EFBIG


def test_the_scratch_folder_fills_up_at_its_size(job_dir, limits):
    code = (
        "written = 0\n"
        "try:\n"
        "    for i in range(1000):\n"
        "        with open(f'part{i}', 'wb') as f:\n"
        "            f.write(b'x' * (1 << 20))\n"
        "        written += 1\n"
        "except OSError as exc:\n"
        "    print(written, exc.errno)\n"
    )
    outcome, _ = run(code, job_dir, limits)
    written, errno = map(int, outcome.stdout.split())
    assert errno == 28 and written <= limits.scratch_bytes >> 20     # ENOSPC at the tmpfs size


def test_there_is_no_network(job_dir, limits):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    code = (
        "import json, os, socket\n"
        "s = socket.socket()\n"
        "try:\n"
        f"    s.connect(('127.0.0.1', {port})); result = 'connected'\n"
        "except OSError as exc:\n"
        "    result = type(exc).__name__\n"
        "interfaces = [line.split(':')[0].strip() for line in open('/proc/net/dev').readlines()[2:]]\n"
        "print(json.dumps([result, interfaces]))\n"
    )
    with listener:
        outcome, _ = run(code, job_dir, limits)
        result, interfaces = facts(outcome)
    assert result == "ConnectionRefusedError"      # the host's listener is not reachable
    assert interfaces == ["lo"]


def test_the_host_files_project_and_reference_are_invisible(job_dir, limits):
    paths = [str(ROOT), str(ROOT / "nnref"), "/work", "/etc/passwd", "/etc", "/home", "/var", "/root/.ssh",
             sys.prefix, "/usr/bin"]
    code = (
        "import json, os, site, sys\n"
        f"paths = {paths!r}\n"
        "seen = [p for p in paths if os.path.exists(p)]\n"
        "try:\n    import nnref\n    seen.append('nnref importable')\nexcept ImportError:\n    pass\n"
        "packages = [name for p in site.getsitepackages([sys.base_prefix]) if os.path.isdir(p) for name in os.listdir(p)]\n"
        "print(json.dumps([seen, packages, sorted(os.listdir('/'))]))\n"
    )
    seen, packages, root = facts(run(code, job_dir, limits)[0])
    assert seen == []
    assert packages == []                           # the runtime's own site-packages is hidden
    assert root == ["dev", "harness", "job", "lib", "lib64", "proc", "root", "scratch", "site", "tmp", "usr"]


def test_the_environment_holds_no_secret_of_the_worker(job_dir, limits, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "hunter2-do-not-leak")
    code = (
        "import glob, json, os\n"
        "blobs = []\n"
        "for path in glob.glob('/proc/*/environ'):\n"
        "    try:\n        blobs.append(open(path, 'rb').read().decode())\n"
        "    except OSError:\n        pass\n"
        "print(json.dumps([dict(os.environ), blobs]))\n"
    )
    environ, blobs = facts(run(code, job_dir, limits)[0])
    assert "GRADER_TEST_SECRET" not in environ
    assert set(environ) <= {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "HOME", "TMPDIR",
                            "LANG", "PATH", "PWD", "LC_CTYPE", "MALLOC_ARENA_MAX"}
    assert not any("hunter2" in blob for blob in blobs)


def test_nothing_outside_the_scratch_folder_is_writable(job_dir, limits):
    (job_dir / "inputs.npz").write_bytes(b"trusted")
    (job_dir / "inputs.npz").chmod(0o644)
    targets = ["/job/inputs.npz", "/job/new", "/harness/run.py", "/harness/new", "/usr/lib/new", "/new",
               "/dev/shm/new", "/site/numpy/new", "/proc/new", sys.base_prefix + "/new"]
    code = (
        "import json\n"
        f"targets = {targets!r}\n"
        "written = []\n"
        "for path in targets:\n"
        "    try:\n        open(path, 'ab').write(b'x'); written.append(path)\n"
        "    except OSError:\n        pass\n"
        "open('/scratch/ok', 'w').write('fine'); open('/tmp/also-ok', 'w').write('fine')\n"
        "print(json.dumps(written))\n"
    )
    assert facts(run(code, job_dir, limits)[0]) == []
    assert (job_dir / "inputs.npz").read_bytes() == b"trusted"


def test_no_new_namespaces_or_mounts_can_be_made_inside(job_dir, limits):
    # A user namespace of its own would let the code mount a tmpfs of any size (memory no rlimit counts).
    code = (
        "import ctypes, json, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "results = []\n"
        "for flags in (0x10000000, 0x10020000, 0x00020000, 0x40000000):\n"
        "    results.append([libc.unshare(flags), ctypes.get_errno()])\n"
        "results.append([libc.mount(b'none', b'/scratch', b'tmpfs', 0, b'size=10g'), ctypes.get_errno()])\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os._exit(7)\n"
        "results.append([os.waitpid(pid, 0)[1] >> 8, 0])\n"
        "print(json.dumps(results))\n"
    )
    assert facts(run(code, job_dir, limits)[0]) == [[-1, 1]] * 5 + [[7, 0]]     # EPERM; fork still works


# Syscall numbers of the kernel surfaces the filter closes, per architecture.
SURFACES = {
    "x86_64": {"add_key": 248, "request_key": 249, "keyctl": 250, "io_uring_setup": 425, "perf_event_open": 298,
               "bpf": 321, "userfaultfd": 323},
    "aarch64": {"add_key": 217, "request_key": 218, "keyctl": 219, "io_uring_setup": 425, "perf_event_open": 241,
                "bpf": 280, "userfaultfd": 282},
}


def test_keyrings_io_uring_perf_events_and_bpf_are_closed_inside(job_dir, limits):
    import platform

    numbers = SURFACES.get(platform.machine())
    if numbers is None:
        pytest.skip(f"no syscall table for {platform.machine()} in this test")
    code = (
        "import ctypes, json\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "got = {}\n"
        f"for name, number in {numbers!r}.items():\n"
        "    ctypes.set_errno(0)\n"
        "    if name == 'add_key':\n"
        "        result = libc.syscall(number, b'user', b'planted', b'secret', 6, ctypes.c_int(-4))\n"  # @u
        "    else:\n"
        "        result = libc.syscall(number, 0, 0, 0, 0, 0)\n"
        "    got[name] = [result, ctypes.get_errno()]\n"
        "print(json.dumps(got))\n"
    )
    got = facts(run(code, job_dir, limits)[0])
    eperm, enosys = [-1, 1], [-1, 38]
    assert got == {"add_key": eperm, "request_key": eperm, "keyctl": eperm, "io_uring_setup": enosys,
                   "perf_event_open": eperm, "bpf": eperm, "userfaultfd": eperm}


def test_no_vsock_socket_can_be_opened_inside(job_dir, limits):
    # A network namespace does not cover vsock: on a virtual-machine worker the host would answer.
    code = (
        "import json, socket\n"
        "got = []\n"
        "for make in (lambda: socket.socket(40, socket.SOCK_STREAM), lambda: socket.socketpair(40)):\n"
        "    try:\n        make(); got.append('opened')\n"
        "    except OSError as exc:\n        got.append(exc.errno)\n"
        "print(json.dumps(got))\n"
    )
    assert facts(run(code, job_dir, limits)[0]) == [97, 97]       # EAFNOSUPPORT


def test_no_code_runs_when_no_seccomp_filter_can_be_built(job_dir, limits, monkeypatch):
    from grader import seccomp

    def unavailable():
        raise seccomp.SeccompUnavailable("libseccomp could not be loaded (test); install Debian's libseccomp2.")

    monkeypatch.setattr(seccomp, "program", unavailable)
    with pytest.raises(SandboxUnavailable, match="libseccomp could not be loaded"):
        run_python("open('/scratch/ran', 'w')", job_dir=job_dir, limits=limits)


def test_a_daemon_is_gone_when_the_run_ends(job_dir, limits):
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(60)\n"
        "    os._exit(0)\n"
        "print('left a daemon')\n"
    )
    outcome, elapsed = run(code, job_dir, limits)
    assert outcome.stdout.strip() == "left a daemon" and elapsed < 3
    # the autouse fixture checks that no process of any sandbox user is left


def test_killing_its_parent_and_everything_else_harms_nothing(job_dir, limits):
    code = (
        "import os, signal\n"
        "for target in (os.getppid(), 1, -1, 0):\n"
        "    try:\n        os.kill(target, signal.SIGKILL)\n"
        "    except OSError:\n        pass\n"
        "print('still here')\n"
    )
    outcome, _ = run(code, job_dir, limits)
    assert outcome.exit_code == 0 and outcome.stdout.strip() == "still here"
    again, _ = run("print('next run')", job_dir, limits)
    assert again.stdout.strip() == "next run"


def test_output_is_captured_up_to_the_cap(job_dir, limits):
    outcome, _ = run("print('x' * 300_000)", job_dir, limits)
    assert len(outcome.stdout) == limits.output_bytes and outcome.output_truncated
    assert not outcome.output_flood


def test_a_flood_of_output_ends_the_run(job_dir, limits):
    outcome, elapsed = run("import sys\nwhile True:\n    sys.stdout.write('y' * 65536)", job_dir, limits)
    assert outcome.output_flood and not outcome.timed_out
    assert elapsed < 3


def test_the_results_descriptor_is_the_only_one_inherited(job_dir, limits, tmp_path):
    fd = os.open(tmp_path / "results", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        code = f"import os\nos.write({fd}, b'through the channel')\nprint(sorted(os.listdir('/proc/self/fd')))"
        outcome, _ = run(code, job_dir, limits, results_fd=fd)
    finally:
        os.close(fd)
    assert (tmp_path / "results").read_bytes() == b"through the channel"
    assert eval(outcome.stdout) == sorted(["0", "1", "2", "3", str(fd)])      # 3: the listing itself


def test_two_runs_at_once_get_different_users(job_dir, limits):
    uids = []
    threads = [
        threading.Thread(target=lambda: uids.append(run("import os, time\ntime.sleep(0.3)\nprint(os.getuid())",
                                                            job_dir, limits)[0].stdout))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(uids)) == 2


def test_without_bubblewrap_grading_is_refused_with_install_advice(job_dir):
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        run_python("print(1)", job_dir=job_dir, limits=Limits(bwrap="/nonexistent/bwrap"))


def test_unsandboxed_development_mode_runs_and_says_so(job_dir, limits):
    limits = dataclasses.replace(limits, bwrap="/nonexistent/bwrap", allow_unsandboxed=True)
    outcome, _ = run("import numpy\nprint(numpy.zeros(2).tolist())", job_dir, limits)
    assert outcome.stdout.strip() == "[0.0, 0.0]"
    assert not outcome.sandboxed
    assert "WITHOUT a sandbox" in outcome.notes[0]


def test_unsandboxed_grading_works_and_the_result_says_so(limits):
    from grader import grade

    from .solutions.buggy import CORRECT

    limits = dataclasses.replace(limits, bwrap="/nonexistent/bwrap", allow_unsandboxed=True)
    result = grade("hw1", {"hw1.py": CORRECT.read_bytes()}, limits)
    assert result.score == 100
    assert not result.sandboxed
    assert "WITHOUT a sandbox" in result.to_gradescope_json()["output"]
