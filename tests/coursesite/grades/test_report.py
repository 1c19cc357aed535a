"""Grade reports: what counts, current and final totals, letters, and a query count that does not grow.

The world here (`graded`) is used by the gradebook and dashboard tests too: a course weighted like the
demo (assignments 45, midterm 1 15, midterm 2 15, final exam 25), frozen at NOW, with
- hw1 (100 points, grades released), hw2 (50, released), hw3 (100, NOT released), midterm 1 (100, released),
  midterm 2 and the final exam (not yet held);
- alice: hw1 90, hw2 40 submitted 2 days late (2 grace days), hw3 73.25 (unreleased), midterm 1 80;
- bob: hw1 95 but submitted 4 days late (more than the cap of 3: the late policy scores it 0), hw2 45, midterm 1 70.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coursesite.assignments.models import Assignment, Submission
from coursesite.grades.models import LetterCutoff, Score
from coursesite.grades.gradebook import gradebook_sorted
from coursesite.grades.report import grade_report_get_for_student, grade_report_list_for_course, letter_for
from coursesite.people.models import Membership
from tests.factories import AssignmentFactory, CategoryFactory, CourseFactory, MembershipFactory, UserFactory

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2021, 3, 15, 12, 0, tzinfo=NEW_YORK)
DAY = timedelta(days=1)
WEIGHTS = (("assignments", "Assignments", 45), ("midterm-1", "Midterm 1", 15),
           ("midterm-2", "Midterm 2", 15), ("final-exam", "Final exam", 25))


def weighted_course(slug="10707-s21", letters=True):
    course = CourseFactory(slug=slug)
    for order, (key, name, weight) in enumerate(WEIGHTS):
        CategoryFactory(course=course, key=key, name=name, weight=Decimal(weight), order=order)
    if letters:
        for letter, minimum in (("A", 90), ("B", 80), ("C", 70), ("D", 60)):
            LetterCutoff.objects.create(course=course, letter=letter, minimum=Decimal(minimum))
    return course


def homework(course, key, points, *, due, released=True, title=None):
    return AssignmentFactory(course=course, key=key, title=title or key.upper(), points=Decimal(points),
                             category=course.categories.get(key="assignments"),
                             release_at=due - 14 * DAY, due_at=due, grades_released_at=NOW - DAY if released else None)


def exam(course, key, *, held, released=True):
    return AssignmentFactory(course=course, exam=True, key=key, title=key.replace("-", " ").capitalize(),
                             points=Decimal(100), category=course.categories.get(key=key),
                             release_at=held - timedelta(hours=2), due_at=held,
                             grades_released_at=NOW - DAY if released else None)


def student(course, username, first="", last=""):
    user = UserFactory(username=username, first_name=first or username.capitalize(), last_name=last or "Example")
    return MembershipFactory(course=course, user=user, role=Membership.Role.STUDENT)


def staff(course, username, role=Membership.Role.TA):
    return MembershipFactory(course=course, user=UserFactory(username=username), role=role)


def score(member, assignment, points, by=None, comment=""):
    by = by or UserFactory(username="grader")
    return Score.objects.create(member=member, assignment=assignment, points=Decimal(str(points)), comment=comment,
                                entered_by=by, entered_at=NOW - 2 * DAY)


def submit(member, assignment, at):
    return Submission.objects.create(member=member, assignment=assignment, submitted_at=at, is_active=True,
                                     sha256="0" * 64)


@dataclass
class Graded:
    course: object
    hw1: Assignment
    hw2: Assignment
    hw3: Assignment
    midterm1: Assignment
    alice: Membership
    bob: Membership
    ta: Membership
    instructor: Membership


def graded_course(slug="10707-s21", letters=True) -> Graded:
    course = weighted_course(slug, letters)
    hw1 = homework(course, "hw1", 100, due=NOW - 20 * DAY, title="Homework 1")
    hw2 = homework(course, "hw2", 50, due=NOW - 10 * DAY, title="Homework 2")
    hw3 = homework(course, "hw3", 100, due=NOW - 3 * DAY, released=False, title="Homework 3")
    midterm1 = exam(course, "midterm-1", held=NOW - 12 * DAY)
    exam(course, "midterm-2", held=NOW + 20 * DAY, released=False)
    exam(course, "final-exam", held=NOW + 50 * DAY, released=False)
    alice, bob = student(course, "alice"), student(course, "bob")
    ta, instructor = staff(course, "abasu"), staff(course, "risteski", Membership.Role.INSTRUCTOR)
    for member, hw1_points, hw2_points, midterm in ((alice, 90, 40, 80), (bob, 95, 45, 70)):
        score(member, hw1, hw1_points, by=ta.user)
        score(member, hw2, hw2_points, by=ta.user)
        score(member, midterm1, midterm, by=ta.user)
    score(alice, hw3, "73.25", by=ta.user)
    submit(alice, hw1, hw1.due_at - DAY)
    submit(alice, hw2, hw2.due_at + DAY + timedelta(minutes=1))        # 2 days late: 2 grace days
    submit(bob, hw1, hw1.due_at + 3 * DAY + timedelta(minutes=1))      # 4 days late: more than the cap
    submit(bob, hw2, hw2.due_at - DAY)
    return Graded(course, hw1, hw2, hw3, midterm1, alice, bob, ta, instructor)


@pytest.fixture
def graded(db) -> Graded:
    return graded_course()


def report_of(grades, member):
    return next(r for r in grades.reports if r.member.id == member.id)


# What counts


def test_student_report_counts_released_scores_only(graded):
    report = grade_report_get_for_student(graded.alice, now=NOW)

    assert report.current == Decimal(85)               # (45 × 130/150 + 15 × 80%) / 60
    assert report.item(graded.hw3).score is None
    assert report.item(graded.hw3).counted is None


def test_student_final_total_counts_missing_and_unreleased_work_as_0(graded):
    report = grade_report_get_for_student(graded.alice, now=NOW)

    assert report.final == Decimal("35.4")               # 45 × 130/250 + 15 × 80% + 0 + 0


def test_staff_reports_count_unreleased_scores(graded):
    report = report_of(grade_report_list_for_course(graded.course, now=NOW), graded.alice)

    assert report.item(graded.hw3).counted == Decimal("73.25")
    assert not report.item(graded.hw3).released
    assert report.current == Decimal("80.975")           # (45 × 203.25/250 + 15 × 80%) / 60
    assert report.final == Decimal("48.585")


def test_late_work_the_policy_zeroes_counts_0_whatever_its_score(graded):
    item = grade_report_get_for_student(graded.bob, now=NOW).item(graded.hw1)

    assert item.score.points == Decimal(95)
    assert item.counted == Decimal(0)
    assert item.note == ("scored 0 by the late policy: Submitted 4 days late; at most 3 grace days can be used "
                         "on one assignment, so this scores 0.")


def test_zeroed_late_work_lowers_the_category_percentage(graded):
    report = grade_report_get_for_student(graded.bob, now=NOW)

    assert [c.current for c in report.categories] == [Decimal(30), Decimal(70), None, None]
    assert report.current == Decimal(40)


def test_zeroed_late_work_without_a_score_still_counts_0(graded):
    Score.objects.filter(member=graded.bob, assignment=graded.hw1).delete()

    item = grade_report_get_for_student(graded.bob, now=NOW).item(graded.hw1)

    assert item.counted == Decimal(0)


def test_late_work_within_the_budget_keeps_its_score_and_uses_grace_days(graded):
    report = grade_report_get_for_student(graded.alice, now=NOW)

    assert report.item(graded.hw2).counted == Decimal(40)
    assert report.item(graded.hw2).note == ""
    assert (report.grace_days_used, report.grace_days_left) == (2, 5)


def test_scores_count_from_their_release_time(graded):
    before = grade_report_get_for_student(graded.alice, now=graded.hw1.grades_released_at - timedelta(seconds=1))

    assert before.item(graded.hw1).score is None
    assert grade_report_get_for_student(graded.alice, now=graded.hw1.grades_released_at).item(graded.hw1).counted == 90


def test_nothing_released_gives_no_current_total(graded):
    Assignment.objects.filter(course=graded.course).update(grades_released_at=None)

    report = grade_report_get_for_student(graded.alice, now=NOW)

    assert report.current is None and report.current_shown == "—" and report.letter_current == ""
    assert report.final == Decimal(0)


def test_explanation_shows_each_categorys_arithmetic(graded):
    report = grade_report_get_for_student(graded.alice, now=NOW)

    assert report.explain_current == (
        "Assignments: 130/150 points = 86.67% × 45 = 39.00",
        "Midterm 1: 80/100 points = 80.00% × 15 = 12.00",
        "Midterm 2: nothing graded yet, not counted",
        "Final exam: nothing graded yet, not counted",
        "Total: 51.00 of 60 = 85.00%",
    )


def test_weights_that_do_not_sum_to_100_give_a_problem_not_totals(db):
    course = CourseFactory()
    alice = student(course, "alice")
    score(alice, AssignmentFactory(course=course, grades_released_at=NOW - DAY), 50)

    grades = grade_report_list_for_course(course, now=NOW)

    assert grades.problem == "No totals yet: Category weights must sum to exactly 100, not 45.00."
    assert grades.reports[0].current is None and grades.reports[0].explain_current == (grades.problem,)


# Letters


def cutoffs(**letters):
    return [LetterCutoff(letter=letter, minimum=Decimal(m)) for letter, m in letters.items()]


@pytest.mark.parametrize(("total", "letter"), [
    ("90", "A"), ("89.99", "B"), ("80", "B"), ("79.994", "C"), ("60", "D"), ("59.99", "below D"), ("100.5", "A"),
])
def test_letter_is_the_highest_cutoff_the_total_reaches(total, letter):
    assert letter_for(Decimal(total), cutoffs(A=90, B=80, C=70, D=60)) == letter


def test_letter_follows_the_total_as_shown_rounded_half_up():
    assert letter_for(Decimal("89.995"), cutoffs(A=90, B=80)) == "A"       # shown as 90.00%


def test_no_cutoffs_no_letter():
    assert letter_for(Decimal(95), []) == ""


def test_reports_carry_current_and_final_letters(graded):
    report = grade_report_get_for_student(graded.alice, now=NOW)

    assert (report.letter_current, report.letter_final) == ("B", "below D")
    assert report.letter_scale == "A from 90%, B from 80%, C from 70%, D from 60%"


# Sorting and queries


def test_reports_sort_by_a_column_with_empty_cells_last(graded):
    carol = student(graded.course, "carol", last="Aardvark")                # no scores at all
    grades = grade_report_list_for_course(graded.course, now=NOW)

    by_current = [r.member.user.username for r in gradebook_sorted(grades, "current", descending=True)]
    by_name = [r.member.user.username for r in gradebook_sorted(grades, "student")]

    assert by_current == ["alice", "bob", "carol"] and carol.user.last_name == "Aardvark"
    assert [r.member.user.username for r in gradebook_sorted(grades, "current")] == ["bob", "alice", "carol"]
    assert by_name == ["carol", "alice", "bob"]


def test_sorting_by_an_unknown_column_is_refused(graded):
    grades = grade_report_list_for_course(graded.course, now=NOW)

    with pytest.raises(ValueError, match="no column 'item:hw9'"):
        gradebook_sorted(grades, "item:hw9")


def count_queries_for_course(course, students: int) -> int:
    hw1 = course.assignments.get(key="hw1")
    for i in range(students):
        member = student(course, f"s{course.slug}{i}")
        score(member, hw1, 50 + i % 50)
        submit(member, hw1, hw1.due_at + timedelta(hours=i % 90))
    with CaptureQueriesContext(connection) as queries:
        grades = grade_report_list_for_course(course, now=NOW)
        for report in grades.reports:                       # what the gradebook reads of each report
            [(i.assignment.category.name, i.counted) for i in report.items]
            (report.member.user.display_name, report.ledger.grants, report.grace_days_used)
    assert len(grades.reports) == students + 2
    return len(queries)


def test_course_reports_take_the_same_number_of_queries_for_5_and_40_students(db):
    few = count_queries_for_course(graded_course("few").course, 5)
    many = count_queries_for_course(graded_course("many").course, 40)

    assert few == many <= 11      # the graded submissions: the students' own, then their groups'


def test_one_students_report_takes_a_fixed_number_of_queries(graded, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):  # the graded submissions: the student's own, then their group's
        grade_report_get_for_student(graded.alice, now=NOW)

