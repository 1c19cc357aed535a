"""Factories for the course site's models: build() for unsaved objects, create() when the DB matters."""
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from coursesite.assignments.models import Assignment
from coursesite.courses.models import Course, GradingCategory
from coursesite.people.models import Membership, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"course-{n}")
    number = "10707"
    title = "Deep Learning"
    term = "Spring 2021"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=3))
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + timedelta(weeks=15))
    meeting_times = "MW 12:20-1:40 pm"
    location = "Zoom"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradingCategory
        django_get_or_create = ("course", "key")

    course = factory.SubFactory(CourseFactory)
    key = "assignments"
    name = "Assignments"
    weight = Decimal(45)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    role = Membership.Role.STUDENT


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A problem set released a week ago and due in a week."""

    class Meta:
        model = Assignment

    course = factory.SubFactory(CourseFactory)
    category = factory.LazyAttribute(lambda a: CategoryFactory(course=a.course))
    key = factory.Sequence(lambda n: f"ps{n}")
    title = factory.LazyAttribute(lambda a: f"Problem set {a.key}")
    kind = Assignment.Kind.PROBLEM_SET
    points = Decimal(100)
    release_at = factory.LazyFunction(lambda: timezone.now() - timedelta(weeks=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(weeks=1))

    class Params:
        coding = factory.Trait(
            kind=Assignment.Kind.CODING, key=factory.Sequence(lambda n: f"hw{n}-coding"),
            autograder_spec="hw1", required_files=["hw1.py", "README.md"],
        )
        exam = factory.Trait(
            kind=Assignment.Kind.EXAM, uses_grace_days=False, key=factory.Sequence(lambda n: f"midterm-{n}"),
            release_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2)),
            due_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )
        unreleased = factory.Trait(
            release_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=2)),
            due_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=16)),
        )


