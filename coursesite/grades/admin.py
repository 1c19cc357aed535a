from django.contrib import admin

from coursesite.grades.models import Extension
from coursesite.people.scoping import CourseScopedAdmin


@admin.register(Extension)
class ExtensionAdmin(CourseScopedAdmin):
    course_path = "assignment__course"
    list_display = ("member", "assignment", "due_at", "granted_by", "granted_at")
    list_filter = ("assignment__course",)
