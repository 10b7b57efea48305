"""Forms for missing episodes, returns, interviews, visitors and the profile. Errors in plain words;
a form shown again keeps everything typed."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.forms.utils import ErrorDict
from django.utils import timezone

from safeguard.accounts.models import CHILD_LEVEL_ROLES, User
from safeguard.language.forms import LanguageCheckMixin
from safeguard.platform.images import image_problem
from safeguard.platform.versioning import VersionedFormMixin
from safeguard.ui.fields import GovukDateField, GovukTimeField, date_and_time

from . import services
from .models import Classification, MissingFrom, ReturnInterview, Visitor

YES_NO = [("yes", "Yes"), ("no", "No")]
TEXT_MAX = 5000


def _yes_no(label: str, *, help_text: str = "", error: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": error},
    )


def _text(label: str, *, help_text: str = "", rows: int = 2, required: bool = False, error: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": error} if error else {},
    )


def _time(label: str, *, required: bool = True) -> GovukTimeField:
    return GovukTimeField(label=label, required=required)


def combine(form: forms.Form, cleaned: dict, day_name: str, time_name: str) -> datetime | None:
    """The moment from a GOV.UK date and a typed time; a blank optional time is midnight."""
    return date_and_time(form, cleaned, day_name, time_name, blank_time_is_midnight=not form.fields[time_name].required)


class ReportForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("circumstances",)

    missing_from = forms.ChoiceField(
        label="Where was the child missing from?",
        choices=MissingFrom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the child was missing from"},
    )
    placement = forms.CharField(
        label="Home or placement",
        required=False,
        max_length=200,
        help_text="For example, the children's home. Episodes from the same placement are compared (handbook §10.5.4).",
    )
    classification = forms.ChoiceField(
        label="Is the child absent or missing?",
        choices=Classification.choices,
        widget=forms.RadioSelect,
        initial=Classification.MISSING,
        help_text="Absent: not where they should be, and not thought to be at risk. Missing: whereabouts "
        "not known and at risk. You can change this later on review (handbook §14).",
        error_messages={"required": "Select absent or missing"},
    )
    last_seen_on = GovukDateField(
        label="Date the child was last seen", when="today_or_past", help_text="For example, 27 3 2025",
        error_name="The date the child was last seen",
    )
    last_seen_time = _time("Time the child was last seen")
    last_seen_where = _text("Where the child was last seen", help_text="An address, a place or an area")
    circumstances = _text(
        "What happened",
        rows=4,
        help_text="What the child was wearing, who they may be with, where they may have gone. "
        "Put the child's own words in quotation marks.",
    )
    reported_to_police = _yes_no(
        "Has the child been reported missing to the police?", error="Select yes if the police have been told"
    )
    police_on = GovukDateField(label="Date reported to the police", required=False, when="today_or_past")
    police_time = _time("Time reported to the police", required=False)
    police_reference = forms.CharField(label="Police reference", required=False, max_length=50)
    send_profile = forms.BooleanField(
        label="Send the child's profile to the police inbox now",
        required=False,
        help_text="The profile carers keep for the police, with this report, in one step",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["last_seen_at"] = combine(self, cleaned, "last_seen_on", "last_seen_time")
        cleaned["police_reported_at"] = None
        if cleaned.get("reported_to_police"):
            if cleaned.get("police_on") is None and not self.has_error("police_on"):
                self.add_error("police_on", "Enter the date it was reported to the police")
            cleaned["police_reported_at"] = combine(self, cleaned, "police_on", "police_time")
        return cleaned

    def report(self) -> services.EpisodeReport:
        c = self.cleaned_data
        return services.EpisodeReport(
            missing_from=c["missing_from"],
            last_seen_at=c["last_seen_at"],
            classification=c["classification"],
            placement=c["placement"],
            last_seen_where=c["last_seen_where"],
            circumstances=c["circumstances"],
            reported_to_police=c["reported_to_police"],
            police_reported_at=c["police_reported_at"],
            police_reference=c["police_reference"],
        )


class ClassifyForm(VersionedFormMixin, forms.Form):
    classification = forms.ChoiceField(
        label="Classification",
        choices=Classification.choices,
        widget=forms.RadioSelect,
        help_text="A child recorded as absent is missing when a review finds them at risk through their "
        "activities or behaviour while absent (handbook §14).",
        error_messages={"required": "Select absent or missing"},
    )
    reason = _text("Why is it changing?", rows=3, required=True, error="Say why the classification is changing")


class ReturnForm(LanguageCheckMixin, forms.Form):
    language_checked_fields: tuple[str, ...] = ("appearance", "other_risk")

    returned_on = GovukDateField(
        label="Date the child was found or came back", when="today_or_past", help_text="For example, 28 3 2025",
        error_name="The date the child was found or came back",
    )
    returned_time = _time("Time the child was found or came back")
    found_where = _text("Where were they found, or where had they been?")
    who_with = _text("Who were they with?", help_text="Names, nicknames, descriptions. One a line.")
    vehicles = _text("Vehicles", help_text="Make, colour, registration. One a line.")
    addresses = _text("Addresses", help_text="Any address the child was at or mentioned. One a line.")
    phones = _text("Phone numbers", help_text="Any number the child used or mentioned. One a line.")
    names_mentioned = _text("Names the child mentioned", help_text="One a line")
    harmed = _yes_no("Was the child hurt or harmed, or is this believed?", error="Select yes if the child was hurt or harmed")
    criminal_activity = _yes_no(
        "Did the child engage in criminal activity, or is this believed?",
        error="Select yes if the child engaged in criminal activity",
    )
    risky_contact = _yes_no(
        "Was the child in contact with people who pose a risk to children?",
        error="Select yes if the child was with people who pose a risk",
    )
    mental_health_or_ld = _yes_no(
        "Does the child have known mental health issues or learning disabilities?",
        error="Select yes if the child has known mental health issues or learning disabilities",
    )
    other_risk = _text("Other risk factors", help_text="Leave empty if there are none")
    appearance = _text(
        "Their appearance on return",
        rows=3,
        help_text="Clothing, injuries, whether they seemed under the influence, anything they said (handbook §10.5.7)",
    )
    items_retained = _text(
        "Items kept for the police",
        help_text="Clothing (including underwear) placed in a clean plastic bag for the police, even if "
        "the child does not consent (handbook §10.5.7)",
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["returned_at"] = combine(self, cleaned, "returned_on", "returned_time")
        return cleaned

    def details(self) -> services.ReturnDetails:
        c = self.cleaned_data
        return services.ReturnDetails(
            returned_at=c["returned_at"],
            **{name: c[name] for name in services.RETURN_TEXT_FIELDS},
            harmed=c["harmed"],
            criminal_activity=c["criminal_activity"],
            risky_contact=c["risky_contact"],
            mental_health_or_ld=c["mental_health_or_ld"],
        )


class ReturnCorrectionForm(ReturnForm):
    """The return's details as recorded, to correct, with why (issue 10). ``seen_corrections`` is the
    return's version: how many corrections the page showed."""

    language_checked_fields: tuple[str, ...] = ("appearance", "other_risk", "reason")

    reason = _text("Why are you correcting the return?", rows=3, required=True,
                   error="Say why the return is being corrected",
                   help_text="For example, the time was entered wrongly, or the child said more later")
    seen_corrections = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @classmethod
    def initial_for(cls, episode) -> dict:
        local = timezone.localtime(episode.returned_at)
        initial = {name: getattr(episode, name) for name in (*services.RETURN_TEXT_FIELDS, "harmed",
                                                                 "criminal_activity", "risky_contact",
                                                                 "mental_health_or_ld")}
        for name in ("harmed", "criminal_activity", "risky_contact", "mental_health_or_ld"):
            initial[name] = "yes" if initial[name] else "no"
        return {**initial, "returned_on": local.date(), "returned_time": local.strftime("%H:%M"),
                "seen_corrections": episode.return_corrections.count()}


