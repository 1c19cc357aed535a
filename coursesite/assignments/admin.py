from django.contrib import admin

from coursesite.assignments.models import Assignment, Submission, SubmissionFile
from coursesite.assignments.services import assignment_save
from coursesite.audit.forms import ChangeReasonForm
from coursesite.people.scoping import CourseScopedAdmin


class AssignmentForm(ChangeReasonForm):
    # A moved due time changes every student's days late, hence their grace days and zeros;
    # a moved release time changes when work may be handed in.
    audited_fields = ("release_at", "due_at")

    class Meta:
        model = Assignment
        fields = "__all__"
        labels = {"release_at": "Release time", "due_at": "Due time"}


@admin.register(Assignment)
class AssignmentAdmin(CourseScopedAdmin):
    """Assignments of the course; a changed due or release time goes into the history with its reason."""

    form = AssignmentForm
    # The form shows every field, the group ones (group_size, students_form_groups, groups_lock_at) included.
    list_display = ("title", "course", "kind", "category", "points", "release_at", "due_at", "uses_grace_days",
                    "group_size")
    list_filter = ("course", "kind")
    # Releasing grades is done on the scores page, which records it and emails the students.
    readonly_fields = ("grades_released_at",)

    def save_model(self, request, obj, form, change):
        assignment_save(assignment=obj, old_times={name: form.initial.get(name) for name in form.audited_changes()},
                        by=request.user, why=form.reason)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category" and not request.user.is_superuser:
            from coursesite.people.scoping import courses_administered_by

            kwargs["queryset"] = db_field.related_model.objects.filter(course__in=courses_administered_by(request.user))
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
