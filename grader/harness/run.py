"""The harness: import the student's module and call its functions on the trusted inputs.

Runs inside the sandbox as ``run.main()``, with ``sys.argv == ["<sandbox>", JOB, SCRATCH, FD]``:

* ``JOB/plan.json`` lists the tests (id, function, argument tree, time budget), the module
  name and the submitted files; ``JOB/inputs.npz`` holds the argument arrays (no pickles).
* Every result goes to file descriptor ``FD`` as a framed record (``codec.frame``):
  ``hello`` once the harness is up, ``start`` before each call (so that a crash or a
  timeout can be pinned on the test that was running), ``done`` with the status and the
  raw return value, and ``finished`` at the end.

Only raw outputs leave: no comparison, no score, nothing the student could talk into a
grade. Statuses: ok, exception, timeout, memory, exit, missing, not_callable, too_large,
skipped (the function already timed out once). The student can write into ``FD`` too; the
trusted side reads it as untrusted data.
"""

import errno
import importlib.util
import json
import os
import shutil
import signal
import sys
import time
import traceback

import numpy as np

import codec

MAX_MESSAGE = 2000          # characters of an exception message that are kept
MAX_TRACEBACK = 10          # of the student's own frames, the innermost are kept


class _OutOfTime(BaseException):
    """Raised into the student's code when its time budget is spent. A BaseException, so a
    plain ``except Exception`` in the student's code does not swallow it."""


_armed = False


def _on_alarm(signum, frame):
    # Never raise into the harness's own frames (say, between the call's return and _disarm):
    # only into the code it called, which is where the time is being spent.
    if _armed and (frame is None or frame.f_code.co_filename != __file__):
        raise _OutOfTime


def _arm(seconds: float) -> None:
    global _armed
    _armed = True
    # The alarm repeats every 50 ms in case a bare ``except:`` swallows the first one.
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), 0.05)


def _disarm() -> None:
    global _armed
    _armed = False                          # first: an alarm arriving now is ignored
    signal.setitimer(signal.ITIMER_REAL, 0)


HARNESS_PID = os.getpid()


def _leave_if_forked() -> None:
    """A fork in the student's code copies the harness too. When such a copy returns here,
    it ends at once instead of running (and reporting) the remaining tests a second time."""
    if os.getpid() != HARNESS_PID:
        os._exit(0)


class Channel:
    """The results file descriptor, written in whole records, by the harness process only."""

    def __init__(self, fd: int):
        self.fd = fd
        self.write = os.write               # bound now: the student's code may replace os.write

    def send(self, header: dict, arrays: dict | None = None) -> None:
        _leave_if_forked()
        data = memoryview(codec.frame(header, arrays))
        try:
            while data:
                data = data[self.write(self.fd, data) :]
        except OSError as exc:
            if exc.errno == errno.EBADF:    # the student's code closed the descriptor
                os._exit(codec.CHANNEL_LOST)
            raise


def _student_frames(exc: BaseException, scratch: str) -> list[str]:
    """The traceback lines that point into the student's own files, innermost last."""
    lines = []
    for entry in traceback.extract_tb(exc.__traceback__):
        if entry.filename.startswith(scratch + os.sep):
            where = f'File "{os.path.relpath(entry.filename, scratch)}", line {entry.lineno}, in {entry.name}'
            lines.append(where + (f"\n    {entry.line}" if entry.line else ""))
    return lines[-MAX_TRACEBACK:]


def _describe(exc: BaseException, scratch: str) -> dict:
    """Type, message and the student's traceback lines. ``str(exc)`` runs the student's code
    (a custom ``__str__``), so it gets a budget of its own."""
    try:
        _arm(1.0)
        try:
            message = str(exc)[:MAX_MESSAGE]
            frames = _student_frames(exc, scratch)
        finally:
            _disarm()
    except BaseException:
        message, frames = "(the exception's message could not be printed)", []
    return {"type": type(exc).__name__[:100], "message": message, "traceback": frames}


def _call(fn, args: tuple, seconds: float, scratch: str) -> tuple[dict, object]:
    """Call ``fn(*args)`` within ``seconds``: ``(status record, return value or None)``."""
    try:
        _arm(seconds)
        try:
            return {"status": "ok"}, fn(*args)
        finally:
            _disarm()
            _leave_if_forked()
    except _OutOfTime:
        return {"status": "timeout"}, None
    except MemoryError:
        return {"status": "memory"}, None
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, (int, type(None))) else 1
        return {"status": "exit", "code": code}, None
    except BaseException as exc:
        return {"status": "exception", "error": _describe(exc, scratch)}, None