class ArrangeForm(forms.Form):
    interviewer = forms.ModelChoiceField(
        label="Who will do the interview?",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="Someone independent of the child's placement and trained for it (handbook §14.1). "
        "Their agency becomes involved with the child.",
        error_messages={"required": "Choose who will do the interview"},
    )

    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = (
            User.objects.filter(is_active=True, role_grants__role__in=CHILD_LEVEL_ROLES, agency__isnull=False)
            .exclude(agency_id=episode.agency_id)
            .select_related("agency")
            .distinct()
            .order_by("agency__name", "last_name", "first_name")
        )
        self.fields["interviewer"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.agency})"


OUTCOME_CHOICES = [
    (ReturnInterview.Status.COMPLETED, "Completed: I did the interview"),
    (ReturnInterview.Status.DECLINED, "The child declined the interview"),
    (ReturnInterview.Status.NOT_CONDUCTED, "It was not conducted"),
]


class OutcomeForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("child_account", "risks_identified", "actions_agreed", "reason")

    outcome = forms.ChoiceField(
        label="What happened?", choices=OUTCOME_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Select what happened to the interview"},
    )
    conducted_on = GovukDateField(
        label="Date of the interview", required=False, when="today_or_past",
        help_text="If it was completed, or when the child declined",
    )
    conducted_time = _time("Time of the interview", required=False)
    child_account = _text(
        "What the child said",
        rows=6,
        help_text="Where they were, who with, why they went, what would help. Put the child's own words in quotation marks.",
    )
    risks_identified = _text("Risks identified", rows=3)
    actions_agreed = _text("Actions agreed", rows=3, help_text="Who will do what, by when")
    reason = _text("Why was it not conducted, or why did the child decline?", rows=3,
                   help_text="The police missing-person coordinators are told this (handbook §14.1)")

    def clean(self):
        cleaned = super().clean()
        cleaned["conducted_at"] = combine(self, cleaned, "conducted_on", "conducted_time")
        if cleaned.get("outcome") == ReturnInterview.Status.COMPLETED and cleaned.get("conducted_on") and not (
            cleaned.get("conducted_time") or ""
        ).strip():
            self.add_error("conducted_time", "Enter the time of the interview")
        return cleaned

    def result(self) -> services.InterviewOutcome:
        c = self.cleaned_data
        return services.InterviewOutcome(
            outcome=c["outcome"],
            conducted_at=c["conducted_at"],
            child_account=c["child_account"],
            risks_identified=c["risks_identified"],
            actions_agreed=c["actions_agreed"],
            reason=c["reason"],
        )


