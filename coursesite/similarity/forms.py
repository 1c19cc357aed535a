"""The archive forms of the similarity page: they check the input's shape; reading the zip is
similarity.archive's and what may be added is the services'."""
from __future__ import annotations

from django import forms
from django.conf import settings

from coursesite.assignments.uploads import UploadRefused, read_bounded


class ArchiveUploadForm(forms.Form):
    term = forms.CharField(label="Term", max_length=60, help_text='The term these submissions come from, e.g. '
                           '"Spring 2020".', error_messages={"required": 'Name the term these submissions come '
                                                             'from, e.g. "Spring 2020".'})
    archive = forms.FileField(label="Zip of the submissions", help_text="One folder per submission, holding its .py "
                              "files and README (for example alice/hw1.py and alice/README.md).",
                              error_messages={"required": "Choose the zip of that term's submissions.",
                                              "empty": "This file is empty: choose the zip of that term's "
                                                       "submissions."})

    def __init__(self, *args, refused: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused      # the upload was stopped before it was read (coursesite.bodylimits)
        if refused:
            self.fields["archive"].required = False     # say why it is missing, not that it is

    def clean_archive(self) -> bytes | None:
        """The zip's bytes, at most SIMILARITY_ARCHIVE_MAX_BYTES (the body limit stopped anything far larger)."""
        upload = self.cleaned_data.get("archive")
        if not upload:
            return None
        try:
            return read_bounded(upload, settings.SIMILARITY_ARCHIVE_MAX_BYTES, "This zip")
        except UploadRefused as refusal:
            raise forms.ValidationError(f"{refusal} Nothing was stored.") from None

    def clean(self):
        if self.refused:
            raise forms.ValidationError(self.refused)
        return super().clean()


class ArchiveRemoveForm(forms.Form):
    term = forms.CharField(max_length=60)
