"""``grade(spec, files, limits) -> GradeResult``: the web-free entry point of the autograder.

1. The trusted side builds every case's inputs from the spec's seed (once per process:
   ``prepare``) and writes them, the plan and the submitted files into a fresh job folder.
2. The sandbox runs the harness on them (``sandbox.run_python``); the harness writes raw
   return values to a results file, one record per test.
3. The trusted side reads that file as untrusted data, compares with ``nnref`` through the
   spec's checks, and builds the result. Nothing the student prints or writes sets a score.

When a run ends early (a segfault, ``os._exit``, a flood of output), the test that was
running is charged with it and the harness starts again on the tests left, so one
crashing function costs only its own points. Student failures are results with a message;
only infrastructure trouble raises (``SandboxUnavailable``), so the caller can retry.
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from . import feedback
from .harness import codec
from .results import GradeResult, RunSummary, TestResult
from .sandbox import Limits, RunOutcome, SandboxUnavailable, run_python
from .sandbox_users import process_alive
from .scoring import BadOutput, Mismatch, load_arrays, summary
from .specs import VISIBLE, Answer, Call, Case, Spec, Verdict, get_spec

__all__ = ["grade", "prepare", "Limits", "SandboxUnavailable", "GradeResult"]

HARNESS_CODE = "import run\nrun.main()\n"
JOB_PREFIX = "grader-job-"           # then the worker's pid: grader-job-<pid>-<random>, in the temporary folder
MAX_RUNS = 12                        # a run per crash, at most; the wall-clock limit bounds them too
FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")


def grade(spec_name: str, files: dict[str, bytes], limits: Limits = Limits()) -> GradeResult:
    """Grade one submission (file name -> contents) with the spec registered as ``spec_name``.

    Raises ``SandboxUnavailable`` for infrastructure trouble only (bubblewrap missing or
    failing to start); ``KeyError`` for an unknown spec.
    """
    spec = get_spec(spec_name)
    started = time.monotonic()
    problem = _submission_problem(spec, files)
    if problem:
        tests = [_not_run(case, problem) for case in spec.cases]
        return GradeResult(spec.name, tuple(tests), time.monotonic() - started, sandboxed=False,
                           notes=(problem.message,))
    prepared = with_drawn_calls(spec, prepare(spec_name))
    ids, calls = prepared.cases, prepared.calls
    for folder in orphan_job_folders():
        shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{JOB_PREFIX}{os.getpid()}-") as tmp:
        job = _write_job(Path(tmp), spec, files, prepared, limits)
        verdicts, runs = _run_all(spec, ids, job, Path(tmp) / "results.bin", limits, started)
    tests, notes = [], []
    # A problem of the whole submission is said once, first; the tests it stopped only point to it.
    notes.extend(dict.fromkeys(v.message for v in verdicts.values() if isinstance(v, WholeSubmission)))
    for tid, case in ids.items():
        outcome = verdicts.get(tid, "not run")
        if isinstance(outcome, WholeSubmission):
            tests.append(_not_run(case, outcome))
        elif isinstance(outcome, str):
            tests.append(_failed(case, outcome))
        else:
            header, payload = outcome
            tests.append(_scored(case, calls[tid], header, payload, limits, notes))
    if not runs[-1].sandboxed:
        notes.extend(runs[-1].notes)
    outputs = feedback.within_budget([test.output for test in tests])
    tests = [replace(test, output=output) for test, output in zip(tests, outputs)]
    overview = summary(tests)           # first: which functions fail, and the first thing to fix
    if overview:
        notes.insert(0, overview)
    return GradeResult(
        spec=spec.name,
        tests=tuple(tests),
        execution_time=time.monotonic() - started,
        sandboxed=runs[-1].sandboxed,
        notes=tuple(dict.fromkeys(notes)),
        stdout=_joined(run.stdout.removeprefix(codec.STARTED) for run in runs)[: limits.output_bytes],
        stderr=_joined(run.stderr for run in runs)[: limits.output_bytes],
        runs=tuple(
            RunSummary(r.exit_code, r.signal, r.timed_out, round(r.cpu_seconds, 3), round(r.wall_seconds, 3),
                       r.peak_memory_bytes)
            for r in runs
        ),
    )


def orphan_job_folders() -> list[Path]:
    """Job folders of gradings whose worker process is gone: a worker killed mid-grade never removed its own."""
    folders = []
    with os.scandir(tempfile.gettempdir()) as entries:
        for entry in entries:
            owner = entry.name.removeprefix(JOB_PREFIX).split("-")[0]
            if entry.name.startswith(JOB_PREFIX) and owner.isdigit() and not process_alive(int(owner)):
                folders.append(Path(entry.path))
    return folders


@dataclass(frozen=True)
class WholeSubmission:
    """A problem that stopped every test still to run (the module does not import, a file is
    missing): said once in the result's notes, while each test it stopped says only ``reason``."""

    message: str                        # the full explanation, traceback included
    reason: str                         # "hw1.py could not be imported", for each test it stopped


