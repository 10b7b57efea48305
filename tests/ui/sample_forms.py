"""A form with every kind of field, built from plain Django fields and widgets."""

from __future__ import annotations

from django import forms

from safeguard.ui.fields import GovukDateField

CONCERNS = [
    ("missing", "Goes missing"),
    ("older", "Spends time with older people"),
    ("gifts", "Has unexplained gifts or money"),
]


class SampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on official documents", max_length=100)
    email = forms.EmailField(label="Email address", required=False)
    agency_kind = forms.ChoiceField(
        label="Agency", choices=[("", "Choose an agency"), ("school", "School"), ("health", "Health")]
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("phone", "Phone")],
        widget=forms.RadioSelect,
    )
    concerns = forms.MultipleChoiceField(
        label="What are you worried about?",
        choices=CONCERNS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    summary = forms.CharField(label="Summary of the concern", widget=forms.Textarea, max_length=500)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    seen_on = forms.DateField(label="Date seen", required=False)
    date_of_birth = GovukDateField(label="Date of birth", when="past", help_text="For example, 27 3 2012")
    told_family = forms.BooleanField(label="I have told the family", required=False)
    reference = forms.CharField(widget=forms.HiddenInput, required=False)


VALID_DATA = {
    "name": "Alex Example",
    "agency_kind": "school",
    "contact": "email",
    "concerns": ["missing", "gifts"],
    "summary": "Seen getting into a car with an older man.",
    "date_of_birth_day": "14",
    "date_of_birth_month": "5",
    "date_of_birth_year": "2012",
}


class HeadingForm(forms.Form):
    """One question per page: the label is the page heading."""

    reason = forms.CharField(label="Why do you need to see this record?")
    choice = forms.ChoiceField(
        label="Which agency?", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].page_heading = True
        self.fields["choice"].label_size = "m"


class ClashForm(forms.Form):
    first = forms.CharField(label="First")
    second = forms.CharField(label="Second")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError("First and second must be different")
        return cleaned
