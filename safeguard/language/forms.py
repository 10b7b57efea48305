"""The language check in a Django form (§8).

``LanguageCheckMixin``: the checked text fields get a textarea that asks ``language:check`` for
flags as the user types (htmx, debounced), and on save a flagged field is sent back with each flag
and its suggestion. A "Keep my wording" box lets the writer keep it: the form is then valid and
``form.language_flags_kept`` says what was kept, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django import forms
from django.urls import reverse_lazy

from safeguard.language.check import Flag, flag_message, language_flags
from safeguard.language.services import language_flags_kept_record

__all__ = [
    "Flag",
    "LanguageCheckMixin",
    "LanguageCheckedTextarea",
    "flag_message",
    "language_flags",
    "language_flags_kept_record",
]


if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class LanguageCheckedTextarea(forms.Textarea):
    """A textarea that asks for language flags as the user types, with a live region for them.
    ``language_context`` (set by the form) travels with each live check."""

    template_name = "language/widgets/language_textarea.html"
    language_context = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_id = widget_attrs.get("id") or f"id_{name}"
        widget_attrs.update(
            {
                "hx-post": str(reverse_lazy("language:check")),
                "hx-trigger": "keyup changed delay:600ms",
                "hx-target": f"#{widget_id}-language",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        if self.language_context:
            widget_attrs["hx-vals"] = json.dumps({"language_context": self.language_context})
        context["language_region_id"] = f"{widget_id}-language"
        return context


class LanguageCheckMixin(_FormBase):
    """Put before ``forms.Form``/``forms.ModelForm`` in the bases.

    ``language_checked_fields``: names of the fields to check; ``None`` means every textarea.
    After ``is_valid()``: ``language_flags`` maps field → flags found, and ``language_flags_kept``
    maps field → flag codes the writer chose to keep (empty unless "Keep my wording" was ticked).
    """

    language_checked_fields: Sequence[str] | None = None
    keep_wording_field = "keep_wording"

    def language_context_for(self, cleaned: dict) -> str:
        """Where the text is written, for the check (``rules.language.CONTEXTS``); none by default.
        A form whose fields the handbook reads differently overrides it (§9 reasons between peers)."""
        return ""

    def language_context_set(self, context: str) -> None:
        """Tell the live check of every checked field where the text is written (known on render)."""
        for name in self.language_field_names():
            widget = self.fields[name].widget
            if isinstance(widget, LanguageCheckedTextarea):
                widget.language_context = context

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
        context = self.language_context_for(cleaned)
        self.language_context_set(context)
        for name in self.language_field_names():
            value = cleaned.get(name)
            if not isinstance(value, str) or not value:
                continue
            flags = language_flags(value, context=context)
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
