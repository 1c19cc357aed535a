"""Forms for a file staff upload, preview, then apply (a roster, a list of groups): the upload, bounded before it is
read, and the previewed file carried back through the confirmation page, checked again on the way in."""
from __future__ import annotations

import base64
import binascii

from django import forms


class PreviewedUploadForm(forms.Form):
    """The upload. Subclasses name the file (`what`, e.g. "a roster") and its largest size (`max_bytes`)."""

    what = "the file"
    max_bytes = 1_000_000
    file = forms.FileField()

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"The file is {upload.size:,} bytes; {self.what} is at most {self.max_bytes:,}.")
        return upload.read()


class PreviewedFileForm(forms.Form):
    """The previewed file, carried back in hidden fields to be applied."""

    max_bytes = 1_000_000
    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_content(self) -> bytes:
        try:
            data = base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError("The previewed file did not come back intact: upload it again.") from error
        if len(data) > self.max_bytes:
            raise forms.ValidationError("The previewed file is too large: upload it again.")
        return data

    @classmethod
    def carry(cls, data: bytes, filename: str, **fields: str) -> PreviewedFileForm:
        return cls(initial={"content": base64.b64encode(data).decode(), "filename": filename, **fields})