class ProfileForm(VersionedFormMixin, forms.Form):
    description = _text(
        "Description", rows=4, help_text="Height, build, hair, skin, marks or tattoos, clothing usually worn"
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text="A recent photo: a JPG or PNG smaller than 5 MB. Leave empty to keep the current photo.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    phones = _text("Phone numbers", help_text="The child's phones and social media accounts. One a line.")
    associates = _text("Associates", help_text="Friends and adults the child spends time with. One a line.")
    places = _text("Places they go", help_text="Addresses, areas, venues. One a line.")
    vehicles = _text("Vehicles seen", help_text="Make, colour, registration. One a line.")
    other_information = _text("Anything else the police should know", rows=3)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is None:
            return None
        head = photo.read(8)
        photo.seek(0)
        problem = services.photo_problem(size=photo.size, head=head)
        if not problem:
            problem = image_problem(photo.read())
            photo.seek(0)
        if problem:
            raise forms.ValidationError(problem)
        return photo

    def data_for_service(self) -> services.ProfileData:
        c = self.cleaned_data
        return services.ProfileData(**{name: c[name] for name in services.PROFILE_FIELDS})


class VisitorForm(forms.Form):
    how = forms.ChoiceField(
        label="How did they make contact?", choices=Visitor.How.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how they made contact"},
    )
    occurred_on = GovukDateField(label="Date", when="today_or_past", help_text="For example, 27 3 2025",
                                 error_name="The date")
    occurred_time = _time("Time")
    name_given = forms.CharField(label="Name they gave", required=False, max_length=200)
    description = _text(
        "Description of the person", rows=4, required=True,
        help_text="Age, build, clothing, what they said, who they asked for",
        error="Describe the person",
    )
    vehicle = _text("Vehicle", help_text="Make, colour, registration")
    phone = forms.CharField(label="Phone number", required=False, max_length=100)
    turned_away = forms.BooleanField(label="They were turned away", required=False)
    told_childs_age = forms.BooleanField(
        label="They were told the child's age and that the police will be involved if they are with the child again",
        required=False,
    )
    passed_to_police = forms.BooleanField(label="The details have been passed to the police", required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["occurred_at"] = combine(self, cleaned, "occurred_on", "occurred_time")
        return cleaned

    def show_typed_only(self) -> None:
        """Shown again mid-way (the picker's Search without scripts): what was typed, with no errors
        yet for what the user has not filled in."""
        self.full_clean()
        self._errors = ErrorDict()  # type: ignore[attr-defined]

    def details(self) -> services.VisitorDetails:
        c = self.cleaned_data
        return services.VisitorDetails(
            how=c["how"], occurred_at=c["occurred_at"], description=c["description"], name_given=c["name_given"],
            vehicle=c["vehicle"], phone=c["phone"], turned_away=c["turned_away"],
            told_childs_age=c["told_childs_age"], passed_to_police=c["passed_to_police"],
        )


class ReviewPeriodForm(forms.Form):
    days = forms.IntegerField(
        label="Episodes in the last (days)", min_value=1, max_value=3660, required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the number of days as a whole number, like 90",
                        "min_value": "Enter at least 1 day", "max_value": "Enter no more than 3660 days"},
    )
