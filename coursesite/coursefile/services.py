"""Writing a checked course file into the database: create what is new, update what changed.

A load of a course that already exists is a proposal until someone says yes: `course_load(apply=False)`
runs the very same load and rolls it back, so the list of changes it returns is exactly what applying
would do (the command shows it, then applies only with --apply or a yes). Restarting the site or
reloading a file is not a decision to overwrite what staff edited.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.coursefile.spec import CourseSpec, normal_text, same_text
from coursesite.courses.models import Course, CoursePart, GradingCategory, SyllabusSection
from coursesite.display import plain_number
from coursesite.grades.models import LetterCutoff
from coursesite.people.models import Membership, User
from coursesite.rubrics.models import Question, QuestionGrade, RubricItem

COURSE_ADMINS_GROUP = "Course administrators"
# What instructors and education associates may edit in the admin (scoped to their courses).
ADMIN_MODELS = {
    "courses": ["course", "gradingcategory", "syllabussection", "coursepart"],
    "people": ["membership"],
    "assignments": ["assignment", "submission"],
    "grades": ["extension", "extensionrequest", "gracedaygrant", "score", "lettercutoff"],
    "audit": ["auditentry"],    # read-only in the admin
}
DEMO_DOMAIN = "@example.org"
FROM_FILE = "set by the course file"
SHOWN_TEXT = 60     # characters of a long text shown when it differs
# The course's grace-day rules a load may change, as the history names them (the admin's words for the first).
BUDGETS = {"grace_days_total": "every student's budget",
           "max_grace_days_per_assignment": "every student's most grace days on one assignment"}


class CourseChangedMeanwhile(Exception):
    """Applying would make other changes than the ones listed and agreed to."""


class Changes(list):
    """What a load changes, one line each; ``kept`` lists what it leaves alone though the file differs: what the
    file dropped (it may hold work), and rubric questions and items that are graded with or were edited."""

    def __init__(self, tz: dt.tzinfo | None = None):
        super().__init__()
        self.kept: list[str] = []
        self.tz = tz

    def note(self, what: str) -> None:
        self.append(what)

    def show(self, value) -> str:
        """A value as the listing shows it: times in the course's zone, points plainly, texts quoted."""
        if isinstance(value, dt.datetime):
            return value.astimezone(self.tz).strftime("%Y-%m-%d %H:%M %Z") if self.tz else value.isoformat()
        if isinstance(value, Decimal):
            return plain_number(value)
        if isinstance(value, models.Model):
            return getattr(value, "key", None) or str(value)
        if isinstance(value, str):
            return repr(value)
        return str(value)


def _text_difference(stored: str, given: str) -> tuple[str, str]:
    """Two long texts cut to where they first differ, so the listing shows the edit, not the first line."""
    stored, given = normal_text(stored), normal_text(given)
    if len(stored) <= SHOWN_TEXT and len(given) <= SHOWN_TEXT:
        return repr(stored), repr(given)
    start = next((i for i, (a, b) in enumerate(zip(stored, given)) if a != b), min(len(stored), len(given)))
    start = max(0, start - 20)

    def cut(text: str) -> str:
        part = text[start:start + SHOWN_TEXT]
        return ("…" if start else "") + repr(part) + ("…" if start + SHOWN_TEXT < len(text) else "")

    return cut(stored), cut(given)


def _same_value(stored, given) -> bool:
    if isinstance(stored, str) and isinstance(given, str):
        return same_text(stored, given)
    return stored == given


def update_fields(obj, values: dict, changes: Changes, label: str) -> None:
    """Set the values that differ and save only if something did: a second load writes nothing.

    Lists each field it overwrites, with the database's value and the file's.
    """
    changed = [name for name, value in values.items() if not _same_value(getattr(obj, name), value)]
    for name in changed:
        stored, given = getattr(obj, name), values[name]
        if isinstance(stored, str) and isinstance(given, str):
            shown = _text_difference(stored, given)
        else:
            shown = changes.show(stored), changes.show(given)
        changes.note(f"{label}: {name} is {shown[0]}, the file says {shown[1]}")
        setattr(obj, name, given)
    if changed:
        obj.full_clean()
        obj.save(update_fields=changed)


