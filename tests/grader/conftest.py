"""Shared fixtures of the grader tests: bubblewrap present, small limits, and nothing left behind."""

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from grader import cgroups
from grader.sandbox import HARNESS_DIR, Limits, cpu_limit_scope, memory_limit_scope

SOLUTIONS = Path(__file__).with_name("solutions")

# Small limits keep the hostile cases quick; the harness and NumPy fit easily.
SMALL = Limits(
    wall_seconds=6.0,
    cpu_seconds=4,
    memory_bytes=768 << 20,
    processes=16,
    file_size_bytes=4 << 20,
    scratch_bytes=8 << 20,
    output_kill_bytes=1 << 20,
)


@pytest.fixture(scope="session")
def bwrap():
    """bubblewrap is required for the sandbox tests: skipped without it, except in CI."""
    path = shutil.which("bwrap")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install bubblewrap: apt-get install bubblewrap")
        pytest.skip("bubblewrap is not installed (apt-get install bubblewrap)")
    return path


@pytest.fixture
def limits():
    return dataclasses.replace(SMALL)


@pytest.fixture
def job_dir():
    """An empty job folder the sandbox can read (as /job)."""
    with tempfile.TemporaryDirectory(prefix="grader-test-job-") as tmp:
        Path(tmp).chmod(0o755)
        yield Path(tmp)


def sandbox_processes() -> list[int]:
    """Processes of any sandbox user id, or running the harness launcher (unsandboxed runs)."""
    uids = range(SMALL.first_uid, SMALL.first_uid + SMALL.uid_count)
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid in uids or LAUNCHER in Path(entry.path, "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:                 # ended while we looked
            continue
    return pids


LAUNCHER = str(HARNESS_DIR / "launch.py").encode()


@pytest.fixture(scope="session")
def run_cgroup():
    """A cgroup per run holding its memory limit: skipped where the machine does not allow one, except in CI."""
    scope = memory_limit_scope(SMALL)
    if not scope.startswith("the whole run"):
        if os.environ.get("CI"):
            pytest.fail(f"CI machines must allow a cgroup per sandbox run; the memory limit binds {scope}")
        pytest.skip(f"the memory limit binds {scope}")
    return scope


@pytest.fixture(scope="session")
def cpu_quota():
    """A cgroup CPU quota per run holding it to one core: skipped where the machine does not allow one, except in CI."""
    scope = cpu_limit_scope(SMALL)
    if not scope.startswith("one core"):
        if os.environ.get("CI"):
            pytest.fail(f"CI machines must allow a CPU quota per sandbox run; a run gets {scope}")
        pytest.skip(f"a run gets {scope}")
    return scope


@pytest.fixture(autouse=True)
def nothing_left_behind():
    """Every test ends with no process of any sandbox run alive, and no run's cgroup."""
    yield
    assert sandbox_processes() == []
    assert cgroups.run_groups(owner=os.getpid(), every_tree=True) == []     # the tests' workers have their own
