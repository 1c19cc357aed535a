"""The instructor's grade sheet: every student's category percentages, totals, letters and grace days.

The staff's view: unreleased scores count here (alice's 77.77 on Coding assignment 2), as in the gradebook.
"""
import io

import pypdf
from django.urls import reverse

from tests.coursesite.reports.support import (
    COURSE_FILE,
    WEIGHTS,
    expected_category,
    expected_grace_days_used,
    expected_letter,
    expected_total,
    pdf_text,
)


def gradesheet_as(client, demo, username: str):
    client.force_login(demo.member(username).user)
    return client.get(reverse("reports:gradesheet-pdf", kwargs={"slug": demo.course.slug}))


def expected_row(demo, username: str) -> str:
    user = demo.member(username).user
    current = expected_total(username, staff_view=True)
    final = expected_total(username, staff_view=True, final=True)
    used = expected_grace_days_used(username)
    budget = COURSE_FILE["late_policy"]["grace_days_total"] + (1 if username == "alice" else 0)
    categories = " ".join(expected_category(username, c.name, staff_view=True) for c in WEIGHTS)
    return (f"{user.get_full_name()} {username} {categories} {current} {expected_letter(current)} "
            f"{final} {expected_letter(final)} {used} {budget - used}")


def test_instructor_downloads_the_grade_sheet_as_a_pdf_file(client, demo):
    response = gradesheet_as(client, demo, "risteski")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="10707-s21-grade-sheet.pdf"'


def test_grade_sheet_is_printed_landscape(client, demo):
    page = pypdf.PdfReader(io.BytesIO(gradesheet_as(client, demo, "risteski").content)).pages[0]

    assert page.mediabox.width > page.mediabox.height


def test_grade_sheet_has_a_row_per_student_with_categories_totals_letters_and_grace_days(client, demo):
    text = pdf_text(gradesheet_as(client, demo, "risteski").content)

    assert expected_row(demo, "alice") == (
        "Alice Example alice 88.44% 94.00% — — 89.83% B 34.00% below D 3 5"
    )                                      # by hand: (45 × 353.77/400 + 15 × 94) / 60 = 89.831875
    for username in ("alice", "bob", "carol"):
        assert expected_row(demo, username) in text


def test_grade_sheet_heads_each_category_with_its_weight(client, demo):
    text = pdf_text(gradesheet_as(client, demo, "risteski").content)

    assert "Assignments (45%) Midterm 1 (15%) Midterm 2 (15%) Final exam (25%)" in text


def test_grade_sheet_names_the_unreleased_work_its_totals_count(client, demo):
    text = pdf_text(gradesheet_as(client, demo, "risteski").content)

    assert "Counted here but not released to students yet: Coding assignment 2." in text


def test_a_ta_may_download_the_grade_sheet(client, demo):
    assert gradesheet_as(client, demo, "abasu").status_code == 200


def test_students_may_not_download_the_grade_sheet(client, demo):
    assert gradesheet_as(client, demo, "alice").status_code == 403


def test_the_gradebook_links_to_the_grade_sheet(client, demo):
    client.force_login(demo.member("risteski").user)

    page = client.get(reverse("grades:gradebook", args=[demo.course.slug])).content.decode()

    assert '<a href="/courses/10707-s21/gradebook.pdf">Grade sheet (PDF)</a>' in page