def upsert(model, lookup: dict, values: dict, changes: Changes, label: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        changes.note(f"{label}: created")
    else:
        update_fields(obj, values, changes, label)
    return obj


def course_load(
    *, spec: CourseSpec, apply: bool, demo_password: str | None = None, source: str = "loadcourse",
    expected: list[str] | None = None,
) -> tuple[Course, Changes]:
    """Create or update the course the spec describes; returns it and what changed (empty: nothing).

    With `apply=False` nothing is kept: the load runs and is rolled back, so the changes returned are
    the ones applying would make. With `expected` (the lines a person agreed to), a load that would
    change anything else is refused (CourseChangedMeanwhile) and rolled back.

    Every category weight, due or release time and grace-day budget it sets or removes goes into the
    course's history, made by `source` (e.g. "loadcourse courses/10707-s21.toml").
    """
    with transaction.atomic():
        course, changes = load(spec, demo_password, source)
        if expected is not None and list(changes) != list(expected):
            raise CourseChangedMeanwhile(
                "the course changed since its differences were listed; nothing was changed, list them again")
        if not apply:
            transaction.set_rollback(True)
    return course, changes


def load(spec: CourseSpec, demo_password: str | None, source: str) -> tuple[Course, Changes]:
    values = dict(spec.course)
    slug = values.pop("slug")
    changes = Changes(tz=Course(time_zone=values["time_zone"]).tz)
    budgets = Course.objects.filter(slug=slug).values(*BUDGETS).first()
    course = upsert(Course, {"slug": slug}, values, changes, f"course {slug}")
    for name, subject in BUDGETS.items():
        if budgets is not None and budgets[name] != getattr(course, name):
            audit_record(course=course, kind=AuditEntry.Kind.GRACE_DAYS, who=None, source=source, old=budgets[name],
                         new=getattr(course, name), why=FROM_FILE, subject=subject)

    categories = {}
    weights = dict(GradingCategory.objects.filter(course=course).values_list("key", "weight"))
    for item in spec.categories:
        item = dict(item)
        key = item.pop("key")
        categories[key] = upsert(GradingCategory, {"course": course, "key": key}, item, changes, f"category {key}")
        if weights.get(key) != categories[key].weight:
            audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=None, source=source, old=weights.get(key),
                         new=categories[key].weight, why=FROM_FILE, category=categories[key])
    for item in spec.sections:
        item = dict(item)
        key = item.pop("key")
        upsert(SyllabusSection, {"course": course, "key": key}, item, changes, f"section {key}")
    for item in spec.parts:
        item = dict(item)
        title = item.pop("title")
        upsert(CoursePart, {"course": course, "title": title}, item, changes, f"part {title!r}")
    for model, field, keep in (
        (SyllabusSection, "key", {s["key"] for s in spec.sections}),
        (CoursePart, "title", {p["title"] for p in spec.parts}),
    ):
        removed = model.objects.filter(course=course).exclude(**{f"{field}__in": keep})
        for obj in removed:
            changes.note(f"{model._meta.verbose_name} {getattr(obj, field)!r}: removed")
        removed.delete()

    for item in spec.assignments:
        item = dict(item)
        key = item.pop("key")
        questions = item.pop("questions", [])
        item["category"] = categories[item["category"]]
        times = Assignment.objects.filter(course=course, key=key).values("release_at", "due_at").first()
        assignment = upsert(Assignment, {"course": course, "key": key}, item, changes, f"assignment {key}")
        for name, what in (("release_at", "release time"), ("due_at", "due time")):
            if times is not None and times[name] != getattr(assignment, name):
                audit_record(course=course, kind=AuditEntry.Kind.DATES, who=None, source=source, old=times[name],
                             new=getattr(assignment, name), why=FROM_FILE, assignment=assignment,
                             subject=f"{assignment.title}: {what}")
        if questions:
            _load_questions(assignment, questions, changes)

    # Categories go after assignments moved off them; one still in use is protected.
    stale = GradingCategory.objects.filter(course=course).exclude(key__in=categories)
    for category in stale:
        changes.note(f"category {category.key}: removed")
        audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=None, source=source, old=category.weight,
                     new=None, why="removed from the course file", category=category)
    stale.delete()

    if spec.letter_grades is not None:
        _load_letter_grades(course, spec.letter_grades, changes)

    admins = _course_admins_group()
    for person in spec.people:
        _load_person(course, person, admins, demo_password, changes)
    _note_kept(course, spec, changes)
    return course, changes


