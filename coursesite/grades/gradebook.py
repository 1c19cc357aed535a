"""The gradebook's rows: which students it shows ("missing work", "stale scores"), its columns, and their order.

Everything here reads a `CourseGrades` the reports already hold, so filtering and sorting cost no query
whatever the number of students. The page and its CSV export both go through these functions, so they
always show the same students in the same order.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from coursesite.display import plain_number
from coursesite.grades.report import CourseGrades, GradeReport, ItemGrade

MISSING_RULE = ("an item whose class due time has passed, or whose grades are released, with no score that counts "
                "(not handed in, or handed in and not scored yet; extensions are not taken into account)")
STALE_RULE = "a released score whose student handed in newer work that is not graded yet"


def item_is_missing(item: ItemGrade, now: datetime) -> bool:
    """Due (or graded and released) and nothing counts: the work a TA should chase or grade.

    Late work the late policy zeroes counts 0, so it is not missing: it was handed in.
    """
    return item.counted is None and (item.released or item.assignment.due_at <= now)


def report_has_missing_work(report: GradeReport, now: datetime) -> bool:
    return any(item_is_missing(item, now) for item in report.items)


def report_has_stale_score(report: GradeReport) -> bool:
    return any(item.stale for item in report.items)


def gradebook_filtered(grades: CourseGrades, *, missing: bool = False, stale: bool = False) -> CourseGrades:
    """The same grades, keeping only the students with missing work (`missing`) and only those with a stale
    score (`stale`); asked for both, a student must have both. Neither: every student."""
    reports = tuple(
        r for r in grades.reports
        if (not missing or report_has_missing_work(r, grades.now)) and (not stale or report_has_stale_score(r))
    )
    return dataclasses.replace(grades, reports=reports)


# The gradebook's columns: what `?sort=` names, and the value each report sorts by.

@dataclass(frozen=True)
class Column:
    key: str                        # the value of ?sort=
    label: str
    note: str = ""                  # e.g. "not released"


def gradebook_columns(grades: CourseGrades) -> list[Column]:
    """Student, every assignment, every category, the totals with their letters, grace days used."""
    columns = [Column("student", "Student")]
    columns += [
        Column(f"item:{a.key}", a.title, "" if grades.released(a) else "not released") for a in grades.assignments
    ]
    columns += [Column(f"category:{c.key}", f"{c.name} ({plain_number(c.weight)}%)") for c in grades.categories]
    columns += [
        Column("current", "Current total"), Column("letter", "Letter"),
        Column("final", "Final total"), Column("final-letter", "Final letter"),
        Column("grace", "Grace days used"),
    ]
    return columns


def gradebook_sorted(grades: CourseGrades, column: str, *, descending: bool = False) -> list[GradeReport]:
    """The reports ordered by one column (letters by their totals); empty cells last either way."""
    value = _sort_value(grades, column)
    by_name = sorted(grades.reports, key=_name_key)
    filled = [r for r in by_name if value(r) is not None]
    empty = [r for r in by_name if value(r) is None]
    return sorted(filled, key=value, reverse=descending) + empty


def _sort_value(grades: CourseGrades, column: str):
    kind, _, key = column.partition(":")
    if column == "student":
        return lambda r: _name_key(r)
    if column in ("current", "letter"):
        return lambda r: r.current
    if column in ("final", "final-letter"):
        return lambda r: r.final
    if column == "grace":
        return lambda r: r.grace_days_used
    if kind == "item":
        for index, a in enumerate(grades.assignments):
            if a.key == key:
                return lambda r: r.items[index].counted
    if kind == "category":
        for index, c in enumerate(grades.categories):
            if c.key == key:
                return lambda r: r.categories[index].current
    raise ValueError(f"The gradebook has no column {column!r} to sort by.")


def _name_key(report: GradeReport) -> tuple[str, str, str]:
    user = report.member.user
    return (user.last_name.casefold(), user.first_name.casefold(), user.username.casefold())
