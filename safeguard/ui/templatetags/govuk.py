"""Template tags for GOV.UK Frontend markup.

Page templates use ``{% load govuk %}`` and:

* ``{% error_summary form %}`` – the GOV.UK error summary (put it first in the main column);
  it accepts several forms: ``{% error_summary form other_form %}``.
* ``{{ form|error_prefix }}`` – "Error: " when the form has errors, for the page title.
* ``{% govuk_button "Save" %}`` – a button (``variant="secondary"|"warning"|"inverse"``,
  ``name``/``value``, ``href`` for a link styled as a button).
* ``{{ text|mark:query }}`` – escapes ``text`` and wraps each word of ``query`` in ``<mark>``.

The rest (``govuk_attrs``, ``govuk_field_context``, ``govuk_widget``,
``govuk_non_field_errors_id``) are used by the form and widget templates of this app.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from safeguard.ui.widgets import GovukDateInput

register = template.Library()

# Base class and error modifier for each kind of form control.
_CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "radio": ("govuk-radios__input", None),
    "checkbox": ("govuk-checkboxes__input", None),
    "hidden": (None, None),
}
_LABEL_SIZES = {"s", "m", "l", "xl"}


def _render_attrs(attrs: dict, classes: list[str]) -> str:
    parts = []
    if classes:
        parts.append(format_html(' class="{}"', " ".join(classes)))
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped by format_html


@register.simple_tag
def govuk_attrs(widget: dict, kind: str = "input"):
    """Render a widget's HTML attributes with the GOV.UK classes for its kind.

    ``kind`` is "textarea", "select" or an <input> type ("text", "email", "radio", ...).
    The error modifier is added when Django marked the control ``aria-invalid``.
    """
    attrs = dict(widget.get("attrs") or {})
    if kind in ("textarea", "select", "radio", "checkbox", "hidden", "file"):
        control = kind
    else:
        control = "input"
    base, error = _CONTROL_CLASSES[control]
    extra = str(attrs.pop("class", "") or "").split()
    if control in ("radio", "checkbox"):
        # Modifiers such as govuk-radios--inline belong on the container, not each input.
        extra = [c for c in extra if not c.startswith(("govuk-radios--", "govuk-checkboxes--"))]
    classes = [base] if base else []
    classes += [c for c in extra if c not in classes]
    if error and str(attrs.get("aria-invalid", "")).lower() == "true" and error not in classes:
        classes.append(error)
    return _render_attrs(attrs, classes)


@register.simple_tag
def govuk_container_class(widget: dict, base: str):
    """Classes for the radios/checkboxes container: the base plus any of its modifiers."""
    extra = str((widget.get("attrs") or {}).get("class", "") or "").split()
    return " ".join([base, *[c for c in extra if c.startswith(base + "--")]])


def widget_kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


@register.simple_tag
def govuk_field_context(bound_field) -> dict:
    """What the field template needs to know about a bound field.

    Optional attributes on the form field: ``page_heading`` (the label or legend is the
    page's <h1>), ``label_size`` ("s", "m", "l", "xl"), ``character_count`` (False turns off
    the character count of a textarea with max_length) and ``mark_optional`` (False drops
    the "(optional)" suffix). A form can set ``govuk_mark_optional = False`` for all its fields.
    """
    field = bound_field.field
    kind = widget_kind(field.widget)
    page_heading = bool(getattr(field, "page_heading", False))
    label_size = getattr(field, "label_size", None)
    if label_size not in _LABEL_SIZES:
        label_size = "l" if page_heading else None
    maxlength = None
    if kind == "textarea" and getattr(field, "character_count", True):
        maxlength = getattr(field, "max_length", None) or field.widget.attrs.get("maxlength")
    mark_optional = (
        not field.required
        and kind not in ("checkbox", "hidden")
        and getattr(field, "mark_optional", True)
        and getattr(bound_field.form, "govuk_mark_optional", True)
    )
    return {
        "kind": kind,
        "fieldset": kind in ("radios", "checkboxes", "date", "multi"),
        "page_heading": page_heading,
        "label_size": label_size,
        "maxlength": maxlength,
        "mark_optional": mark_optional,
        "errors": list(bound_field.errors),
    }


@register.simple_tag
def govuk_widget(bound_field, context: dict | None = None):
    """Render the bound field's widget, linking a character count message if there is one."""
    attrs = {}
    if context and context.get("maxlength") and bound_field.auto_id:
        ids = [f"{bound_field.auto_id}-info"]
        if bound_field.help_text:
            ids.append(f"{bound_field.auto_id}_helptext")
        if bound_field.errors:
            ids.append(f"{bound_field.auto_id}_error")
        attrs["aria-describedby"] = " ".join(ids)
        existing = str(bound_field.field.widget.attrs.get("class", "") or "")
        attrs["class"] = f"{existing} govuk-js-character-count".strip()
    return bound_field.as_widget(attrs=attrs)


