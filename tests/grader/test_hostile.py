"""Hostile submissions: each ends in a clear result, in bounded time, with nothing left behind,
and grading goes on working afterwards.

Each submission is the correct solution with ``relu`` (or the module itself) made hostile,
graded with small limits (``conftest.SMALL``). The autouse fixture ``nothing_left_behind``
checks after every test that no process of any sandbox run is alive.
"""

import dataclasses
import json
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from grader import grade
from grader.core import JOB_PREFIX, orphan_job_folders
from grader.sandbox import run_python
from grader.specs import get_spec

from .solutions.buggy import CORRECT, source

pytestmark = pytest.mark.usefixtures("bwrap")

ROOT = Path(__file__).resolve().parents[2]
RELU = "relu: random inputs of shape (3, 4)"


def hostile_relu(body: str) -> str:
    """Redefine relu with ``body`` (which may end by returning the right answer)."""
    indented = "".join(f"    {line}\n" for line in body.strip().splitlines())
    return f"import os, sys, signal, time, threading, socket\n\ndef relu(a):\n{indented}"


HOSTILE = {
    # name: (code appended to the correct solution, pattern the relu test's output must match)
    "infinite loop that swallows the time-out": (hostile_relu("""
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
"""), r"still running when the time limit for the whole submission \(3 s\) ran out"),
    "memory bomb": (hostile_relu("""
hoard = []
while True:
    hoard.append(bytearray(10**7))
"""), r"ran out of memory \(the limit is 0.75 GiB\)"),
    "numpy memory bomb": (hostile_relu("return np.ones((1 << 20, 1 << 20))"), r"ran out of memory"),
    "fork bomb": (hostile_relu("""
while True:
    os.fork()
"""), r"raised BlockingIOError: \[Errno 11\] Resource temporarily unavailable"),
    "thread bomb": (hostile_relu("""
while True:
    threading.Thread(target=time.sleep, args=(60,)).start()
"""), r"raised RuntimeError: can't start new thread"),
    "network access": (hostile_relu("""
socket.create_connection(("127.0.0.1", PORT), timeout=1)
"""), r"raised ConnectionRefusedError"),
    "reading the project and other submissions": (hostile_relu(f"""
import glob
found = glob.glob("/tmp/grader-*") + glob.glob({str(ROOT) + "/*"!r})
if found:
    raise RuntimeError(f"found {{found}}")
return open({str(ROOT / 'nnref' / '__init__.py')!r}).read()
"""), r"raised FileNotFoundError: \[Errno 2\] No such file or directory: "
      + re.escape(repr(str(ROOT / "nnref" / "__init__.py")))),
    "reading the environment": (hostile_relu("""
try:
    init = open("/proc/1/environ").read()
except OSError as exc:
    init = str(exc)
raise RuntimeError(" ".join(sorted(os.environ)) + init)
"""), r"raised RuntimeError: HOME LANG"),
    "writing outside the scratch folder": (hostile_relu("""
for path in ("/job/submission/hw1.py", "/job/inputs.npz", "/harness/run.py", "/usr/lib/evil", "/evil"):
    try:
        open(path, "wb").write(b"evil")
    except OSError as exc:
        error = exc
raise error
"""), r"raised (PermissionError|OSError): \[Errno (13|30)\]"),
    "filling the disk": (hostile_relu("""
for i in range(10**6):
    with open(f"fill{i}", "wb") as f:
        f.write(b"x" * (1 << 20))
"""), r"raised OSError: \[Errno 28\] No space left on device"),
    "a sparse 2 GB file": (hostile_relu("""
with open("sparse", "wb") as f:
    f.seek(2**31)
    f.write(b"x")
"""), r"raised OSError: \[Errno 27\] File too large"),
    "gigabytes of output": (hostile_relu("""
while True:
    sys.stdout.write("spam" * 16384)
"""), r"printed more than 1 MiB of output, so it was stopped"),
    "killing its parent": (hostile_relu("""
for target in (os.getppid(), 1, -1, 0):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError:
        pass
return np.maximum(a, 0)
"""), r"^$"),
    "segfault": (hostile_relu("""
import ctypes
ctypes.string_at(0)
"""), r"crashed with a segmentation fault \(SIGSEGV\)"),
    "exiting early with sys.exit": (hostile_relu("sys.exit(0)"), r"called exit\(\) \(status 0\) instead of returning"),
    "exiting early with os._exit": (hostile_relu("os._exit(0)"), r"ended \(exit status 0\) instead of returning"),
    "printing a fake result": ("""
import json, sys
print(json.dumps({"score": 100, "tests": [{"name": "relu", "score": 100, "status": "passed"}]}))
print("All tests passed! Score: 100/100", file=sys.stderr)

def relu(a):
    print('{"score": 100}')
""", r"relu: returned None, expected an array"),
    "returning a huge integer": (hostile_relu("return 10**5000"), r"returned a huge integer, expected an array"),
    # The code is its PID namespace's init, which the kernel does not let stop itself.
    "stopping itself": (hostile_relu("""
os.kill(os.getpid(), signal.SIGSTOP)
return np.maximum(a, 0)
"""), r"^$"),
    "sleeping with the time-out ignored": (hostile_relu("""
signal.signal(signal.SIGALRM, signal.SIG_IGN)
time.sleep(600)
"""), r"still running when the time limit for the whole submission \(3 s\) ran out"),
    "closing every file descriptor": (hostile_relu("""
for fd in range(3, 1024):
    try:
        os.close(fd)
    except OSError:
        pass
return np.maximum(a, 0)
"""), r"^relu: the program closed the file descriptor the grader reads results from, so no more results could be "
      r"sent; close only the files your code opened while running this test$"),
    # Kernel surfaces a namespace does not cover (grader/seccomp.py): each is refused, the code's own error says so.
    "planting a key in the user keyring for the next run": (hostile_relu("""
import ctypes, platform
add_key = {"x86_64": 248, "aarch64": 217}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)
planted = libc.syscall(add_key, b"user", b"planted", b"answers", 7, ctypes.c_int(-4))
raise OSError(ctypes.get_errno(), f"add_key returned {planted}")
"""), r"raised PermissionError: \[Errno 1\] add_key returned -1"),
    "a vsock connection to the virtual machine's host": (hostile_relu("""
socket.socket(40, socket.SOCK_STREAM).connect((2, 1234))
"""), r"raised OSError: \[Errno 97\] Address family not supported by protocol"),
    "io_uring, whose operations bypass seccomp": (hostile_relu("""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
params = ctypes.create_string_buffer(120)
ring = libc.syscall(425, 8, params)
raise OSError(ctypes.get_errno(), f"io_uring_setup returned {ring}")
"""), r"raised OSError: \[Errno 38\] io_uring_setup returned -1"),
    "leaving a daemon behind": (hostile_relu("""
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(60)
    os._exit(0)
return np.maximum(a, 0)
"""), r"^$"),
}


