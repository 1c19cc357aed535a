"""The syllabus as a printable PDF: public like the page, with everything the course file says."""
import io
from zoneinfo import ZoneInfo

import pypdf
from django.urls import reverse

from coursesite.display import course_time
from tests.coursesite.reports.support import COURSE_FILE, pdf_pages, pdf_text


def syllabus_pdf(client, demo):
    return client.get(reverse("reports:syllabus-pdf", kwargs={"slug": demo.course.slug}))


def syllabus_text(client, demo) -> str:
    response = syllabus_pdf(client, demo)
    assert response.status_code == 200
    return pdf_text(response.content)


def test_anonymous_visitors_get_the_syllabus_as_a_pdf_to_view_in_the_browser(client, demo):
    response = syllabus_pdf(client, demo)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="10707-s21-syllabus.pdf"'
    assert len(pdf_pages(response.content)) >= 2


def test_syllabus_pdf_has_every_policy_heading_and_text(client, demo):
    text = syllabus_text(client, demo)

    for policy in COURSE_FILE["policies"].values():
        assert policy["heading"] in text
        assert " ".join(policy["body"].split()) in text


def test_syllabus_pdf_has_every_section_of_the_course_file(client, demo):
    text = syllabus_text(client, demo)

    for section in COURSE_FILE["sections"]:
        assert section["heading"] in text


def test_syllabus_pdf_shows_the_category_weights(client, demo):
    text = syllabus_text(client, demo)

    weights = [(c["name"], c["weight"]) for c in COURSE_FILE["categories"]]
    assert weights == [("Assignments", 45), ("Midterm 1", 15), ("Midterm 2", 15), ("Final exam", 25)]
    assert "Category Weight " + " ".join(f"{name} {weight}%" for name, weight in weights) in text


def test_syllabus_pdf_states_the_grace_days(client, demo):
    late = COURSE_FILE["late_policy"]

    assert (f"Grace days: {late['grace_days_total']} in total, at most {late['max_per_assignment']} on one assignment."
            in syllabus_text(client, demo))


def test_syllabus_pdf_lists_the_staff_by_role_and_no_students(client, demo):
    text = syllabus_text(client, demo)

    assert "Instructor: Andrej Risteski" in text
    assert "Education associate: Fatima Jeffrey" in text
    assert "Teaching assistants: Amartya Basu, Bingbin Liu, Dapeng Zhao, Tanya Marwah, George Cazenavette" in text
    assert not any(p["name"] in text for p in COURSE_FILE["people"] if p["role"] == "student")


def test_syllabus_pdf_lists_every_release_and_due_time_in_the_course_time_zone(client, demo):
    zone = ZoneInfo(COURSE_FILE["course"]["time_zone"])
    text = syllabus_text(client, demo)

    for a in COURSE_FILE["assignments"]:
        release, due = (a[k].replace(tzinfo=zone) for k in ("release", "due"))
        assert f"{course_time(release, zone)} {course_time(due, zone)}" in text


def test_syllabus_pdf_gives_the_calendar_address_in_full(client, demo):
    assert "Subscribe to the course calendar (iCalendar): http://testserver/courses/10707-s21/calendar.ics" in (
        syllabus_text(client, demo)
    )


def test_every_syllabus_page_has_the_course_in_its_header_and_a_page_number(client, demo):
    pages = pdf_pages(syllabus_pdf(client, demo).content)

    for number, page in enumerate(pages, start=1):
        words = " ".join(page.extract_text().split())
        assert "10707 Deep Learning · Spring 2021" in words
        assert f"Page {number} of {len(pages)}" in words


def test_syllabus_pdf_carries_the_title_in_its_metadata(client, demo):
    reader = pypdf.PdfReader(io.BytesIO(syllabus_pdf(client, demo).content))

    assert reader.metadata.title == "10707 Deep Learning: syllabus"


def test_syllabus_pdf_of_an_unknown_course_is_404(client, demo):
    assert client.get(reverse("reports:syllabus-pdf", kwargs={"slug": "no-such-course"})).status_code == 404


def test_the_syllabus_page_links_to_the_printable_pdf(client, demo):
    page = client.get(reverse("courses:syllabus", args=[demo.course.slug])).content.decode()

    assert '<a href="/courses/10707-s21/syllabus.pdf">Printable PDF</a>' in page
