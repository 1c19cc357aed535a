"""Admin pages scoped to the courses a user runs: instructors edit their own course only."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import QuerySet

from coursesite.people.models import Membership


def courses_administered_by(user) -> QuerySet:
    return Membership.objects.filter(user=user, role__in=Membership.ADMIN_ROLES).values("course_id")


class CourseScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; an instructor or education associate sees their courses' rows."""

    course_path = "course"  # the lookup from this model to its Course

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        lookup = "id__in" if self.course_path == "" else f"{self.course_path}__in"
        return queryset.filter(**{lookup: courses_administered_by(request.user)})

    def get_list_filter(self, request):
        """Filters on a relation (course, assignment) offer only this user's courses' rows."""
        return tuple(
            (entry, CourseScopedRelatedFilter)
            if isinstance(entry, str) and get_fields_from_path(self.model, entry)[-1].is_relation else entry
            for entry in super().get_list_filter(request)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "course" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(id__in=courses_administered_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CourseScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter on a course, or on something of a course (an assignment), that offers a staff
    member only their own courses' choices; superusers see all. CourseScopedAdmin uses it for every
    related field of its list_filter, so no admin can list other courses' names by filtering."""

    def field_choices(self, field, request, model_admin):
        if request.user.is_superuser:
            return super().field_choices(field, request, model_admin)
        related = field.related_model
        mine = courses_administered_by(request.user)
        if related._meta.label == "courses.Course":    # by label: people sits below courses (pyproject.toml)
            choices = related._default_manager.filter(id__in=mine)
        elif any(f.name == "course" for f in related._meta.get_fields()):
            choices = related._default_manager.filter(course__in=mine)
        else:
            choices = related._default_manager.none()
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [(obj.pk, str(obj)) for obj in choices.order_by(*ordering)]
