import base64
import binascii

from django import forms

from coursesite.people.roster import MAX_BYTES


class RosterUploadForm(forms.Form):
    file = forms.FileField(label="Roster CSV", help_text="As the registrar exports it: Andrew ID, First Name, "
                           "Last Name, Email, Section (Excel's CSV too).")

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is {upload.size:,} bytes; a roster is at most {MAX_BYTES:,}.")
        return upload.read()


class RosterConfirmForm(forms.Form):
    """The previewed file, carried back with the fingerprint of what the preview showed."""

    content = forms.CharField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_content(self) -> bytes:
        try:
            data = base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError("The previewed file did not come back intact: upload it again.") from error
        if len(data) > MAX_BYTES:
            raise forms.ValidationError("The previewed file is too large: upload it again.")
        return data

    @staticmethod
    def carry(data: bytes, token: str, filename: str) -> "RosterConfirmForm":
        return RosterConfirmForm(initial={"content": base64.b64encode(data).decode(), "token": token,
                                          "filename": filename})
