"""A student's grades on the dashboard: released scores, the late policy, category percentages, totals, letters.

A student never sees an unreleased score, nor another student's, anywhere on the page.
"""
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from coursesite.assignments.models import Assignment
from coursesite.grades.models import GraceDayGrant, LetterCutoff, Score
from tests.coursesite.grades.test_report import NOW, graded_course, score, student

DASHBOARD = "courses:dashboard"


@pytest.fixture(autouse=True)
def frozen_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def graded(db):
    return graded_course()


def dashboard_of(client, member) -> str:
    client.force_login(member.user)
    response = client.get(reverse(DASHBOARD, args=[member.course.slug]))
    assert response.status_code == 200
    return response.content.decode()


def text_of(fragment: str) -> str:
    """What a reader sees: no tags (each a word break), entities decoded, spaces collapsed."""
    return " ".join(html.unescape(strip_tags(fragment.replace("<", " <"))).split())


def part(page: str, element_id: str) -> str:
    """The text of the element with this id (up to the end of its row, table or block)."""
    start = page.index(f'id="{element_id}"')
    end = min(i for i in (page.find(tag, start) for tag in ("</tr>", "</table>", "</div>", "</details>")) if i > 0)
    return text_of(page[start:end].split(">", 1)[1])


def score_cell(page: str, assignment) -> str:
    """The score as shown, without the exam's regrade link (tests/coursesite/regrades/test_exam.py has those)."""
    row = page.split(f'id="item-{assignment.key}"')[1].split("</tr>")[0]
    cell = re.search(r'<td class="score"[^>]*>(.*?)</td>', row, re.DOTALL).group(1)
    return text_of(re.sub(r'<div class="exam-regrade">.*?</div>', "", cell, flags=re.DOTALL))


def test_released_score_shows_with_its_points(client, graded):
    page = dashboard_of(client, graded.alice)

    assert score_cell(page, graded.hw1) == "90 / 100"
    assert score_cell(page, graded.midterm1) == "80 / 100"


def test_score_comment_shows_under_the_score(client, graded):
    Score.objects.filter(member=graded.alice, assignment=graded.hw1).update(comment="Nice derivation in 2(b).")

    assert score_cell(dashboard_of(client, graded.alice), graded.hw1) == "90 / 100 Nice derivation in 2(b)."


def test_unreleased_item_says_not_released(client, graded):
    assert score_cell(dashboard_of(client, graded.alice), graded.hw3) == "not released"


def test_unreleased_score_appears_nowhere_on_the_students_page(client, graded):
    Score.objects.filter(member=graded.alice, assignment=graded.hw3).update(points=Decimal("77.77"),
                                                                         comment="Secret remark")

    page = dashboard_of(client, graded.alice)

    assert "77.77" not in page and "Secret remark" not in page
    assert "280.77" not in page                                  # nor hidden in a category's points (203.25 + 77.77)


def test_unreleased_score_leaves_the_students_totals_unchanged(client, graded):
    before = part(dashboard_of(client, graded.alice), "current-total")
    Score.objects.filter(member=graded.alice, assignment=graded.hw3).update(points=Decimal(0))

    assert part(dashboard_of(client, graded.alice), "current-total") == before == (
        "Current total (released scores only) 85.00% · B"
    )


def test_another_students_scores_appear_nowhere_on_the_page(client, graded):
    Score.objects.filter(member=graded.bob, assignment=graded.hw2).update(points=Decimal("44.44"))
    Score.objects.filter(member=graded.bob, assignment=graded.midterm1).update(points=Decimal("66.66"))

    page = dashboard_of(client, graded.alice)

    assert "44.44" not in page and "66.66" not in page and "Bob" not in page


def test_zeroed_late_work_says_the_late_policy_scored_it_0(client, graded):
    page = dashboard_of(client, graded.bob)

    assert score_cell(page, graded.hw1) == (
        "0 / 100 scored 0 by the late policy: Submitted 4 days late; at most 3 grace days can be used "
        "on one assignment, so this scores 0."
    )
    assert "4 days late, scored 0" in text_of(page.split('id="item-hw1"')[1].split("</tr>")[0])


def test_category_percentages_show_so_far_and_with_missing_work_as_0(client, graded):
    body = dashboard_of(client, graded.alice).split('id="categories"')[1].split("<tbody>")[1].split("</tbody>")[0]

    assert [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)] == [
        "Assignments 45% 86.67% 52.00%",
        "Midterm 1 15% 80.00% 80.00%",
        "Midterm 2 15% — 0.00%",
        "Final exam 25% — 0.00%",
    ]


def test_current_and_final_totals_show_with_their_letters(client, graded):
    page = dashboard_of(client, graded.alice)

    assert part(page, "current-total") == "Current total (released scores only) 85.00% · B"
    assert part(page, "final-total") == "Final total (missing work counts 0) 35.40% · below D"


def test_a_course_without_letter_cutoffs_shows_no_letter(client, graded):
    LetterCutoff.objects.filter(course=graded.course).delete()

    page = dashboard_of(client, graded.alice)

    assert part(page, "current-total") == "Current total (released scores only) 85.00%"
    assert "Letters follow" not in page


def test_how_this_is_computed_shows_the_arithmetic(client, graded):
    details = part(dashboard_of(client, graded.alice), "how-computed")

    assert details.startswith("How this is computed")
    assert ("Current total Assignments: 130/150 points = 86.67% × 45 = 39.00 "
            "Midterm 1: 80/100 points = 80.00% × 15 = 12.00 Midterm 2: nothing graded yet, not counted "
            "Final exam: nothing graded yet, not counted Total: 51.00 of 60 = 85.00%") in details
    assert "Final total Assignments: 130/250 points = 52.00% × 45 = 23.40" in details
    assert "Letters follow the total as shown: A from 90%, B from 80%, C from 70%, D from 60%." in details


def test_grace_day_card_shows_the_budget_with_staff_added_days_and_each_late_assignment(client, graded):
    GraceDayGrant.objects.create(member=graded.alice, days=2, reason="Accommodation letter of Feb 3.",
                                 granted_by=graded.instructor.user, granted_at=NOW)

    card = part(dashboard_of(client, graded.alice), "grace-days")

    assert card.startswith("Grace days: 2 used, 7 left of 9 (at most 3 on one assignment)")
    assert "7 for everyone +2 added by the course staff on Mon Mar 15: Accommodation letter of Feb 3." in card
    assert "Homework 2: Submitted 2 days late; 2 grace days used." in card


def test_grace_day_card_lists_zeroed_late_work(client, graded):
    card = part(dashboard_of(client, graded.bob), "grace-days")

    assert card.startswith("Grace days: 0 used, 7 left of 7")
    assert "Homework 1: Submitted 4 days late; at most 3 grace days can be used on one assignment" in card


def test_dashboard_without_any_released_grades_shows_dashes(client, graded):
    Assignment.objects.filter(course=graded.course).update(grades_released_at=None)

    page = dashboard_of(client, graded.alice)

    assert part(page, "current-total") == "Current total (released scores only) —"
    assert score_cell(page, graded.hw1) == "not released"


def test_released_item_without_a_score_says_so(client, graded):
    carol = student(graded.course, "carol")
    score(carol, graded.hw1, 70)

    assert score_cell(dashboard_of(client, carol), graded.hw2) == "no score"
