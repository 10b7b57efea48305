"""The GOV.UK conditional reveal, for radios and for a single checkbox.

``{% load govuk_reveal %}`` then ``{% govuk_reveal form.choice form.detail when="yes" %}`` draws
``form.choice`` (a ``RadioSelect`` or a single ``CheckboxInput``) as a GOV.UK form group, with the
fields after it (``form.detail`` …) revealed under the option ``when`` (for a checkbox: when it is
ticked; leave ``when`` out). They are shown from the start when that option is chosen, or when
something in them was typed or is wrong, so nothing typed is ever hidden.

The revealing input carries ``aria-controls`` and ``data-reveals`` (``safeguard/app.js`` shows and
hides the questions as the choice changes) and never ``aria-expanded``, which radios may not carry.
A revealed field required when shown says so in ``clean()`` and sets ``mark_optional = False`` so
its label does not claim "(optional)". Without scripts every revealed question stays visible.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from safeguard.ui.templatetags.govuk import widget_kind

register = template.Library()


def _has_content(bound_field) -> bool:
    value = bound_field.value()
    values = value if isinstance(value, list | tuple) else [value]
    return any(v not in (None, "", False) and str(v).strip() for v in values)


@register.simple_tag
def govuk_reveal(field, *revealed, when=True) -> SafeString:
    kind = widget_kind(field.field.widget)
    if kind not in ("radios", "checkbox"):
        raise template.TemplateSyntaxError("govuk_reveal draws radios or a single checkbox")
    reveal_id = f"conditional-{field.auto_id or field.html_name}"
    reveal_attrs = {"aria-controls": reveal_id, "data-reveals": reveal_id}
    options = []
    if kind == "checkbox":
        chosen = field.value() not in (None, False, "", "False", "false", "off")
        options.append({"input": field.as_widget(attrs=reveal_attrs), "id": field.id_for_label,
                        "label": field.label, "reveals": True})
    else:
        chosen = str(field.value()) == str(when)
        for option in field.subwidgets:
            reveals = str(option.data["value"]) == str(when)
            if reveals:
                option.data["attrs"].update(reveal_attrs)
            options.append({"input": option.tag(wrap_label=False), "id": option.id_for_label,
                            "label": option.choice_label, "reveals": reveals})
    shown = chosen or any(f.errors or _has_content(f) for f in revealed)
    return render_to_string("govuk/components/reveal.html", {
        "field": field, "kind": kind, "options": options, "revealed": revealed, "reveal_id": reveal_id,
        "shown": shown, "g": {"errors": list(field.errors)},
    })
