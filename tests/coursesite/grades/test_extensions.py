"""Extensions for documented emergencies: a student asks, the education associate or instructor decides."""
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from coursesite.assignments.models import Submission
from coursesite.assignments.services import submission_create
from coursesite.grades.models import Extension, ExtensionRequest
from coursesite.assignments.selectors import closes_at, effective_due
from coursesite.grades.selectors import grace_day_ledger_for
from coursesite.grades.services.extensions import (
    ExtensionRefused,
    extension_decline,
    extension_grant,
    extension_request_create,
)
from tests.coursesite.assignments.support import DAY, NOW, as_user, pdf_upload, text_of
from tests.factories import AssignmentFactory, CourseFactory
from tests.pdfs import minimal_pdf
from tests.world import person

pytestmark = pytest.mark.django_db

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def pset(course):
    """Released a week ago, due in a week at 23:59."""
    return AssignmentFactory(course=course, key="ps1", title="Problem set 1",
                             release_at=NOW - 7 * DAY, due_at=(NOW + 7 * DAY).replace(hour=23, minute=59))


@pytest.fixture
def closed_pset(course):
    """Due five days ago: with the 3 grace days, it closed two days ago."""
    return AssignmentFactory(course=course, key="ps0", title="Problem set 0",
                             release_at=NOW - 12 * DAY, due_at=NOW - 5 * DAY)


def request_url(assignment):
    return reverse("grades:extension-request", args=[assignment.course.slug, assignment.key])


def detail_url(extension_request):
    return reverse("grades:extension-detail", args=[extension_request.id])


def decide_url(extension_request):
    return reverse("grades:extension-decide", args=[extension_request.id])


def document_url(extension_request):
    return reverse("grades:extension-document", args=[extension_request.id])


def ask(client, assignment, document=None, **fields):
    data = {"reason": "medical", "note": "I was in hospital from Monday to Wednesday."} | fields
    if document is not None:
        data["document"] = document
    return client.post(request_url(assignment), data)


def requested(student, assignment, *, at=NOW, reason=ExtensionRequest.Reason.MEDICAL, document=None):
    return extension_request_create(member=student, assignment=assignment, reason=reason,
                                    note="Hospitalised for two days.", document=document, now=at)


def local_input(when: datetime, tz=ZoneInfo("America/New_York")) -> str:
    return when.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def grant(client, extension_request, due_at, note=""):
    return client.post(decide_url(extension_request), {"action": "grant", "due_at": local_input(due_at), "note": note})


def stored_documents() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- A student asks -------------------------------------------------------------------------------


def test_the_request_form_offers_the_three_reasons(client, alice, pset):
    page = text_of(as_user(client, alice).get(request_url(pset)))
    assert "Medical emergency" in page
    assert "Family or personal emergency" in page
    assert "University-approved absence" in page


def test_a_request_waits_for_a_decision_stamped_with_the_server_time(client, alice, pset):
    response = ask(as_user(client, alice), pset, reason="family")
    stored = ExtensionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(stored)
    assert (stored.member, stored.reason, stored.requested_at) == (alice, "family", NOW)
    assert "Waiting for a decision" in text_of(client.get(detail_url(stored)))


def test_a_request_without_a_note_is_refused_and_stores_nothing(client, alice, pset):
    response = ask(as_user(client, alice), pset, note="   ")
    assert response.status_code == 400
    assert "Write a note saying what happened." in text_of(response)
    assert not ExtensionRequest.objects.exists()


def test_a_second_request_while_one_waits_is_refused_with_a_message(client, alice, pset):
    requested(alice, pset)
    response = ask(as_user(client, alice), pset)
    assert response.status_code == 400
    assert "You already have a request waiting for a decision" in text_of(response)
    assert ExtensionRequest.objects.count() == 1


def test_the_service_refuses_a_second_waiting_request(alice, pset):
    requested(alice, pset)
    with pytest.raises(ExtensionRefused, match="You already have a request waiting for a decision"):
        requested(alice, pset)