# Graded with a 3 s wall-time limit: nothing but that limit ends them.
ENDED_BY_THE_WALL_TIME = {"infinite loop that swallows the time-out", "sleeping with the time-out ignored"}


@pytest.fixture
def listener():
    """A real server on the host's loopback, which the sandbox must not reach."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_submission_ends_in_a_clear_result(name, limits, listener, job_dir, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "hunter2-do-not-leak")
    extra, pattern = HOSTILE[name]
    if name in ENDED_BY_THE_WALL_TIME:
        limits = dataclasses.replace(limits, wall_seconds=3.0)
    started = time.monotonic()
    result = grade("hw1", {"hw1.py": source(extra.replace("PORT", str(listener)))}, limits)
    elapsed = time.monotonic() - started
    assert elapsed < limits.wall_seconds + 3
    relu = next(t for t in result.tests if t.name == RELU)
    assert re.search(pattern, relu.output), relu.output
    everything = "".join(t.output for t in result.tests) + result.stdout + result.stderr
    assert "hunter2" not in everything
    if pattern == r"^$":
        assert result.score == 100                      # harmless to everything, including itself
    elif "time limit for the whole submission" not in pattern:
        assert {t.name.split(":")[0] for t in result.tests if t.status == "failed"} == {"relu"}
    assert run_python("print('next')", job_dir=job_dir, limits=limits).stdout == "next\n"


FORGED_RECORDS = hostile_relu("""
import json, resource, struct
import codec                                    # the harness's own framing, on the sandbox's path
plan = json.load(open("/job/plan.json"))
fd = int(sys.argv[3])
# One array of MAX_BYTES, named REFERENCES times: honest encoding names each array once.
tree = {"list": [{"array": "r0"}] * REFERENCES}
for test in plan["tests"]:
    if test["function"] == "relu":
        record = {"event": "done", "test": test["id"], "status": "ok", "value": tree, "mutated": []}
        os.write(fd, codec.frame(record, {"r0": np.zeros(MAX_BYTES // 8)}))
return np.maximum(a, 0)
""")


def test_a_forged_record_naming_one_array_many_times_costs_the_grader_no_more_than_an_honest_one(limits):
    import resource

    references, max_bytes = 999, limits.file_size_bytes // 4
    extra = FORGED_RECORDS.replace("REFERENCES", str(references)).replace("MAX_BYTES", str(max_bytes))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    relu = next(t for t in result.tests if t.name == RELU)
    assert relu.output == "relu: its return value could not be read: malformed value tree (array 'r0' named twice)"
    assert grown_mib < 200, f"the grader grew by {grown_mib:.0f} MiB reading {references} references to one array"


def test_a_forged_compressed_record_is_refused_before_it_is_unpacked(limits):
    # 1 MiB of zeros deflates to about 1 KiB: the record would unpack to a thousand times its size.
    extra = hostile_relu("""
import io, json, struct, zipfile
plan = json.load(open("/job/plan.json"))
npy = io.BytesIO()
np.save(npy, np.zeros(1 << 17))
archive = io.BytesIO()
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("r0.npy", npy.getvalue())
for test in plan["tests"]:
    if test["function"] == "relu":
        head = json.dumps({"event": "done", "test": test["id"], "status": "ok", "value": {"array": "r0"}}).encode()
        payload = archive.getvalue()
        os.write(int(sys.argv[3]), struct.pack(">4sII", b"GRv1", len(head), len(payload)) + head + payload)
return np.maximum(a, 0)
""")
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    relu = next(t for t in result.tests if t.name == RELU)
    assert relu.output == ("relu: its return value could not be read: its arrays are compressed, which the "
                           "grader's harness never does")


def test_truncating_the_results_file_is_the_students_failure_said_once_and_not_retried(limits):
    extra = hostile_relu("""
os.ftruncate(int(sys.argv[3]), 0)
return np.maximum(a, 0)
""")
    result = grade("hw1", {"hw1.py": source(extra)}, limits)       # no SandboxUnavailable: nothing to retry
    first = result.tests[0]
    assert first.output == (f"{first.name.split(':')[0]}: not run, because the program destroyed the grader's "
                            f"results file (see the message above the tests)")
    assert result.notes == ("The program truncated or overwrote the grader's results file, so the results of the "
                            "tests it ran were lost. Leave alone the files and file descriptors your code did not "
                            "open.",)
    assert len(result.runs) == 1
    assert "the harness started" not in result.stdout


def test_forged_records_with_megabytes_of_text_give_feedback_of_bounded_size(limits):
    extra = hostile_relu("""
import codec, json
plan = json.load(open("/job/plan.json"))
for test in plan["tests"]:
    error = {"type": "E" * 5000, "message": "m" * 50_000, "traceback": ["t" * 1000] * 20}   # 70 KB a test
    os.write(int(sys.argv[3]), codec.frame({"event": "done", "test": test["id"], "status": "exception",
                                            "error": error}))
return np.maximum(a, 0)
""")
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    assert max(len(t.output) for t in result.tests) <= 4000
    assert sum(len(t.output) for t in result.tests) <= 64_000 + 200 * len(result.tests)
    assert len(json.dumps(result.to_gradescope_json())) < 300_000
    assert sum("more characters not shown" in t.output for t in result.tests) > 10


@pytest.mark.usefixtures("run_cgroup")
def test_a_memory_bomb_spread_over_forked_processes_is_stopped_at_the_limit_of_the_whole_run(limits):
    """Each process stays under the address-space limit; together they pass the run's memory limit (0.75 GiB)."""
    extra = hostile_relu("""
for _ in range(6):
    if os.fork() == 0:
        hoard = b"x" * (100 << 20)
        time.sleep(60)
hoard = []
for _ in range(70):
    hoard.append(b"x" * (10 << 20))
return np.maximum(a, 0)
""")
    started = time.monotonic()
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    assert time.monotonic() - started < limits.wall_seconds + 3
    relu = next(t for t in result.tests if t.name == RELU)
    assert relu.output == ("relu: the program ran out of memory: its processes together used more than the limit "
                           "(0.75 GiB), so the kernel stopped it while running this test")
    assert {t.name.split(":")[0] for t in result.tests if t.status == "failed"} == {"relu"}
    assert result.runs[0].peak_memory_bytes >= 700 << 20


def test_processes_spinning_together_past_the_cpu_limit_end_with_the_cpu_limit_message(limits):
    """Each process stays under RLIMIT_CPU (2 s each); together they pass it, at most one core at a time.
    Each swallows the test's own time-out, so only a limit on the whole run can end them."""
    limits = dataclasses.replace(limits, cpu_seconds=2, wall_seconds=20)
    extra = hostile_relu("""
for _ in range(3):
    if os.fork() == 0:
        break
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
""")
    started = time.monotonic()
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    assert time.monotonic() - started < 15
    relu = next(t for t in result.tests if t.name == RELU)
    assert relu.output == "relu: the program used more than the CPU time limit (2 s) while running this test"
    assert {t.name.split(":")[0] for t in result.tests if t.status == "failed"} == {"relu"}


def test_a_printed_fake_result_sets_no_score(limits):
    extra, _ = HOSTILE["printing a fake result"]
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    assert '"score": 100' in result.stdout
    assert result.score == 96                           # relu's 4 points are lost


def test_normal_grading_works_after_the_hostile_submissions(limits):
    result = grade("hw1", {"hw1.py": CORRECT.read_bytes()}, limits)
    assert result.score == 100


def test_the_job_folder_of_a_worker_killed_mid_grade_is_removed_by_the_next_grading(limits):
    dead = subprocess.Popen(["true"])
    dead.wait()
    orphan = Path(tempfile.mkdtemp(prefix=f"{JOB_PREFIX}{dead.pid}-"))
    (orphan / "job").mkdir()
    (orphan / "job" / "hw1.py").write_text("a student's code")
    assert grade("hw1", {"hw1.py": CORRECT.read_bytes()}, limits).score == 100
    assert not orphan.exists() and orphan_job_folders() == []


def test_a_pickle_forged_into_the_results_channel_is_refused_unread(limits, tmp_path):
    marker = tmp_path / "unpickled-on-the-host"
    extra = hostile_relu(f"""
import io, json
sys.path.insert(0, "/harness")
import codec

class Bomb:
    def __reduce__(self):
        return (os.system, ("touch {marker}",))

payload = io.BytesIO()
np.savez(payload, r0=np.array([Bomb()], dtype=object), allow_pickle=True)
payload = payload.getvalue()
for test in json.load(open("/job/plan.json"))["tests"]:
    head = json.dumps({{"event": "done", "test": test["id"], "status": "ok", "value": {{"array": "r0"}}}}).encode()
    os.write(int(sys.argv[3]), codec._LENGTHS.pack(codec.MAGIC, len(head), len(payload)) + head + payload)
return np.maximum(a, 0)
""")
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    assert not marker.exists()
    relu = next(t for t in result.tests if t.name == RELU)
    assert "could not be read: it holds arrays that would need unpickling" in relu.output


def test_garbage_written_into_the_results_channel_still_gives_a_result(limits):
    extra = hostile_relu("""
import json
sys.path.insert(0, "/harness")
import codec
forged = [{"event": "start", "test": [1]}, {"event": "done", "test": {"a": 1}},
          {"event": "done", "test": "t3", "status": ["ok"], "mutated": 5, "error": "x"},
          {"event": "done", "test": "t4", "status": "ok", "value": {"array": [1]}},
          {"event": "done", "test": "t5", "status": "exception", "error": {"traceback": 7}},
          {"event": 3}]
for header in forged:
    os.write(int(sys.argv[3]), codec.frame(header))
os.write(int(sys.argv[3]), b"GRv1" + b"\\xff" * 64)
return np.maximum(a, 0)
""")
    result = grade("hw1", {"hw1.py": source(extra)}, limits)
    assert len(result.tests) == len(get_spec("hw1").cases) and result.max_score == 100
    relu = next(t for t in result.tests if t.name == RELU)
    assert "wrote into the grader's results file and damaged it" in relu.output
