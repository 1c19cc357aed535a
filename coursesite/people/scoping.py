"""Admin pages scoped to the courses a user runs: instructors edit their own course only."""
from __future__ import annotations

from django.contrib import admin
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "course" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(id__in=courses_administered_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
