"""`manage.py check --deploy --fail-level WARNING`, as an admin runs it with production settings
(coursesite/settings.py's production block, coursesite/checks.py), in a process of its own."""
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

LONG_KEY = "k7Qz-Xw9p2LrT8vN3bYc6HdJ1mF4sGa0eUoIiRqZtVyWxE5lKn"      # 50 characters, 40 distinct


def check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The check under production settings (those of deploy/coursesite.env.example), `env` changing them."""
    production = {
        "DEBUG": "0", "SECRET_KEY": LONG_KEY, "ALLOWED_HOSTS": "course.example.edu",
        "SITE_URL": "https://course.example.edu", "BEHIND_TLS_PROXY": "1",
        "COURSESITE_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    base = {k: v for k, v in os.environ.items() if k not in production and not k.startswith(("SECURE_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env={**base, **production, **env}, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_an_http_site_url_fails_the_deploy_check_saying_why(tmp_path):
    result = check_deploy(tmp_path, SITE_URL="http://course.example.edu")
    assert result.returncode == 1
    assert ("(coursesite.W001) SITE_URL is 'http://course.example.edu': links in emails would send students "
            "to the site without TLS.") in result.stderr
    assert "HINT: Set SITE_URL to the site's https:// address" in result.stderr


def test_a_short_secret_key_fails_the_deploy_check_saying_why(tmp_path):
    result = check_deploy(tmp_path, SECRET_KEY="too-short")
    assert result.returncode == 1
    assert "(security.W009) Your SECRET_KEY has less than 50 characters" in result.stderr


def test_a_site_url_on_a_host_the_site_refuses_fails_the_deploy_check(tmp_path):
    result = check_deploy(tmp_path, SITE_URL="https://dl.example.edu")
    assert result.returncode == 1
    assert ("(coursesite.W002) SITE_URL's host 'dl.example.edu' is not in ALLOWED_HOSTS ['course.example.edu']"
            in result.stderr)
    assert "HINT: Add it: ALLOWED_HOSTS=dl.example.edu,course.example.edu" in result.stderr


def test_turning_the_ssl_redirect_off_fails_the_deploy_check(tmp_path):
    result = check_deploy(tmp_path, SECURE_SSL_REDIRECT="0")
    assert result.returncode == 1
    assert "(security.W008)" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = check_deploy(tmp_path, SECRET_KEY="")
    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
