"""The gradebook narrowed to missing work or stale scores (with or without a section), on the page and in the
CSV; each cell's link; every column sorts; and the page's queries do not grow with the students.

The world is test_report's `graded` course, frozen at NOW: alice has a score on everything due; bob has none
on Homework 3 (due 3 days ago), his missing work. Midterm 2 and the final exam are not held yet, so nobody's
are missing.
"""
import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coursesite.assignments.models import Submission
from coursesite.grades.gradebook import gradebook_columns, gradebook_sorted, item_is_missing
from coursesite.grades.report import grade_report_list_for_course
from tests.coursesite.grades.test_gradebook import (
    csv_url,
    gradebook_url,
    parse_csv,
    row_cells,
    text_of,
)
from tests.coursesite.grades.test_report import DAY, NOW, graded_course, score, student, submit
from tests.factories import AssignmentFactory, StudentGroupFactory, SubmissionFactory

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def graded(db):
    return graded_course()


@pytest.fixture
def ta_client(client, graded):
    client.force_login(graded.ta.user)
    return client


def resubmit_after_the_release(member, assignment):
    """A newer submission an hour ago, after the release (yesterday) and the score (2 days ago): the score is stale."""
    Submission.objects.filter(member=member, assignment=assignment).update(is_active=False)
    return submit(member, assignment, NOW - HOUR)


def in_section(section, *members):
    for member in members:
        member.section = section
        member.save()


def page_of(client, course, **query) -> str:
    response = client.get(gradebook_url(course, **query))
    assert response.status_code == 200
    return response.content.decode()


def shown_students(page: str) -> list[str]:
    """The usernames of the rows, top to bottom (a section after the username too)."""
    return re.findall(r'<tr id="student-\d+">\s*<th scope="row">[^<]*<span class="muted">\((\w+)', page)


def count_line(page: str) -> str:
    return text_of(page.split('<span id="gradebook-count">')[1].split("</span>")[0])


def cell_of(page: str, member, column: int) -> str:
    """The raw HTML of one item cell of the member's row (column 0 is the first item)."""
    row = page.split(f'<tr id="student-{member.id}">')[1].split("</tr>")[0]
    return row.split("<td")[1 + column].split("</td>")[0]


# Missing work


def test_missing_work_keeps_the_students_with_due_work_that_has_no_score(ta_client, graded):
    page = page_of(ta_client, graded.course, missing="on")

    assert shown_students(page) == ["bob"]                   # alice's empty cells are not held yet


def test_the_page_says_how_many_students_it_shows_of_how_many(ta_client, graded):
    page = page_of(ta_client, graded.course, missing="on")

    assert count_line(page) == "1 of 2 students: missing work"


def test_the_page_says_what_counts_as_missing_work(ta_client, graded):
    page = page_of(ta_client, graded.course)

    assert ("Only missing work: students with an item whose class due time has passed, or whose grades are released, "
            "with no score that counts (not handed in, or handed in and not scored yet;") in text_of(page)


def test_a_missing_cell_is_marked(ta_client, graded):
    page = page_of(ta_client, graded.course)

    assert 'missing" title="missing: due, and no score counts"' in cell_of(page, graded.bob, 3)     # Homework 3
    assert "missing" not in cell_of(page, graded.bob, 4)                                          # Midterm 2


def test_work_handed_in_but_not_scored_yet_is_missing(ta_client, graded):
    carol = student(graded.course, "carol")
    for assignment, points in ((graded.hw1, 80), (graded.midterm1, 70), (graded.hw3, 60)):
        score(carol, assignment, points)
    submit(carol, graded.hw2, graded.hw2.due_at - DAY)      # no score yet

    assert shown_students(page_of(ta_client, graded.course, missing="on")) == ["bob", "carol"]


def test_late_work_the_policy_zeroes_counts_0_and_is_not_missing(graded):
    carol = student(graded.course, "carol")
    submit(carol, graded.hw2, graded.hw2.due_at + 4 * DAY)   # more than the cap of 3, and no score
    report = next(r for r in grade_report_list_for_course(graded.course, now=NOW).reports if r.member == carol)
    hw2 = report.item(graded.hw2)

    assert (hw2.counted, item_is_missing(hw2, NOW)) == (0, False)


