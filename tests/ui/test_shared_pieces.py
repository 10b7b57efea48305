"""The shared form and page pieces: the typed time, the date-and-time pair, summary rows, dates."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone

from safeguard.ui.fields import GovukDateField, GovukTimeField, date_and_time, parse_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", datetime.time(14, 30)), ("14.30", datetime.time(14, 30)), ("2:30pm", datetime.time(14, 30)),
        ("2pm", datetime.time(14, 0)), ("12am", datetime.time(0, 0)), ("12pm", datetime.time(12, 0)),
        ("0:00", datetime.time(0, 0)), ("23:59", datetime.time(23, 59)),
        ("14", None), ("24:00", None), ("13pm", None), ("0am", None), ("12:60", None), ("noon", None), ("", None),
    ],
)
def test_parse_time(typed, expected):
    assert parse_time(typed) == expected


class WhenForm(forms.Form):
    on = GovukDateField(label="Date")
    at = GovukTimeField(label="Time", required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["moment"] = date_and_time(self, cleaned, "on", "at", blank_time_is_midnight=True)
        return cleaned


def _form(time_typed: str) -> WhenForm:
    form = WhenForm({"on_day": "3", "on_month": "4", "on_year": "2025", "at": time_typed})
    form.is_valid()
    return form


@pytest.mark.django_db
def test_date_and_time_makes_one_moment_and_keeps_what_was_typed():
    assert _form("9:15am").cleaned_data["moment"] == timezone.make_aware(datetime.datetime(2025, 4, 3, 9, 15))
    assert _form("").cleaned_data["moment"] == timezone.make_aware(datetime.datetime(2025, 4, 3))
    bad = _form("half two")
    assert bad.errors["at"] == ["Enter the time like 14:30 or 2:30pm"]
    assert 'value="half two"' in str(bad["at"])


def test_time_field_says_which_time_is_missing():
    field = GovukTimeField(label="Time of the interview")
    with pytest.raises(forms.ValidationError, match="Enter the time of the interview"):
        field.clean("")


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_summary_row_escapes_plain_text_and_keeps_safe_markup():
    html = render('{% summary_row "Name given" name %}', name="<b>Jay</b>")
    assert html == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name given</dt>'
        '<dd class="govuk-summary-list__value">&lt;b&gt;Jay&lt;/b&gt;</dd></div>'
    )
    assert "a<br>b" in render('{% summary_row "Text" text|linebreaksbr %}', text="a\nb")


def test_summary_row_block_renders_its_body_escaped():
    html = render('{% summaryrow "Who" %}{{ who }}, {% if n %}{{ n }}{% endif %}{% endsummaryrow %}', who="<i>", n=2)
    assert '<dd class="govuk-summary-list__value">&lt;i&gt;, 2</dd>' in html


@pytest.mark.parametrize(
    ("style", "expected"),
    [("", "3 April 2025"), (':"time"', "3 April 2025, 14:05"), (':"short"', "3 Apr 2025"),
     (':"short_time"', "3 Apr 2025 14:05")],
)
def test_one_date_filter(style, expected, settings):
    settings.TIME_ZONE = "Europe/London"
    moment = datetime.datetime(2025, 4, 3, 13, 5, tzinfo=datetime.UTC)  # 14:05 in London (summer time)
    assert render("{{ when|govuk_date" + style + " }}", when=moment) == expected
