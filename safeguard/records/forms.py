"""Forms for legal holds, disposal decisions and subject access review. Errors in plain words."""

from __future__ import annotations

from django import forms

REASON_MAX = 2000


class HoldForm(forms.Form):
    reason = forms.CharField(
        label="Why is this record held?",
        help_text="For example: a court case, an inquiry or a police investigation that may need it. Say who "
                  "asked for the hold.",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why this record is held"},
    )


class HoldLiftForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    lift_reason = forms.CharField(
        label="Why is the hold lifted?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the hold is lifted"},
    )


class DisposalSignForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed this record: it is past its retention period, no legal hold or open work "
              "needs it, and it can be disposed of",
        error_messages={"required": "Confirm you have reviewed the record before signing"},
    )


class DisposeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="Dispose of this record now. Its personal data is removed for good; a note of what was "
              "disposed of, when and under which rule is kept",
        error_messages={"required": "Confirm you want to dispose of the record now"},
    )


class RedactForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.CharField(widget=forms.HiddenInput, max_length=120)
    reason = forms.CharField(
        label="Why is this withheld?",
        help_text="For example: information about another person who has not agreed to it being shared",
        max_length=REASON_MAX,
        error_messages={"required": "Say why this is withheld"},
    )


class UnredactForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.CharField(widget=forms.HiddenInput, max_length=120)


class ReleaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reviewed = forms.BooleanField(
        label="I have reviewed every item marked for review and withheld what must not be released",
        error_messages={"required": "Confirm you have reviewed every item marked for review"},
    )


class ReviewWindowForm(forms.Form):
    days = forms.IntegerField(
        label="Due within (days)", min_value=0, max_value=3650, required=False,
        error_messages={"min_value": "Enter 0 days or more", "max_value": "Enter 3650 days or fewer",
                        "invalid": "Enter a whole number of days"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
