"""Forms for entities, links, movements, alerts, disruption and National Referral Mechanism records.
Errors in plain words; a form shown again keeps everything typed. Which fields a kind of entity
needs is the service's to say (``services.entity_key_and_values``), shown against each field."""

from __future__ import annotations

from django import forms

from safeguard.accounts.models import Agency
from safeguard.language.forms import LanguageCheckMixin
from safeguard.platform.versioning import VersionedFormMixin
from safeguard.ui.fields import GovukDateField

from . import services
from .models import (
    DisruptionAction,
    EntityKind,
    GroundsDecision,
    HandlingCode,
    IntelligenceAssessment,
    LinkKind,
    PlaceType,
    SourceEvaluation,
)
from .services.entities import PLATFORMS

TEXT_MAX = 5000


def _text(label: str, *, help_text: str = "", rows: int = 3, required: bool = False, error: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=required, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": error} if error else {},
    )


def _line(label: str, *, max_length: int = 200, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length, help_text=help_text,
                           widget=forms.TextInput(attrs=attrs) if attrs else None)


class EntityForm(LanguageCheckMixin, forms.Form):
    """One form for every kind: only the kind's own fields are read (the page shows them by kind)."""

    language_checked_fields = ("description",)

    kind = forms.ChoiceField(
        label="What are you recording?", choices=EntityKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what you are recording"},
    )
    name = _line("Name", help_text="A person's name or what they are called; a place's name, like Elm Park")
    aliases = _text("Other names the person is known by", rows=2, help_text="One a line")
    approx_age = forms.IntegerField(label="Approximate age", required=False, min_value=10, max_value=100,
                                    error_messages={"min_value": "Enter an age between 10 and 100",
                                                    "max_value": "Enter an age between 10 and 100",
                                                    "invalid": "Enter the age as a number, like 25"})
    date_of_birth = GovukDateField(label="Date of birth, if known", required=False, when="past")
    registration = _line("Registration", max_length=20, help_text="For example, AB12 CDE",
                         autocapitalize="characters", spellcheck="false")
    make = _line("Make", max_length=60)
    vehicle_model = _line("Model", max_length=60)
    colour = _line("Colour", max_length=40)
    number = _line("Phone number", max_length=40, help_text="For example, 07700 900123", type="tel")
    platform = forms.ChoiceField(label="Platform", required=False,
                                 choices=[("", "Select the platform")] + [(p, p.title()) for p in PLATFORMS])
    handle = _line("Account name or handle", max_length=100, help_text="For example, @kaz_99",
                   spellcheck="false")
    address = _line("Address", max_length=300, help_text="Leave blank for a named place without an address")
    postcode = _line("Postcode", max_length=10, autocomplete="postal-code")
    place_type = forms.ChoiceField(label="Kind of place", required=False,
                                   choices=[("", "Select the kind of place")] + PlaceType.choices)
    area = _line("Area", max_length=100, help_text="The locality, town or city")
    latitude = forms.DecimalField(label="Latitude", required=False, max_digits=9, decimal_places=6,
                                  error_messages={"invalid": "Enter the latitude as a number, like 53.79"})
    longitude = forms.DecimalField(label="Longitude", required=False, max_digits=9, decimal_places=6,
                                   error_messages={"invalid": "Enter the longitude as a number, like -1.54"})
    of_concern = forms.BooleanField(label="A known place of concern or hot spot", required=False)
    description = _text("Description", help_text="What they look like, what is known about them (handbook §7)")
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def data_for_service(self) -> services.EntityData:
        c = self.cleaned_data
        return services.EntityData(
            kind=c["kind"], name=c["name"], aliases=[a for a in c["aliases"].splitlines() if a.strip()],
            approx_age=c["approx_age"], date_of_birth=c["date_of_birth"], description=c["description"],
            registration=c["registration"], make=c["make"], vehicle_model=c["vehicle_model"], colour=c["colour"],
            number=c["number"], platform=c["platform"], handle=c["handle"], address=c["address"],
            postcode=c["postcode"], place_type=c["place_type"], area=c["area"], latitude=c["latitude"],
            longitude=c["longitude"], of_concern=c["of_concern"],
        )


class EntityEditForm(VersionedFormMixin, EntityForm):
    """The entity's own fields, opened at its version (a stale save is refused, never lost). Its kind
    does not change; its key may (a registration typed wrongly), and is checked again on saving."""

    kind = None  # type: ignore[assignment]
    confirm_new = None  # type: ignore[assignment]

    def __init__(self, *args, entity, **kwargs):
        self.entity = entity
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(entity, aliases) -> dict:
        name = entity.label if entity.kind == EntityKind.PERSON else entity.place_name
        number = entity.key if entity.kind == EntityKind.PHONE else ""
        return {
            "version": entity.version, "name": name, "aliases": "\n".join(aliases), "approx_age": entity.approx_age,
            "date_of_birth": entity.date_of_birth, "registration": entity.registration, "make": entity.make,
            "vehicle_model": entity.vehicle_model, "colour": entity.colour, "number": number,
            "platform": entity.platform, "handle": entity.handle, "address": entity.address,
            "postcode": entity.postcode, "place_type": entity.place_type, "area": entity.area,
            "latitude": entity.latitude, "longitude": entity.longitude, "of_concern": entity.of_concern,
            "description": entity.description,
        }

    def data_for_service(self) -> services.EntityData:
        self.cleaned_data["kind"] = self.entity.kind
        return super().data_for_service()


