"""Forms for extensions: a student's request (with an optional document) and the staff's decision."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from coursesite.assignments.forms import NoFileDropped
from coursesite.assignments.models import Assignment
from coursesite.assignments.uploads import PDF_MAGIC, pdf_problem
from coursesite.display import in_course_time
from coursesite.grades.models import ExtensionRequest
from coursesite.grades.services.extensions import extension_group_of

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# What a document may be, told by its first bytes, whatever its name says.
DOCUMENT_KINDS = (
    (PDF_MAGIC, "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
CONTENT_TYPES = {suffix: content_type for _, suffix, content_type in DOCUMENT_KINDS}


@dataclass(frozen=True)
class CheckedDocument:
    """A document whose content was checked: a PDF, PNG or JPEG within the size limit."""

    name: str          # a safe file name ending in the suffix of its real type
    content: bytes


def check_document(upload: UploadedFile) -> CheckedDocument:
    """The upload as a CheckedDocument; forms.ValidationError with the reason otherwise."""
    shown = f"“{upload.name}”"  # Django's upload handler keeps only the base name
    if upload.size is not None and upload.size > DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(f"{shown} is larger than 10 MB, the limit for a document.", code="too_large")
    upload.seek(0)
    content = upload.read(DOCUMENT_MAX_BYTES + 1)
    if len(content) > DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(f"{shown} is larger than 10 MB, the limit for a document.", code="too_large")
    if not content:
        raise forms.ValidationError(f"{shown} is empty.", code="empty")
    suffix = next((suffix for magic, suffix, _ in DOCUMENT_KINDS if content.startswith(magic)), None)
    if suffix is None:
        raise forms.ValidationError(
            f"{shown} is not a PDF, PNG or JPEG file. Scan or photograph the document and upload that.",
            code="wrong_type",
        )
    problem = pdf_problem(content, shown, name_the_error=False) if suffix == "pdf" else None
    if problem:
        raise forms.ValidationError(problem)
    return CheckedDocument(name=document_name(upload.name, suffix), content=content)


def document_name(name: str, suffix: str) -> str:
    """A storage-safe name: the original stem, cleaned, with the suffix of the real content type."""
    stem = PurePosixPath(name.replace("\\", "/")).stem
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80]
    return f"{stem or 'document'}.{suffix}"


class ExtensionRequestForm(NoFileDropped, forms.Form):
    reason = forms.ChoiceField(
        choices=ExtensionRequest.Reason.choices, widget=forms.RadioSelect, label="Reason",
        error_messages={"required": "Choose the reason for the request."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="Note",
        help_text="What happened and how long it kept you from the work.",
        error_messages={"required": "Write a note saying what happened."},
    )
    document = forms.FileField(
        required=False, label="Document (optional)",
        help_text="A doctor's note or a letter: one PDF, PNG or JPEG file, at most 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"}),
    )

    def clean_document(self) -> CheckedDocument | None:
        upload = self.cleaned_data.get("document")
        return check_document(upload) if upload else None


class CourseTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CourseTimeField(forms.DateTimeField):
    """A date and time read and shown in the course's time zone, whatever the server's is."""

    widget = CourseTimeInput

    def __init__(self, *, tz: ZoneInfo, **kwargs):
        super().__init__(**kwargs)
        self.tz = tz

    def prepare_value(self, value):
        with timezone.override(self.tz):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(self.tz):
            return super().to_python(value)


class ExtensionDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("grant", "Grant"), ("decline", "Decline")], widget=forms.RadioSelect, label="Decision",
        error_messages={"required": "Choose to grant or to decline the request."},
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note to the student",
        help_text="Required when declining.",
    )

    def __init__(self, *args, extension_request: ExtensionRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.extension_request = extension_request
        assignment = extension_request.assignment
        tz = assignment.course.tz
        self.fields["due_at"] = CourseTimeField(
            tz=tz, required=False, label=f"New due time ({tz.key})",
            help_text=f"The class's due time is {in_course_time(assignment.due_at, assignment.course)}.",
            initial=suggested_due_time(assignment),
        )
        # Group work: the same due time may go to the whole group (one Extension per member), or to the requester only.
        others = extension_group_of(extension_request)
        if others:
            names = ", ".join(m.user.display_name for m in [extension_request.member, *others])
            self.fields["whole_group"] = forms.BooleanField(
                required=False, label=f"Grant the same due time to the whole group: {names}",
                help_text="Unticked: only the student who asked gets the new due time.")
        self.order_fields(["action", "due_at", "whole_group", "note"])

    def clean(self):
        """The shape of a decision only: a grant comes with a due time. Whether the request may still be
        decided, the due time is late enough and a decline says why are the services' rules
        (extension_grant, extension_decline), shown on the field they are about."""
        cleaned = super().clean()
        action, due_at = cleaned.get("action"), cleaned.get("due_at")
        if action == "grant" and due_at is None and "due_at" not in self.errors:
            self.add_error("due_at", "Give the new due time to grant the extension.")
        return cleaned


def suggested_due_time(assignment: Assignment) -> datetime:
    """The class's due time plus two days, on the course's wall clock (so 23:59 stays 23:59 across DST)."""
    return timezone.localtime(assignment.due_at, assignment.course.tz) + timedelta(days=2)