def test_the_request_page_points_to_the_waiting_request_instead_of_a_new_form(client, alice, pset):
    waiting = requested(alice, pset)
    response = as_user(client, alice).get(request_url(pset))
    assert "You already have a request waiting for a decision" in text_of(response)
    assert detail_url(waiting) in response.content.decode()
    assert 'id="extension-request-form"' not in response.content.decode()


def test_a_new_request_may_follow_a_declined_one(client, alice, pset, instructor):
    extension_decline(request=requested(alice, pset), by=instructor.user, note="Not documented.", now=NOW)
    assert ask(as_user(client, alice), pset).status_code == 302
    assert ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING).count() == 1


def test_a_student_cannot_ask_about_an_assignment_not_yet_released(client, alice, course):
    later = AssignmentFactory(course=course, unreleased=True)
    assert as_user(client, alice).get(request_url(later)).status_code == 404


def test_an_exam_can_have_an_extension_for_a_make_up(client, alice, course):
    exam = AssignmentFactory(course=course, exam=True, title="Midterm 1")
    assert ask(as_user(client, alice), exam, reason="absence").status_code == 302
    assert ExtensionRequest.objects.get().assignment == exam


# --- The optional document ------------------------------------------------------------------------


def test_a_pdf_document_is_stored_and_the_student_downloads_it(client, alice, pset):
    content = minimal_pdf("Doctor's note")
    ask(as_user(client, alice), pset, document=SimpleUploadedFile("note.pdf", content))
    response = client.get(document_url(ExtensionRequest.objects.get()))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(("content", "suffix"), [(PNG, ".png"), (JPEG, ".jpg")])
def test_a_photographed_document_is_accepted_as_png_or_jpeg(client, alice, pset, content, suffix):
    assert ask(as_user(client, alice), pset, document=SimpleUploadedFile("photo", content)).status_code == 302
    assert ExtensionRequest.objects.get().document.name.endswith(suffix)


def test_a_document_named_pdf_that_is_not_one_is_refused(client, alice, pset):
    fake = SimpleUploadedFile("note.pdf", b"MZ\x90\x00 an executable, not a note")
    response = ask(as_user(client, alice), pset, document=fake)
    assert response.status_code == 400
    assert "“note.pdf” is not a PDF, PNG or JPEG file." in text_of(response)
    assert not ExtensionRequest.objects.exists() and stored_documents() == []


def test_a_damaged_pdf_document_is_refused(client, alice, pset):
    response = ask(as_user(client, alice), pset, document=SimpleUploadedFile("note.pdf", b"%PDF-1.4 torn off"))
    assert response.status_code == 400
    assert "“note.pdf” could not be read as a PDF" in text_of(response)


def test_a_document_over_10_mb_is_refused(client, alice, pset):
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    response = ask(as_user(client, alice), pset, document=big)
    assert response.status_code == 400
    assert "“scan.pdf” is larger than 10 MB, the limit for a document." in text_of(response)
    assert not ExtensionRequest.objects.exists() and stored_documents() == []


def test_two_documents_at_once_are_refused_and_nothing_is_stored(client, alice, pset):
    letters = [SimpleUploadedFile(name, minimal_pdf(name)) for name in ("letter-1.pdf", "letter-2.pdf")]
    response = ask(as_user(client, alice), pset, document=letters)
    assert response.status_code == 400
    assert ("Only one file is taken here, but 2 were sent (letter-1.pdf, letter-2.pdf). Nothing was stored; "
            "choose one file.") in text_of(response)
    assert not ExtensionRequest.objects.exists() and stored_documents() == []


def test_a_request_without_a_document_has_nothing_to_download(client, alice, pset):
    assert as_user(client, alice).get(document_url(requested(alice, pset))).status_code == 404


# --- Privacy ----------------------------------------------------------------------------------------


def test_another_student_can_see_neither_the_request_nor_its_document(client, alice, bob, pset):
    ask(as_user(client, alice), pset, document=SimpleUploadedFile("note.pdf", minimal_pdf()))
    stored = ExtensionRequest.objects.get()
    as_user(client, bob)
    assert client.get(detail_url(stored)).status_code == 404
    assert client.get(document_url(stored)).status_code == 404


def test_a_ta_sees_the_request_but_no_decision_form(client, alice, pset, ta):
    page = as_user(client, ta).get(detail_url(requested(alice, pset)))
    assert page.status_code == 200
    assert "Extension request for Problem set 1" in text_of(page)
    assert "The education associate or the instructor decides extension requests." in text_of(page)
    assert 'id="decide-form"' not in page.content.decode()


def with_document(client, student, assignment) -> ExtensionRequest:
    ask(as_user(client, student), assignment, document=SimpleUploadedFile("note.pdf", minimal_pdf("Doctor's note")))
    return ExtensionRequest.objects.get()


def test_a_ta_sees_that_the_note_and_document_exist_but_not_what_they_say(client, alice, pset, ta):
    stored = with_document(client, alice, pset)
    page = as_user(client, ta).get(detail_url(stored))
    assert "I was in hospital from Monday to Wednesday." not in text_of(page)
    assert "Reason Visible to the instructor and education associate" in text_of(page)
    assert "Medical emergency" not in text_of(page)
    assert "Note Visible to the instructor and education associate." in text_of(page)
    assert "Document One document, visible to the instructor and education associate." in text_of(page)
    assert document_url(stored) not in page.content.decode()


def test_the_ta_list_of_requests_does_not_say_what_kind_of_emergency(client, alice, pset, ta, instructor):
    with_document(client, alice, pset)
    url = reverse("grades:extension-list", args=[pset.course.slug])
    assert "(alice) Problem set 1 visible to the instructor and education associate (document)" in (
        text_of(as_user(client, ta).get(url)))
    assert "Problem set 1 Medical emergency (document)" in text_of(as_user(client, instructor).get(url))


def test_a_ta_gets_403_on_the_document(client, alice, pset, ta):
    stored = with_document(client, alice, pset)
    assert as_user(client, ta).get(document_url(stored)).status_code == 403


def test_a_ta_sees_the_decision_and_its_note(client, alice, pset, ta, instructor):
    stored = with_document(client, alice, pset)
    grant(as_user(client, instructor), stored, pset.due_at + 2 * DAY, note="Two days, as the letter asks.")
    page = text_of(as_user(client, ta).get(detail_url(stored)))
    assert "Granted by" in page and "New due time Fri Feb 19, 11:59 PM EST" in page
    assert "Two days, as the letter asks." in page


@pytest.mark.parametrize("role", ["associate", "instructor"])
def test_those_who_decide_read_the_note_and_download_the_document(client, alice, pset, request, role):
    stored = with_document(client, alice, pset)
    as_user(client, request.getfixturevalue(role))
    assert "I was in hospital from Monday to Wednesday." in text_of(client.get(detail_url(stored)))
    assert b"".join(client.get(document_url(stored)).streaming_content) == minimal_pdf("Doctor's note")


def test_the_student_who_asked_still_reads_their_own_note(client, alice, pset):
    stored = with_document(client, alice, pset)
    page = client.get(detail_url(stored))
    assert "I was in hospital from Monday to Wednesday." in text_of(page)
    assert document_url(stored) in page.content.decode()


def test_a_ta_cannot_grant_an_extension(client, alice, pset, ta):
    waiting = requested(alice, pset)
    assert grant(as_user(client, ta), waiting, pset.due_at + 2 * DAY).status_code == 403
    assert not Extension.objects.exists()


def test_a_student_cannot_grant_their_own_request(client, alice, pset):
    waiting = requested(alice, pset)
    assert grant(as_user(client, alice), waiting, pset.due_at + 2 * DAY).status_code == 403
    assert not Extension.objects.exists()


# --- The staff's list --------------------------------------------------------------------------------


