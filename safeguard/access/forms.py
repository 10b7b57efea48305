"""The "Record access" filter. Optional fields are marked "(optional)" by the form renderer."""

from typing import Any

from django import forms


class ChildAccessFilterForm(forms.Form):
    child = forms.IntegerField(
        label="Child record number", min_value=1, help_text="The number shown on the child's record, e.g. 1042",
        error_messages={"required": "Enter the child record number", "invalid": "Enter the record number as digits"},
    )
    user = forms.CharField(label="Username", required=False, max_length=150,
                           help_text="Only this person's accesses, for example tara_teacher")
    date_from = forms.DateField(label="From", required=False, help_text="For example, 27/3/2026",
                                error_messages={"invalid": "Enter the start date as day/month/year"})
    date_to = forms.DateField(label="To", required=False, help_text="For example, 31/3/2026",
                              error_messages={"invalid": "Enter the end date as day/month/year"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

