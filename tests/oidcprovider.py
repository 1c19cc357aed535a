"""A real OpenID Connect provider for the tests: oidc-provider-mock (PyPI) in a process of its own, on a free
port of the loopback address. Any client id and secret are accepted; on its authorization page a person
types the `sub` to sign in as, whose claims are {"email": sub} unless a test set others (`set_claims`)."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

import pytest

CLIENT_ID = "coursesite-tests"
CLIENT_SECRET = "not-a-secret"


@dataclass(frozen=True)
class Provider:
    url: str
    discovery: dict

    def settings(self) -> dict:
        """The site's settings for signing in through this provider."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.discovery["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.discovery["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.discovery["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.discovery["jwks_uri"],
            "OIDC_RP_SIGN_ALGO": self.discovery["id_token_signing_alg_values_supported"][0],
            "OIDC_PROVIDER_NAME": "Carnegie Mellon",
            # The mock signs with one key and names none (no "kid" in its tokens' header).
            "OIDC_VERIFY_KID": False,
        }

    def set_claims(self, sub: str, claims: dict) -> None:
        request = urllib.request.Request(f"{self.url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (200, 204), response.status


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("oidc") / "provider.log", "w+b")    # a pipe nobody reads would fill up
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2) as response:
                    discovery = json.load(response)
                break
            except OSError:
                if process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"the OpenID provider exited: {log.read().decode()[-2000:]}")
                if time.monotonic() > deadline:
                    pytest.fail("the OpenID provider did not answer within 30 s")
                time.sleep(0.1)
        yield Provider(url=url, discovery=discovery)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
