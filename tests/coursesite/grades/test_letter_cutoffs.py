"""Letter-grade cutoffs: the course file's [letter_grades] table, loaded idempotently, and the course admin."""
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django import forms as django_forms
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from coursesite.courses.models import Course
from coursesite.grades.models import LetterCutoff
from coursesite.people.models import User

SEED = Path(settings.BASE_DIR) / "courses" / "10707-s21.toml"
SEED_LETTERS = "[letter_grades]\nA = 90\nB = 80\nC = 70\nD = 60\n"


def load(path) -> str:
    out = StringIO()
    call_command("loadcourse", str(path), "--apply", stdout=out)
    return out.getvalue()


def seed_with_letters(tmp_path, letters: str):
    text = SEED.read_text(encoding="utf-8")
    assert text.count(SEED_LETTERS) == 1
    path = tmp_path / "course.toml"
    path.write_text(text.replace(SEED_LETTERS, letters), encoding="utf-8")
    return path


def letters_of(slug="10707-s21") -> list[tuple[str, Decimal]]:
    return list(LetterCutoff.objects.filter(course__slug=slug).values_list("letter", "minimum"))


def test_seed_course_file_sets_letter_cutoffs(db):
    out = load(SEED)

    assert letters_of() == [("A", 90), ("B", 80), ("C", 70), ("D", 60)]
    assert "  letter grade A: created\n" in out


def test_loading_letter_cutoffs_twice_changes_nothing(db):
    load(SEED)

    assert load(SEED) == "10707-s21: no changes.\n"


def test_edited_letter_cutoffs_are_updated_and_dropped_letters_removed(db, tmp_path):
    load(SEED)

    out = load(seed_with_letters(tmp_path, '[letter_grades]\nA = 93\n"A-" = 90\nB = 80\n'))

    assert letters_of() == [("A", 93), ("A-", 90), ("B", 80)]
    assert "  letter grade A: minimum is 90, the file says 93\n" in out and "  letter grade D: removed\n" in out


def test_a_file_without_letter_grades_leaves_the_cutoffs_alone(db, tmp_path):
    load(SEED)

    assert load(seed_with_letters(tmp_path, "")) == "10707-s21: no changes.\n"
    assert len(letters_of()) == 4


@pytest.mark.parametrize(("letters", "problem"), [
    ("A = 90\nB = 95\n", "letter_grades.B: 95 is not below letter_grades.A (90); list letters from the highest down"),
    ("A = 90\nB = 90\n", "letter_grades.B: 90 is not below letter_grades.A (90); list letters from the highest down"),
    ("A = 101\n", "letter_grades.A: must be between 0 and 100, not 101"),
    ("A = -5\n", "letter_grades.A: must be between 0 and 100, not -5"),
    ('A = "ninety"\n', "letter_grades.A: must be a number, not 'ninety'"),
    ("A = 89.995\n", "letter_grades.A: has at most 2 decimal places, not 89.995"),
    ('"Excellent" = 90\n', "letter_grades.Excellent: a letter grade is 1 to 4 characters long"),
])
def test_bad_letter_cutoffs_refuse_the_file_naming_the_key(db, tmp_path, letters, problem):
    path = seed_with_letters(tmp_path, f"[letter_grades]\n{letters}")

    with pytest.raises(CommandError, match=re.escape(f"  - {problem}")):
        load(path)
    assert not LetterCutoff.objects.exists()


@pytest.fixture
def instructor_client(client, db):
    load(SEED)
    user = User.objects.get(username="risteski")
    client.force_login(user)
    return client


def admin_post_data(response) -> dict[str, str]:
    """The course change form's data as the page holds it (inlines and management forms included)."""
    data = {}
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    for form in forms_on_page:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, django_forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = str(bound.field.prepare_value(value))
    return data


def course_change_url():
    return f"/admin/courses/course/{Course.objects.get(slug='10707-s21').pk}/change/"


def test_instructor_edits_letter_cutoffs_in_the_course_admin(instructor_client):
    page = instructor_client.get(course_change_url())
    data = admin_post_data(page)
    assert data["letter_cutoffs-0-letter"] == "A" and data["letter_cutoffs-0-minimum"] == "90.00"
    data["letter_cutoffs-0-minimum"] = "92.5"

    response = instructor_client.post(course_change_url(), data)

    assert response.status_code == 302
    assert letters_of()[0] == ("A", Decimal("92.5"))


def test_course_admin_refuses_two_letters_at_the_same_total(instructor_client):
    data = admin_post_data(instructor_client.get(course_change_url()))
    data["letter_cutoffs-1-minimum"] = "90"

    response = instructor_client.post(course_change_url(), data)

    assert response.status_code == 200
    assert "Two letters cannot start at the same total: 90%." in response.content.decode()
    assert letters_of()[1] == ("B", 80)
