"""The history in the Django admin: course administrators read their course's entries and change none."""
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.courses.models import Course
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "courses" / "10707-s21.toml"


@pytest.fixture
def instructor_client(client):
    call_command("loadcourse", str(SEED), stdout=StringIO())
    client.force_login(Course.objects.get(slug="10707-s21").memberships.get(user__username="risteski").user)
    return client


def test_a_course_administrator_reads_the_history_of_their_course_only(instructor_client):
    other = CategoryFactory(key="exams", name="Exams of another course")
    audit_record(course=other.course, kind=AuditEntry.Kind.WEIGHT, who=None, source="loadcourse other.toml",
                 old=None, new=other.weight, why="set by the course file", category=other)

    page = instructor_client.get("/admin/audit/auditentry/").content.decode()

    assert "category Final exam (final-exam)" in page
    assert "Exams of another course" not in page


def test_a_history_entry_cannot_be_changed_or_deleted_in_the_admin(instructor_client):
    entry = AuditEntry.objects.order_by("id").first()

    instructor_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"new_value": "50", "why": "oops"})
    response = instructor_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).new_value == "45"
