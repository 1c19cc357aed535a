from django import forms

from coursesite.people.roster import MAX_BYTES
from coursesite.previewedfile import PreviewedFileForm, PreviewedUploadForm


class RosterUploadForm(PreviewedUploadForm):
    what, max_bytes = "a roster", MAX_BYTES
    file = forms.FileField(label="Roster CSV", help_text="As the registrar exports it: Andrew ID, First Name, "
                           "Last Name, Email, Section (Excel's CSV too).")


class RosterConfirmForm(PreviewedFileForm):
    """The previewed file, carried back with the fingerprint of what the preview showed."""

    max_bytes = MAX_BYTES
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
