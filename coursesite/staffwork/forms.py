"""The staff dashboard's choice of the digest e-mail: a checkbox, so an unticked (absent) box means no digest."""
from __future__ import annotations

from django import forms


class DigestForm(forms.Form):
    wants_digest = forms.BooleanField(required=False,
                                      label="E-mail me a digest when requests wait for me (at most one an hour)")
