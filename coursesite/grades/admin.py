from django.contrib import admin

from coursesite.grades import course_admin  # noqa: F401  (registers the Course admin)
from coursesite.grades.models import Extension, ExtensionRequest, GraceDayGrant, Score
from coursesite.people.scoping import CourseScopedAdmin


class ReadOnlyHistoryAdmin(CourseScopedAdmin):
    """Records written by the site's own pages (which record who and why): viewable, not editable here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyHistoryAdmin):
    """Granted on the extension requests page, which records the history and tells the student."""

    course_path = "assignment__course"
    list_display = ("member", "assignment", "due_at", "granted_by", "granted_at")
    list_filter = ("assignment__course",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyHistoryAdmin):
    course_path = "assignment__course"
    list_display = ("member", "assignment", "reason", "status", "requested_at", "decided_by")
    list_filter = ("assignment__course", "status", "reason")


@admin.register(GraceDayGrant)
class GraceDayGrantAdmin(ReadOnlyHistoryAdmin):
    course_path = "member__course"
    list_display = ("member", "days", "reason", "granted_by", "granted_at")
    list_filter = ("member__course",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyHistoryAdmin):
    course_path = "assignment__course"
    list_display = ("member", "assignment", "points", "entered_by", "entered_at")
    list_filter = ("assignment__course", "assignment")
