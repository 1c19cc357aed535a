"""The forms of the case pages: they check the input's shape; the services decide what is allowed."""
from __future__ import annotations

import re

from django import forms

from coursesite.integrity.models import Case


class CaseOpenForm(forms.Form):
    students = forms.CharField(
        label="Students (Andrew IDs)", max_length=200,
        help_text="One Andrew ID, or two for a pair, separated by a space or a comma.")
    assignment = forms.ModelChoiceField(queryset=None, required=False, empty_label="The course as a whole",
                                        label="About")
    evidence = forms.CharField(label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 10}),
                               help_text="What made you open the case. Staff only: students never see it.")

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["assignment"].queryset = course.assignments.all()

    def clean_students(self) -> list:
        names = [name for name in re.split(r"[\s,]+", self.cleaned_data["students"].strip().lower()) if name]
        if not 1 <= len(names) <= 2:
            raise forms.ValidationError(f"Give one Andrew ID, or two for a pair, not {len(names)}.")
        found = {m.user.username.lower(): m for m in
                 self.course.memberships.students().filter(user__username__in=names).select_related("user")}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise forms.ValidationError(f"No student of this course has the Andrew ID {', '.join(unknown)}.")
        return [found[name] for name in names]


class CaseNoteForm(forms.Form):
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "The note is empty: write what happened or what you found."})


class CaseDecideForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=Case.Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The students read this once you tell them; never name the other student.",
        error_messages={"required": "Say why you decided this: the students read the reason once you tell them."})
    penalty_points = forms.DecimalField(label="Penalty (points off each student's score)", required=False,
                                        min_value=0, max_digits=7, decimal_places=2)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Case.Decision.PENALTY and data.get("penalty_points") is None:
            self.add_error("penalty_points", "A score penalty needs the number of points to take off.")
        return data
