from django.contrib import admin

from coursesite.audit.models import AuditEntry
from coursesite.people.scoping import CourseScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(CourseScopedAdmin):
    """The history, to read: entries are only ever added, by the services that make the changes."""

    list_display = ("at", "kind", "subject", "old_value", "new_value", "who", "source", "why")
    list_filter = ("course", "kind")
    search_fields = ("subject", "why", "who__username", "source")
    date_hierarchy = "at"
    list_select_related = ("who",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