def _not_run(case: Case, problem: WholeSubmission) -> TestResult:
    return _failed(case, f"not run, because {problem.reason} (see the message above the tests)")


def _submission_problem(spec: Spec, files: dict[str, bytes]) -> WholeSubmission | None:
    bad = [name for name in files if not FILE_NAME.fullmatch(name)]
    if bad:
        return WholeSubmission(
            f"File names must be plain names like hw1.py; not accepted: {', '.join(map(repr, bad))}.",
            "a file name was not accepted")
    missing = [name for name in spec.files if name not in files]
    if missing:
        return WholeSubmission(f"Your submission has no {', '.join(missing)}: nothing could be graded.",
                               f"the submission has no {', '.join(missing)}")
    return None


@dataclass(frozen=True)
class Prepared:
    """What every grading with one spec shares: the cases by test id, their calls, and the
    inputs as the sandbox reads them (value trees and one ``.npz`` archive)."""

    cases: dict[str, Case]
    calls: dict[str, Call]
    trees: dict[str, object]
    inputs_npz: bytes


@functools.lru_cache(maxsize=None)
def prepare(spec_name: str) -> Prepared:
    """Build ``spec_name``'s inputs and their archive, once per process. A worker calls this
    before its pool forks, so that no student waits for it (HW1 loads scikit-learn's digits)."""
    spec = get_spec(spec_name)
    cases = {f"t{i}": case for i, case in enumerate(spec.cases)}
    calls = dict(zip(cases, spec.calls))
    arrays: dict = {}
    trees = {tid: codec.encode(call.args, arrays, prefix=f"{tid}_") for tid, call in calls.items()}
    return Prepared(cases, calls, trees, codec.npz_bytes(arrays))


def with_drawn_calls(spec: Spec, prepared: Prepared) -> Prepared:
    """``prepared`` with the calls of the spec's ``per_grading`` cases drawn afresh for this grading
    (from the operating system's entropy, so no submission can know them in advance)."""
    drawn = spec.draw_calls(secrets.randbits(64))
    if not drawn:
        return prepared
    calls = {tid: drawn.get(case.name, prepared.calls[tid]) for tid, case in prepared.cases.items()}
    arrays: dict = {}
    trees = {tid: codec.encode(call.args, arrays, prefix=f"{tid}_") for tid, call in calls.items()}
    return Prepared(prepared.cases, calls, trees, codec.npz_bytes(arrays))


def _write_job(tmp: Path, spec: Spec, files: dict[str, bytes], prepared: Prepared, limits: Limits) -> Path:
    """The job folder the sandbox sees read-only at /job: submission/, inputs.npz, plan.json."""
    job = tmp / "job"
    (job / "submission").mkdir(parents=True)
    for folder in (job, job / "submission"):
        folder.chmod(0o755)                 # readable by the sandbox's unprivileged user
    for name, content in files.items():
        (job / "submission" / name).write_bytes(content)
    (job / "inputs.npz").write_bytes(prepared.inputs_npz)
    trees = prepared.trees
    plan = {
        "module": spec.module,
        "files": sorted(files),
        "import_seconds": spec.import_seconds,
        "max_output_bytes": max_output_bytes(limits),
        "tests": [],
        "args": trees,
    }
    (job / "plan.json").write_text(json.dumps(plan))
    for path in job.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    return job


def _set_plan_tests(job: Path, spec: Spec, ids: dict[str, Case], remaining: list[str]) -> None:
    plan = json.loads((job / "plan.json").read_text())
    plan["tests"] = [
        {"id": tid, "function": ids[tid].function, "args": plan["args"][tid], "seconds": ids[tid].seconds}
        for tid in remaining
    ]
    (job / "plan.json").write_text(json.dumps(plan))