def _load_questions(assignment: Assignment, questions: list[dict], changes: Changes) -> None:
    """The file's rubric questions: created when missing, with their rubric items.

    A question some answer is graded with is the rubric page's from then on: the load leaves it
    (and its items) alone and says so, since changing its points would change students' scores.
    An ungraded question's title and points follow the file like any field; its items are created
    only when it has none, because items have no key to tell an edited one from a new one.
    """
    stored = {q.number: q for q in Question.objects.filter(assignment=assignment).prefetch_related("items")}
    for spec in questions:
        label = f"question {spec['number']} of {assignment.key}"
        items = [RubricItem(description=i["description"], points=i["points"]) for i in spec["rubric"]]
        question = stored.get(spec["number"])
        if question is None:
            question = Question(assignment=assignment, number=spec["number"], title=spec["title"], points=spec["points"])
            question.full_clean()
            question.save()
            changes.note(f"{label}: created with {len(items)} rubric item(s)")
            _add_items(question, items)
            continue
        same_items = _rubric_of(question.items.all()) == _rubric_of(items)
        if QuestionGrade.objects.filter(question=question).exists():
            if not (same_items and _same_value(question.title, spec["title"]) and question.points == spec["points"]):
                changes.kept.append(f"{label}: kept as it is, answers are graded with it (edit it on the rubric page)")
            continue
        update_fields(question, {"title": spec["title"], "points": spec["points"]}, changes, label)
        if not question.items.exists() and items:
            _add_items(question, items)
            changes.note(f"{label}: {len(items)} rubric item(s) created")
        elif not same_items:
            changes.kept.append(f"{label}: rubric items kept as edited on the rubric page")
    in_file = {q["number"] for q in questions}
    for number in sorted(set(stored) - in_file):
        changes.kept.append(f"question {number} of {assignment.key}: kept")
    total = sum(Question.objects.filter(assignment=assignment).values_list("points", flat=True), Decimal(0))
    if total > assignment.points:
        raise ValidationError(f"the questions of {assignment.key} would be worth {plain_number(total)} points "
                              f"in all, more than its {plain_number(assignment.points)}")


def _add_items(question: Question, items: list[RubricItem]) -> None:
    for item in items:
        item.question = question
        item.full_clean()
    RubricItem.objects.bulk_create(items)


def _rubric_of(items) -> list[tuple[str, Decimal]]:
    return sorted((normal_text(i.description), i.points) for i in items)


def _note_kept(course: Course, spec: CourseSpec, changes: Changes) -> None:
    """Assignments and staff the file dropped are not deleted (they may hold submissions, scores and grading),
    nor demoted: say so, so that whoever loads the file can change them in the admin."""
    in_file = {item["key"] for item in spec.assignments}
    for assignment in Assignment.objects.filter(course=course).exclude(key__in=in_file).order_by("due_at", "key"):
        changes.kept.append(f"assignment {assignment.key}: kept with its submissions and scores")
    people = {person["username"] for person in spec.people}
    staff = (Membership.objects.filter(course=course).staff().exclude(user__username__in=people)
             .select_related("user").order_by("user__username"))
    for membership in staff:
        rights = " (and may edit the course in the admin)" if membership.role in Membership.ADMIN_ROLES else ""
        changes.kept.append(f"membership of {membership.user.username}: still {membership.get_role_display()}{rights}")


def _load_letter_grades(course: Course, letters: list[dict], changes: Changes) -> None:
    """The course's cutoffs become exactly the file's (a file without the table leaves them alone)."""
    stale = LetterCutoff.objects.filter(course=course).exclude(letter__in=[item["letter"] for item in letters])
    for cutoff in stale:
        changes.note(f"letter grade {cutoff.letter}: removed")
    stale.delete()
    for item in letters:
        upsert(LetterCutoff, {"course": course, "letter": item["letter"]}, {"minimum": item["minimum"]},
               changes, f"letter grade {item['letter']}")


def _load_person(course: Course, person: dict, admins: Group, demo_password: str | None, changes: Changes) -> None:
    first, _, last = person["name"].rpartition(" ")
    is_admin = person["role"] in Membership.ADMIN_ROLES
    user = User.objects.filter(username=person["username"]).first()
    user_values = {"email": person["email"], "first_name": first or last, "last_name": last if first else ""}
    if user is not None and not user.email.endswith(DEMO_DOMAIN) and person["email"].endswith(DEMO_DOMAIN):
        # A real account keeps its address, so it never becomes a demo account (nor gets the demo password).
        del user_values["email"]
    if user is None:
        # Only an account this load creates gets the demo password: an existing one keeps whatever
        # its owner (or an admin) set, however often the file is loaded.
        user = User(username=person["username"], **user_values, is_staff=is_admin)
        if demo_password and user.email.endswith(DEMO_DOMAIN):
            user.set_password(demo_password)
        else:
            user.set_unusable_password()
        user.save()
        changes.note(f"user {user.username}: created" + (" with the demo password" if user.has_usable_password() else ""))
    else:
        update_fields(user, user_values, changes, f"user {user.username}")
        if is_admin and not user.is_staff:
            update_fields(user, {"is_staff": True}, changes, f"user {user.username}")
    if is_admin and not user.groups.filter(pk=admins.pk).exists():
        user.groups.add(admins)
        changes.note(f"user {user.username}: may edit the course in the admin")
    upsert(Membership, {"user": user, "course": course}, {"role": person["role"], "order": person["order"]},
           changes, f"membership of {user.username}")


def _course_admins_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COURSE_ADMINS_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=ADMIN_MODELS,
        content_type__model__in=[m for models in ADMIN_MODELS.values() for m in models],
    )
    missing = set(wanted.values_list("pk", flat=True)) - set(group.permissions.values_list("pk", flat=True))
    if missing:
        group.permissions.add(*missing)
    return group
