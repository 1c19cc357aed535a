"""The upload form: checks the files' shape; the service decides whether the assignment is open."""
from __future__ import annotations

from django import forms

from coursesite.assignments.models import Assignment
from coursesite.assignments.uploads import (
    CheckedUpload,
    UploadLimits,
    UploadRefused,
    check_code_upload,
    check_pdf_upload,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented recipe for a field taking several files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class SubmissionUploadForm(forms.Form):
    files = MultipleFileField(required=False, label="Files")
    # The days late the page showed; if the server's clock says otherwise at submit time,
    # the student sees the new figure and confirms again.
    acknowledged_days_late = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0, required=False)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        if assignment.kind == Assignment.Kind.CODING:
            self.fields["files"].help_text = (
                f"Your files ({', '.join(assignment.required_files)}), or one .zip file holding them."
            )
            self.fields["files"].widget.attrs["accept"] = ".py,.md,.txt,.zip"
        else:
            # The page offers one file, but the widget still reads every file posted under
            # this name: a browser or script that sends two must be refused, not have all
            # but the last silently dropped (what `files.get` would do).
            self.fields["files"].widget.attrs.pop("multiple", None)
            self.fields["files"].label = "PDF write-up"
            self.fields["files"].help_text = "One PDF file, typeset in LaTeX."
            self.fields["files"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean(self):
        cleaned = super().clean()
        # A file posted under any other name would never be stored; say so instead of
        # accepting the rest as though it were the whole hand-in.
        strays = sorted(
            upload.name for name in self.files if name not in self.fields for upload in self.files.getlist(name)
        )
        if strays:
            raise forms.ValidationError(
                f"Extra file(s) not part of this form were sent: {', '.join(strays)}. "
                "Nothing was stored; choose all your files in the one file field and submit again.",
                code="stray-files",
            )
        return cleaned

    def clean_files(self) -> CheckedUpload:
        uploads = self.cleaned_data.get("files") or []
        limits = UploadLimits.from_settings()
        try:
            if self.assignment.kind == Assignment.Kind.CODING:
                return check_code_upload(uploads, self.assignment.required_files, limits)
            return check_pdf_upload(uploads, limits)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal
