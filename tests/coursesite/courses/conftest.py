"""Shared helpers for the course-configuration tests: the shipped seed file, loading it, DB snapshots."""
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from coursesite.courses.models import Course

SEED = Path(django_settings.BASE_DIR) / "courses" / "10707-s21.toml"
SEED_TEXT = SEED.read_text(encoding="utf-8")
DEMO_PASSWORD = "deeplearning"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """--demo-password hashes ten passwords; the default hasher would make this folder slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def loadcourse(path, *args: str, **options) -> str:
    """Run `manage.py loadcourse PATH ARGS...` and return what it printed."""
    out = StringIO()
    call_command("loadcourse", str(path), *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def course_file(tmp_path):
    """Write a variant of the shipped seed: course_file(("old", "new"), ...) replaces text, each exactly once."""

    def write(*replacements: tuple[str, str], text: str = SEED_TEXT, name: str = "course.toml") -> Path:
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the seed"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def course(db) -> Course:
    """The seed course, loaded as shipped."""
    loadcourse(SEED)
    return Course.objects.get(slug="10707-s21")


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model (with many-to-many tables), as plain values ordered by primary key."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
    }


def refuse(path, message: str) -> str:
    """Load `path`, expect the exact problem line `message`, and check that no row changed."""
    before = snapshot()
    with pytest.raises(CommandError, match=re.escape(f"  - {message}")) as refused:
        loadcourse(path)
    assert str(refused.value).startswith(f"{path} was not loaded; nothing was changed:\n")
    assert snapshot() == before
    return str(refused.value)