def _array_leaves(value, path: str = "") -> list[tuple[str, object]]:
    if isinstance(value, (list, tuple)):
        return [leaf for i, item in enumerate(value) for leaf in _array_leaves(item, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, np.ndarray) else []


def _mutated(passed: tuple, before: list, pristine: tuple) -> list[str]:
    """Argument paths (``"[0][1][0]"``: argument 0, item 1, item 0) whose arrays the call
    changed in place, plus ``"lists"`` if it changed the lists it was given."""
    after = _array_leaves(passed)
    changed = []
    if [path for path, _ in after] != [path for path, _ in before] or any(
        a is not b for (_, a), (_, b) in zip(after, before)
    ):
        changed.append("lists")
    for (path, array), (_, original) in zip(before, _array_leaves(pristine)):
        same = array.shape == original.shape and array.dtype == original.dtype
        if not same or not np.array_equal(array, original, equal_nan=True):
            changed.append(path)
    return changed


def run_test(module, test: dict, inputs: dict, scratch: str, max_bytes: int) -> tuple[dict, dict | None]:
    """The ``done`` record of one test and the arrays of its return value."""
    record = {"event": "done", "test": test["id"]}
    fn = module.__dict__.get(test["function"])          # not getattr: no module __getattr__ hook
    if fn is None:
        return {**record, "status": "missing"}, None
    if not callable(fn):
        return {**record, "status": "not_callable", "type": type(fn).__name__[:100]}, None
    pristine = codec.decode(test["args"], inputs)
    passed = codec.decode(test["args"], {name: array.copy() for name, array in inputs.items()})
    before = _array_leaves(passed)
    started = time.perf_counter()
    status, value = _call(fn, passed, test["seconds"], scratch)
    record.update(status, seconds=round(time.perf_counter() - started, 4), mutated=_mutated(passed, before, pristine))
    if status["status"] != "ok":
        return record, None
    arrays: dict = {}
    try:
        record["value"] = codec.encode(value, arrays, prefix="r")
    except codec.TooLarge as exc:
        return {**record, "status": "too_large", "detail": str(exc)}, None
    if sum(a.nbytes for a in arrays.values()) > max_bytes:
        return {**record, "status": "too_large", "detail": f"more than {max_bytes} bytes of arrays"}, None
    return record, arrays


def import_student(plan: dict, job: str, scratch: str):
    """Copy the submission into the scratch folder and import it within its time budget:
    ``(module, None)`` or ``(None, the record of what went wrong)``."""
    for name in plan["files"]:
        shutil.copyfile(os.path.join(job, "submission", name), os.path.join(scratch, name))
    sys.path.insert(0, scratch)
    spec = importlib.util.spec_from_file_location(plan["module"], os.path.join(scratch, plan["module"] + ".py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[plan["module"]] = module
    status, _ = _call(spec.loader.exec_module, (module,), plan["import_seconds"], scratch)
    if status["status"] != "ok":
        return None, {"event": "import", **status}
    return module, None


def main() -> None:
    job, scratch, fd = sys.argv[1], sys.argv[2], int(sys.argv[3])
    channel = Channel(fd)
    with open(os.path.join(job, "plan.json")) as f:
        plan = json.load(f)
    with np.load(os.path.join(job, "inputs.npz"), allow_pickle=False) as npz:
        inputs = {name: npz[name] for name in npz.files}
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # a file past the size limit: EFBIG, not death
    os.write(1, codec.STARTED.encode())    # before the student's code: see core._run_all
    channel.send({"event": "hello"})
    module, failure = import_student(plan, job, scratch)
    if failure is not None:
        channel.send(failure)
    else:
        timed_out = set()
        for test in plan["tests"]:
            if test["function"] in timed_out:
                channel.send({"event": "done", "test": test["id"], "status": "skipped"})
                continue
            channel.send({"event": "start", "test": test["id"]})
            record, arrays = run_test(module, test, inputs, scratch, plan["max_output_bytes"])
            if record["status"] == "timeout":
                timed_out.add(test["function"])
            channel.send(record, arrays)
    channel.send({"event": "finished"})
    try:                                    # the student's buffered prints; their streams may be anything
        _arm(1.0)
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    finally:
        _disarm()
    os._exit(0)                             # not sys.exit: the student's threads must not keep us waiting


if __name__ == "__main__":
    main()
