"""A student's grade report as a PDF: items, late-policy outcomes, category percentages, totals, grace days.

The figures are computed here from the course file and the test's own scores (see conftest), with the
pure weighting rules, and then looked for in the text read back out of the PDF.
"""
import re

from django.urls import reverse

from coursesite.grades.models import Extension
from tests.coursesite.reports.support import (
    COURSE_FILE,
    DAY,
    NOW,
    WEIGHTS,
    expected_category,
    expected_grace_days_used,
    expected_letter,
    expected_total,
    pdf_pages,
    pdf_text,
)


def report_url(demo, username: str) -> str:
    return reverse("reports:student-pdf", kwargs={"slug": demo.course.slug, "member_id": demo.member(username).id})


def report_as(client, demo, viewer: str, student: str):
    client.force_login(demo.member(viewer).user)
    return client.get(report_url(demo, student))


def report_text(client, demo, viewer: str, student: str) -> str:
    response = report_as(client, demo, viewer, student)
    assert response.status_code == 200
    return pdf_text(response.content)


def row(text: str, title: str, next_title: str) -> str:
    """The text of one item's row: from its title to the next item's."""
    return re.search(re.escape(title) + r"(.*?)" + re.escape(next_title), text).group(1)


def test_student_downloads_their_own_report_as_a_pdf_file(client, demo):
    response = report_as(client, demo, "alice", "alice")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="10707-s21-grades-alice.pdf"'
    assert len(pdf_pages(response.content)) >= 1


def test_report_names_the_student_and_the_course(client, demo):
    text = report_text(client, demo, "alice", "alice")

    assert "Grade report: Alice Example" in text
    assert "alice · 10707 Deep Learning (Spring 2021)" in text


def test_report_shows_each_released_score_with_its_points(client, demo):
    text = report_text(client, demo, "alice", "alice")

    assert "90 / 100" in row(text, "Problem set 1", "Coding assignment 1")
    assert "94 / 100" in row(text, "Midterm 1 Midterm 1", "Coding assignment 2")


def test_report_says_not_released_for_work_whose_grades_are_not_released(client, demo):
    text = report_text(client, demo, "alice", "alice")

    assert "not released" in row(text, "Coding assignment 2", "Project proposal")


def test_report_never_contains_an_unreleased_score_or_its_comment(client, demo):
    text = report_text(client, demo, "alice", "alice")

    assert "77.77" not in text and "Secret remark" not in text
    assert expected_total("alice", staff_view=True) not in text      # nor the staff's total that counts it


def test_report_shows_the_current_total_and_its_letter(client, demo):
    current = expected_total("alice")
    assert current == "92.50%"                    # (45 × 276/300 + 15 × 94%) / 60, by hand

    assert f"Current total (released scores only) {current} · {expected_letter(current)}" in (
        report_text(client, demo, "alice", "alice")
    )


def test_report_shows_the_final_total_with_missing_work_as_0_and_its_letter(client, demo):
    final = expected_total("alice", final=True)

    assert f"Final total (missing work counts 0) {final} · {expected_letter(final)}" in (
        report_text(client, demo, "alice", "alice")
    )


def test_report_shows_each_categorys_weight_and_percentages(client, demo):
    text = report_text(client, demo, "alice", "alice")

    for category in WEIGHTS:
        so_far = expected_category("alice", category.name)
        final = expected_category("alice", category.name, final=True)
        assert f"{category.name} {category.weight}% {so_far} {final}" in text


def test_report_shows_the_grace_days_used_and_left_of_the_budget_with_added_days(client, demo):
    budget = COURSE_FILE["late_policy"]["grace_days_total"] + 1        # one day added by the staff
    used = expected_grace_days_used("alice")

    text = report_text(client, demo, "alice", "alice")

    assert (used, budget) == (3, 8)             # by hand: 2 + 1 days late; 7 + 1 added
    assert f"{used} used, {budget - used} left of {budget}" in text
    assert "Added by the course staff on Mon Mar 15: Accommodation letter +1" in text


def test_report_gives_each_late_items_days_and_reason(client, demo):
    text = report_text(client, demo, "alice", "alice")

    assert "Coding assignment 1: multilayer perceptron 2 2 Submitted 2 days late; 2 grace days used." in text
    assert "Problem set 2 1 1 Submitted 1 day late; 1 grace day used." in text


def test_report_says_why_the_late_policy_scored_work_0(client, demo):
    text = report_text(client, demo, "bob", "bob")

    assert "0 / 100" in row(text, "Problem set 1", "Coding assignment 1")
    assert ("Problem set 1: scored 0 by the late policy: Submitted 4 days late; at most 3 grace days can be used "
            "on one assignment, so this scores 0.") in text


def test_staff_get_the_report_the_student_sees(client, demo):
    text = report_text(client, demo, "risteski", "alice")

    assert "this is the report as the student sees it" in text
    assert f"Current total (released scores only) {expected_total('alice')}" in text
    assert "77.77" not in text


def test_a_ta_may_download_a_students_report(client, demo):
    assert report_as(client, demo, "abasu", "bob").status_code == 200


def test_a_tas_copy_of_a_report_shows_added_days_but_not_the_accommodation_reason(client, demo):
    text = report_text(client, demo, "abasu", "alice")

    assert "Added by the course staff on Mon Mar 15: reason visible to the instructor and education associate +1" in text
    assert "Accommodation letter" not in text


def test_student_asking_for_another_students_report_gets_404(client, demo):
    assert report_as(client, demo, "bob", "alice").status_code == 404


def test_a_staff_members_id_has_no_report(client, demo):
    assert report_as(client, demo, "risteski", "abasu").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, demo):
    response = client.get(report_url(demo, "alice"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_dashboard_links_to_the_students_own_report(client, demo):
    client.force_login(demo.member("alice").user)

    page = client.get(reverse("courses:dashboard", args=[demo.course.slug])).content.decode()

    assert f'<a href="{report_url(demo, "alice")}">Download my grade report (PDF)</a>' in page


def test_every_page_has_the_course_in_its_header_and_a_page_number(client, demo):
    response = report_as(client, demo, "alice", "alice")
    pages = pdf_pages(response.content)

    for number, page in enumerate(pages, start=1):
        words = " ".join(page.extract_text().split())
        assert "10707 Deep Learning · Spring 2021" in words
        assert f"Page {number} of {len(pages)}" in words


def test_report_marks_a_due_time_moved_by_an_extension(client, demo):
    ps3 = demo.assignments["ps3"]
    Extension.objects.create(member=demo.member("carol"), assignment=ps3, due_at=ps3.due_at + 2 * DAY,
                             reason="Medical emergency", granted_by=demo.member("fjeffrey").user, granted_at=NOW)

    text = report_text(client, demo, "carol", "carol")

    assert "Fri Apr 2, 11:59 PM EDT (extended)" in row(text, "Problem set 3", "Coding assignment 3")


def test_report_says_why_there_are_no_totals_when_the_weights_do_not_add_up(client, demo):
    demo.course.categories.filter(key="final-exam").update(weight=20)

    text = report_text(client, demo, "alice", "alice")

    assert "No totals yet: Category weights must sum to exactly 100, not 95." in text
    assert "Current total (released scores only) —" in text
