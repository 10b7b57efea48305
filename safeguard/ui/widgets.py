"""Widgets that plain Django widgets cannot express in GOV.UK markup.

Ordinary widgets (TextInput, Textarea, Select, RadioSelect, CheckboxSelectMultiple, ...)
need nothing from here: their templates are overridden in ``templates/django/forms/widgets``.
"""

from __future__ import annotations

import datetime

from django import forms

# Attribute that GovukDateField's bound field passes to GovukDateInput to say which of
# day/month/year are wrong; the widget removes it before rendering.
ERROR_PARTS_ATTR = "_govuk_error_parts"

DATE_PARTS = ("day", "month", "year")


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three text boxes for day, month and year.

    Sub-inputs are named ``<name>_day``, ``<name>_month`` and ``<name>_year`` and have ids
    ``<id>_day`` etc. Use it with :class:`safeguard.ui.fields.GovukDateField`, which cleans
    the three parts and explains plainly what is wrong.
    """

    template_name = "govuk/widgets/date_input.html"
    labels = {"day": "Day", "month": "Month", "year": "Year"}
    widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-date-input__input govuk-input--width-{self.widths[part]}",
                    "inputmode": "numeric",
                }
            )
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        # The first box: where an error summary link or a label should take the user.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = attrs.pop(ERROR_PARTS_ATTR, None)
        if isinstance(error_parts, str):
            error_parts = error_parts.split()
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        id_ = widget["attrs"].get("id")
        autocomplete = widget["attrs"].get("autocomplete")
        for part, sub in zip(DATE_PARTS, widget["subwidgets"], strict=True):
            sub_attrs = sub["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            if autocomplete == "bday":
                sub_attrs["autocomplete"] = f"bday-{part}"
            elif autocomplete:
                sub_attrs.pop("autocomplete", None)
            # Only the boxes that are wrong are marked as invalid (and so drawn in red).
            if error_parts and part not in error_parts:
                sub_attrs.pop("aria-invalid", None)
            # A hint or error is attached to the fieldset, not to each box.
            sub_attrs.pop("aria-describedby", None)
            sub["part"] = part
            sub["label"] = self.labels[part]
        return context
