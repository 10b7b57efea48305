"""Forms for meetings, reports, decisions, actions and the panel. Errors in plain words; a form
shown again keeps everything typed; free text goes through the language check (§8)."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from safeguard.accounts.models import User
from safeguard.language.forms import LanguageCheckMixin
from safeguard.ui.fields import GovukDateField, GovukTimeField, date_and_time

from . import selectors, services
from .models import Action, Attendance, Kind

TEXT_MAX = 20000
CHILD_KINDS = [(k, label) for k, label in Kind.choices if k not in (Kind.PANEL, Kind.RMG)]


def _text(label: str, *, rows: int = 5, required: bool = True, error: str = "", help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=TEXT_MAX, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": error} if error else {},
    )


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PersonField(forms.CharField):
    """A person named by their username or email address: an exact, indexed look-up, so the page
    never lists every user."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("help_text", "Their Safeguard username or work email address")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value).strip()
        if not text:
            return None
        person = (
            selectors.people_who_work_with_children()
            .filter(Q(username__iexact=text) | Q(email__iexact=text))
            .first()
        )
        if person is None:
            raise forms.ValidationError("No one who works with children has that username or email address")
        return person


class WhenAndWhereForm(VersionMixin):
    day = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2026", error_name="The date of the meeting")
    start_time = GovukTimeField(label="Start time")
    end_time = GovukTimeField(label="End time")
    place = forms.CharField(label="Where", required=False, max_length=300,
                            help_text="An address or a room. Leave blank for a call.")
    call_details = forms.CharField(label="Phone or video joining details", required=False, max_length=500)

    def clean(self):
        cleaned = super().clean()
        cleaned["starts_at"] = date_and_time(self, cleaned, "day", "start_time", blank_time_is_midnight=False)
        cleaned["ends_at"] = date_and_time(self, cleaned, "day", "end_time", blank_time_is_midnight=False)
        return cleaned

    def details(self, kind: str) -> services.MeetingDetails:
        c = self.cleaned_data
        return services.MeetingDetails(kind=kind, starts_at=c["starts_at"], ends_at=c["ends_at"], place=c["place"],
                                       call_details=c["call_details"])


class ConveneForm(WhenAndWhereForm):
    kind = forms.ChoiceField(label="Kind of meeting", choices=CHILD_KINDS, widget=forms.RadioSelect,
                             error_messages={"required": "Choose the kind of meeting"})
    field_order = ["kind", "day", "start_time", "end_time", "place", "call_details"]


class CancelForm(VersionMixin):
    reason = _text("Why is the meeting cancelled?", rows=3, error="Say why the meeting is cancelled")


class InviteForm(forms.Form):
    person = PersonField(label="Who to invite", error_messages={"required": "Enter the username or email of who to invite"})


class AttendanceForm(VersionMixin):
    attendance = forms.ChoiceField(label="Attendance", choices=Attendance.choices, widget=forms.RadioSelect)


class MinutesForm(LanguageCheckMixin, VersionMixin):
    language_checked_fields = ("minutes",)
    minutes = _text("Minutes", rows=12, error="Enter the minutes",
                    help_text="Who said what, what was agreed. Record decisions and actions separately below.")
    conference_needed = forms.BooleanField(
        label="An initial child protection conference is needed", required=False,
        help_text="The conference is then due within the timescale and shown as due until arranged.",
    )


class _ChildChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} (record {obj.pk})"


class DecisionForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("decision", "reasons")
    child = _ChildChoice(label="Which child is it about?", queryset=None, required=False,
                         empty_label="Every child at the meeting")
    decision = _text("Decision", rows=3, error="Enter the decision")
    reasons = _text("Reasons", rows=4, error="Enter the reasons for the decision")
    corrects: forms.ModelChoiceField = forms.ModelChoiceField(label="Does it correct an earlier decision?", queryset=None, required=False,
                                      empty_label="No, it is a new decision")

    def __init__(self, *args, meeting, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["corrects"].queryset = meeting.decisions.filter(signed_at__isnull=False, corrections__isnull=True)


class ActionForm(LanguageCheckMixin, VersionMixin):
    language_checked_fields = ("description",)
    child = _ChildChoice(label="Which child is it for?", queryset=None, required=False,
                         empty_label="The meeting as a whole")
    description = _text("What is to be done", rows=3, error="Describe what is to be done")
    owner = PersonField(label="Who will do it", error_messages={"required": "Enter who will do it"})
    due_on = GovukDateField(label="Due by", error_name="The due date",
                            help_text="On or after the day it was agreed, for example 27 3 2026")
    plan = forms.ChoiceField(label="Part of", choices=Action.Plan.choices, widget=forms.RadioSelect,
                             initial=Action.Plan.MEETING)

    def __init__(self, *args, children=None, plans: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if children is None:
            del self.fields["child"]
        else:
            self.fields["child"].queryset = children  # type: ignore[attr-defined]
        if not plans:
            del self.fields["plan"]
        else:
            self.fields["plan"].choices = [  # type: ignore[attr-defined]
                (k, v) for k, v in Action.Plan.choices if k != Action.Plan.MEETING
            ]
            self.fields["plan"].initial = Action.Plan.SAFETY

    def details(self) -> services.ActionDetails:
        c = self.cleaned_data
        return services.ActionDetails(c["description"], c["owner"], c["due_on"], c.get("plan") or Action.Plan.MEETING)


class ActionCloseForm(VersionMixin):
    status = forms.ChoiceField(label="What happened?", widget=forms.RadioSelect,
                               choices=[(Action.Status.DONE, "Done"), (Action.Status.CANCELLED, "No longer needed")],
                               error_messages={"required": "Choose done or no longer needed"})
    outcome = _text("Outcome", rows=3, error="Say what happened")


class ReportForm(LanguageCheckMixin, VersionMixin):
    language_checked_fields = ("text",)
    text = _text("Your agency's report", rows=12, required=False,
                 help_text="What your agency knows and has done. Check your agency's records for every involvement "
                 "first (handbook §10).")
    attachment = forms.FileField(label="Attach a file (optional)", required=False,
                                 help_text="PDF, Word, OpenDocument, plain text, PNG or JPEG")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            _type, problem = services.attachment_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload


class PanelReferForm(LanguageCheckMixin, forms.Form):
    language_checked_fields = ("reason",)
    reason = _text("Why should the panel consider this child?", rows=5, error="Enter why you are referring the child")
    because = forms.CharField(label="What prompted it (optional)", required=False, max_length=300,
                              help_text="For example an alert, or a high Form B risk level")


class ReasonForm(forms.Form):
    reason = _text("Reason", rows=3, error="Enter the reason")


class PanelCloseForm(LanguageCheckMixin, VersionMixin):
    language_checked_fields = ("decision", "reasons")
    decision = _text("Decision", rows=3, error="Enter the decision")
    reasons = _text("Reasons", rows=4, error="Enter the reasons for closing the case")


def person_label(user: User) -> str:
    return f"{user.get_full_name() or user.username} ({user.agency})"
