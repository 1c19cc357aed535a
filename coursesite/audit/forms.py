"""The reason a change that moves grades must carry, on the admin's forms.

A due time, a grace-day budget or a category weight changed in the admin changes grades of every
student at once, so the form asks why, and refuses the change without an answer; the admin then
records the old and new values with that reason (audit.services.audit_record).
"""
from __future__ import annotations

from django import forms

REASON_LABEL = "Reason for this change"


def reason_missing(what: str) -> str:
    """The refusal when `what` (e.g. "the due time") changed without a reason."""
    return (f"Give a reason for this change: {what} changed, which changes students' grades, "
            "and the reason is kept in the history with the old and the new value.")


def names(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


class ChangeReasonForm(forms.ModelForm):
    """A model form whose changes of `audited_fields` must say why.

    The reason is only demanded when one of those fields changed on an existing row: creating a
    row, or editing anything else, is not a change of a grade.
    """

    audited_fields: tuple[str, ...] = ()

    change_reason = forms.CharField(
        required=False, max_length=2000, label=REASON_LABEL, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Required when you change a value that moves grades; kept in the history with the change.",
    )

    def audited_changes(self) -> list[str]:
        """The audited fields this form changes (none when it creates the row)."""
        if self.instance.pk is None:
            return []
        return [name for name in self.audited_fields if name in self.fields and name in self.changed_data]

    @property
    def reason(self) -> str:
        return (self.cleaned_data.get("change_reason") or "").strip()

    def clean(self):
        cleaned = super().clean()
        changed = self.audited_changes()
        if changed and not (cleaned.get("change_reason") or "").strip():
            labels = [f"the {str(self.fields[name].label).lower()}" for name in changed]
            self.add_error("change_reason", reason_missing(names(labels)))
        return cleaned
