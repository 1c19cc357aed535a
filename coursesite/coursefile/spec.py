"""Reading and checking a course file (TOML), with no database access.

`read_course_file` returns a CourseSpec of plain field values, or raises CourseFileError
listing every problem found, each naming the key it is about.
"""
from __future__ import annotations

import tomllib
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coursesite.assignments.models import Assignment
from coursesite.display import plain_number
from coursesite.grades.weighting import weights_off_total
from coursesite.people.models import Membership

ROLES = tuple(Membership.Role.values)
KINDS = tuple(Assignment.Kind.values)
RUBRIC_KINDS = Assignment.PDF_KINDS  # the PDF write-ups, graded question by question
# Assignment.rules_broken's fields -> the key and the words of the problem in a course file.
ASSIGNMENT_RULES = {
    "due_at": ("due", "{due} is not after its release {release}"),
    "required_files": ("required_files", "coding work names the files students hand in"),
    "kind": ("kind", "only coding work has required_files and an autograder_spec"),
    "uses_grace_days": ("uses_grace_days", "exams do not draw on grace days"),
}
REQUIRED_POLICIES = ("collaboration", "submitting", "regrades", "late-days", "extensions", "academic-integrity")
COURSE_KEYS = {
    "slug": str, "number": str, "title": str, "term": str, "time_zone": str, "starts_on": date, "ends_on": date,
    "meeting_times": str, "location": str, "website": str, "previous_website": str, "qa_forum_name": str,
    "qa_forum_url": str, "contact": str,
}
COURSE_REQUIRED = ("slug", "number", "title", "term", "starts_on", "ends_on", "meeting_times", "location")
TOP_LEVEL = {"course", "late_policy", "regrades", "project", "categories", "letter_grades", "people", "sections",
             "policies", "parts", "assignments"}
LETTER_MAX_LENGTH = 4


class CourseFileError(ValueError):
    def __init__(self, path: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{path} was not loaded; nothing was changed:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass
class CourseSpec:
    course: dict[str, Any]
    categories: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)
    assignments: list[dict[str, Any]] = field(default_factory=list)
    letter_grades: list[dict[str, Any]] | None = None  # None: the file has no [letter_grades] table