def _run_all(spec: Spec, ids: dict[str, Case], job: Path, results: Path, limits: Limits, started: float):
    """Run the harness until every test has a record or a charge, a run makes no progress,
    or time runs out. Returns ({test id: (header, payload), a failure message, or the
    WholeSubmission problem that stopped it}, runs)."""
    verdicts: dict[str, object] = {}
    runs: list[RunOutcome] = []
    while len(runs) < MAX_RUNS:
        remaining = [tid for tid in ids if tid not in verdicts]
        left = limits.wall_seconds - (time.monotonic() - started)
        if not remaining or (runs and left < 0.5):
            break
        _set_plan_tests(job, spec, ids, remaining)
        fd = os.open(results, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        try:
            outcome = run_python(HARNESS_CODE, [str(fd)], job_dir=job, results_fd=fd, limits=limits,
                                 wall_seconds=max(left, 0.5))
        finally:
            os.close(fd)
        runs.append(outcome)
        with open(results, "rb") as f:
            records, intact = codec.read_frames(f.read(limits.file_size_bytes + 1))
        events = [header for header, _ in records]
        # Whether the harness started is read from its first output line, which it writes before any
        # student code runs: code that truncates the results file can erase the "hello" record there,
        # but not that line. No line: the sandbox's failure (retried); a line, no hello: the student's.
        if not outcome.stdout.startswith(codec.STARTED):
            raise SandboxUnavailable(f"the sandbox did not start the harness: {outcome.stderr[-2000:]!r}")
        channel_destroyed = not any(e.get("event") == "hello" for e in events)
        progress = False
        running = None
        for header, payload in records:             # untrusted: the student can write here too
            tid = header.get("test") if isinstance(header.get("test"), str) else None
            if header.get("event") == "start" and tid in ids:
                running = tid
            elif header.get("event") == "done" and tid in ids and tid not in verdicts:
                verdicts[tid] = (header, payload)
                running, progress = None, True
            elif header.get("event") == "import":
                failure = WholeSubmission(_import_message(spec, header, limits),
                                          f"{spec.module}.py could not be imported")
                return {tid: failure for tid in ids}, runs
        if channel_destroyed:
            lost = WholeSubmission(
                "The program truncated or overwrote the grader's results file, so the results of the tests it "
                "ran were lost. Leave alone the files and file descriptors your code did not open.",
                "the program destroyed the grader's results file")
            for tid in remaining:
                verdicts.setdefault(tid, lost)
            break
        if any(e.get("event") == "finished" for e in events):
            break
        crash = _crash_message(outcome, limits) if intact else "wrote into the grader's results file and damaged it"
        if running is None and not progress:
            if any(e.get("event") == "start" for e in events):
                stop = WholeSubmission(f"The program {crash} between two tests; the tests after it were not run.",
                                       "the program stopped between two tests")
            else:
                stop = WholeSubmission(f"{spec.module}.py could not be imported: the program {crash} while "
                                       f"importing {spec.module}.py.", f"{spec.module}.py could not be imported")
            for tid in remaining:
                verdicts.setdefault(tid, stop)
            break
        if running is not None:
            verdicts[running] = f"the program {crash} while running this test"
        if outcome.timed_out:
            break
    for tid in ids:
        verdicts.setdefault(tid, "not run: the time limit for the whole submission "
                                 f"({limits.wall_seconds:g} s) ran out before this test")
    return verdicts, runs


def _crash_message(outcome: RunOutcome, limits: Limits) -> str:
    if outcome.timed_out:
        return f"was still running when the time limit for the whole submission ({limits.wall_seconds:g} s) ran out"
    if outcome.output_flood:
        return f"printed more than {limits.output_kill_bytes / 2**20:g} MiB of output, so it was stopped"
    if outcome.memory_exceeded:
        return (f"ran out of memory: its processes together used more than the limit "
                f"({limits.memory_bytes / 2**30:g} GiB), so the kernel stopped it")
    sig = outcome.signal
    if sig == signal.SIGSEGV:
        return "crashed with a segmentation fault (SIGSEGV)"
    if outcome.cpu_exceeded or sig == signal.SIGXCPU:
        return f"used more than the CPU time limit ({limits.cpu_seconds} s)"
    if sig == signal.SIGXFSZ:
        return f"wrote a file larger than the limit ({limits.file_size_bytes / 2**20:g} MiB)"
    if sig is not None:
        return f"was killed by signal {signal.Signals(sig).name}" if sig in signal.valid_signals() else \
            f"was killed by signal {sig}"
    if outcome.exit_code == codec.CHANNEL_LOST:
        return ("closed the file descriptor the grader reads results from, so no more results could be sent; "
                "close only the files your code opened")
    return (f"ended (exit status {outcome.exit_code}) instead of returning; "
            "do not call exit(), sys.exit() or os._exit()")


def _import_message(spec: Spec, header: dict, limits: Limits) -> str:
    what = f"{spec.module}.py could not be imported: "
    return what + _status_message(header, spec.module, spec.import_seconds, limits)


def _status_message(header: dict, function: str, seconds: float, limits: Limits) -> str:
    """What a failed call's status record means, for the student."""
    status = header.get("status") if isinstance(header.get("status"), str) else None
    error = header.get("error") if isinstance(header.get("error"), dict) else {}
    if status == "exception":                   # every string of the record is cut (feedback.py)
        kind, message = feedback.field(error.get("type", "Exception"), 100), feedback.field(error.get("message", ""))
        if kind == "NotImplementedError":
            return "not implemented yet (it raises NotImplementedError)"
        lines = feedback.traceback_lines(error.get("traceback"))
        text = f"raised {kind}: {message}" if message else f"raised {kind}"
        return text + ("\nTraceback (your code, innermost last):\n" + "\n".join(lines) if lines else "")
    code = header.get("code") if type(header.get("code")) is int else "unknown"
    return {
        "timeout": f"took longer than its time limit ({seconds:g} s) and was stopped",
        "memory": f"ran out of memory (the limit is {limits.memory_bytes / 2**30:g} GiB)",
        "exit": f"called exit() (status {code}) instead of returning",
        "missing": f"missing function: there is no {function} in your file",
        "not_callable": f"{function} is a {feedback.field(header.get('type'), 100)}, not a function",
        "too_large": f"returned too much data ({feedback.field(header.get('detail'), 300)})",
        "skipped": f"not run: {function} ran out of time in an earlier test",
    }.get(status, f"the harness reported an unknown status {feedback.field(status, 100)!r}")


def max_output_bytes(limits: Limits) -> int:
    """The most array data one test's return value may carry, on both sides of the channel."""
    return limits.file_size_bytes // 2


def _failed(case: Case, message: str) -> TestResult:
    return TestResult(case.name, 0.0, case.points, feedback.bounded(f"{case.function}: {message}",
                                                                    feedback.MAX_TEST_OUTPUT), case.visibility)


def _scored(case: Case, call: Call, header: dict, payload: bytes, limits: Limits, notes: list) -> TestResult:
    """The case's result from its ``done`` record: a failure message, or the check's verdict."""
    if header.get("status") != "ok":
        return _failed(case, _status_message(header, case.function, case.seconds, limits))
    # The same bound the harness holds an honest return value to (max_output_bytes); the records of
    # one run share the results file, itself read up to file_size_bytes, so a run costs at most that.
    try:
        arrays = load_arrays(payload, max_output_bytes(limits))
        value = codec.decode(header.get("value"), arrays, max_bytes=max_output_bytes(limits))
    except (BadOutput, ValueError, KeyError) as exc:
        return _failed(case, f"its return value could not be read: {exc}")
    except MemoryError:             # the worker's own address-space limit (autograding.tasks): this test only
        return _failed(case, "its return value was too large for the grader to read")
    paths = header.get("mutated") if isinstance(header.get("mutated"), list) else []
    mutated = tuple(path for path in paths if isinstance(path, str))
    try:
        verdict = case.check(call, Answer(value, mutated))
    except Mismatch as exc:
        verdict = Verdict(0.0, str(exc))
    except MemoryError:
        verdict = Verdict(0.0, "the returned value was too large for the grader to check")
    except Exception as exc:            # a check that cannot cope with this answer: say so, score 0
        # The notes are shown to the student above the tests: a test hidden until the due date is
        # not named there, nor the check's error (it may quote its inputs); its own row says it.
        if case.visibility == VISIBLE:
            notes.append(f"Internal: the check of {case.name!r} failed ({type(exc).__name__}: {exc}); "
                         "tell the staff.")
            verdict = Verdict(0.0, "the returned value could not be checked (see the message above the tests)")
        else:
            notes.append("Internal: the check of a test not shown yet failed; tell the staff.")
            verdict = Verdict(0.0, f"the returned value could not be checked ({type(exc).__name__}: {exc}); "
                                   "tell the staff")
    message = f"{case.function}: {verdict.message}" if verdict.message else ""
    return TestResult(case.name, round(case.points * verdict.fraction, 4), case.points, message, case.visibility)


def _joined(texts) -> str:
    return "\n".join(text for text in texts if text)
