from django.contrib import admin

from coursesite.assignments.models import Assignment, Submission, SubmissionFile
from coursesite.people.scoping import CourseScopedAdmin


@admin.register(Assignment)
class AssignmentAdmin(CourseScopedAdmin):
    list_display = ("title", "course", "kind", "category", "points", "release_at", "due_at", "uses_grace_days")
    list_filter = ("course", "kind")
    # Releasing grades is done on the scores page, which records it and emails the students.
    readonly_fields = ("grades_released_at",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category" and not request.user.is_superuser:
            from coursesite.courses.models import GradingCategory
            from coursesite.people.scoping import courses_administered_by

            kwargs["queryset"] = GradingCategory.objects.filter(course__in=courses_administered_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    can_delete = False
    readonly_fields = ("name", "file", "size", "sha256")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(CourseScopedAdmin):
    """Read-only: submissions are written by the upload service, never edited by hand."""

    course_path = "assignment__course"
    list_display = ("assignment", "member", "submitted_at", "is_active")
    list_filter = ("assignment__course", "assignment")
    readonly_fields = ("assignment", "member", "submitted_at", "is_active", "sha256")
    inlines = [SubmissionFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
