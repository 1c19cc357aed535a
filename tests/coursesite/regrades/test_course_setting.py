"""The course's regrade window: `[regrades] window_days` in the course file, and on the syllabus."""
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from coursesite.courses.models import Course
from tests.coursesite.regrades.conftest import text_of

pytestmark = pytest.mark.django_db

SEED_TEXT = (Path(settings.BASE_DIR) / "courses" / "10707-s21.toml").read_text(encoding="utf-8")
TABLE = "[regrades]\nwindow_days = 7\n"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def course_file(tmp_path, table: str) -> Path:
    assert SEED_TEXT.count(TABLE) == 1
    path = tmp_path / "course.toml"
    path.write_text(SEED_TEXT.replace(TABLE, table), encoding="utf-8")
    return path


def load(path) -> str:
    out = StringIO()
    call_command("loadcourse", str(path), "--apply", stdout=out)
    return out.getvalue()


def test_the_seed_course_takes_requests_for_7_days(tmp_path):
    load(course_file(tmp_path, TABLE))
    assert Course.objects.get(slug="10707-s21").regrade_window_days == 7


def test_the_window_is_read_from_the_course_file(tmp_path):
    load(course_file(tmp_path, "[regrades]\nwindow_days = 3\n"))
    assert Course.objects.get(slug="10707-s21").regrade_window_days == 3


def test_a_course_file_without_the_table_gets_7_days(tmp_path):
    load(course_file(tmp_path, ""))
    assert Course.objects.get(slug="10707-s21").regrade_window_days == 7


def test_loading_the_window_twice_changes_nothing(tmp_path):
    path = course_file(tmp_path, "[regrades]\nwindow_days = 10\n")
    load(path)
    assert load(path) == "10707-s21: no changes.\n"


def test_a_changed_window_is_updated(tmp_path):
    load(course_file(tmp_path, TABLE))
    assert "  course 10707-s21: regrade_window_days is 7, the file says 14\n" in load(course_file(tmp_path, "[regrades]\nwindow_days = 14\n"))


@pytest.mark.parametrize(("value", "message"), [
    ("-1", "regrades.window_days: must not be negative"),
    ("2.5", "regrades.window_days: must be a whole number, not 2.5"),
    ('"7"', "regrades.window_days: must be a whole number, not '7'"),
])
def test_a_window_that_is_not_a_whole_number_of_days_is_refused(tmp_path, value, message):
    with pytest.raises(CommandError, match=message):
        load(course_file(tmp_path, f"[regrades]\nwindow_days = {value}\n"))
    assert not Course.objects.exists()


def test_an_unknown_key_in_the_table_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"regrades.days: is not a known key \(a typo\?\)"):
        load(course_file(tmp_path, "[regrades]\ndays = 7\n"))


def test_the_syllabus_states_the_window_with_the_regrades_policy(client, tmp_path):
    load(course_file(tmp_path, "[regrades]\nwindow_days = 5\n"))
    page = text_of(client.get(reverse("courses:syllabus", args=["10707-s21"])))
    assert "Regrades Submit a regrade request on this site. Regrade requests within 5 days of the grades' release." in page
