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


class NoFileDropped:
    """For forms that take files: refuse, on the form and before anything is stored, every file the
    form would otherwise drop without a word: a second file under a one-file field (Django keeps
    only the last) and a file under a name the form has no file field for."""

    def clean(self):
        cleaned = super().clean()
        strays = []
        for name in self.files:
            uploads = self.files.getlist(name)
            field = self.fields.get(name)
            if not isinstance(field, forms.FileField):
                strays += [upload.name for upload in uploads]
            elif len(uploads) > 1 and not field.widget.allow_multiple_selected:
                self.add_error(name, forms.ValidationError(
                    f"Only one file is taken here, but {len(uploads)} were sent "
                    f"({', '.join(upload.name for upload in uploads)}). Nothing was stored; choose one file.",
                    code="several-files"))
        if strays:
            self.add_error(None, forms.ValidationError(
                f"Extra file(s) not part of this form were sent: {', '.join(sorted(strays))}. "
                "Nothing was stored; choose your files in the form's file field and submit again.",
                code="stray-files"))
        return cleaned


class SubmissionUploadForm(NoFileDropped, forms.Form):
    files = MultipleFileField(required=False, label="Files")
    # The days late the page showed; if the server's clock says otherwise at submit time,
    # the student sees the new figure and confirms again.
    acknowledged_days_late = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0, required=False)

    def __init__(self, *args, assignment: Assignment, refused: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.refused = refused      # the files were stopped while they arrived (coursesite.bodylimits)
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

    def clean_files(self) -> CheckedUpload:
        if self.refused:
            raise forms.ValidationError(self.refused, code="too-large")
        uploads = self.cleaned_data.get("files") or []
        limits = UploadLimits.from_settings()
        try:
            if self.assignment.kind == Assignment.Kind.CODING:
                return check_code_upload(uploads, self.assignment.required_files, limits)
            return check_pdf_upload(uploads, limits)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal


class GradedSubmissionForm(forms.Form):
    """Choosing the graded submission: staff say why (kept in the history); a student just asks."""

    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             label="Why the graded submission changes")

    def __init__(self, *args, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = staff
        self.fields["reason"].error_messages["required"] = (
            "Say why the graded submission changes: the reason is kept in the history.")
