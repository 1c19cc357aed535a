"""The Course admin: a course and its grading configuration; changes of budgets and weights go through
grades.services.course, which records them in the history."""
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db import models

from coursesite.audit.forms import ChangeReasonForm, reason_missing
from coursesite.courses.models import Course, CoursePart, GradingCategory, SyllabusSection
from coursesite.display import plain_number
from coursesite.grades.models import LetterCutoff
from coursesite.grades.services.course import category_weights_save, course_save
from coursesite.grades.weighting import weights_off_total
from coursesite.people.scoping import CourseScopedAdmin


class CategoryFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, change_reason: str = "", **kwargs):
        # The course form's "Reason for this change", as posted (CourseAdmin.get_formset_kwargs):
        # a weight changes every student's total, so it needs a reason like the budget does.
        self.change_reason = change_reason.strip()
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        weights = [
            f.cleaned_data.get("weight") or Decimal(0)
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        total = weights_off_total(weights) if weights else None
        if total is not None:
            raise forms.ValidationError(f"The category weights must sum to exactly 100, not {total}.")
        if self.weights_changed() and not self.change_reason:
            raise forms.ValidationError(reason_missing("a category weight"))

    def weights_changed(self) -> bool:
        """Whether a saved course's weights change: a weight edited, a category added or removed."""
        if self.instance.pk is None:
            return False
        for form in self.forms:
            if form.instance.pk is None:
                if form.has_changed() and not self._should_delete_form(form):
                    return True
            elif self._should_delete_form(form) or "weight" in form.changed_data:
                return True
        return False


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
                f"Two letters cannot start at the same total: {', '.join(f'{plain_number(m)}%' for m in repeated)}."
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


class CourseForm(ChangeReasonForm):
    audited_fields = ("grace_days_total", "max_grace_days_per_assignment")

    class Meta:
        model = Course
        fields = []                 # the admin sets the fields (fieldsets below)
        labels = {"grace_days_total": "Grace days per student",
                  "max_grace_days_per_assignment": "Most grace days on one assignment"}


@admin.register(Course)
class CourseAdmin(CourseScopedAdmin):
    """The course and its configuration. Changes of weights and of the grace-day budget go into the history."""

    course_path = ""
    form = CourseForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("number", "title", "term", "slug")
    inlines = [CategoryInline, LetterCutoffInline, SectionInline, PartInline]
    fieldsets = [
        (None, {"fields": ["slug", "number", "title", "term", "time_zone", "starts_on", "ends_on"]}),
        ("Logistics", {"fields": ["meeting_times", "location", "website", "previous_website",
                                  "qa_forum_name", "qa_forum_url", "contact"]}),
        ("Late policy", {"fields": ["grace_days_total", "max_grace_days_per_assignment"]}),
        ("Project", {"fields": ["project_group_size", "project_group_exceptions", "project_description"]}),
        ("Regrades", {"fields": ["regrade_window_days"]}),
        ("History", {"fields": ["change_reason"]}),
    ]

    def has_add_permission(self, request):
        return request.user.is_superuser  # new courses come from a TOML file or a superuser

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CategoryInline) and request.method == "POST":
            kwargs["change_reason"] = request.POST.get("change_reason", "")
        return kwargs

    def save_model(self, request, obj, form, change):
        course_save(course=obj, old_budgets={name: form.initial.get(name) for name in form.audited_changes()},
                    by=request.user, why=form.reason)

    def save_formset(self, request, form, formset, change):
        if formset.model is not GradingCategory:
            return super().save_formset(request, form, formset, change)
        def save() -> None:
            super(CourseAdmin, self).save_formset(request, form, formset, change)

        category_weights_save(course=form.instance, save=save, deleted=[f.instance for f in formset.deleted_forms],
                              by=request.user, why=form.reason)
