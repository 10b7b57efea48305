"""Form A exactly as §16 prints it, and Form B (screening.md). Evidence and free text are language-checked."""

from __future__ import annotations

from datetime import date

from django import forms

from safeguard.access.policy import agencies_working_with_children
from safeguard.accounts.models import Agency
from safeguard.children.indicators import CATALOGUE
from safeguard.children.indicators import GROUP_TITLES as INDICATOR_GROUPS
from safeguard.language.forms import LanguageCheckedTextarea, LanguageCheckMixin
from safeguard.platform.versioning import VersionedFormMixin
from safeguard.rules.screening import form_a_items
from safeguard.screening.models import ExploitationModel, PreviousReferral, RiskLevel, SignStatus
from safeguard.screening.services import FormAAnswers, FormAHeader, FormBData, SignFinding
from safeguard.ui.fields import GovukDateField

ITEMS = form_a_items()
GROUP_TITLES = {
    "vulnerability": "Vulnerabilities",
    "risk": "Risk indicators",
    "significant": "Significant risk indicators",
}


def evidence_field_name(code: str) -> str:
    return f"evidence_{code}"


class FormAForm(LanguageCheckMixin, forms.Form):
    """The CSE Initial Screening Tool. The header comes prefilled; every item's label is the form's own."""

    referrer_name = forms.CharField(label="Name of person making referral", max_length=200,
                                    error_messages={"required": "Enter the name of the person making the referral"})
    organisation = forms.CharField(label="Organisation", max_length=200,
                                   error_messages={"required": "Enter your organisation"})
    contact_details = forms.CharField(label="Worker's contact details", max_length=300,
                                      help_text="Phone number and email address",
                                      error_messages={"required": "Enter your contact details"})
    child_name = forms.CharField(label="Child's name", max_length=200,
                                 error_messages={"required": "Enter the child's name"})
    child_age = forms.IntegerField(label="Age", required=False, min_value=0, max_value=25,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
                                   error_messages={"invalid": "Enter the age as a number, like 14",
                                                   "min_value": "Enter the age as a number, like 14",
                                                   "max_value": "Enter an age of 25 or under"})
    local_authority = forms.CharField(label="Local authority", max_length=100, required=False)
    ethnicity = forms.CharField(label="Ethnicity", max_length=100, required=False)
    gender = forms.CharField(label="Gender", max_length=40, required=False)
    languages = forms.CharField(label="Languages spoken", max_length=200, required=False)
    disabilities = forms.CharField(label="Physical/learning disabilities", max_length=300, required=False)
    previous_cp_referral = forms.ChoiceField(
        label="Has a child protection referral been made previously?", choices=PreviousReferral.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a child protection referral was made before"},
    )
    previous_cp_referral_when = forms.CharField(label="If yes, when?", max_length=100, required=False,
                                                help_text="A date, or 'not known'")
    previous_cp_referral_when.mark_optional = False  # type: ignore[attr-defined]  # revealed by "Yes", required then
    level1_assessment_date = GovukDateField(label="Date of Level 1 assessment", required=False,
                                            when="today_or_past", help_text="For example, 27 3 2026")
    ticked = forms.MultipleChoiceField(
        label="Indicators", required=False, choices=[(i.code, i.label) for i in ITEMS],
        widget=forms.CheckboxSelectMultiple,
    )
    not_referring = forms.BooleanField(
        label="I am not making a referral to children's social care", required=False,
        help_text="Only if the screening shows concerns and you have a reason not to refer. You must say why.",
    )
    not_referring_reason = forms.CharField(
        label="Why you are not referring", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Revealed by the box above and required then (clean): never marked "(optional)".
    not_referring_reason.mark_optional = False  # type: ignore[attr-defined]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evidence boxes, one per item, added before the mixin wraps textareas with the language check.
        for item in ITEMS:
            self.fields[evidence_field_name(item.code)] = forms.CharField(
                label=f"Evidence: {item.label}", required=False, max_length=2000,
                help_text="What was seen or said, when, and by whom",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for name in self.language_field_names():
            self.fields[name].widget = LanguageCheckedTextarea(attrs=dict(self.fields[name].widget.attrs))

    def item_groups(self):
        """[(title, [(item, checked, evidence bound field), ...]), ...] in form order, for the template."""
        if self.is_bound:
            raw = self.data.getlist("ticked") if hasattr(self.data, "getlist") else self.data.get("ticked", [])
            chosen = set(raw)
        else:
            chosen = set(self.initial.get("ticked", []))
        groups: dict[str, list] = {}
        for item in ITEMS:
            groups.setdefault(item.group, []).append((item, item.code in chosen, self[evidence_field_name(item.code)]))
        return [(GROUP_TITLES[g], entries) for g, entries in groups.items()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("previous_cp_referral") == PreviousReferral.YES and not (
            cleaned.get("previous_cp_referral_when") or ""
        ).strip():
            self.add_error("previous_cp_referral_when", "Say when the previous referral was made, or 'not known'")
        if cleaned.get("not_referring") and not (cleaned.get("not_referring_reason") or "").strip():
            self.add_error("not_referring_reason", "Say why you are not referring to children's social care")
        ticked = set(cleaned.get("ticked") or [])
        for item in ITEMS:
            note = (cleaned.get(evidence_field_name(item.code)) or "").strip()
            if note and item.code not in ticked:
                self.add_error(evidence_field_name(item.code),
                               f"Tick ‘{item.label}’ or remove its evidence")
        return cleaned

    def header(self) -> FormAHeader:
        c = self.cleaned_data
        return FormAHeader(
            referrer_name=c["referrer_name"], organisation=c["organisation"], contact_details=c["contact_details"],
            child_name=c["child_name"], previous_cp_referral=c["previous_cp_referral"], child_age=c.get("child_age"),
            local_authority=c["local_authority"], ethnicity=c["ethnicity"], gender=c["gender"],
            languages=c["languages"], disabilities=c["disabilities"],
            previous_cp_referral_when=c["previous_cp_referral_when"],
            level1_assessment_date=c.get("level1_assessment_date"),
        )

    def answers(self) -> FormAAnswers:
        c = self.cleaned_data
        return FormAAnswers(
            ticked=c["ticked"],
            evidence={item.code: c.get(evidence_field_name(item.code)) or "" for item in ITEMS},
            not_referring_reason=c["not_referring_reason"] if c.get("not_referring") else "",
            language_flags_kept=self.language_flags_kept,
        )

    @classmethod
    def initial_for(cls, *, child, user) -> dict:
        from django.utils import timezone

        from safeguard.screening.selectors import previous_cp_referral

        contact = ", ".join(p for p in (getattr(user, "phone", ""), user.email) if p)
        previous, when = previous_cp_referral(child)
        return {
            "referrer_name": user.get_full_name() or user.get_username(),
            "organisation": str(user.agency) if user.agency_id else "",
            "contact_details": contact,
            "child_name": child.full_name,
            "child_age": child.age_on(timezone.localdate()),
            "local_authority": child.local_authority,
            "ethnicity": child.ethnicity,
            "gender": child.get_gender_display() if child.gender != "not_known" else "",
            "languages": child.languages,
            "disabilities": child.disabilities,
            "previous_cp_referral": previous or None,
            "previous_cp_referral_when": when,
        }


SIGNS = [i for i in CATALOGUE if i.group == "sign"]  # §5, I1-I25, in the handbook's order


def _factor_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in CATALOGUE:
        if item.group != "sign":
            groups.setdefault(INDICATOR_GROUPS.get(item.group, item.group), []).append(
                (item.code, f"{item.code} {item.text}"))
    return list(groups.items())


def sign_field_names(code: str) -> tuple[str, str, str]:
    return f"sign_{code}", f"sign_{code}_evidence", f"sign_{code}_seen_on"


class FormBForm(VersionedFormMixin, LanguageCheckMixin, forms.Form):
    """Form B (screening.md): each §5 sign observed / not observed / not known, with evidence and a
    date; §6 factors; the models of exploitation; §7; §9.4; the child's account; analysis and level."""

    factors = forms.MultipleChoiceField(
        label="Push factors, vulnerability indicators and pull factors (§6)", required=False,
        choices=_factor_choices, widget=forms.CheckboxSelectMultiple,
        help_text="Ticked from the observations on the child's record; add any others the assessment found",
    )
    exploitation_models = forms.MultipleChoiceField(
        label="Which models of exploitation appear? (§3)", required=False, choices=ExploitationModel.choices,
        widget=forms.CheckboxSelectMultiple, help_text="More than one may apply",
    )
    trafficking_concerns = forms.CharField(
        label="Trafficking concerns (§7)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Movements between places, with dates, people and vehicles",
    )
    disability_considerations = forms.CharField(
        label="Disabled child considerations (§9.4)", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    childs_account = forms.CharField(
        label="The child's own account", required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Put the child's own words in quotation marks: quoted words are never flagged",
    )
    analysis = forms.CharField(label="Analysis", required=False, max_length=8000,
                               widget=forms.Textarea(attrs={"rows": 6}),
                               help_text="Needed before Form B can be completed")
    risk_level = forms.ChoiceField(label="Risk level", required=False,
                                   choices=[("", "Not chosen yet"), *RiskLevel.choices], widget=forms.RadioSelect,
                                   help_text="Needed before Form B can be completed. A high level prompts a referral "
                                             "to the Multi-Agency Risk Panel (§13).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for sign in SIGNS:
            status, evidence, seen_on = sign_field_names(sign.code)
            label = f"{sign.code} {sign.text}"
            self.fields[status] = forms.ChoiceField(
                label=label, required=False, choices=SignStatus.choices, initial=SignStatus.NOT_KNOWN,
                widget=forms.RadioSelect)
            self.fields[evidence] = forms.CharField(
                label=f"Evidence for {sign.code}", required=False, max_length=2000,
                help_text="What was seen or said, and by whom", widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[seen_on] = GovukDateField(
                label=f"When {sign.code} was last seen", required=False, when="today_or_past",
                help_text="For example, 27 3 2026")
        for name in self.language_field_names():
            if not isinstance(self.fields[name].widget, LanguageCheckedTextarea):
                self.fields[name].widget = LanguageCheckedTextarea(attrs=dict(self.fields[name].widget.attrs))

    def sign_rows(self):
        """[(sign, status bound field, chosen status, evidence bound field, date bound field), ...]."""
        rows = []
        for sign in SIGNS:
            status, evidence, seen_on = (self[name] for name in sign_field_names(sign.code))
            rows.append((sign, status, status.value() or SignStatus.NOT_KNOWN, evidence, seen_on))
        return rows

    def clean(self):
        cleaned = super().clean()
        for sign in SIGNS:
            status, evidence, seen_on = sign_field_names(sign.code)
            if (cleaned.get(status) or SignStatus.NOT_KNOWN) == SignStatus.NOT_KNOWN and (
                (cleaned.get(evidence) or "").strip() or cleaned.get(seen_on)
            ):
                self.add_error(status, f"Say whether {sign.code} was observed, or remove its evidence and date")
        return cleaned

    def data_object(self) -> FormBData:
        c = self.cleaned_data
        signs = {}
        for sign in SIGNS:
            status, evidence, seen_on = sign_field_names(sign.code)
            signs[sign.code] = SignFinding(status=c.get(status) or SignStatus.NOT_KNOWN,
                                           evidence=c.get(evidence) or "", seen_on=c.get(seen_on))
        return FormBData(
            indicators=c["factors"], signs=signs, exploitation_models=c["exploitation_models"],
            trafficking_concerns=c["trafficking_concerns"], disability_considerations=c["disability_considerations"],
            childs_account=c["childs_account"], analysis=c["analysis"], risk_level=c["risk_level"],
            language_flags_kept=self.language_flags_kept,
        )

    @classmethod
    def initial_for(cls, form_b) -> dict:
        sign_codes = {sign.code for sign in SIGNS}
        initial = {name: getattr(form_b, name) for name in (
            "exploitation_models", "trafficking_concerns", "disability_considerations", "childs_account",
            "analysis", "risk_level")}
        initial["factors"] = [code for code in form_b.indicators if code not in sign_codes]
        for code, finding in form_b.signs.items():
            status, evidence, seen_on = sign_field_names(code)
            initial[status] = finding.get("status", SignStatus.NOT_KNOWN)
            initial[evidence] = finding.get("evidence", "")
            if finding.get("seen_on"):
                initial[seen_on] = date.fromisoformat(finding["seen_on"])
        initial["version"] = form_b.version
        return initial


class ContributionForm(LanguageCheckMixin, forms.Form):
    text = forms.CharField(label="Your agency's contribution", max_length=8000,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "Write your contribution"},
                           help_text="What your agency knows that the assessment should take into account")


class SafetyActionForm(LanguageCheckMixin, forms.Form):
    """One action in the safety plan: what, who (a person and their agency), by when (workflow.md)."""

    description = forms.CharField(label="What is to be done", max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Say what is to be done"})
    owner_name = forms.CharField(label="Who will do it", max_length=200,
                                 error_messages={"required": "Enter the name of the person who will do it"})
    owner_agency = forms.ModelChoiceField(
        label="Their agency", queryset=Agency.objects.none(), empty_label="Choose an agency",
        error_messages={"required": "Choose the agency of the person who will do it",
                        "invalid_choice": "Choose the agency of the person who will do it"},
        help_text="The agency gets a task due on the date, and can see the child's record",
    )
    due_on = GovukDateField(label="Date it is due", when="today_or_future", error_name="The date it is due",
                            help_text="For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only an agency that works with children can own an action about a child (issue 11 item 8).
        self.fields["owner_agency"].queryset = agencies_working_with_children().order_by("name")


class SafetyActionOutcomeForm(LanguageCheckMixin, forms.Form):
    outcome = forms.CharField(label="What came of it", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "Say what came of the action"})