def test_the_list_puts_waiting_requests_first_oldest_first(client, alice, bob, pset, course, instructor):
    exam = AssignmentFactory(course=course, exam=True, title="Midterm 1")
    decided = requested(alice, pset, at=NOW - 5 * DAY)
    extension_decline(request=decided, by=instructor.user, note="No.", now=NOW - 4 * DAY)
    requested(bob, pset, at=NOW - DAY)
    requested(alice, exam, at=NOW - 2 * DAY)
    rows = text_of(as_user(client, instructor).get(reverse("grades:extension-list", args=[course.slug])))
    assert rows.index("Midterm 1") < rows.index(f"{bob.user.display_name}") < rows.index("Declined")


def test_the_list_shows_student_assignment_reason_time_and_status(client, alice, pset, course, instructor):
    requested(alice, pset, reason=ExtensionRequest.Reason.ABSENCE)
    page = text_of(as_user(client, instructor).get(reverse("grades:extension-list", args=[course.slug])))
    assert f"{alice.user.display_name} (alice) Problem set 1 University-approved absence Wed Feb 10, 12:00 PM EST " \
           "Waiting for a decision" in page


def test_the_list_shows_only_this_courses_requests(client, alice, pset, course, instructor):
    elsewhere = AssignmentFactory(title="Another course's homework")
    requested(person(elsewhere.course, "zed"), elsewhere)
    page = text_of(as_user(client, instructor).get(reverse("grades:extension-list", args=[course.slug])))
    assert "Another course's homework" not in page


# --- Deciding ------------------------------------------------------------------------------------------


def test_the_decision_form_suggests_the_class_due_time_plus_two_days_on_the_courses_clock(client):
    course = CourseFactory(time_zone="America/Los_Angeles")
    # Due Friday 23:59 Pacific; the clocks spring forward on Sunday, which still ends at 23:59.
    assignment = AssignmentFactory(course=course, release_at=NOW - DAY,
                                   due_at=datetime(2021, 3, 12, 23, 59, tzinfo=LOS_ANGELES))
    waiting = requested(person(course, "alice"), assignment)
    page = as_user(client, person(course, "fjeffrey")).get(detail_url(waiting))
    assert 'value="2021-03-14T23:59"' in page.content.decode()


def test_the_new_due_time_is_read_on_the_courses_clock(client):
    course = CourseFactory(time_zone="America/Los_Angeles")
    assignment = AssignmentFactory(course=course, release_at=NOW - DAY,
                                   due_at=datetime(2021, 3, 12, 23, 59, tzinfo=LOS_ANGELES))
    waiting = requested(person(course, "alice"), assignment)
    as_user(client, person(course, "risteski"))
    client.post(decide_url(waiting), {"action": "grant", "due_at": "2021-03-15T23:59"})
    assert Extension.objects.get().due_at == datetime(2021, 3, 15, 23, 59, tzinfo=LOS_ANGELES)


def test_a_grant_moves_only_that_students_due_and_closing_times(client, alice, bob, pset, associate):
    new_due = pset.due_at + 2 * DAY
    response = grant(as_user(client, associate), requested(alice, pset), new_due, note="Get well soon.")
    assert response.status_code == 302
    assert (effective_due(alice, pset), closes_at(alice, pset)) == (new_due, new_due + 3 * DAY)
    assert (effective_due(bob, pset), closes_at(bob, pset)) == (pset.due_at, pset.due_at + 3 * DAY)


def test_a_grant_records_who_granted_it_when_and_why(client, alice, pset, associate):
    waiting = requested(alice, pset)
    grant(as_user(client, associate), waiting, pset.due_at + 2 * DAY, note="Doctor's note seen.")
    extension = Extension.objects.get()
    assert (extension.granted_by, extension.granted_at) == (associate.user, NOW)
    assert extension.reason == f"Medical emergency (extension request #{waiting.id}): Doctor's note seen."


def test_an_empty_decision_is_refused_with_the_forms_errors(client, alice, pset, instructor):
    response = as_user(client, instructor).post(decide_url(requested(alice, pset)))
    assert response.status_code == 400
    assert "Choose to grant or to decline the request." in text_of(response)