class Checker:
    """Collects problems instead of stopping at the first, so one run shows them all."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def get(self, table: dict, key: str, where: str, kind: type, required: bool = True, default: Any = None) -> Any:
        if key not in table:
            if required:
                self.problem(f"{where}.{key}", "is missing")
            return default
        value = table[key]
        if kind is Decimal:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                self.problem(f"{where}.{key}", f"must be a number, not {value!r}")
                return default
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():  # TOML allows nan and inf
                self.problem(f"{where}.{key}", f"must be a number, not {value!r}")
                return default
            return number
        if (kind is int and isinstance(value, bool) or kind is date and isinstance(value, datetime)
                or not isinstance(value, kind)):
            self.problem(f"{where}.{key}", f"must be a {KIND_NAMES.get(kind, kind.__name__)}, not {value!r}")
            return default
        return value

    def unknown_keys(self, table: dict, allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.problem(f"{where}.{key}" if where else key, "is not a known key (a typo?)")

    def unique(self, items: list[dict], key: str, where: str) -> None:
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            value = item.get(key)
            if value is None:
                continue
            if value in seen:
                self.problem(f"{where}[{i}].{key}", f"duplicate {value!r} (already used by {where}[{seen[value]}])")
            else:
                seen[value] = i


KIND_NAMES = {str: "text", int: "whole number", bool: "true or false", date: "date (YYYY-MM-DD)",
              list: "list", dict: "table", datetime: "date and time (YYYY-MM-DDTHH:MM)"}


def read_course_file(path: str | Path, *, shift_to: date | None = None) -> CourseSpec:
    """Parse and check the file. With `shift_to`, move every date by whole weeks so the term starts that week."""
    path = str(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise CourseFileError(path, ["the file does not exist"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CourseFileError(path, [f"not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise CourseFileError(path, [f"cannot be read: {exc.strerror}"]) from None
    check = Checker()
    check.unknown_keys(data, TOP_LEVEL, "")
    spec = CourseSpec(course=read_course(check, data))
    tz = zone(check, spec.course.get("time_zone"))
    shift = timedelta(0)
    if shift_to and isinstance(spec.course.get("starts_on"), date):
        shift = timedelta(weeks=(shift_to - spec.course["starts_on"]).days // 7)
        spec.course["starts_on"] += shift
        spec.course["ends_on"] += shift
    spec.categories = read_categories(check, data.get("categories", []))
    if "letter_grades" in data:
        spec.letter_grades = read_letter_grades(check, data["letter_grades"])
    spec.people = read_people(check, data.get("people", []))
    spec.sections = read_sections(check, data.get("sections", []), data.get("policies", {}))
    spec.parts = read_parts(check, data.get("parts", []))
    spec.assignments = read_assignments(check, data.get("assignments", []), {c["key"] for c in spec.categories if c["key"]}, tz, shift)
    if check.problems:
        raise CourseFileError(path, check.problems)
    return spec


def zone(check: Checker, name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "America/New_York")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        check.problem("course.time_zone", f"{name!r} is not a known time zone (e.g. America/New_York)")
        return zoneinfo.ZoneInfo("UTC")


def read_course(check: Checker, data: dict) -> dict:
    table = check.get(data, "course", "file", dict, default={}) or {}
    late = check.get(data, "late_policy", "file", dict, required=False, default={}) or {}
    regrades = check.get(data, "regrades", "file", dict, required=False, default={}) or {}
    project = check.get(data, "project", "file", dict, required=False, default={}) or {}
    check.unknown_keys(table, set(COURSE_KEYS), "course")
    check.unknown_keys(late, {"grace_days_total", "max_per_assignment"}, "late_policy")
    check.unknown_keys(regrades, {"window_days"}, "regrades")
    check.unknown_keys(project, {"group_size", "exceptions_by_staff", "description"}, "project")
    course = {k: check.get(table, k, "course", kind, required=k in COURSE_REQUIRED, default="")
              for k, kind in COURSE_KEYS.items()}
    course["time_zone"] = course["time_zone"] or "America/New_York"
    if isinstance(course["starts_on"], date) and isinstance(course["ends_on"], date) and course["ends_on"] <= course["starts_on"]:
        check.problem("course.ends_on", f"{course['ends_on']} is not after course.starts_on {course['starts_on']}")
    course["grace_days_total"] = check.get(late, "grace_days_total", "late_policy", int, required=False, default=7)
    course["max_grace_days_per_assignment"] = check.get(late, "max_per_assignment", "late_policy", int, required=False, default=3)
    for key in ("grace_days_total", "max_grace_days_per_assignment"):
        if isinstance(course[key], int) and course[key] < 0:
            check.problem(f"late_policy.{key}", "must not be negative")
    course["regrade_window_days"] = check.get(regrades, "window_days", "regrades", int, required=False, default=7)
    if isinstance(course["regrade_window_days"], int) and course["regrade_window_days"] < 0:
        check.problem("regrades.window_days", "must not be negative")
    course["project_group_size"] = check.get(project, "group_size", "project", int, required=False, default=2)
    if isinstance(course["project_group_size"], int) and course["project_group_size"] < 1:
        check.problem("project.group_size", "must be at least 1")
    course["project_group_exceptions"] = check.get(project, "exceptions_by_staff", "project", bool, required=False, default=True)
    course["project_description"] = check.get(project, "description", "project", str, required=False, default="")
    return course


def read_categories(check: Checker, items: Any) -> list[dict]:
    if not isinstance(items, list) or not items:
        check.problem("categories", "must list the grading categories with their weights")
        return []
    out = []
    for i, item in enumerate(items):
        where = f"categories[{i}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a table")
            continue
        check.unknown_keys(item, {"key", "name", "weight"}, where)
        weight = check.get(item, "weight", where, Decimal, default=Decimal(0))
        if weight < 0 or weight > 100:
            check.problem(f"{where}.weight", f"must be between 0 and 100, not {weight}")
        out.append({"key": check.get(item, "key", where, str), "name": check.get(item, "name", where, str),
                    "weight": weight, "order": i})
    check.unique(out, "key", "categories")
    total = weights_off_total(c["weight"] for c in out)
    if total is not None:
        check.problem("categories", f"the weights sum to {plain_number(total)}, not 100")
    return out


def read_letter_grades(check: Checker, table: Any) -> list[dict]:
    """`A = 90`, `B = 80`, ...: the lowest total (0-100) for each letter, highest letter first."""
    if not isinstance(table, dict):
        check.problem("letter_grades", "must be a table of letters and their lowest totals, e.g. A = 90")
        return []
    out, previous = [], None
    for letter, value in table.items():
        where = f"letter_grades.{letter}"
        if not letter.strip() or len(letter) > LETTER_MAX_LENGTH:
            check.problem(where, f"a letter grade is 1 to {LETTER_MAX_LENGTH} characters long")
        minimum = check.get(table, letter, "letter_grades", Decimal, default=None)
        if minimum is None:
            continue
        if minimum < 0 or minimum > 100:
            check.problem(where, f"must be between 0 and 100, not {plain_number(minimum)}")
        elif minimum.as_tuple().exponent < -2:
            check.problem(where, f"has at most 2 decimal places, not {minimum}")
        elif previous is not None and minimum >= previous["minimum"]:
            check.problem(where, f"{plain_number(minimum)} is not below letter_grades.{previous['letter']} "
                                 f"({plain_number(previous['minimum'])}); list letters from the highest down")
        else:
            previous = {"letter": letter, "minimum": minimum}
        out.append({"letter": letter, "minimum": minimum})
    return out


def read_people(check: Checker, items: Any) -> list[dict]:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        where = f"people[{i}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a table")
            continue
        check.unknown_keys(item, {"username", "name", "email", "role"}, where)
        person = {k: check.get(item, k, where, str) for k in ("username", "name", "email", "role")}
        if person["role"] and person["role"] not in ROLES:
            check.problem(f"{where}.role", f"unknown role {person['role']!r} (one of {', '.join(ROLES)})")
        if person["email"] and "@" not in person["email"]:
            check.problem(f"{where}.email", f"{person['email']!r} is not an email address")
        person["order"] = i
        out.append(person)
    check.unique(out, "username", "people")
    if not any(p.get("role") == "instructor" for p in out):
        check.problem("people", "the course needs at least one instructor")
    return out


def read_sections(check: Checker, items: Any, policies: Any) -> list[dict]:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        where = f"sections[{i}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a table")
            continue
        check.unknown_keys(item, {"key", "heading", "body"}, where)
        out.append({"kind": "about", "order": i, **{k: check.get(item, k, where, str) for k in ("key", "heading", "body")}})
    if not isinstance(policies, dict):
        check.problem("policies", "must be a table of policy paragraphs")
        policies = {}
    for key in REQUIRED_POLICIES:
        if key not in policies:
            check.problem(f"policies.{key}", "is missing (every course states this policy)")
    for i, (key, item) in enumerate(policies.items()):
        where = f"policies.{key}"
        if not isinstance(item, dict):
            check.problem(where, "must be a table with heading and body")
            continue
        check.unknown_keys(item, {"heading", "body"}, where)
        out.append({"kind": "policy", "key": key, "order": i,
                    **{k: check.get(item, k, where, str) for k in ("heading", "body")}})
    check.unique(out, "key", "sections and policies")
    return out


def read_parts(check: Checker, items: Any) -> list[dict]:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        where = f"parts[{i}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a table")
            continue
        check.unknown_keys(item, {"title", "summary", "topics"}, where)
        topics = check.get(item, "topics", where, list, required=False, default=[])
        if not all(isinstance(t, str) for t in topics):
            check.problem(f"{where}.topics", "must be a list of texts")
            topics = []
        out.append({"title": check.get(item, "title", where, str), "order": i,
                    "summary": check.get(item, "summary", where, str, required=False, default=""),
                    "topics": "\n".join(topics)})
    check.unique(out, "title", "parts")
    return out


def read_assignments(check: Checker, items: Any, categories: set[str], tz, shift: timedelta) -> list[dict]:
    allowed = {"key", "title", "kind", "category", "points", "release", "due", "uses_grace_days", "group_size",
               "students_form_groups", "groups_lock", "autograder_spec", "required_files", "description", "questions"}
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        where = f"assignments[{i}]"
        if not isinstance(item, dict):
            check.problem(where, "must be a table")
            continue
        check.unknown_keys(item, allowed, where)
        kind = check.get(item, "kind", where, str, default="")
        if kind and kind not in KINDS:
            check.problem(f"{where}.kind", f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        category = check.get(item, "category", where, str, default="")
        if category and category not in categories:
            check.problem(f"{where}.category", f"{category!r} is not one of the categories ({', '.join(sorted(categories))})")
        points = check.get(item, "points", where, Decimal, default=Decimal(1))
        if points <= 0:
            check.problem(f"{where}.points", "must be more than 0")
        release = moment(check, item, "release", where, tz, shift)
        due = moment(check, item, "due", where, tz, shift)
        files = check.get(item, "required_files", where, list, required=False, default=[])
        spec = check.get(item, "autograder_spec", where, str, required=False, default="")
        uses_grace = check.get(item, "uses_grace_days", where, bool, required=False,
                               default=kind != Assignment.Kind.EXAM)
        for broken in Assignment.rules_broken(kind=kind, release_at=release, due_at=due, required_files=files,
                                              autograder_spec=spec, uses_grace_days=uses_grace):
            key, message = ASSIGNMENT_RULES[broken]
            check.problem(f"{where}.{key}", message.format(**item))
        group_size = check.get(item, "group_size", where, int, required=False, default=1)
        if isinstance(group_size, int) and group_size < 1:
            check.problem(f"{where}.group_size", "must be at least 1")
        # Groups lock at the due time unless the file says earlier; only group work has groups to lock.
        groups_lock = moment(check, item, "groups_lock", where, tz, shift) if "groups_lock" in item else None
        if groups_lock is not None and group_size == 1:
            check.problem(f"{where}.groups_lock", "only group work (a group_size above 1) has groups to lock")
        out.append({
            "key": check.get(item, "key", where, str), "title": check.get(item, "title", where, str),
            "kind": kind, "category": category, "points": points, "release_at": release, "due_at": due,
            "uses_grace_days": uses_grace, "group_size": group_size,
            "students_form_groups": check.get(item, "students_form_groups", where, bool, required=False, default=True),
            "groups_lock_at": groups_lock,
            "autograder_spec": spec, "required_files": files,
            "description": check.get(item, "description", where, str, required=False, default=""),
            "questions": read_questions(check, item.get("questions"), where, kind, points),
        })
    check.unique(out, "key", "assignments")
    return out


def read_questions(check: Checker, items: Any, where: str, kind: str, points: Decimal) -> list[dict]:
    """The rubric questions of a write-up, each with its rubric items; worth at most the assignment's points."""
    if items is None:
        return []
    where = f"{where}.questions"
    if not isinstance(items, list):
        check.problem(where, "must be a list of questions ([[assignments.questions]])")
        return []
    if kind and kind not in RUBRIC_KINDS:
        check.problem(where, "only problem sets and project milestones are graded with rubric questions")
    out = []
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            check.problem(at, "must be a table")
            continue
        check.unknown_keys(item, {"number", "title", "points", "rubric"}, at)
        number = check.get(item, "number", at, int, default=None)
        if isinstance(number, int) and number < 1:
            check.problem(f"{at}.number", "must be 1 or more")
        worth = rubric_points(check, item, at, default=None)
        if worth is not None and worth <= 0:
            check.problem(f"{at}.points", "must be more than 0")
        out.append({"number": number, "title": check.get(item, "title", at, str, default=""), "points": worth,
                    "rubric": read_rubric(check, item.get("rubric", []), at, worth)})
    check.unique(out, "number", where)
    total = sum((q["points"] for q in out if q["points"] is not None), Decimal(0))
    if total > points:
        check.problem(where, f"the points sum to {plain_number(total)}, more than the assignment's "
                             f"{plain_number(points)}")
    return out