# Stale scores


def test_stale_keeps_the_students_with_a_stale_score(ta_client, graded):
    resubmit_after_the_release(graded.alice, graded.hw1)

    page = page_of(ta_client, graded.course, stale="on")

    assert shown_students(page) == ["alice"]
    assert count_line(page) == "1 of 2 students: stale scores"


def test_missing_and_stale_together_keep_the_students_with_both(ta_client, graded):
    resubmit_after_the_release(graded.alice, graded.hw1)             # stale, nothing missing
    carol = student(graded.course, "carol")
    score(carol, graded.hw1, 80)
    submit(carol, graded.hw1, graded.hw1.due_at - DAY)
    resubmit_after_the_release(carol, graded.hw1)                    # stale, and the rest missing

    page = page_of(ta_client, graded.course, missing="on", stale="on")

    assert shown_students(page) == ["carol"]
    assert count_line(page) == "1 of 3 students: missing work, stale scores"


# With a section


def test_missing_work_within_a_section(ta_client, graded):
    carol = student(graded.course, "carol")                          # nothing scored: missing
    in_section("A", graded.alice, graded.bob)
    in_section("B", carol)

    page = page_of(ta_client, graded.course, section="A", missing="on")

    assert shown_students(page) == ["bob"]
    assert count_line(page) == "1 of 2 students in section A: missing work"


def test_a_filter_nobody_matches_says_so(ta_client, graded):
    in_section("A", graded.alice)
    in_section("B", graded.bob)

    page = page_of(ta_client, graded.course, section="A", missing="on")

    assert shown_students(page) == []
    assert "No student of section A has missing work." in text_of(page)


def test_sort_links_and_the_csv_link_carry_the_filters(ta_client, graded):
    in_section("B", graded.bob)

    page = page_of(ta_client, graded.course, section="B", missing="on", stale="on")

    assert '<a href="?sort=current&amp;dir=asc&amp;section=B&amp;missing=on&amp;stale=on">Current total</a>' in page
    assert "/gradebook.csv?sort=student&amp;dir=asc&amp;section=B&amp;missing=on&amp;stale=on" in page


def test_the_filter_form_keeps_the_sort_and_shows_the_filters_in_force(ta_client, graded):
    page = page_of(ta_client, graded.course, sort="current", dir="desc", missing="on")

    assert '<input type="hidden" name="sort" value="current"><input type="hidden" name="dir" value="desc">' in page
    assert re.search(r'<input type="checkbox" name="missing" aria-describedby="id_missing_helptext" [^>]*checked>', page)
    assert '<span id="id_missing_helptext">Only missing work: students with an item whose' in page


# The CSV


def test_csv_keeps_only_the_students_with_missing_work(ta_client, graded):
    rows = parse_csv(ta_client.get(csv_url(graded.course, missing="on")))

    assert [r[1] for r in rows[1:]] == ["bob"]


def test_csv_keeps_only_the_students_with_a_stale_score_in_the_section(ta_client, graded):
    carol = student(graded.course, "carol")
    score(carol, graded.hw1, 80)
    for member in (graded.alice, carol):
        resubmit_after_the_release(member, graded.hw1)
    in_section("A", graded.alice, graded.bob)
    in_section("B", carol)

    rows = parse_csv(ta_client.get(csv_url(graded.course, stale="on", section="B")))

    assert [r[1] for r in rows[1:]] == ["carol"]


# Links


def test_a_cell_with_a_graded_submission_links_to_it(ta_client, graded):
    graded_one = Submission.objects.get(member=graded.alice, assignment=graded.hw1)

    cell = cell_of(page_of(ta_client, graded.course), graded.alice, 0)          # Homework 1

    assert f'<a href="{reverse("assignments:submission-detail", args=[graded_one.id])}">90</a>' in cell


