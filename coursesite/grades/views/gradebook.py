"""The gradebook for staff: every student by every item, with totals; and its CSV export."""
from __future__ import annotations

import csv
from typing import NamedTuple
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from coursesite.display import plain_number
from coursesite.grades.gradebook import (
    MISSING_RULE,
    STALE_RULE,
    gradebook_columns,
    gradebook_filtered,
    gradebook_sorted,
    item_is_missing,
)
from coursesite.grades.report import CourseGrades, GradeReport, ItemGrade, grade_report_list_for_course
from coursesite.people.access import get_course_for_user, require_staff

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class GradebookFilterForm(forms.Form):
    """`?section=A&dropped=on&missing=on&stale=on`: one section's students; the students the registrar
    dropped too; only students with missing work; only students with a stale score."""

    section = forms.ChoiceField(required=False)
    dropped = forms.BooleanField(required=False, label="Show dropped students")
    missing = forms.BooleanField(required=False, label="Only missing work", help_text=MISSING_RULE)
    stale = forms.BooleanField(required=False, label="Only stale scores", help_text=STALE_RULE)

    def __init__(self, data, *, sections):
        super().__init__(data)
        self.fields["section"].choices = [("", "All sections"), *((s, s) for s in sections)]
        self.fields["section"].error_messages["invalid_choice"] = "The course has no section “%(value)s”."

    def _data(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}

    def filters(self) -> dict:
        """What the reports are read with (grade_report_list_for_course)."""
        data = self._data()
        return {"section": data.get("section") or "", "include_dropped": bool(data.get("dropped"))}

    def narrowing(self) -> dict:
        """What the read reports are narrowed to (gradebook_filtered)."""
        data = self._data()
        return {"missing": bool(data.get("missing")), "stale": bool(data.get("stale"))}

    def query(self) -> str:
        """The filters in force as a query string, for the sort links and the CSV link to carry."""
        data = self._data()
        pairs = [("section", data["section"])] if data.get("section") else []
        pairs += [(name, "on") for name in ("dropped", "missing", "stale") if data.get(name)]
        return urlencode(pairs)

    def summary(self) -> str:
        """"missing work, stale scores": what the students shown were chosen by, beyond their section."""
        narrowing = self.narrowing()
        return ", ".join(words for name, words in (("missing", "missing work"), ("stale", "stale scores"))
                         if narrowing[name])


def sections_of(course) -> list[str]:
    return sorted(set(course.memberships.students(include_dropped=True).exclude(section="")
                      .values_list("section", flat=True)))


class GradebookSortForm(forms.Form):
    """`?sort=<column>&dir=asc|desc`; the columns are the course's own."""

    sort = forms.ChoiceField(required=False)
    dir = forms.ChoiceField(choices=[("asc", "ascending"), ("desc", "descending")], required=False)

    def __init__(self, data, *, columns):
        super().__init__(data)
        self.fields["sort"].choices = [(c.key, c.label) for c in columns]
        self.fields["sort"].error_messages["invalid_choice"] = "The gradebook has no column “%(value)s” to sort by."
        self.fields["dir"].error_messages["invalid_choice"] = "The sort direction must be asc or desc, not “%(value)s”."

    def ordering(self) -> tuple[str, bool]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("sort") or "student", data.get("dir") == "desc"


class Cell(NamedTuple):
    """One item cell; a tuple so that the template unpacks it (`{% for item, link, css, missing in cells %}`),
    which costs the 400 × 12 cells much less than a `{% with %}` and an `{% if %}` each."""

    item: ItemGrade
    link: str                       # what a TA needs next: the graded submission, else the student's history
    css: str                        # the cell's classes
    missing: bool                   # see gradebook.item_is_missing


class Row(NamedTuple):
    report: GradeReport
    cells: list[Cell]


