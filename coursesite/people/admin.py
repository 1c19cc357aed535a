from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from coursesite.people.models import Membership, User
from coursesite.people.scoping import CourseScopedAdmin


@admin.register(User)
class CourseUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff")


@admin.register(Membership)
class MembershipAdmin(CourseScopedAdmin):
    list_display = ("user", "course", "role", "section", "dropped_at", "order")
    list_filter = ("course", "role", "section", ("dropped_at", admin.EmptyFieldListFilter))
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
