"""Forms of the group pages: they check the input's shape and find the students named; the services decide."""
from __future__ import annotations

import re

from django import forms

from coursesite.assignments.groupsfile import MAX_BYTES
from coursesite.people.models import Membership
from coursesite.previewedfile import PreviewedFileForm, PreviewedUploadForm

ANDREW_DOMAIN = "@andrew.cmu.edu"


def find_students(course, text: str) -> tuple[list[Membership], list[str]]:
    """The course's students named in `text` (Andrew IDs or e-mail addresses, separated by commas or spaces),
    and the names that match no student."""
    wanted = [w.lower() for w in re.split(r"[\s,;]+", text) if w.strip()]
    students = Membership.objects.filter(course=course).students(include_dropped=True).select_related("user")
    by_name = {m.user.username.lower(): m for m in students}
    by_email = {m.user.email.lower(): m for m in students if m.user.email}
    found, unknown = [], []
    for name in wanted:
        # An Andrew address names the Andrew ID even when the account's e-mail is another one.
        andrew_id = name.removesuffix(ANDREW_DOMAIN) if name.endswith(ANDREW_DOMAIN) else None
        member = by_name.get(name) or by_email.get(name) or by_name.get(andrew_id)
        if member is None:
            unknown.append(name)
        elif member not in found:
            found.append(member)
    return found, unknown


class StudentsField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Andrew IDs or e-mail addresses, separated by commas.")
        super().__init__(**kwargs)


class CourseForm(forms.Form):
    """A form that looks students up in one course."""

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    def students(self, field: str, required: bool = True) -> list[Membership]:
        found, unknown = find_students(self.course, self.cleaned_data.get(field, ""))
        if unknown:
            raise forms.ValidationError(f"No student of this course is called {', '.join(unknown)}.")
        if required and not found:
            raise forms.ValidationError("Name at least one student.")
        return found


class InviteForm(CourseForm):
    classmate = forms.CharField(label="Classmate", max_length=254,
                                help_text="Their Andrew ID or Andrew e-mail address, e.g. bovik or bovik@andrew.cmu.edu.")

    def clean_classmate(self) -> Membership:
        found = self.students("classmate")
        if len(found) != 1:
            raise forms.ValidationError("Invite one classmate at a time.")
        return found[0]


class SizeRequestForm(forms.Form):
    note = forms.CharField(label="Why your group needs another size", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)


class GroupFormForm(CourseForm):
    members = StudentsField(label="Students")
    note = forms.CharField(label="Why this size is allowed", required=False, max_length=2000,
                           help_text="Needed only for a group of another size than the assignment's.")

    def clean_members(self) -> list[Membership]:
        return self.students("members")


class GroupChangeForm(CourseForm):
    add = StudentsField(label="Add", required=False)
    remove = StudentsField(label="Remove", required=False)
    why = forms.CharField(label="Why", max_length=2000)

    def clean_add(self) -> list[Membership]:
        return self.students("add", required=False)

    def clean_remove(self) -> list[Membership]:
        return self.students("remove", required=False)


class ReasonForm(forms.Form):
    why = forms.CharField(label="Why", max_length=2000)


class ApproveSizeForm(forms.Form):
    size = forms.IntegerField(label="Size", min_value=1, required=False,
                              help_text="Empty: the group's present size.")
    note = forms.CharField(label="Why this size is allowed", max_length=2000)


class GroupsUploadForm(PreviewedUploadForm):
    what, max_bytes = "a groups file", MAX_BYTES
    file = forms.FileField(label="Groups CSV", help_text="One line per student: group,username (the group a label "
                                                         "of your choice), with that header line.")


class GroupsConfirmForm(PreviewedFileForm):
    """The previewed file, carried back to be applied (checked again, all or nothing)."""

    max_bytes = MAX_BYTES