def test_a_grant_needs_a_new_due_time(client, alice, pset, instructor):
    waiting = requested(alice, pset)
    response = as_user(client, instructor).post(decide_url(waiting), {"action": "grant", "due_at": ""})
    assert response.status_code == 400
    assert "Give the new due time to grant the extension." in text_of(response)
    assert not Extension.objects.exists()


def test_a_grant_must_move_the_due_time_later(client, alice, pset, instructor):
    waiting = requested(alice, pset)
    response = grant(as_user(client, instructor), waiting, pset.due_at)
    assert response.status_code == 400
    assert "The new due time must be later than the class's due time, Wed Feb 17, 11:59 PM EST." in text_of(response)
    waiting.refresh_from_db()
    assert waiting.status == ExtensionRequest.Status.PENDING and not Extension.objects.exists()


def test_declining_needs_a_note(client, alice, pset, instructor):
    response = as_user(client, instructor).post(decide_url(requested(alice, pset)), {"action": "decline"})
    assert response.status_code == 400
    assert "Write a note to the student saying why the request is declined." in text_of(response)


def test_the_student_sees_the_decline_and_its_note(client, alice, pset, instructor):
    waiting = requested(alice, pset)
    as_user(client, instructor).post(decide_url(waiting), {"action": "decline", "note": "Please use grace days."})
    page = text_of(as_user(client, alice).get(detail_url(waiting)))
    assert "Declined by" in page and "Please use grace days." in page


def test_the_student_sees_the_grant_and_the_new_due_time(client, alice, pset, instructor):
    waiting = requested(alice, pset)
    grant(as_user(client, instructor), waiting, pset.due_at + 2 * DAY, note="Take care.")
    page = text_of(as_user(client, alice).get(detail_url(waiting)))
    assert "Granted by" in page and "New due time Fri Feb 19, 11:59 PM EST" in page and "Take care." in page


def test_a_decided_request_cannot_be_decided_again(client, alice, pset, instructor):
    waiting = requested(alice, pset)
    grant(as_user(client, instructor), waiting, pset.due_at + 2 * DAY)
    response = client.post(decide_url(waiting), {"action": "decline", "note": "Changed my mind."})
    assert response.status_code == 400
    assert f"This request was already granted by {instructor.user.display_name}" in text_of(response)
    waiting.refresh_from_db()
    assert waiting.status == ExtensionRequest.Status.GRANTED


def test_the_service_refuses_to_decide_a_request_twice(alice, pset, instructor):
    waiting = requested(alice, pset)
    extension_decline(request=waiting, by=instructor.user, note="No.", now=NOW)
    with pytest.raises(ExtensionRefused, match="already declined"):
        extension_grant(request=waiting, by=instructor.user, due_at=pset.due_at + DAY, note="", now=NOW)


def test_the_service_refuses_a_due_time_not_after_the_class_due_time(alice, pset, instructor):
    with pytest.raises(ExtensionRefused, match="must be later than the class's due time"):
        extension_grant(request=requested(alice, pset), by=instructor.user, due_at=pset.due_at, note="", now=NOW)
    assert not Extension.objects.exists()


def test_a_second_grant_moves_the_extension(alice, pset, instructor):
    extension_grant(request=requested(alice, pset), by=instructor.user, due_at=pset.due_at + 2 * DAY, note="", now=NOW)
    extension_grant(request=requested(alice, pset, at=NOW + DAY), by=instructor.user,
                    due_at=pset.due_at + 4 * DAY, note="", now=NOW + DAY)
    assert list(Extension.objects.values_list("due_at", flat=True)) == [pset.due_at + 4 * DAY]


