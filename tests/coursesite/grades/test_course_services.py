"""The writers the Course admin calls: a budget or a weight changes with a reason, in the history."""
from decimal import Decimal

import pytest

from coursesite.audit.models import AuditEntry
from coursesite.courses.models import GradingCategory
from coursesite.grades.services.course import category_weights_save, course_save
from tests.factories import CategoryFactory, CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries(kind):
    return [(e.subject, e.old_value, e.new_value, e.why) for e in AuditEntry.objects.filter(kind=kind).order_by("id")]


def test_a_changed_budget_is_saved_with_its_old_and_new_value_and_reason():
    course, by = CourseFactory(grace_days_total=7), UserFactory()
    course.grace_days_total = 9
    course_save(course=course, old_budgets={"grace_days_total": 7}, by=by, why="two snow days")
    course.refresh_from_db()
    assert course.grace_days_total == 9
    assert entries(AuditEntry.Kind.GRACE_DAYS) == [("every student's budget", "7", "9", "two snow days")]


def test_a_budget_change_without_a_reason_is_refused_and_not_saved():
    course, by = CourseFactory(grace_days_total=7), UserFactory()
    course.grace_days_total = 9
    with pytest.raises(ValueError, match="Say why the grace-day budget changes."):
        course_save(course=course, old_budgets={"grace_days_total": 7}, by=by, why=" ")
    course.refresh_from_db()
    assert course.grace_days_total == 7 and not AuditEntry.objects.exists()


def test_a_deleted_category_is_recorded_before_it_goes_and_a_moved_weight_after():
    exams = CategoryFactory(key="exams", name="Exams", weight=Decimal(55))
    course, by = exams.course, UserFactory()
    homework = CategoryFactory(course=course, key="assignments", weight=Decimal(45))

    def save():
        homework.delete()
        GradingCategory.objects.filter(pk=exams.pk).update(weight=Decimal(100))

    category_weights_save(course=course, save=save, deleted=[homework], by=by, why="one exam only")
    assert entries(AuditEntry.Kind.WEIGHT) == [
        ("category Assignments (assignments)", "45", "", "one exam only"),
        ("category Exams (exams)", "55", "100", "one exam only"),
    ]
