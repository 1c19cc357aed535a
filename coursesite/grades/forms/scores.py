"""Forms for staff-entered scores: one box per student (per group on group work), a CSV upload, and the release
button."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from coursesite.assignments.forms import NoFileDropped
from coursesite.assignments.models import Assignment
from coursesite.display import names_in_words, plain_number
from coursesite.grades.csvscores import ScoreFileRefused, parse_points, parse_score_csv
from coursesite.grades.models import Score
from coursesite.grades.services.group_scores import EnteredGroupPoints
from coursesite.people.models import Membership

MAX_CSV_BYTES = 1024 * 1024      # a score file for a few hundred students is a few kilobytes


@dataclass(frozen=True)
class EnteredPoints:
    """A score typed into the entry form (shaped like csvscores.ScoreLine for the service)."""

    member_id: int
    points: Decimal


def confirm_label(assignment: Assignment) -> str:
    return f"Yes, some scores are above the maximum of {plain_number(assignment.points)} points"


def students_by_identifier(students: Sequence[Membership]) -> dict[str, int]:
    """Usernames and lower-cased e-mail addresses -> member id; a username wins over an address."""
    identifiers = {m.user.email.lower(): m.id for m in students if m.user.email}
    identifiers.update({m.user.username: m.id for m in students})
    return identifiers


def _field_name(member: Membership) -> str:
    return f"score_{member.id}"


def show_refusal(form: forms.Form, refusal: ValidationError, field: str | None = None) -> None:
    """Put a service's refusal on the form: beside the confirmation box when confirming would lift it."""
    form.add_error("confirm_above_maximum" if refusal.code == "above_maximum" else field, refusal)


class ScoreEntryForm(forms.Form):
    """One box per student of the course; a blank box leaves that student's score as it is. The
    numbers' shape only: whether a score may be stored (above the maximum, ...) is scores_import's rule."""

    confirm_above_maximum = forms.BooleanField(required=False)
    reason = forms.CharField(
        required=False, max_length=500, label="Reason",
        help_text="Needed when a score overrides the autograder's or the rubric's; students see it beside the score.",
        widget=forms.TextInput(attrs={"size": 50}),
    )

    def __init__(self, *args, assignment: Assignment, students: Sequence[Membership],
                 scores: dict[int, Score], **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment, self.students, self.scores = assignment, students, scores
        self.fields["confirm_above_maximum"].label = confirm_label(assignment)
        for member in students:
            self.fields[_field_name(member)] = forms.CharField(
                required=False, max_length=20, label=f"Score for {member.user.display_name}",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7, "autocomplete": "off"}),
            )

    @property
    def rows(self) -> list[tuple[Membership, forms.BoundField, Score | None]]:
        return [(m, self[_field_name(m)], self.scores.get(m.id)) for m in self.students]

    def clean(self):
        cleaned = super().clean()
        if not self._read_boxes(cleaned) and not self.errors:
            raise ValidationError("Enter at least one score to save.", code="nothing")
        return cleaned

    def _read_boxes(self, cleaned: dict) -> bool:
        """Put the filled boxes in `cleaned` ("entries"); whether any box was filled."""
        cleaned["entries"] = [EnteredPoints(member_id, points) for member_id, points
                              in self._entered(cleaned, [(m.id, _field_name(m)) for m in self.students])]
        return bool(cleaned["entries"])

    def _entered(self, cleaned: dict, boxes: list[tuple[int, str]]) -> list[tuple[int, Decimal]]:
        """(id, points) of the filled `boxes` (id, field name); a box that is not a number gets its error."""
        entered = []
        for key, name in boxes:
            text = (cleaned.get(name) or "").strip()
            if not text:
                continue
            try:
                entered.append((key, parse_points(text)))
            except ValueError as error:
                self.add_error(name, f"{str(error)[0].upper()}{str(error)[1:]}.")
        return entered


@dataclass(frozen=True)
class GroupOnPage:
    """A group of the scores page: its id and its current students, by name."""

    id: int
    members: list[Membership]

    @property
    def names(self) -> str:
        return names_in_words([m.user.display_name for m in self.members])


