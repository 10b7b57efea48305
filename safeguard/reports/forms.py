from __future__ import annotations

from datetime import date, timedelta

from django import forms

from safeguard.ui.fields import GovukDateField

from .selectors.board import Period

MAX_PERIOD_DAYS = 3 * 366


def default_period(today: date) -> Period:
    """The year up to and including today."""
    try:
        first = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:
        first = date(today.year - 1, 3, 1)
    return Period(first, today)


class PeriodForm(forms.Form):
    """The period a board report covers. Without a period, the year up to today."""

    first = GovukDateField(label="From", when="today_or_past", help_text="For example, 1 4 2025")
    last = GovukDateField(label="To (included)", when="today_or_past", help_text="For example, 31 3 2026")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", "The end of the period must be on or after its start")
            elif (last - first).days > MAX_PERIOD_DAYS:
                self.add_error("last", "A report covers at most 3 years: choose a shorter period")
        return cleaned

    def period(self, today: date) -> Period:
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["first"], self.cleaned_data["last"])
        return default_period(today)


class TrainingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    team = forms.CharField(label="Team", max_length=100, required=False,
                           help_text="The team within the agency, so coverage can be seen team by team")
    awareness_completed_on = GovukDateField(
        label="CSE awareness course completed on", when="today_or_past", required=False,
        help_text="Leave blank if not completed. For example, 14 9 2025")
    multi_agency_completed_on = GovukDateField(
        label="Multi-agency one-day course completed on", when="today_or_past", required=False,
        help_text="Leave blank if not completed. For example, 14 9 2025")
