"""Celery worker subprocesses of the course site, for the benchmarks and the tests: each consumes a queue
of its own, writes its own log, and is stopped warm (or killed whole) by whoever started it.

No Django here: the worker reads its settings from the environment it is given.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class Worker:
    """``celery -A coursesite worker`` on `queue`, in a session of its own (so that a kill reaches its
    pool and any sandbox it runs), its output appended to `log`."""

    def __init__(self, queue: str, *, env: dict[str, str], log: Path, concurrency: int = 1, name: str | None = None,
                 loglevel: str = "INFO", heartbeat: bool = True):
        self.queue, self.env, self.log, self.concurrency = queue, env, log, concurrency
        self.name, self.loglevel, self.heartbeat = name or queue, loglevel, heartbeat
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        argv = [sys.executable, "-m", "celery", "-A", "coursesite", "worker", "-Q", self.queue, "-n", f"{self.name}@%h",
                f"--concurrency={self.concurrency}", "--pool=prefork", "--without-gossip", "--without-mingle",
                f"--loglevel={self.loglevel}"] + ([] if self.heartbeat else ["--without-heartbeat"])
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(argv, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        return self

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole worker: main process, pool children and any sandbox they run."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        """Warm shutdown, else a kill after `timeout` seconds (see `stop_all`)."""
        stop_all([self], timeout=timeout)

    def log_tail(self, size: int = 4000) -> str:
        """The end of the worker's log, to say why it died."""
        status = self.process.poll() if self.process else None
        try:
            with self.log.open("rb") as f:
                f.seek(max(0, f.seek(0, os.SEEK_END) - size))
                return f"exit status {status}; the end of {self.log}:\n" + f.read().decode("utf-8", "replace")
        except OSError as exc:
            return f"exit status {status}; its log could not be read ({exc})"


def stop_all(workers: list[Worker], timeout: float = 30) -> None:
    """Warm shutdown: SIGTERM to each worker's main process only, which stops its pool (a pool process
    sent SIGTERM itself can die holding the pool's queue lock, and the main process then waits forever);
    SIGKILL to the process group of any worker still there after `timeout` seconds."""
    running = [w for w in workers if w.alive()]
    for worker in running:
        with contextlib.suppress(ProcessLookupError):
            worker.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for worker in running:
        try:
            worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            worker.kill()


class PrivateRedis:
    """A redis-server child process on a free port of its own, persisting nothing (and never evicting a
    queued task): start() it, stop() it warm, or kill() it to lose every message, then start() it again."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> PrivateRedis:
        """Start it and wait until it answers; RuntimeError (with its log's end) if it does not."""
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory-policy", "noeviction", "--dir", str(self.folder),
             "--logfile", str(self.folder / "redis.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    if client.ping():
                        return self
                except redis.ConnectionError:
                    pass
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    log = self.folder / "redis.log"
                    tail = log.read_text(errors="replace")[-1000:] if log.exists() else ""
                    raise RuntimeError(f"redis-server did not start on port {self.port}: {tail}")
                time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL: no shutdown save, every queued and unacknowledged message is gone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