def read_rubric(check: Checker, items: Any, where: str, worth: Decimal | None) -> list[dict]:
    """`rubric = [{ description = "...", points = 2 }, ...]`: credit (positive) or a deduction (negative)."""
    where = f"{where}.rubric"
    if not isinstance(items, list):
        check.problem(where, "must be a list of items, e.g. [{ description = \"Correct\", points = 5 }]")
        return []
    out = []
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(item, dict):
            check.problem(at, "must be a table with description and points")
            continue
        check.unknown_keys(item, {"description", "points"}, at)
        points = rubric_points(check, item, at, default=None)
        if points is not None and worth is not None and abs(points) > worth:
            check.problem(f"{at}.points", f"an item gives or takes at most the question's {plain_number(worth)} points")
        out.append({"description": check.get(item, "description", at, str, default=""), "points": points})
    return out


def rubric_points(check: Checker, item: dict, where: str, default: Any) -> Decimal | None:
    """Points as the rubric stores them: at most 2 decimal places (and fewer than 10000)."""
    points = check.get(item, "points", where, Decimal, default=default)
    if points is None:
        return None
    if points.as_tuple().exponent < -2:
        check.problem(f"{where}.points", f"has at most 2 decimal places, not {points}")
        return None
    if abs(points) >= 10000:
        check.problem(f"{where}.points", f"must be below 10000, not {plain_number(points)}")
        return None
    return points


def same_text(stored: str, given: str) -> bool:
    """Equal but for what a browser's textarea changes: CRLF line ends, trailing spaces, blank ends.

    Text saved in the admin comes back with CRLF and stripped, so an unchanged file must not
    count it as edited (and overwrite it) on every load.
    """
    return normal_text(stored) == normal_text(given)


def normal_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def moment(check: Checker, item: dict, key: str, where: str, tz, shift: timedelta) -> datetime | None:
    """A TOML date-time; without an offset it is the course's local time. Dates mean 23:59 local."""
    value = item.get(key)
    if value is None:
        check.problem(f"{where}.{key}", "is missing")
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(23, 59))
    if not isinstance(value, datetime):
        check.problem(f"{where}.{key}", f"must be a date and time (YYYY-MM-DDTHH:MM), not {value!r}")
        return None
    if value.tzinfo is None:
        return (value + shift).replace(tzinfo=tz)  # shifted in local time: 23:59 stays 23:59 across DST
    return value + shift
