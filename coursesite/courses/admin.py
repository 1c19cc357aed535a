from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db import models

from coursesite.courses.models import Course, CoursePart, GradingCategory, SyllabusSection
from coursesite.grades.models import LetterCutoff
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


class LetterCutoffForm(forms.ModelForm):
    minimum = forms.DecimalField(min_value=0, max_value=100, max_digits=5, decimal_places=2,
                                 help_text="The lowest total, in percent, that earns this letter.")

    class Meta:
        model = LetterCutoff
        fields = ["letter", "minimum"]


class LetterCutoffFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        minimums = [
            f.cleaned_data["minimum"]
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("minimum") is not None
        ]
        repeated = sorted({m for m in minimums if minimums.count(m) > 1}, reverse=True)
        if repeated:
            raise forms.ValidationError(
                f"Two letters cannot start at the same total: {', '.join(f'{m.normalize():f}%' for m in repeated)}."
            )


class LetterCutoffInline(admin.TabularInline):
    """The lowest total (a percentage, as shown) that earns each letter; no rows, no letters."""

    model = LetterCutoff
    form = LetterCutoffForm
    formset = LetterCutoffFormSet
    extra = 0
    verbose_name = "letter-grade cutoff"


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
    inlines = [CategoryInline, LetterCutoffInline, SectionInline, PartInline]
    fieldsets = [
        (None, {"fields": ["slug", "number", "title", "term", "time_zone", "starts_on", "ends_on"]}),
        ("Logistics", {"fields": ["meeting_times", "location", "website", "previous_website",
                                  "qa_forum_name", "qa_forum_url", "contact"]}),
        ("Late policy", {"fields": ["grace_days_total", "max_grace_days_per_assignment"]}),
        ("Project", {"fields": ["project_group_size", "project_group_exceptions", "project_description"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser  # new courses come from a TOML file or a superuser
