"""The language check wherever a professional writes about a child (handbook §8; language.md).

One app, used by every app the same way (ADR 0012):

* ``check`` — ``language_flags(text)`` and ``flag_message(flag)`` over the rules package;
* ``forms`` — ``LanguageCheckMixin`` for a Django form and its live-checking textarea;
* ``serializers`` — ``LanguageCheckedSerializerMixin`` for an API serializer with free text;
* ``services`` — ``language_flags_kept_record``, the audit event for wording kept on purpose;
* ``views`` — the live-check endpoint (``language:check``) the textarea asks as the user types.

Text inside quotation marks is never flagged: the rules package skips it.
"""
