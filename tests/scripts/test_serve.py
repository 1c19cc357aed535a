"""serve.sh: links in emails use the address it serves on, and it loads the demo course only once."""
import subprocess
from pathlib import Path

from django.conf import settings

SERVE = Path(settings.BASE_DIR) / "scripts" / "serve.sh"


def site_url_under_serve(env: dict[str, str]) -> str:
    """SITE_URL as serve.sh sets it for the server and the worker: its own lines up to the first command."""
    setup = [line for line in SERVE.read_text().splitlines() if line.startswith(("PORT=", "export SITE_URL="))]
    script = "\n".join(["set -eu", *setup, 'printf %s "$SITE_URL"'])
    return subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, check=True).stdout


def test_site_url_follows_the_port_it_serves_on():
    assert site_url_under_serve({"PORT": "8123"}) == "http://127.0.0.1:8123"


def test_site_url_is_port_8000_by_default():
    assert site_url_under_serve({}) == "http://127.0.0.1:8000"


def test_a_site_url_given_is_kept():
    assert site_url_under_serve({"PORT": "8123", "SITE_URL": "https://dl.example.edu"}) == "https://dl.example.edu"


def test_every_start_runs_loaddemo_which_loads_only_into_a_database_without_the_course():
    """A restart must not be a reload: serve.sh never passes --reset or --apply (tests/coursesite/courses/test_loaddemo.py)."""
    commands = [line for line in SERVE.read_text().splitlines() if "manage.py loaddemo" in line and line[0] != "#"]
    assert commands == [".venv/bin/python manage.py loaddemo --noinput"]
