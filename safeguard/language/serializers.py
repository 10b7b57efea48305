"""The language check for the API (§8): the same check as the forms, the same answer everywhere.

Put ``LanguageCheckedSerializerMixin`` before the serializer class in the bases, name the checked
fields in ``language_checked_fields`` (or override ``language_texts`` for nested text) and declare
``keep_wording = serializers.BooleanField(default=False, ...)``. A serializer that has its own
``validate`` ends it with ``return super().validate(attrs)``.

Flagged wording is refused with 400, each field naming its flags, unless ``keep_wording`` is true;
then ``validated_data["language_flags_kept"]`` maps field → the codes kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework import serializers

from safeguard.language.check import flag_codes, flag_message, language_flags

KEEP_WORDING_HELP = "Keep wording the language check flagged (handbook §8). Your choice is recorded."
KEEP_WORDING_ERROR = "Change the flagged wording, or send keep_wording: true to keep it"


def keep_wording_field() -> serializers.BooleanField:
    """The ``keep_wording`` field every language-checked serializer declares."""
    return serializers.BooleanField(required=False, default=False, write_only=True, help_text=KEEP_WORDING_HELP)


class LanguageCheckedSerializerMixin:
    language_checked_fields: Sequence[str] = ()

    def language_context_for(self, attrs: Mapping[str, Any]) -> str:
        """Where the text is written (``rules.language.CONTEXTS``); none unless a serializer says."""
        return ""

    def language_texts(self, attrs: Mapping[str, Any]) -> dict[str, str]:
        """The texts to check, by the name an error is reported under."""
        return {name: attrs.get(name, "") or "" for name in self.language_checked_fields}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)  # type: ignore[misc]
        errors: dict[str, list[str]] = {}
        kept: dict[str, list[str]] = {}
        context = self.language_context_for(attrs)
        for name, text in self.language_texts(attrs).items():
            flags = language_flags(text, context=context)
            if flags:
                kept[name] = flag_codes(flags)
                errors[name] = [flag_message(flag) for flag in flags]
        if errors and not attrs.get("keep_wording"):
            raise serializers.ValidationError({**errors, "keep_wording": [KEEP_WORDING_ERROR]})
        attrs["language_flags_kept"] = kept
        return attrs