def non_field_errors_id(form) -> str:
    return f"{form.prefix}-form-errors" if form.prefix else "form-errors"


@register.simple_tag
def govuk_non_field_errors_id(form) -> str:
    return non_field_errors_id(form)


def error_target_id(bound_field) -> str:
    """The id of the control an error summary link should move focus to."""
    target = getattr(bound_field, "govuk_error_target_id", None)
    if target:
        return target
    auto_id = bound_field.auto_id
    if not auto_id:
        return ""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # includes CheckboxSelectMultiple
        return f"{widget.attrs.get('id') or auto_id}_0"
    return bound_field.id_for_label or f"{auto_id}_0"


def error_summary_items(form) -> list[tuple[str, str]]:
    """(href, message) for every error of the form, in page order."""
    items = []
    form_errors = f"#{non_field_errors_id(form)}"
    for message in form.non_field_errors():
        items.append((form_errors, message))
    for bound_field in form:
        if not bound_field.errors:
            continue
        if bound_field.is_hidden:
            href = form_errors
        else:
            target = error_target_id(bound_field)
            href = f"#{target}" if target else ""
        for message in bound_field.errors:
            items.append((href, message))
    return items


@register.simple_tag
def error_summary(*forms_, title: str = "There is a problem"):
    items = []
    for form in forms_:
        if form is None:
            continue
        if hasattr(form, "forms") and hasattr(form, "non_form_errors"):  # a formset
            for message in form.non_form_errors():
                items.append(("", message))
            for subform in form.forms:
                items.extend(error_summary_items(subform))
        elif getattr(form, "is_bound", False) and form.errors:
            items.extend(error_summary_items(form))
    if not items:
        return ""
    return render_to_string("govuk/components/error_summary.html", {"title": title, "items": items})


@register.filter
def error_prefix(form) -> str:
    """ "Error: " if the form (or any of several, as a list) has errors: for <title>."""
    forms_ = form if isinstance(form, (list, tuple)) else [form]
    for f in forms_:
        if getattr(f, "is_bound", False) and f.errors:
            return "Error: "
    return ""


@register.simple_tag
def govuk_button(
    text,
    variant: str = "",
    name: str = "",
    value: str = "",
    type: str = "submit",  # mirrors the HTML attribute
    href: str = "",
    classes: str = "",
    prevent_double_click: bool = True,
    id: str = "",
):
    css = ["govuk-button"]
    if variant:
        css.append(f"govuk-button--{variant}")
    css += classes.split()
    class_attr = " ".join(css)
    if href:
        return format_html(
            '<a href="{}" role="button" draggable="false" class="{}" data-module="govuk-button">{}</a>',
            href,
            class_attr,
            text,
        )
    attrs = {"type": type, "class": class_attr, "data-module": "govuk-button"}
    if id:
        attrs["id"] = id
    if name:
        attrs["name"] = name
        attrs["value"] = value
    if prevent_double_click:
        attrs["data-prevent-double-click"] = "true"
    return format_html("<button{}>{}</button>", _render_attrs(attrs, []), text)