def _group_field_name(group: GroupOnPage) -> str:
    return f"group_{group.id}"


class GroupScoreEntryForm(ScoreEntryForm):
    """The entry form of group work: ONE box per group, whose score every member gets (group_scores_enter), then
    one box per student without a group (`students`), as on individual work. A blank box changes nothing."""

    def __init__(self, *args, groups: Sequence[GroupOnPage], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for group in groups:
            self.fields[_group_field_name(group)] = forms.CharField(
                required=False, max_length=20, label=f"Group score for {group.names}",
                # Every group's box is labelled "Group score" on the page: screen readers hear whose it is.
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7, "autocomplete": "off",
                                              "aria-label": f"Group score for {group.names}"}),
            )

    @property
    def group_rows(self) -> list[tuple[GroupOnPage, forms.BoundField, list[tuple[Membership, Score | None]]]]:
        return [(g, self[_group_field_name(g)], [(m, self.scores.get(m.id)) for m in g.members]) for g in self.groups]

    def _read_boxes(self, cleaned: dict) -> bool:
        """The groups' boxes too ("group_entries")."""
        students = super()._read_boxes(cleaned)
        cleaned["group_entries"] = [
            EnteredGroupPoints(group_id, points) for group_id, points
            in self._entered(cleaned, [(g.id, _group_field_name(g)) for g in self.groups])]
        return students or bool(cleaned["group_entries"])


class ScoreUploadForm(NoFileDropped, forms.Form):
    """A CSV file of scores: student (username or e-mail), score; checked whole before anything is saved."""

    file = forms.FileField(label="CSV file", error_messages={
        "required": "Choose a CSV file to upload (columns: student, score).",
        "empty": "The file is empty.",
    })
    confirm_above_maximum = forms.BooleanField(required=False)
    reason = forms.CharField(
        required=False, max_length=500, label="Reason",
        help_text="Needed when a score overrides the autograder's or the rubric's; students see it beside the score.",
        widget=forms.TextInput(attrs={"size": 50}),
    )

    def __init__(self, *args, assignment: Assignment, students: Sequence[Membership], **kwargs):
        kwargs.setdefault("auto_id", "upload_%s")       # the entry form on the same page has a checkbox too
        super().__init__(*args, **kwargs)
        self.assignment, self.students = assignment, students
        self.fields["confirm_above_maximum"].label = confirm_label(assignment)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_CSV_BYTES:
            self.add_error("file", f"The file is {upload.size // 1024} KB; a score file can be at most 1 MB.")
            return cleaned
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error("file", "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
            return cleaned
        try:
            cleaned["rows"] = parse_score_csv(
                text, students_by_identifier(self.students), self.assignment.points,
                above_maximum_confirmed=bool(cleaned.get("confirm_above_maximum")),
            )
        except ScoreFileRefused as refusal:
            problems = list(refusal.problems)
            if problems[0].startswith("line "):
                problems.insert(0, "Nothing was saved. Fix these lines and upload the file again:")
            if refusal.above_maximum:
                problems.append(f"If the scores above the maximum are right, tick “{confirm_label(self.assignment)}” "
                                f"and upload the file again.")
            self.add_error("file", ValidationError([ValidationError(p, code="refused") for p in problems]))
        return cleaned


class ScoreAdjustForm(forms.Form):
    """One group member's adjustment of their share of the group's score: signed points and why."""

    adjustment = forms.DecimalField(
        max_digits=7, decimal_places=2, label="Adjustment",
        help_text="Points added to this student's share of the group's score; negative to take points; 0 removes it.",
        widget=forms.NumberInput(attrs={"step": "0.01", "size": 6}))
    adjustment_reason = forms.CharField(
        max_length=500, label="Why", help_text="The student sees it beside their score.",
        widget=forms.TextInput(attrs={"size": 30}))


class ReleaseForm(forms.Form):
    """The release decision: sent from the confirmation page (`confirmed`), with the tick a release before
    the due time needs; or `take_back`, which hides released grades again (e.g. the wrong assignment was released)."""

    take_back = forms.BooleanField(required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    before_due = forms.BooleanField(required=False, label="Yes, release before the due time")
