"""Forms for assessments, consultations, referrals, decision records and approvals.

Thin: they check what a person typed and say what is wrong in plain words; the services decide.
Every free-text field about a child gets the language check (handbook §8).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguard.accounts.models import CHILD_LEVEL_ROLES, Agency, User
from safeguard.children.models import ChronologyItem
from safeguard.language.forms import LanguageCheckMixin
from safeguard.platform.versioning import VersionedFormMixin
from safeguard.referrals import services
from safeguard.referrals.models import Assessment, DecisionKind, Destination, LawfulBasis, Priority
from safeguard.referrals.services import AGE_BANDS, AssessmentAnswers, DecisionData, assessment_child_age
from safeguard.referrals.services._common import CRITERION_TEXT
from safeguard.ui.fields import GovukDateField

ANSWER_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
FACT_CHOICES = [
    ("position_of_trust", "A partner holds a position of trust over the child (teacher, foster carer or similar) (§9.6)"),
    ("partner_works_with_children", "A partner works with children, or is an approved foster carer of a looked-after child (§9.6)"),
    ("pregnant", "The child is pregnant (§9.5)"),
    ("penetrative", "The activity was penetrative (§9.2)"),
    ("disabled", "The child is disabled (§9.4)"),
    ("immediate_risk", "The child is at immediate risk (§9.6)"),
]
_UNKNOWN_AGE = {"not known", "unknown", "?", "dont know", "don't know", "not sure"}


def parse_partner_ages(raw: str) -> list[int | None]:
    """'19, not known' → [19, None]. Raises ValidationError in plain words."""
    ages: list[int | None] = []
    for part in re.split(r"[,;/\n]+", raw or ""):
        text = part.strip().lower().replace("’", "'")
        if not text:
            continue
        if text in _UNKNOWN_AGE:
            ages.append(None)
        elif text.isdigit() and 0 < int(text) <= 120:
            ages.append(int(text))
        else:
            raise ValidationError(f"‘{part.strip()}’ is not an age: write a whole number, like 19, or ‘not known’")
    if not ages:
        raise ValidationError("Enter each partner's age, or ‘not known’")
    if len(ages) > 10:
        raise ValidationError("Enter no more than 10 partners")
    return ages


class AssessmentForm(LanguageCheckMixin, forms.Form):
    """The §9.3 assessment. The child's age comes from the record's date of birth where it has one."""

    activity_date = GovukDateField(
        label="Date of the sexual activity",
        required=False,
        when="today_or_past",
        error_name="The date of the activity",
        help_text="If you know it. The child's age is taken on this date, otherwise on today's date (§9.1). For example, 27 3 2025",
    )
    child_age = forms.IntegerField(
        label="Child's age at the time of the activity",
        required=False,
        min_value=0,
        max_value=17,
        help_text="The record has no date of birth, so enter the age",
        error_messages={
            "invalid": "Enter the child's age as a whole number, like 14",
            "min_value": "Enter the child's age as a whole number, like 14",
            "max_value": "This assessment is for children under 18 (§9.1)",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    partner_ages = forms.CharField(
        label="Ages of the sexual partners",
        max_length=200,
        help_text="One age per partner, separated by commas. Write ‘not known’ for a partner whose age you do not know, for example: 19, not known",
        error_messages={"required": "Enter each partner's age, or ‘not known’"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    facts = forms.MultipleChoiceField(
        label="Which of these apply?",
        required=False,
        choices=FACT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    summary = forms.CharField(
        label="What is known about the activity",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facts only. Put the child's own words in quotation marks.",
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        if child.date_of_birth is not None:
            del self.fields["child_age"]
        for code in CRITERION_TEXT:
            self.fields[code] = forms.ChoiceField(
                label=f"{code}: {CRITERION_TEXT[code][:1].upper()}{CRITERION_TEXT[code][1:]}",
                choices=ANSWER_CHOICES,
                initial="unknown",
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline govuk-radios--small"}),
                error_messages={"required": f"Answer {code}: yes, no or not known"},
            )
            self.fields[f"{code}_note"] = forms.CharField(
                label=f"Note on {code}",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{code}_note"].character_count = False
        # The mixin wrapped the textareas present when it ran; wrap the criteria notes too.
        from safeguard.language.forms import LanguageCheckedTextarea

        for code in CRITERION_TEXT:
            field = self.fields[f"{code}_note"]
            field.widget = LanguageCheckedTextarea(attrs=dict(field.widget.attrs))
        if not self.is_bound and child.disabilities:
            self.initial.setdefault("facts", ["disabled"])

    def language_context_for(self, cleaned: dict) -> str:
        """Between peers aged 13 and over the reasons may weigh consent (§9.2, §9.7)."""
        return services.assessment_language_context(child_age=cleaned.get("age"), partner_ages=cleaned.get("partner_ages"))

    def criteria_rows(self):
        return [(code, self[code], self[f"{code}_note"]) for code in CRITERION_TEXT]

    def clean_partner_ages(self):
        return parse_partner_ages(self.cleaned_data["partner_ages"])

    def clean(self):
        cleaned = self.cleaned_data  # the age first: the language check (in super) reads it
        if "activity_date" in self.errors or "child_age" in self.errors:
            return super().clean()
        try:
            cleaned["age"] = assessment_child_age(
                date_of_birth=self.child.date_of_birth,
                activity_date=cleaned.get("activity_date"),
                today=timezone.localdate(),
                stated_age=cleaned.get("child_age"),
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return super().clean()

    def answers(self) -> AssessmentAnswers:
        c = self.cleaned_data
        facts = set(c.get("facts") or ())
        return AssessmentAnswers(
            child_age=c["age"],
            partner_ages=c["partner_ages"],
            criteria={code: c[code] for code in CRITERION_TEXT},
            criteria_notes={code: c.get(f"{code}_note", "") for code in CRITERION_TEXT},
            activity_date=c.get("activity_date"),
            summary=c.get("summary", ""),
            **{name: name in facts for name, _ in FACT_CHOICES},
        )


class ConsultationForm(LanguageCheckMixin, forms.Form):
    consulted_agency = forms.ModelChoiceField(
        label="Which agency did you consult?",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency you consulted"},
    )
    consulted_person = forms.CharField(
        label="Who did you speak to?", required=False, max_length=200, help_text="Their role, or their name and role"
    )
    consulted_on = GovukDateField(label="Date of the consultation", when="today_or_past", help_text="For example, 27 3 2025")
    age_band = forms.ChoiceField(
        label="The child's age group",
        choices=list(AGE_BANDS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the child's age group"},
    )
    summary = forms.CharField(
        label="The situation",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not write anything that could identify the child, directly or indirectly: no names, "
        "dates of birth, addresses, schools or distinctive details (§9.2).",
        error_messages={"required": "Describe the situation, without identifying the child"},
    )
    advice = forms.CharField(
        label="The advice you were given",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the advice you were given"},
    )


class ReferralForm(LanguageCheckMixin, forms.Form):
    destination = forms.ChoiceField(
        label="Where is the referral going?",
        choices=Destination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the referral is going"},
    )
    destination_other = forms.CharField(
        label="If other, where?", required=False, max_length=200, help_text="The service or team, and how you sent it"
    )
    destination_agency = forms.ModelChoiceField(
        label="Which team receives it?",
        required=False,
        queryset=Agency.objects.filter(is_active=True),
        empty_label="The usual team for this destination",
        help_text="Leave this as it is unless you were told to send it to a particular team",
    )
    priority = forms.ChoiceField(
        label="How urgent is it?",
        choices=Priority.choices,
        widget=forms.RadioSelect,
        help_text="The receiving team can change this when it receives the referral",
        error_messages={"required": "Choose how urgent the referral is"},
    )
    reason = forms.CharField(
        label="Why are you referring?",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you know and what worries you. Put the child's own words in quotation marks.",
        error_messages={"required": "Enter why you are referring"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("destination") == Destination.OTHER and not (cleaned.get("destination_other") or "").strip():
            self.add_error("destination_other", "Enter where the referral is going")
        return cleaned


class _OwnIds:
    """The receive, accept, decline and outcome forms share one page (the referral's), and two of
    them have a ``note``: each form's ids start with its own name, so every label, hint and error
    link points at its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReceiveForm(_OwnIds, forms.Form):
    id_prefix = "receive"
    priority = forms.ChoiceField(
        label="Priority", choices=Priority.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the priority"},
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(_OwnIds, forms.Form):
    id_prefix = "accept"
    note = forms.CharField(
        label="Note on accepting", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(_OwnIds, forms.Form):
    id_prefix = "decline"
    reason = forms.CharField(
        label="Why is the referral declined?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The referrer sees this. Say what they should do instead, if anything.",
        error_messages={"required": "Enter why the referral is declined"},
    )


class OutcomeForm(_OwnIds, LanguageCheckMixin, forms.Form):
    id_prefix = "outcome"
    outcome = forms.CharField(
        label="Outcome",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What was decided and what happens next (§10.4.4). The referrer is told.",
        error_messages={"required": "Enter the outcome"},
    )
    outcome_on = GovukDateField(label="Date of the outcome", when="today_or_past", help_text="For example, 27 3 2025")


class DecisionForm(VersionedFormMixin, LanguageCheckMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What is the decision about?",
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the decision is about"},
    )
    destination = forms.ChoiceField(
        label="For a decision to refer or not: which referral?",
        required=False,
        choices=[("", "Not a referral decision"), *Destination.choices],
    )
    decision = forms.CharField(
        label="The decision",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the decision"},
    )
    reasons = forms.CharField(
        label="The reasons for the decision",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why this decision, in full: the record must stand on its own (§9.7).",
        error_messages={"required": "Enter the reasons for the decision"},
    )
    information = forms.CharField(
        label="Other information the decision rests on",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    relied_on = forms.TypedMultipleChoiceField(
        label="Records the decision rests on",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        help_text="From the child's chronology",
    )
    decision_makers = forms.ModelMultipleChoiceField(
        label="Accountable decision-makers",
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        help_text="You are always one of them. Add the others who took the decision with you (§9.7).",
    )
    purpose = forms.CharField(
        label="For a sharing decision: the purpose", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    lawful_basis = forms.ChoiceField(
        label="For a sharing decision: the lawful basis",
        required=False,
        choices=[("", "Not a sharing decision"), *LawfulBasis.choices],
    )
    recipient = forms.CharField(
        label="For a sharing decision: who receives the information", required=False, max_length=200
    )

    def __init__(self, *args, child, actor, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.language_context_set(self.language_context_for({}))
        items = ChronologyItem.objects.filter(child=child).order_by("-occurred_at", "-id")[:40]
        self.fields["relied_on"].choices = [
            (item.pk, f"{timezone.localtime(item.occurred_at):%d/%m/%Y} {item.get_kind_display()}: {item.summary}")
            for item in items
        ]
        self.fields["decision_makers"].queryset = (
            User.objects.filter(agency_id=actor.agency_id, is_active=True, role_grants__role__in=CHILD_LEVEL_ROLES)
            .exclude(pk=actor.pk)
            .distinct()
        )
        self.fields["decision_makers"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}" + (
            f", {u.job_title}" if u.job_title else ""
        )

    def language_context_for(self, cleaned: dict) -> str:
        """A decision resting on an assessment of activity between peers aged 13 and over may weigh
        consent in its reasons, as the assessment did (§9.2, §9.7)."""
        if not isinstance(self.subject, Assessment):
            return ""
        return services.assessment_language_context(child_age=self.subject.child_age, partner_ages=self.subject.partner_ages)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in (DecisionKind.REFER, DecisionKind.NOT_REFER) and not cleaned.get("destination"):
            self.add_error("destination", "Choose which referral the decision is about")
        if kind in (DecisionKind.SHARE, DecisionKind.NOT_SHARE):
            if not (cleaned.get("purpose") or "").strip():
                self.add_error("purpose", "Enter the purpose of sharing the information")
            if not cleaned.get("lawful_basis"):
                self.add_error("lawful_basis", "Choose the lawful basis for the decision")
            if not (cleaned.get("recipient") or "").strip():
                self.add_error("recipient", "Enter who the information is, or would be, shared with")
        return cleaned

    def data_for_service(self) -> DecisionData:
        c = self.cleaned_data
        return DecisionData(
            kind=c["kind"],
            decision=c["decision"],
            reasons=c["reasons"],
            information=c.get("information", ""),
            relied_on_ids=list(c.get("relied_on") or []),
            decision_maker_ids=[u.pk for u in c.get("decision_makers") or []],
            destination=c.get("destination") or "",
            purpose=c.get("purpose", ""),
            lawful_basis=c.get("lawful_basis") or "",
            recipient=c.get("recipient", ""),
        )

    @staticmethod
    def initial_for(decision) -> dict:
        return {
            "kind": decision.kind,
            "destination": decision.destination,
            "decision": decision.decision,
            "reasons": decision.reasons,
            "information": decision.information,
            "relied_on": [item["id"] for item in decision.relied_on],
            "decision_makers": [m["id"] for m in decision.decision_makers if m["id"] != decision.author_id],
            "purpose": decision.purpose,
            "lawful_basis": decision.lawful_basis,
            "recipient": decision.recipient,
            "version": decision.version,
        }


class ApprovalForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[("approve", "Approve the decision"), ("return", "Return it to the author with reasons")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you approve the decision or return it"},
    )
    note = forms.CharField(
        label="Your reasons or comments",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required if you return it. They are part of the record.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == "return" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter why you are returning the decision")
        return cleaned
