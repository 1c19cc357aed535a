"""The staff gradebook: every student by every item, sortable, as a page and as a CSV a spreadsheet opens."""
import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.courses.models import Course
from coursesite.grades.models import Score
from coursesite.grades.report import grade_report_list_for_course
from coursesite.people.models import User
from tests.coursesite.grades.test_report import NOW, graded_course, score, student, submit


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


def gradebook_url(course, **query):
    url = reverse("grades:gradebook", args=[course.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def csv_url(course, **query):
    url = reverse("grades:gradebook-csv", args=[course.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment)).split())


def cells(fragment: str) -> list[str]:
    return [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment, re.DOTALL)]


def row_cells(page: str, member) -> list[str]:
    return cells(page.split(f'<tr id="student-{member.id}">')[1].split("</tr>")[0])


def header_text(page: str) -> str:
    return text_of(page.split("<thead>")[1].split("</thead>")[0])


def student_order(page: str) -> list[str]:
    """The usernames of the gradebook's rows, top to bottom."""
    return re.findall(r'<tr id="student-\d+">\s*<th scope="row">[^<]*<span class="muted">\((\w+)\)', page)


def parse_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# The page


def test_gradebook_shows_each_students_points_category_percentages_totals_letters_and_grace_days(ta_client, graded):
    page = ta_client.get(gradebook_url(graded.course)).content.decode()

    # in due order: hw1, midterm 1, hw2, hw3, midterm 2, final | the four categories | totals and letters | grace
    assert row_cells(page, graded.alice) == [
        "Alice Example (alice)", "90", "80", "40", "73.25", "—", "—", "81.30%", "80.00%", "—", "—",
        "80.98%", "B", "48.59%", "below D", "2",
    ]


def test_gradebook_marks_zeroed_late_work(ta_client, graded):
    page = ta_client.get(gradebook_url(graded.course)).content.decode()

    assert row_cells(page, graded.bob)[1:5] == ["0 late", "70", "45", "—"]
    assert 'title="95 entered; scored 0 by the late policy: Submitted 4 days late;' in page


def test_gradebook_marks_assignments_whose_grades_are_not_released(ta_client, graded):
    page = ta_client.get(gradebook_url(graded.course)).content.decode()

    assert "Midterm 1 Homework 2 Homework 3 not released Midterm 2 not released" in header_text(page)


def test_gradebook_sorts_by_a_column_either_way(ta_client, graded):
    student(graded.course, "carol", last="Aardvark")

    default = ta_client.get(gradebook_url(graded.course)).content.decode()
    hw1_up = ta_client.get(gradebook_url(graded.course, sort="item:hw1", dir="asc")).content.decode()
    current_down = ta_client.get(gradebook_url(graded.course, sort="current", dir="desc")).content.decode()

    assert student_order(default) == ["carol", "alice", "bob"]
    assert student_order(hw1_up) == ["bob", "alice", "carol"]            # 0 (zeroed), 90, nothing
    assert student_order(current_down) == ["alice", "bob", "carol"]


def test_sorted_column_header_links_to_the_other_direction(ta_client, graded):
    page = ta_client.get(gradebook_url(graded.course, sort="current", dir="asc")).content.decode()

    assert '<a href="?sort=current&amp;dir=desc">Current total</a> ▲' in page
    assert '<a href="?sort=final&amp;dir=asc">Final total</a>' in page


def test_gradebook_refuses_an_unknown_sort_column_with_a_message(ta_client, graded):
    response = ta_client.get(gradebook_url(graded.course, sort="item:hw9"))

    assert response.status_code == 400
    assert "The gradebook has no column “item:hw9” to sort by." in text_of(response.content.decode())


def test_gradebook_without_letter_cutoffs_shows_no_letters(client, db):
    graded = graded_course(letters=False)
    client.force_login(graded.ta.user)

    page = client.get(gradebook_url(graded.course)).content.decode()

    assert "no letter-grade cutoffs" in text_of(page)
    assert row_cells(page, graded.alice)[-5:] == ["80.98%", "—", "48.59%", "—", "2"]


