from django import forms


class GraceDaysAddForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=30, label="Days to add")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        help_text="Recorded with the grant, e.g. the accommodation letter it follows.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the days are added.")
        return reason