def test_declining_a_later_request_keeps_the_extension_granted_before(alice, pset, instructor):
    extension_grant(request=requested(alice, pset), by=instructor.user, due_at=pset.due_at + 2 * DAY, note="", now=NOW)
    extension_decline(request=requested(alice, pset), by=instructor.user, note="Two days is enough.", now=NOW)
    assert effective_due(alice, pset) == pset.due_at + 2 * DAY


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_staff_deciding_at_once_decide_the_request_once(alice, pset, associate, instructor):
    waiting = requested(alice, pset)
    granted, outcomes = threading.Event(), []

    def grant_and_hold():
        with transaction.atomic():
            extension_grant(request=waiting, by=associate.user, due_at=pset.due_at + DAY, note="", now=NOW)
            granted.set()
            time.sleep(0.3)                  # the other decision arrives while this one is uncommitted
        connection.close()

    def decline():
        granted.wait()
        try:
            extension_decline(request=ExtensionRequest.objects.get(pk=waiting.pk), by=instructor.user,
                              note="No.", now=NOW)
            outcomes.append("declined")
        except ExtensionRefused as refusal:
            outcomes.append(str(refusal))
        connection.close()

    threads = [threading.Thread(target=grant_and_hold), threading.Thread(target=decline)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == [f"This request was already granted by {associate.user.display_name} on Wed Feb 10, 12:00 PM EST; "
                        "it can't be decided again."]
    assert ExtensionRequest.objects.get().status == ExtensionRequest.Status.GRANTED


# --- What a grant changes for the student -------------------------------------------------------------


def test_after_a_grant_the_student_uploads_past_the_class_closing_time(client, alice, closed_pset, instructor):
    grant(as_user(client, instructor), requested(alice, closed_pset), NOW + DAY)
    response = as_user(client, alice).post(
        reverse("assignments:submission-upload", args=[closed_pset.course.slug, closed_pset.key]),
        {"files": SimpleUploadedFile("writeup.pdf", minimal_pdf()), "acknowledged_days_late": 0},
    )
    assert response.status_code == 302
    assert Submission.objects.get().member == alice


def test_after_a_grant_to_one_student_the_others_stay_closed(client, alice, bob, closed_pset, instructor):
    grant(as_user(client, instructor), requested(alice, closed_pset), NOW + DAY)
    page = text_of(as_user(client, bob).get(reverse("assignments:detail", args=[closed_pset.course.slug, closed_pset.key])))
    assert "Problem set 0 closed on" in page


def test_the_assignment_page_shows_the_students_extended_due_time(client, alice, closed_pset, instructor):
    grant(as_user(client, instructor), requested(alice, closed_pset), NOW + DAY)
    page = text_of(as_user(client, alice).get(reverse("assignments:detail", args=[closed_pset.course.slug, closed_pset.key])))
    assert "Thu Feb 11, 12:00 PM EST (your extension" in page


def test_after_a_grant_days_late_count_from_the_new_due_time(alice, pset, instructor):
    new_due = pset.due_at + 2 * DAY
    extension_grant(request=requested(alice, pset), by=instructor.user, due_at=new_due, note="", now=NOW)
    submission_create(member=alice, assignment=pset, upload=pdf_upload(), now=new_due + DAY / 24)
    ledger = grace_day_ledger_for(alice)
    assert (ledger.outcome(pset).days_late, ledger.used, ledger.left) == (1, 1, 6)


# --- The link on the assignment page ------------------------------------------------------------------


def test_the_assignment_page_link_is_shown_to_students_only(alice, ta, pset):
    context = {"course": pset.course, "assignment": pset}
    assert f'href="{request_url(pset)}">Request an extension' in render_to_string(
        "grades/_extension_link.html", context | {"member": alice})
    assert "Request an extension" not in render_to_string("grades/_extension_link.html", context | {"member": ta})


def test_the_decline_rule_is_the_services_and_shows_on_the_note_field(client, alice, pset, instructor):
    response = as_user(client, instructor).post(decide_url(requested(alice, pset)), {"action": "decline"})
    assert response.context["form"].errors == {"note": ["Write a note to the student saying why the request is declined."]}


def test_a_too_early_due_time_is_refused_by_the_service_on_the_due_time_field(client, alice, pset, instructor):
    response = grant(as_user(client, instructor), requested(alice, pset), pset.due_at - DAY)
    assert response.context["form"].errors == {
        "due_at": ["The new due time must be later than the class's due time, Wed Feb 17, 11:59 PM EST."]}
