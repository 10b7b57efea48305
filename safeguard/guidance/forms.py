from __future__ import annotations

from django import forms

from safeguard.language.forms import LanguageCheckMixin

from .models import Resource


class ResourceForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("description",)

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the name"})
    category = forms.ChoiceField(label="Section of the directory", choices=Resource.Category.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select the section of the directory"})
    description = forms.CharField(label="What it offers, and to whom", widget=forms.Textarea(attrs={"rows": 4}),
                                  max_length=2000, error_messages={"required": "Say what it offers, and to whom"})
    website = forms.URLField(label="Website", required=False, assume_scheme="https",
                             error_messages={"invalid": "Enter the website address, like https://www.example.org"})
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    is_active = forms.BooleanField(label="List it in the directory", required=False)


class ContactDetailsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    phone = forms.CharField(label="Phone number colleagues should use", max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label="Email address for work", required=False,
                             error_messages={"invalid": "Enter an email address like name@example.org"},
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    availability = forms.CharField(label="When and how best to reach you", max_length=200, required=False,
                                   help_text="For example, weekdays 9 to 5; out of hours ring the duty line")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone") or cleaned.get("email")) and not self.errors:
            raise forms.ValidationError("Give a phone number or an email address, so colleagues can reach you")
        return cleaned
