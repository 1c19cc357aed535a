from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db import models

from coursesite.courses.models import Course, CoursePart, GradingCategory, SyllabusSection
from coursesite.people.scoping import CourseScopedAdmin


class CategoryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        weights = [
            f.cleaned_data.get("weight") or Decimal(0)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if weights and sum(weights) != 100:
            raise forms.ValidationError(f"The category weights must sum to exactly 100, not {sum(weights)}.")


class CategoryInline(admin.TabularInline):
    model = GradingCategory
    formset = CategoryFormSet
    extra = 0


class SectionInline(admin.StackedInline):
    model = SyllabusSection
    extra = 0


class PartInline(admin.StackedInline):
    model = CoursePart
    extra = 0


@admin.register(Course)
class CourseAdmin(CourseScopedAdmin):
    course_path = ""
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("number", "title", "term", "slug")
    inlines = [CategoryInline, SectionInline, PartInline]
    fieldsets = [
        (None, {"fields": ["slug", "number", "title", "term", "time_zone", "starts_on", "ends_on"]}),
        ("Logistics", {"fields": ["meeting_times", "location", "website", "previous_website",
                                  "qa_forum_name", "qa_forum_url", "contact"]}),
        ("Late policy", {"fields": ["grace_days_total", "max_grace_days_per_assignment"]}),
        ("Project", {"fields": ["project_group_size", "project_group_exceptions", "project_description"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser  # new courses come from a TOML file or a superuser