class GradingFields(forms.Form):
    source_evaluation = forms.ChoiceField(
        label="How reliable is the source?", choices=SourceEvaluation.choices, widget=forms.RadioSelect,
        initial=SourceEvaluation.UNTESTED, error_messages={"required": "Select how reliable the source is"},
    )
    assessment = forms.ChoiceField(
        label="How does the source know it?", choices=IntelligenceAssessment.choices, widget=forms.RadioSelect,
        initial=IntelligenceAssessment.INDIRECT, error_messages={"required": "Select how the source knows it"},
    )
    handling = forms.ChoiceField(
        label="May this be shared?", choices=HandlingCode.choices, widget=forms.RadioSelect,
        initial=HandlingCode.PERMITTED,
        help_text="C keeps the item out of exports to agencies outside its conditions and marks it wherever it is shown",
        error_messages={"required": "Select P or C"},
    )
    handling_conditions = _line("Conditions on sharing", max_length=300, help_text="Needed for C")
    shared_with = forms.ModelMultipleChoiceField(
        label="For C: agencies the conditions allow it to be shared with", required=False,
        queryset=Agency.objects.order_by("name"), widget=forms.CheckboxSelectMultiple,
        help_text="Your own agency always may. It is left out of exports to every other agency.",
    )

    def grading(self) -> services.Grading:
        c = self.cleaned_data
        return services.Grading(c["source_evaluation"], c["assessment"], c["handling"], c["handling_conditions"],
                                tuple(a.pk for a in c.get("shared_with") or ()))


class LinkForm(LanguageCheckMixin, GradingFields):
    language_checked_fields = ("notes",)

    entity = forms.IntegerField(
        label="Person, vehicle, phone, account or place", widget=forms.HiddenInput,
        error_messages={"required": "Choose who or what the child is linked to, or record a new one"},
    )
    kind = forms.ChoiceField(label="How are they linked?", choices=LinkKind.choices,
                             error_messages={"required": "Select how they are linked"})
    occurred_on = GovukDateField(label="When was this?", when="today_or_past", error_name="The date")
    notes = _text("What happened", help_text="Put the child's own words in quotation marks")

    def details(self, *, source_kind: str = "direct", source=None) -> services.LinkDetails:
        c = self.cleaned_data
        return services.LinkDetails(kind=c["kind"], occurred_on=c["occurred_on"], grading=self.grading(),
                                    notes=c["notes"], source_kind=source_kind, source=source)


class EntityLinkForm(GradingFields):
    other = forms.IntegerField(label="Linked to", widget=forms.HiddenInput,
                               error_messages={"required": "Choose the record to link to"})
    kind = forms.ChoiceField(label="How are they linked?", choices=LinkKind.choices)
    occurred_on = GovukDateField(label="When was this?", when="today_or_past", error_name="The date")
    notes = _text("Notes")


class MovementForm(GradingFields):
    to_place = forms.IntegerField(label="Moved to", widget=forms.HiddenInput,
                                  error_messages={"required": "Choose the place the child was moved to"})
    from_place = forms.IntegerField(label="Moved from", widget=forms.HiddenInput, required=False)
    with_person = forms.IntegerField(label="With", widget=forms.HiddenInput, required=False)
    vehicle = forms.IntegerField(label="In the vehicle", widget=forms.HiddenInput, required=False)
    occurred_on = GovukDateField(label="When?", when="today_or_past", error_name="The date")
    notes = _text("What is known")


class SearchForm(forms.Form):
    q = forms.CharField(label="Registration, phone number, handle, postcode or name", max_length=100,
                        required=False)
    kind = forms.ChoiceField(label="Only", required=False, choices=[("", "Everything")] + EntityKind.choices)


class AlertActionForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("text",)
    text = _text("What was done?", required=True, error="Say what was done")


class DisruptionForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("outcome",)
    action = forms.ChoiceField(label="Action", choices=DisruptionAction.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the action taken"})
    occurred_on = GovukDateField(label="Date of the action", when="today_or_past")
    outcome = _text("Outcome", required=True, error="Say what the outcome was")
    review_on = GovukDateField(label="Review date", required=False, help_text="When the action is looked at again")

    def details(self) -> services.DisruptionDetails:
        c = self.cleaned_data
        return services.DisruptionDetails(c["action"], c["occurred_on"], c["outcome"], c["review_on"])


class NrmForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("summary",)
    referred_on = GovukDateField(label="Date of the referral", when="today_or_past")
    reference = _line("Referral reference", max_length=60)
    summary = _text("Why is the child thought to be trafficked?", required=True, rows=4,
                    error="Say why the child is thought to be trafficked")


class NrmDecisionForm(forms.Form):
    stage = forms.ChoiceField(label="Which decision?", widget=forms.RadioSelect,
                              choices=[("reasonable", "Reasonable grounds"), ("conclusive", "Conclusive grounds")],
                              error_messages={"required": "Select which decision this is"})
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 choices=[(GroundsDecision.POSITIVE, "Positive"), (GroundsDecision.NEGATIVE, "Negative")],
                                 error_messages={"required": "Select positive or negative"})
    decided_on = GovukDateField(label="Date of the decision", when="today_or_past")
    version = forms.IntegerField(widget=forms.HiddenInput)
