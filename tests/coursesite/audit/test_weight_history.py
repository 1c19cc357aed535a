"""Category weights (and the course's grace-day budget) changed in the admin or by loadcourse are in the history."""
import html
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.utils.html import strip_tags

from coursesite.audit.models import AuditEntry
from coursesite.coursefile.spec import read_course_file
from coursesite.courses.models import Course
from coursesite.coursefile.services import course_load
from coursesite.people.models import Membership
from tests.factories import CategoryFactory


from .conftest import history

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "courses" / "10707-s21.toml"
FIRST_LOAD = [("weight", "", "45", "set by the course file"), ("weight", "", "15", "set by the course file"),
              ("weight", "", "15", "set by the course file"), ("weight", "", "25", "set by the course file")]


def loadcourse(path) -> None:
    call_command("loadcourse", str(path), stdout=StringIO())


@pytest.fixture
def seed_course() -> Course:
    loadcourse(SEED)
    return Course.objects.get(slug="10707-s21")


@pytest.fixture
def risteski(seed_course, client):
    user = seed_course.memberships.get(role=Membership.Role.INSTRUCTOR, user__username="risteski").user
    client.force_login(user)
    return user


def unchanged_form(client, course) -> dict[str, str]:
    """What the admin's change page posts when nothing is touched."""
    response = client.get(f"/admin/courses/course/{course.pk}/change/")
    forms_on_page = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms_on_page += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_on_page:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = str(field.field.prepare_value(value))
    return data


def save_in_admin(client, course, **changes: str):
    data = unchanged_form(client, course)
    data.update({name.replace("__", "-"): value for name, value in changes.items()})
    response = client.post(f"/admin/courses/course/{course.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def weight_changes(**filters):
    return [(e.category.key if e.category else e.subject, e.old_value, e.new_value, e.why, e.who)
            for e in AuditEntry.objects.filter(kind="weight", **filters).order_by("id")]


def test_the_first_load_records_every_weight_as_made_by_loadcourse(seed_course):
    assert history(kind="weight") == FIRST_LOAD
    assert {(e.who, e.source) for e in AuditEntry.objects.all()} == {(None, f"loadcourse {SEED}")}


def test_loading_the_same_file_again_records_nothing(seed_course):
    loadcourse(SEED)

    assert len(history(kind="weight")) == 4


def test_a_changed_file_records_the_old_and_new_weights_with_its_name(seed_course, tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("weight = 45", "weight = 40").replace("weight = 25", "weight = 30")
    path = tmp_path / "10707-s21.toml"
    path.write_text(text, encoding="utf-8")

    course_load(spec=read_course_file(path), apply=True, source=f"loadcourse {path.name}")

    assert weight_changes(source="loadcourse 10707-s21.toml") == [
        ("assignments", "45", "40", "set by the course file", None),
        ("final-exam", "25", "30", "set by the course file", None),
    ]


def test_weights_changed_in_the_admin_record_old_new_who_and_the_reason_given(client, seed_course, risteski):
    save_in_admin(client, seed_course, categories__0__weight="40", categories__3__weight="30",
                  change_reason="Final exam counts more after the project was dropped")

    assert weight_changes(who=risteski) == [
        ("assignments", "45", "40", "Final exam counts more after the project was dropped", risteski),
        ("final-exam", "25", "30", "Final exam counts more after the project was dropped", risteski),
    ]


def refused_in_admin(client, course, **changes: str) -> str:
    """Post the admin's change page with `changes`; it must be shown again, refused. Its text."""
    data = unchanged_form(client, course)
    data.update({name.replace("__", "-"): value for name, value in changes.items()})
    response = client.post(f"/admin/courses/course/{course.pk}/change/", data)
    assert response.status_code == 200
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def unused_category(seed_course):
    """A category no assignment is in, weighing 0, listed last."""
    return CategoryFactory(course=seed_course, key="bonus", name="Bonus", weight=0, order=99)


def test_weights_changed_in_the_admin_without_a_reason_are_refused_with_a_message(client, seed_course, risteski):
    page = refused_in_admin(client, seed_course, categories__1__weight="20", categories__2__weight="10")

    assert ("Give a reason for this change: a category weight changed, which changes students' grades, "
            "and the reason is kept in the history") in page
    assert [c.weight for c in seed_course.categories.all()] == [45, 15, 15, 25]
    assert not AuditEntry.objects.filter(who=risteski).exists()


def test_a_category_removed_in_the_admin_without_a_reason_is_refused(client, seed_course, unused_category, risteski):
    page = refused_in_admin(client, seed_course, categories__4__DELETE="on")

    assert "Give a reason for this change: a category weight changed" in page
    assert seed_course.categories.count() == 5


def test_the_grace_day_budget_changed_without_a_reason_is_refused_on_the_reason_field(client, seed_course, risteski):
    page = refused_in_admin(client, seed_course, grace_days_total="8")

    assert ("Give a reason for this change: the grace days per student changed, which changes students' "
            "grades") in page
    assert Course.objects.get().grace_days_total == 7
    assert not AuditEntry.objects.filter(kind="grace_days").exists()


def test_a_blank_reason_is_no_reason(client, seed_course, risteski):
    page = refused_in_admin(client, seed_course, max_grace_days_per_assignment="2", change_reason="   ")

    assert "Give a reason for this change: the most grace days on one assignment changed" in page
    assert Course.objects.get().max_grace_days_per_assignment == 3


def test_the_reason_field_is_labelled_reason_for_this_change(client, seed_course, risteski):
    page = client.get(f"/admin/courses/course/{seed_course.pk}/change/").content.decode()

    assert '<label for="id_change_reason">Reason for this change:</label>' in page


def test_saving_the_course_in_the_admin_without_changing_a_weight_records_nothing(client, seed_course, risteski):
    save_in_admin(client, seed_course, location="Zoom and GHC 4401", change_reason="New room")

    assert not AuditEntry.objects.filter(who=risteski).exists()


def test_weights_refused_by_the_admin_record_nothing(client, seed_course, risteski):
    data = unchanged_form(client, seed_course)
    data["categories-3-weight"] = "20"

    response = client.post(f"/admin/courses/course/{seed_course.pk}/change/", data)

    assert "The category weights must sum to exactly 100, not 95.00." in response.content.decode()
    assert not AuditEntry.objects.filter(who=risteski).exists()


def test_the_grace_day_budget_changed_in_the_admin_is_recorded_for_every_student(client, seed_course, risteski):
    save_in_admin(client, seed_course, grace_days_total="8", change_reason="Snow week")

    entry = AuditEntry.objects.get(kind="grace_days")
    assert (entry.old_value, entry.new_value, entry.why, entry.who, entry.member) == ("7", "8", "Snow week", risteski, None)
    assert entry.subject == "every student's budget"
    assert Course.objects.get().grace_days_total == 8


def test_the_most_grace_days_on_one_assignment_changed_in_the_admin_is_recorded(client, seed_course, risteski):
    save_in_admin(client, seed_course, max_grace_days_per_assignment="4", change_reason="Snow week: one more day")

    entry = AuditEntry.objects.get(kind="grace_days")
    assert (entry.old_value, entry.new_value, entry.why, entry.who) == ("3", "4", "Snow week: one more day", risteski)
    assert entry.subject == "the most grace days one assignment may use, for every student"


def test_a_category_removed_in_the_admin_is_recorded_with_the_reason(client, seed_course, unused_category, risteski):
    save_in_admin(client, seed_course, categories__4__DELETE="on", change_reason="No bonus work this term")

    assert weight_changes(who=risteski) == [("category Bonus (bonus)", "0", "", "No bonus work this term", risteski)]