def render_queries(client, course, students: int) -> int:
    hw1 = course.assignments.get(key="hw1")
    for i in range(students):
        member = student(course, f"{course.slug}-{i}")
        score(member, hw1, 60 + i % 40)
        submit(member, hw1, hw1.due_at)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(gradebook_url(course))
    assert response.status_code == 200 and response.content.decode().count('<tr id="student-') == students + 2
    return len(queries)


def test_gradebook_takes_the_same_number_of_queries_for_5_and_40_students(client, db):
    few, many = graded_course("few"), graded_course("many")
    client.force_login(few.ta.user)                         # the same TA runs both courses

    assert render_queries(client, few.course, 5) == render_queries(client, many.course, 40) <= 16


# The CSV


def test_csv_is_an_attachment_in_utf8_with_a_bom(ta_client, graded):
    response = ta_client.get(csv_url(graded.course))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="10707-s21-gradebook.csv"'
    assert response.content.startswith("\ufeff".encode("utf-8"))


def test_csv_header_names_every_column(ta_client, graded):
    header = parse_csv(ta_client.get(csv_url(graded.course)))[0]

    assert header == [
        "Student", "Username", "Section", "Dropped", "Homework 1", "Midterm 1", "Homework 2", "Homework 3 (not released)",
        "Midterm 2 (not released)", "Final exam (not released)", "Assignments (45%)", "Midterm 1 (15%)",
        "Midterm 2 (15%)", "Final exam (25%)", "Current total", "Letter", "Final total", "Final letter",
        "Grace days used",
    ]


def test_csv_figures_are_the_reports_unrounded_as_plain_numbers(ta_client, graded):
    rows = parse_csv(ta_client.get(csv_url(graded.course)))
    alice = next(r for r in rows if r[1] == "alice")
    report = next(r for r in grade_report_list_for_course(graded.course, now=NOW).reports if r.member == graded.alice)

    assert alice == ["Alice Example", "alice", "", "", "90", "80", "40", "73.25", "", "", "81.3", "80", "", "",
                     "80.975", "B", "48.585", "below D", "2"]
    assert Decimal(alice[14]) == report.current and Decimal(alice[16]) == report.final


def test_csv_writes_100_as_100_not_in_exponent_notation(ta_client, graded):
    Score.objects.filter(member=graded.alice, assignment=graded.hw1).update(points=Decimal("100.00"))

    alice = next(r for r in parse_csv(ta_client.get(csv_url(graded.course))) if r[1] == "alice")

    assert alice[4] == "100"


def test_csv_counts_zeroed_late_work_as_0(ta_client, graded):
    bob = next(r for r in parse_csv(ta_client.get(csv_url(graded.course))) if r[1] == "bob")

    assert bob[4:8] == ["0", "70", "45", ""]


def test_csv_cells_that_look_like_formulas_are_made_safe(ta_client, graded):
    user = graded.alice.user
    user.first_name, user.last_name = "=HYPERLINK(\"http://evil.example\")", "+1"
    user.save()

    alice = next(r for r in parse_csv(ta_client.get(csv_url(graded.course))) if r[1] == "alice")

    assert alice[0] == "'=HYPERLINK(\"http://evil.example\") +1"


def test_csv_follows_the_requested_sort(ta_client, graded):
    rows = parse_csv(ta_client.get(csv_url(graded.course, sort="current", dir="asc")))

    assert [r[1] for r in rows[1:]] == ["bob", "alice"]


def test_csv_refuses_an_unknown_sort_direction(ta_client, graded):
    response = ta_client.get(csv_url(graded.course, dir="sideways"))

    assert response.status_code == 400
    assert response.content.decode() == "The sort direction must be asc or desc, not “sideways”."


# The benchmark command


def test_bench_gradebook_prints_its_render_time_and_leaves_nothing_behind(db):
    before = (Course.objects.count(), User.objects.count(), Score.objects.count())
    out = io.StringIO()

    call_command("bench_gradebook", "--students", "12", "--items", "3", "--runs", "2", stdout=out)

    assert "Gradebook for 12 students × 3 items: median render" in out.getvalue()
    assert "queries per render" in out.getvalue()
    assert (Course.objects.count(), User.objects.count(), Score.objects.count()) == before
