"""An extension request's document on S3-compatible storage (a real SeaweedFS server, tests/s3server.py):
in the bucket, read back only through the view that checks who may see it."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coursesite.grades.models import ExtensionRequest
from coursesite.people.models import Membership
from tests.coursesite.assignments.support import as_user, media_files
from tests.factories import AssignmentFactory, CourseFactory, MembershipFactory, UserFactory
from tests.pdfs import minimal_pdf

pytestmark = pytest.mark.django_db


def member(course, username: str, role: str = Membership.Role.STUDENT) -> Membership:
    return MembershipFactory(course=course, user=UserFactory(username=username), role=role)


def test_a_document_is_kept_in_the_bucket_shown_to_the_instructor_and_not_to_another_student(client, s3_media):
    course = CourseFactory()
    alice, bob = member(course, "alice"), member(course, "bob")
    instructor = member(course, "risteski", Membership.Role.INSTRUCTOR)
    pset = AssignmentFactory(course=course)               # the clock runs: S3 requests are signed with the time
    note = minimal_pdf("Doctor's note")
    response = as_user(client, alice).post(reverse("grades:extension-request", args=[course.slug, pset.key]), {
        "reason": "medical", "note": "I was in hospital from Monday to Wednesday.",
        "document": SimpleUploadedFile("note.pdf", note)})
    assert response.status_code == 302
    request = ExtensionRequest.objects.get()
    assert s3_media.keys() == [f"extension-requests/{course.slug}/{alice.id}/note.pdf"]
    assert media_files() == []
    url = reverse("grades:extension-document", args=[request.id])

    response = as_user(client, instructor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == note
    assert as_user(client, bob).get(url).status_code == 404
