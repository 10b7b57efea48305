"""The language check wherever a professional writes about a child (handbook §8; language.md).

Three pieces, reused by every app with free text about a child:

* ``LanguageCheckMixin`` for a Django form: the checked text fields get a textarea that asks the
  server for flags as the user types (htmx, debounced), and on save a flagged field is sent back
  with each flag and its suggestion. A "Keep my wording" box lets the writer keep it: the form is
  then valid and ``form.language_flags_kept`` says what was kept, field by field.
* ``language_flags_kept_record`` writes the LANGUAGE_FLAG_KEPT audit event(s); a service calls it
  inside the transaction of its save.
* The ``children:language_check`` endpoint (views.language_check) renders
  ``children/partials/language_flags.html`` for the text posted.

Text inside quotation marks is never flagged: the rules package skips it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django import forms
from django.urls import reverse_lazy

from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.rules import language as rules_language

Flag = rules_language.Flag
MAX_CHECKED_LENGTH = 20_000  # the endpoint checks no more than this many characters


def language_flags(text: str) -> list[Flag]:
    """Every flag in ``text`` (§8), sorted by position. Quoted words are never flagged."""
    return rules_language.check(text or "")


def flag_message(flag: Flag) -> str:
    why = (getattr(flag, "why", "") or "").strip().rstrip(".")
    message = f"‘{flag.text}’"
    if why:
        message += f": {why[:1].lower()}{why[1:]}"
    return f"{message}. You could write: {flag.suggestion}"


class LanguageCheckedTextarea(forms.Textarea):
    """A textarea that asks for language flags as the user types, with a live region for them."""

    template_name = "children/widgets/language_textarea.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_id = widget_attrs.get("id") or f"id_{name}"
        widget_attrs.update(
            {
                "hx-post": str(reverse_lazy("children:language_check")),
                "hx-trigger": "keyup changed delay:600ms",
                "hx-target": f"#{widget_id}-language",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        context["language_region_id"] = f"{widget_id}-language"
        return context


class LanguageCheckMixin:
    """Put before ``forms.Form``/``forms.ModelForm`` in the bases.

    ``language_checked_fields``: names of the fields to check; ``None`` means every textarea.
    After ``is_valid()``: ``language_flags`` maps field → flags found, and ``language_flags_kept``
    maps field → flag codes the writer chose to keep (empty unless "Keep my wording" was ticked).
    """

    language_checked_fields: Sequence[str] | None = None
    keep_wording_field = "keep_wording"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language_flags: dict[str, list[Flag]] = {}
        for name in self.language_field_names():
            field = self.fields[name]
            field.widget = LanguageCheckedTextarea(attrs=dict(field.widget.attrs))
        self.fields[self.keep_wording_field] = forms.BooleanField(
            required=False,
            label="Keep my wording",
            help_text="Tick this if your wording is right for this child. Your choice is recorded (handbook §8).",
            widget=forms.HiddenInput,
        )

    def language_field_names(self) -> list[str]:
        if self.language_checked_fields is not None:
            return [name for name in self.language_checked_fields if name in self.fields]
        return [name for name, field in self.fields.items() if isinstance(field.widget, forms.Textarea)]

    def clean(self):
        cleaned = super().clean()
        keep = bool(cleaned.get(self.keep_wording_field))
        self.language_flags = {}
        for name in self.language_field_names():
            value = cleaned.get(name)
            if not isinstance(value, str) or not value:
                continue
            flags = language_flags(value)
            if flags:
                self.language_flags[name] = flags
        if self.language_flags:
            # Show the box from now on, ticked or not, so the writer can choose.
            self.fields[self.keep_wording_field].widget = forms.CheckboxInput()
            if not keep:
                for name, flags in self.language_flags.items():
                    self.add_error(name, _wording_error(flags))
        return cleaned

    @property
    def language_flags_kept(self) -> dict[str, list[str]]:
        if not self.is_bound or not self.cleaned_data.get(self.keep_wording_field):
            return {}
        return {name: _codes(flags) for name, flags in self.language_flags.items()}


def _codes(flags: Iterable[Flag]) -> list[str]:
    return sorted({flag.code for flag in flags})


def _wording_error(flags: Sequence[Flag]) -> list[forms.ValidationError]:
    intro = forms.ValidationError(
        "Check your wording: some words can blame the child for the harm others cause them. "
        "Change them, or tick ‘Keep my wording’ below.",
        code="language",
    )
    return [intro, *(forms.ValidationError(flag_message(flag), code="language") for flag in flags)]


def language_flags_kept_record(
    *, actor, target, child_id: int | None, kept: Mapping[str, Sequence[str]]
) -> None:
    """One LANGUAGE_FLAG_KEPT event per field whose flags were kept. Call inside the save's transaction."""
    for field_name, codes in kept.items():
        if codes:
            audit_record(
                verb=Verb.LANGUAGE_FLAG_KEPT,
                actor=actor,
                target=target,
                child_id=child_id,
                payload={"field": field_name, "codes": list(codes)},
            )
