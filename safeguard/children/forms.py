"""Forms for children's records, observations and chronology entries. Errors in plain words."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from safeguard.accounts.models import CHILD_LEVEL_ROLES, Agency, User
from safeguard.language.forms import LanguageCheckMixin
from safeguard.platform.validators import DETAILS_MAX_LENGTH
from safeguard.platform.versioning import VersionedFormMixin
from safeguard.ui.fields import GovukDateField, GovukTimeField, date_and_time

from .identifiers import nhs_number_normalise, nhs_number_problem, upn_normalise, upn_problem
from .indicators import indicator_choices
from .models import ChronologyItem, Gender, Source
from .services import CHILD_FIELDS, ChildData, NewAddress, WhatHappened

YES_NO = [("yes", "Yes"), ("no", "No")]


class ChildSearchForm(forms.Form):
    """One box for the name (any order, spelling may vary), or first and last name for an exact search."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="First and last name in any order, or one name the child is known by, such as a nickname.",
    )
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        when="today_or_past",
        help_text="For example, 27 3 2010. Leave it empty if you do not know it.",
    )

    @property
    def exact(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("name") and bool(data.get("first_name") or data.get("last_name"))

    def clean(self):
        data = super().clean()
        for field in ("name", "first_name", "last_name"):
            data[field] = " ".join((data.get(field) or "").split())
        if data["name"]:
            return data
        if data["first_name"] and not data["last_name"]:
            self.add_error("last_name", "Enter the child's last name")
        elif data["last_name"] and not data["first_name"]:
            self.add_error("first_name", "Enter the child's first name")
        elif not data["first_name"]:
            self.add_error("name", "Enter the child's name")
        return data

    def searched_names(self) -> tuple[str, str]:
        """First and last name to start a new record with: the exact boxes, or the one box split."""
        c = self.cleaned_data
        if not c["name"]:
            return c["first_name"], c["last_name"]
        if "," in c["name"]:  # "Smyth, Jodie": last name first
            last, first = (part.strip() for part in c["name"].split(",", 1))
            return first, last
        return _split_name(c["name"])


NAME_LENGTH = 100  # ChildName's first and last name columns


def _split_name(line: str) -> tuple[str, str]:
    parts = line.split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


class ChildForm(VersionedFormMixin, forms.Form):
    """Every field of a child's record. Used to create (with aliases) and to edit."""

    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the child's first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter the child's last name"}
    )
    preferred_name = forms.CharField(
        label="Name the child likes to be called", max_length=100, required=False
    )
    aliases = forms.CharField(
        label="Other names the child is known by",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One name on each line, first name then last name. Include nicknames and names used online.",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, when="today_or_past", help_text="For example, 27 3 2010"
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        initial=Gender.NOT_KNOWN,
        error_messages={"required": "Select the child's gender, or ‘Not known’"},
    )
    ethnicity = forms.CharField(label="Ethnicity", max_length=100, required=False)
    languages = forms.CharField(label="Languages spoken", max_length=200, required=False)
    disabilities = forms.CharField(label="Physical or learning disabilities", max_length=300, required=False)
    local_authority = forms.CharField(label="Local authority", max_length=100, required=False)
    looked_after = forms.TypedChoiceField(
        label="Is the child looked after by a local authority?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        initial="no",
        error_messages={"required": "Select yes if the child is looked after"},
    )
    placement = forms.CharField(
        label="Placement",
        max_length=200,
        required=False,
        help_text="For example, the children's home or foster placement",
    )
    school = forms.CharField(label="School or college", max_length=200, required=False)
    nhs_number = forms.CharField(
        label="NHS number",
        max_length=20,
        required=False,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    unique_pupil_number = forms.CharField(
        label="Unique pupil number (UPN)",
        max_length=20,
        required=False,
        help_text="13 characters, for example B801200005001",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    police_reference = forms.CharField(label="Police reference", max_length=50, required=False)
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        help_text="If you leave this empty, your agency is the lead agency",
        empty_label="Choose an agency",
    )
    lead_professional = forms.ModelChoiceField(
        label="Lead professional",
        queryset=User.objects.filter(is_active=True, role_grants__role__in=CHILD_LEVEL_ROLES)
        .distinct()
        .select_related("agency"),
        required=False,
        empty_label="Not chosen yet",
    )
    address_line = forms.CharField(
        label="Address", max_length=300, required=False, help_text="Where the child lives now"
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    address_from = GovukDateField(label="Living there since", required=False, when="today_or_past")

    def __init__(self, *args, editing: bool = False, same_child=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A record with the same name and date of birth exists: creating anyway needs a reason.
        self.same_child = same_child
        if same_child is not None:
            self.fields["duplicate_reason"] = forms.CharField(
                label="Why is this a different child?",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=1000,
                help_text="For example, a twin, or a different child with the same name and date of birth. "
                "Your reason is recorded.",
                error_messages={
                    "required": "This looks like the same child. Open that record, or say why this is a "
                    "different child"
                },
            )
        self.fields["lead_professional"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name() or u.username} ({u.agency})"
        )
        if editing:
            self.fields["aliases"].label = "Add other names the child is known by"
            self.fields["address_line"].label = "New address"
            self.fields[
                "address_line"
            ].help_text = "Only if the child has moved: the current address is kept in the history"
            self.fields["address_from"].label = "Living at the new address since"

    def clean_nhs_number(self) -> str:
        value = self.cleaned_data["nhs_number"].strip()
        if not value:
            return ""
        problem = nhs_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return nhs_number_normalise(value)

    def clean_unique_pupil_number(self) -> str:
        value = self.cleaned_data["unique_pupil_number"].strip()
        if not value:
            return ""
        problem = upn_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return upn_normalise(value)

    def clean_aliases(self) -> list[tuple[str, str]]:
        names = [_split_name(line) for line in self.cleaned_data["aliases"].splitlines() if line.strip()]
        if any(len(first) > NAME_LENGTH or len(last) > NAME_LENGTH for first, last in names):
            raise forms.ValidationError(f"Each part of another name must be {NAME_LENGTH} characters or fewer")
        return names

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("address_from") and not cleaned.get("address_line"):
            self.add_error("address_line", "Enter the address, or leave the date empty")
        return cleaned

    def to_data(self) -> ChildData:
        c = self.cleaned_data
        values = {name: c[name] for name in CHILD_FIELDS if name not in ("first_name", "last_name")}
        address = (
            NewAddress(c["address_line"], c["postcode"], c["address_from"]) if c["address_line"] else None
        )
        return ChildData(
            c["first_name"], c["last_name"], values=values, aliases=c["aliases"], address=address
        )

    @classmethod
    def initial_for(cls, child) -> dict:
        special = ("looked_after", "lead_agency", "lead_professional")
        initial = {name: getattr(child, name) for name in CHILD_FIELDS if name not in special}
        initial["looked_after"] = "yes" if child.looked_after else "no"
        initial["lead_agency"] = child.lead_agency_id
        initial["lead_professional"] = child.lead_professional_id
        initial["version"] = child.version
        return initial


class AliasForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("first_name", "").strip() or cleaned.get("last_name", "").strip()):
            raise forms.ValidationError("Enter a first name, a last name or both")
        return cleaned


class MergeForm(forms.Form):
    other_record = forms.IntegerField(
        label="Record number of the other record",
        min_value=1,
        help_text="The number shown above the child's name on the other record",
        error_messages={
            "required": "Enter the record number of the other record",
            "invalid": "Enter the record number as a whole number, like 1234",
            "min_value": "Enter the record number as a whole number, like 1234",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        choices=[("this", "This record"), ("other", "The other record")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which record should be kept"},
    )
    reason = forms.CharField(
        label="Why are these the same child?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say why these records are the same child"},
    )


class WhatHappenedForm(LanguageCheckMixin, forms.Form):
    """When it happened and how the recorder knows: the start of observations and entries."""

    occurred_on = GovukDateField(
        label="Date it happened",
        when="today_or_past",
        help_text="For example, 27 3 2025",
        error_name="The date it happened",
    )
    occurred_time = GovukTimeField(
        label="Time it happened",
        required=False,
        help_text="For example, 14:30 or 2:30pm. Leave it empty if you do not know.",
    )
    source = forms.ChoiceField(
        label="How do you know?",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you know"},
    )
    source_detail = forms.CharField(
        label="Who told you?",
        required=False,
        max_length=200,
        help_text="If another person told you: their role or relationship to the child",
    )

    def clean(self):
        cleaned = super().clean()
        moment = date_and_time(self, cleaned, "occurred_on", "occurred_time", blank_time_is_midnight=True)
        if moment is not None:
            if moment > timezone.now():
                self.add_error("occurred_time", "The time it happened must be in the past")
            cleaned["occurred_at"] = moment
        if cleaned.get("source") == Source.TOLD_BY_OTHER and not (cleaned.get("source_detail") or "").strip():
            self.add_error("source_detail", "Say who told you: their role or relationship to the child")
        return cleaned

    def happened(self) -> WhatHappened:
        c = self.cleaned_data
        return WhatHappened(
            occurred_at=c["occurred_at"],
            occurred_time_known=bool((c.get("occurred_time") or "").strip()),
            source=c["source"],
            source_detail=c.get("source_detail", ""),
        )


class ObservationForm(WhatHappenedForm):
    indicators = forms.MultipleChoiceField(
        label="Signs and indicators you observed",
        choices=indicator_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        help_text="Select all that apply (handbook §5 and §6)",
        error_messages={"required": "Select at least one sign or indicator"},
    )
    details = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DETAILS_MAX_LENGTH,
        help_text="Say what you saw or were told, when and where. Put the child's own words in quotation marks.",
        error_messages={"required": "Say what happened"},
    )
    people = forms.CharField(
        label="People involved",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Names, descriptions, nicknames, phone numbers",
    )
    places = forms.CharField(
        label="Places",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Addresses, venues, areas",
    )
    vehicles = forms.CharField(
        label="Vehicles",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Make, colour, registration",
    )

    # When it happened comes first: a keyboard user reaches it without passing 52 checkboxes.
    field_order = [
        "occurred_on",
        "occurred_time",
        "indicators",
        "source",
        "source_detail",
        "details",
        "people",
        "places",
        "vehicles",
    ]


class ChronologyEntryForm(WhatHappenedForm):
    text = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DETAILS_MAX_LENGTH,
        help_text="Put the child's own words in quotation marks.",
        error_messages={"required": "Say what happened"},
    )


class ChronologyFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="All agencies"
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Everything"), *ChronologyItem.Kind.choices]
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        c = self.cleaned_data
        return {
            "agency_id": c["agency"].pk if c.get("agency") else None,
            "kind": c.get("kind") or None,
            "date_from": c.get("date_from"),
            "date_to": c.get("date_to"),
        }


class InvolvementRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why should your agency be added to this child's circle?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The child's lead agency reads this. Say what part your agency will play (handbook §17).",
        error_messages={"required": "Say why your agency should be added"},
    )


class InvolvementDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your answer", choices=[("accept", "Add the agency"), ("decline", "Decline")],
        widget=forms.RadioSelect, error_messages={"required": "Choose whether to add the agency"},
    )
    note = forms.CharField(label="Reason", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Needed when you decline; the asking agency is told it")
