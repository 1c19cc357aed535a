"""Forms for regrades: a student's request, the staff's answer, and the queue's filters."""
from __future__ import annotations

from collections.abc import Sequence

from django import forms

from coursesite.assignments.models import Assignment
from coursesite.display import plain_number
from coursesite.regrades.models import RegradeRequest
from coursesite.regrades.parts import Part
from coursesite.regrades.selectors import QueueFilter

JUSTIFICATION_MAX_LENGTH = 5000


class RegradeRequestForm(forms.Form):
    part = forms.ChoiceField(
        label="What should be looked at again", widget=forms.RadioSelect,
        error_messages={"required": "Choose the part of the grade to regrade.",
                        "invalid_choice": "Choose one of the parts listed; %(value)s is not one of them."},
    )
    justification = forms.CharField(
        label="Why the grade is wrong", widget=forms.Textarea(attrs={"rows": 6}), max_length=JUSTIFICATION_MAX_LENGTH,
        help_text="Point to your answer and to the rubric, test or solution it was graded against.",
        error_messages={"required": "Say why you think the grade is wrong."},
    )

    def __init__(self, *args, parts: Sequence[Part], **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = {part.key: part for part in parts}
        self.fields["part"].choices = [(part.key, part.label) for part in parts]
        if len(parts) == 1:
            self.fields["part"].initial = parts[0].key

    def clean_part(self) -> Part:
        return self.parts[self.cleaned_data["part"]]


class RegradeAnswerForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("answer", "Answer: change the score (or keep it, with 0)"), ("decline", "Decline: the score stays")],
        widget=forms.RadioSelect, label="Decision",
        error_messages={"required": "Choose to answer or to decline the request."},
    )
    score_change = forms.DecimalField(
        required=False, max_digits=7, decimal_places=2, label="Change of score",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7, "autocomplete": "off"}),
        help_text="Points to add, or to take away with a minus sign (e.g. 2, -1.5, 0).",
        error_messages={"invalid": "The change of score must be a number, e.g. 2, -1.5 or 0."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Note to the student",
        error_messages={"required": "Write a note to the student."},
    )
    confirm_above_maximum = forms.BooleanField(required=False)

    def __init__(self, *args, regrade_request: RegradeRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.regrade_request = regrade_request
        assignment = regrade_request.assignment
        if regrade_request.question_id:
            del self.fields["confirm_above_maximum"]     # a question's score never goes above its points
        else:
            self.fields["confirm_above_maximum"].label = (
                f"Yes, the new score may be above the maximum of {plain_number(assignment.points)} points")

    def clean(self):
        cleaned = super().clean()
        missing = cleaned.get("score_change") is None and "score_change" not in self.errors
        if cleaned.get("action") == "answer" and missing:
            self.add_error("score_change", "Give the change of score (0 to keep it as it is).")
        return cleaned


def assignment_choices(assignments: Sequence[Assignment]) -> list[tuple[str, str]]:
    return [("", "All assignments")] + [(a.key, a.title) for a in assignments]


class QueueFilterForm(forms.Form):
    """GET filters of the queue: ?assignment=<key>&handler=<me|none|username>&status=<status>."""

    assignment = forms.ChoiceField(
        required=False, label="Assignment",
        error_messages={"invalid_choice": "There is no assignment “%(value)s” in this course."},
    )
    handler = forms.ChoiceField(
        required=False, label="Taken by",
        error_messages={"invalid_choice": "“%(value)s” is not a member of this course's staff; filter by me, "
                                          "none or a staff username."},
    )
    status = forms.ChoiceField(
        required=False, label="Status",
        choices=[("", "Waiting (open or taken)"), *RegradeRequest.Status.choices],
        error_messages={"invalid_choice": "“%(value)s” is not a status; use open, taken, answered or declined."},
    )

    def __init__(self, *args, assignments: Sequence[Assignment], staff_usernames: Sequence[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.assignments = {a.key: a for a in assignments}
        self.fields["assignment"].choices = assignment_choices(assignments)
        self.fields["handler"].choices = [("", "Anyone or no one"), ("me", "Me"), ("none", "No one yet")] + [
            (username, username) for username in staff_usernames if username not in {"me", "none"}]

    def chosen(self) -> QueueFilter:
        data = self.cleaned_data
        return QueueFilter(assignment=self.assignments.get(data["assignment"]), handler=data["handler"],
                           status=data["status"])
