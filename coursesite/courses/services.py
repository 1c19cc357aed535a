"""Writing a checked course file into the database: create what is new, update what changed."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from coursesite.assignments.models import Assignment
from coursesite.audit.models import AuditEntry
from coursesite.audit.services import audit_record
from coursesite.courses.coursefile import CourseSpec
from coursesite.courses.models import Course, CoursePart, GradingCategory, SyllabusSection
from coursesite.grades.models import LetterCutoff
from coursesite.people.models import Membership, User

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


class Changes(list):
    """What a load changed, one line each; ``kept`` lists what the file no longer has but the load leaves alone."""

    def __init__(self):
        super().__init__()
        self.kept: list[str] = []

    def note(self, what: str) -> None:
        self.append(what)


def update_fields(obj, values: dict, changes: Changes, label: str) -> None:
    """Set the values that differ and save only if something did: a second load writes nothing."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.full_clean()
        obj.save(update_fields=changed)
        changes.note(f"{label}: updated {', '.join(changed)}")


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


@transaction.atomic
def course_load(
    *, spec: CourseSpec, demo_password: str | None = None, source: str = "loadcourse"
) -> tuple[Course, Changes]:
    """Create or update the course the spec describes; returns it and what changed (empty: nothing).

    Every category weight it sets or removes goes into the course's history, made by `source`
    (e.g. "loadcourse courses/10707-s21.toml").
    """
    changes = Changes()
    values = dict(spec.course)
    slug = values.pop("slug")
    course = upsert(Course, {"slug": slug}, values, changes, f"course {slug}")

    categories = {}
    weights = dict(GradingCategory.objects.filter(course=course).values_list("key", "weight"))
    for item in spec.categories:
        item = dict(item)
        key = item.pop("key")
        categories[key] = upsert(GradingCategory, {"course": course, "key": key}, item, changes, f"category {key}")
        if weights.get(key) != categories[key].weight:
            audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=None, source=source, old=weights.get(key),
                         new=categories[key].weight, why="set by the course file", category=categories[key])
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
        item["category"] = categories[item["category"]]
        upsert(Assignment, {"course": course, "key": key}, item, changes, f"assignment {key}")

    # Categories go after assignments moved off them; one still in use is protected.
    stale = GradingCategory.objects.filter(course=course).exclude(key__in=categories)
    for category in stale:
        changes.note(f"category {category.key}: removed")
        audit_record(course=course, kind=AuditEntry.Kind.WEIGHT, who=None, source=source, old=category.weight,
                     new=None, why="removed from the course file", category=category)
    stale.delete()

    if spec.letter_grades is not None:
        load_letter_grades(course, spec.letter_grades, changes)

    admins = course_admins_group()
    for person in spec.people:
        load_person(course, person, admins, demo_password, changes)
    note_kept(course, spec, changes)
    return course, changes


def note_kept(course: Course, spec: CourseSpec, changes: Changes) -> None:
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


def load_letter_grades(course: Course, letters: list[dict], changes: Changes) -> None:
    """The course's cutoffs become exactly the file's (a file without the table leaves them alone)."""
    stale = LetterCutoff.objects.filter(course=course).exclude(letter__in=[item["letter"] for item in letters])
    for cutoff in stale:
        changes.note(f"letter grade {cutoff.letter}: removed")
    stale.delete()
    for item in letters:
        upsert(LetterCutoff, {"course": course, "letter": item["letter"]}, {"minimum": item["minimum"]},
               changes, f"letter grade {item['letter']}")


def load_person(course: Course, person: dict, admins: Group, demo_password: str | None, changes: Changes) -> None:
    first, _, last = person["name"].rpartition(" ")
    is_admin = person["role"] in Membership.ADMIN_ROLES
    user = User.objects.filter(username=person["username"]).first()
    user_values = {"email": person["email"], "first_name": first or last, "last_name": last if first else ""}
    if user is not None and not user.email.endswith(DEMO_DOMAIN) and person["email"].endswith(DEMO_DOMAIN):
        # A real account keeps its address, so it never becomes a demo account (nor gets the demo password).
        del user_values["email"]
    if user is None:
        user = User(username=person["username"], **user_values, is_staff=is_admin)
        user.set_unusable_password()
        user.save()
        changes.note(f"user {user.username}: created")
    else:
        update_fields(user, user_values, changes, f"user {user.username}")
        if is_admin and not user.is_staff:
            update_fields(user, {"is_staff": True}, changes, f"user {user.username}")
    if is_admin and not user.groups.filter(pk=admins.pk).exists():
        user.groups.add(admins)
        changes.note(f"user {user.username}: may edit the course in the admin")
    if demo_password and user.email.endswith(DEMO_DOMAIN) and not user.check_password(demo_password):
        user.set_password(demo_password)
        user.save(update_fields=["password"])
        changes.note(f"user {user.username}: demo password set")
    upsert(Membership, {"user": user, "course": course}, {"role": person["role"], "order": person["order"]},
           changes, f"membership of {user.username}")


def course_admins_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COURSE_ADMINS_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=ADMIN_MODELS,
        content_type__model__in=[m for models in ADMIN_MODELS.values() for m in models],
    )
    missing = set(wanted.values_list("pk", flat=True)) - set(group.permissions.values_list("pk", flat=True))
    if missing:
        group.permissions.add(*missing)
    return group