def test_a_cell_links_to_the_newest_submission_once_the_student_handed_in_again(ta_client, graded):
    newer = resubmit_after_the_release(graded.alice, graded.hw1)

    cell = cell_of(page_of(ta_client, graded.course), graded.alice, 0)

    assert f'href="{reverse("assignments:submission-detail", args=[newer.id])}"' in cell


def test_a_group_members_cell_links_to_the_submission_a_partner_uploaded(ta_client, graded):
    project = AssignmentFactory(course=graded.course, key="project", title="Project", group_size=2,
                                release_at=NOW - 20 * DAY, due_at=NOW - DAY)
    group = StudentGroupFactory(assignment=project, members=[graded.alice, graded.bob])
    uploaded = SubmissionFactory(member=graded.alice, assignment=project, group=group, submitted_at=NOW - 2 * DAY)

    column = list(graded.course.assignments.all()).index(project)                  # in due order

    cell = cell_of(page_of(ta_client, graded.course), graded.bob, column)

    assert f'href="{reverse("assignments:submission-detail", args=[uploaded.id])}"' in cell


def test_a_cell_without_a_submission_links_to_the_students_history(ta_client, graded):
    history = reverse("audit:student", args=[graded.course.slug, graded.bob.id])
    page = page_of(ta_client, graded.course)

    assert f'<a href="{history}">70</a>' in cell_of(page, graded.bob, 1)                  # Midterm 1: an exam
    assert f'<a href="{history}"><span class="muted">—</span></a>' in cell_of(page, graded.bob, 3)   # Homework 3


def test_every_link_of_a_row_is_a_page_the_ta_can_open(ta_client, graded):
    page = page_of(ta_client, graded.course)
    row = page.split(f'<tr id="student-{graded.alice.id}">')[1].split("</tr>")[0]
    links = set(re.findall(r'<td[^>]*>\s*<a href="([^"]+)"', row))

    assert len(links) == 3                                   # hw1's and hw2's submissions, the history
    assert all(ta_client.get(link).status_code == 200 for link in links)


# Sorting


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_column_sorts_the_page_as_the_reports_sort(ta_client, graded, direction):
    carol = student(graded.course, "carol", last="Aardvark")
    score(carol, graded.hw2, 50)
    grades = grade_report_list_for_course(graded.course, now=NOW)

    for column in gradebook_columns(grades):
        page = page_of(ta_client, graded.course, sort=column.key, dir=direction)
        expected = [r.member.user.username for r in gradebook_sorted(grades, column.key, descending=direction == "desc")]
        assert shown_students(page) == expected, column.key
        header = page.split(f'href="?sort={quote(column.key)}&amp;')[0].rsplit("<th", 1)[1]
        assert f'aria-sort="{direction}ending"' in header, column.key


# Queries


def queries_for(client, course, students: int) -> int:
    """The queries of one render of the gradebook narrowed to missing work and sorted, with `students` more
    students, each with a score, a graded submission (a link) and missing work."""
    hw1 = course.assignments.get(key="hw1")
    for i in range(students):
        member = student(course, f"{course.slug}-{i}")
        score(member, hw1, 60 + i % 40)
        submit(member, hw1, hw1.due_at)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(gradebook_url(course, missing="on", sort="current", dir="desc"))
    page = response.content.decode()
    assert response.status_code == 200 and page.count('<tr id="student-') == students + 1   # alice has none
    assert page.count('href="/submissions/') == students + 2                                 # and bob's two
    return len(queries)


def test_the_filtered_gradebook_takes_the_same_number_of_queries_for_5_and_20_students(client, db):
    few, many = graded_course("few"), graded_course("many")
    client.force_login(few.ta.user)

    assert queries_for(client, few.course, 5) == queries_for(client, many.course, 20)


def test_filters_keep_the_row_of_each_student_they_show_whole(ta_client, graded):
    page = page_of(ta_client, graded.course, missing="on")

    assert row_cells(page, graded.bob)[1:5] == ["0 late", "70", "45", "—"]
