"""What the printable reports show, read with the same queries as the pages they print."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coursesite.assignments.models import Assignment
from coursesite.assignments.selectors import active_submissions
from coursesite.grades.report import CourseGrades, GradeReport, ItemGrade, grade_report_get_for_student
from coursesite.grades.selectors import extension_due_times
from coursesite.people.models import Membership


@dataclass(frozen=True)
class ReportLine:
    """One item of the printed report: the grade, and when it was due and handed in."""

    item: ItemGrade
    due: datetime
    extended: bool
    submitted: datetime | None


def student_report_get(member: Membership, *, now: datetime) -> tuple[GradeReport, list[ReportLine]]:
    """The student's report as the student sees it (released scores only), with every item's dates."""
    report = grade_report_get_for_student(member, now=now)
    extended = extension_due_times(member)
    # The submission graded for them: their group's (whoever of it uploaded it) or their own.
    submitted = {assignment_id: found.submitted_at
                 for (_, assignment_id), found in active_submissions([member.id]).items()}
    lines = [
        ReportLine(item=item, due=extended.get(item.assignment.id, item.assignment.due_at),
                   extended=item.assignment.id in extended, submitted=submitted.get(item.assignment.id))
        for item in report.items
    ]
    return report, lines


def assignment_list_unreleased_with_scores(grades: CourseGrades) -> list[Assignment]:
    """Assignments with scores entered but not released: they count in the staff's totals, not the students'."""
    return [
        a for index, a in enumerate(grades.assignments)
        if not grades.released(a) and any(r.items[index].score is not None for r in grades.reports)
    ]