class CellLinks:
    """The link of every cell, from ids the reports already hold.

    One `reverse` a kind of page, then the id is put in: 4,800 cells (400 students × 12 items) cost no query
    and no URL resolving each.
    """

    PLACEHOLDER = 2147483647        # an id no row has; the URL is cut around it

    def __init__(self, course):
        self.submission = self._cut("assignments:submission-detail", [])
        self.history = self._cut("audit:student", [course.slug])

    def _cut(self, name: str, args: list) -> tuple[str, str]:
        before, _, after = reverse(name, args=[*args, self.PLACEHOLDER]).rpartition(str(self.PLACEHOLDER))
        return before, after

    def row(self, report: GradeReport, now) -> Row:
        history = f"{self.history[0]}{report.member.id}{self.history[1]}"
        before, after = self.submission
        cells = []
        for item in report.items:
            missing = item_is_missing(item, now)
            css = "num" + ("" if item.released else " unreleased") + (" missing" if missing else "")
            link = f"{before}{item.submission_id}{after}" if item.submission_id else history
            cells.append(Cell(item, link, css, missing))
        return Row(report, cells)


def gradebook_read(course, filters: GradebookFilterForm) -> tuple[CourseGrades, int]:
    """The grades of the students the filters keep, and how many students the section (and dropped) choice
    alone would show."""
    every = grade_report_list_for_course(course, now=timezone.now(), **filters.filters())
    return gradebook_filtered(every, **filters.narrowing()), len(every.reports)


@login_required
def gradebook(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    filters = GradebookFilterForm(request.GET, sections=sections_of(course))
    grades, of = gradebook_read(course, filters)
    columns = gradebook_columns(grades)
    form = GradebookSortForm(request.GET, columns=columns)
    sort, descending = form.ordering()
    links = CellLinks(course)
    return render(request, "grades/gradebook.html", {
        "course": course, "member": member, "grades": grades, "form": form, "filters": filters, "of": of,
        "filter_query": filters.query(), "narrowed_by": filters.summary(),
        "headers": header_links(columns, sort, descending), "sort": sort, "dir": "desc" if descending else "asc",
        "rows": [links.row(r, grades.now) for r in gradebook_sorted(grades, sort, descending=descending)],
    }, status=200 if form.is_valid() and filters.is_valid() else 400)


@login_required
def gradebook_csv(request: HttpRequest, slug: str) -> HttpResponse:
    course, member = get_course_for_user(request.user, slug)
    require_staff(member)
    filters = GradebookFilterForm(request.GET, sections=sections_of(course))
    grades, _ = gradebook_read(course, filters)
    columns = gradebook_columns(grades)
    form = GradebookSortForm(request.GET, columns=columns)
    if not form.is_valid() or not filters.is_valid():
        problems = " ".join(e for f in (filters, form) for errors in f.errors.values() for e in errors)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    sort, descending = form.ordering()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-gradebook.csv"'
    response.write("\ufeff")                    # the BOM: Excel then reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(safe_cells(csv_header(columns)))
    for report in gradebook_sorted(grades, sort, descending=descending):
        writer.writerow(safe_cells(csv_row(grades, report)))
    return response


# The columns that stay in view while the table scrolls sideways (site.css): the student's name on the left,
# the current total and its letter on the right.
PINNED = {"student": "pin-start", "current": "pin-current", "letter": "pin-letter"}


def header_links(columns, sort: str, descending: bool) -> list[dict]:
    """Each header with the link that sorts by it: ascending first, the other way on a second click."""
    return [
        {"column": c, "active": c.key == sort, "pin": PINNED.get(c.key, ""),
         "dir": "asc" if c.key != sort or descending else "desc"}
        for c in columns
    ]


def csv_header(columns) -> list[str]:
    labels = [f"{c.label} ({c.note})" if c.note else c.label for c in columns]
    # The registrar's id (the username is the Andrew ID) and section, so grades can go back to the registrar.
    return [labels[0], "Username", "Section", "Dropped", *labels[1:]]


def csv_row(grades: CourseGrades, report: GradeReport) -> list[str]:
    """The same figures as the page, unrounded, as plain numbers; an empty cell where nothing counts."""
    user = report.member.user
    return [
        user.display_name, user.username, report.member.section,
        f"{report.member.dropped_at:%Y-%m-%d}" if report.member.dropped_at else "",
        *(number(i.counted) for i in report.items),
        *(number(c.current) for c in report.categories),
        number(report.current), report.letter_current, number(report.final), report.letter_final,
        str(report.grace_days_used),
    ]


def number(value) -> str:
    return "" if value is None else plain_number(value)


def safe_cells(cells: list[str]) -> list[str]:
    """A cell a spreadsheet would read as a formula starts with a quote instead (OWASP's advice)."""
    return [f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell for cell in cells]