@register.filter(is_safe=True)
def mark(text, query):
    """Escape ``text`` and highlight the words of ``query`` in it with <mark>.

    ``text`` is always treated as plain text (HTML in it is escaped).
    """
    text = "" if text is None else str(text)
    terms = sorted({t for t in str(query or "").split() if t}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, position = [], 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[position : match.start()])))
        out.append(str(format_html('<mark class="sg-mark">{}</mark>', match.group())))
        position = match.end()
    out.append(str(escape(text[position:])))
    return mark_safe("".join(out))  # noqa: S308 - every piece was escaped above


@register.simple_tag
def govuk_tag(text, colour: str = ""):
    """A GOV.UK tag ("grey", "green", "turquoise", "blue", "light-blue", "purple", "pink",
    "red", "orange", "yellow")."""
    css = "govuk-tag" + (f" govuk-tag--{conditional_escape(colour)}" if colour else "")
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.simple_tag
def govuk_message_groups(messages) -> list[dict]:
    """Group Django messages into at most three GOV.UK notification banners.

    Success messages go in a green "Success" banner, errors in a red "There is a problem"
    banner, and everything else in an "Important" banner. Each banner is announced
    (role=alert) except the "Important" one, which is a labelled region.
    """
    groups: dict[str, dict[str, Any]] = {
        "success": {"kind": "success", "title": "Success", "role": "alert", "messages": []},
        "error": {"kind": "error", "title": "There is a problem", "role": "alert", "messages": []},
        "other": {"kind": "important", "title": "Important", "role": "region", "messages": []},
    }
    for message in messages or []:
        tag = getattr(message, "level_tag", "")
        groups[tag if tag in ("success", "error") else "other"]["messages"].append(message)
    return [group for group in groups.values() if group["messages"]]


# -- dates and summary lists ---------------------------------------------------------------------

DATE_STYLES = {"date": "j F Y", "time": "j F Y, H:i", "short": "j M Y", "short_time": "j M Y H:i"}


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@register.filter(expects_localtime=True, is_safe=False)
def govuk_date(value, style: str = "date") -> str:
    """The one date format: ``{{ when|govuk_date }}`` is 27 March 2025; ``:"time"`` 27 March 2025,
    14:30; ``:"short"`` 27 Mar 2025; ``:"short_time"`` 27 Mar 2025 14:30 (for tables).

    Written out directly for dates and datetimes (the same text as Django's ``date`` filter with the
    ``DATE_STYLES`` format, in this English-only product, checked by a test), because a long table
    formats hundreds of dates and the filter takes 20 µs each; anything else goes to the filter."""
    with_time = style in ("time", "short_time")
    if isinstance(value, datetime) or (isinstance(value, date) and not with_time):
        month = _MONTHS[value.month - 1]
        day = f"{value.day} {month if style in ('date', 'time') else month[:3]} {value.year:04d}"
        if not isinstance(value, datetime) or not with_time:
            return day
        return f"{day}{',' if style == 'time' else ''} {value.hour:02d}:{value.minute:02d}"
    from django.template.defaultfilters import date as date_filter

    return date_filter(value, DATE_STYLES[style])


_ROW = '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt><dd class="govuk-summary-list__value">{}</dd></div>'


@register.simple_tag
def summary_row(key, value=""):
    """``{% summary_row "Name given" visitor.name_given|default:"Not given" %}``: one GOV.UK summary
    list row. The value is escaped unless it is already safe (``linebreaksbr`` output is)."""
    return format_html(_ROW, key, conditional_escape(value))


class SummaryRowNode(template.Node):
    def __init__(self, key: template.base.FilterExpression, nodelist: template.NodeList):
        self.key, self.nodelist = key, nodelist

    def render(self, context) -> str:
        return format_html(_ROW, self.key.resolve(context), mark_safe(self.nodelist.render(context).strip()))  # noqa: S308


@register.tag
def summaryrow(parser, token):
    """``{% summaryrow "When it happened" %}…markup…{% endsummaryrow %}``: a row whose value is more
    than one expression (the body is rendered with autoescape as usual)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("summaryrow takes one argument: the key")
    nodelist = parser.parse(("endsummaryrow",))
    parser.delete_first_token()
    return SummaryRowNode(parser.compile_filter(bits[1]), nodelist)
