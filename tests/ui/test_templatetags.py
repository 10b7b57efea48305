"""The small helpers in the govuk template tag library."""

from __future__ import annotations

from django import forms
from django.template import engines

from .html import parse
from .sample_forms import ClashForm


def render(template: str, **context) -> str:
    return engines["django"].from_string("{% load govuk %}" + template).render(context)


def test_mark_highlights_each_word_and_escapes_everything_else():
    html = render("{{ text|mark:query }}", text="Jodie <b>Smyth</b> & jodie's friend", query="jodie smyth")
    assert html == (
        '<mark class="sg-mark">Jodie</mark> &lt;b&gt;<mark class="sg-mark">Smyth</mark>&lt;/b&gt; &amp; '
        '<mark class="sg-mark">jodie</mark>&#x27;s friend'
    )


def test_mark_without_a_query_just_escapes():
    assert render("{{ text|mark:query }}", text="<i>x</i>", query="") == "&lt;i&gt;x&lt;/i&gt;"
    assert render("{{ text|mark:query }}", text=None, query="x") == ""


def test_mark_treats_the_query_as_text_not_a_pattern():
    assert (
        render("{{ text|mark:query }}", text="a.b axb", query="a.b") == '<mark class="sg-mark">a.b</mark> axb'
    )


def test_button():
    button = parse(render('{% govuk_button "Save and continue" %}')).find("button")
    assert button.get("type") == "submit"
    assert button.classes == {"govuk-button"}
    assert button.get("data-module") == "govuk-button"
    assert button.get("data-prevent-double-click") == "true"
    assert button.text == "Save and continue"

    warning = parse(
        render('{% govuk_button "Delete" variant="warning" name="action" value="delete" %}')
    ).find("button")
    assert warning.classes == {"govuk-button", "govuk-button--warning"}
    assert (warning.get("name"), warning.get("value")) == ("action", "delete")

    link = parse(render('{% govuk_button "Start" href="/start/" variant="secondary" %}')).find("a")
    assert link.get("href") == "/start/" and link.get("role") == "button"
    assert "govuk-button--secondary" in link.classes


def test_button_text_is_escaped():
    assert "<script>" not in render("{% govuk_button text %}", text="<script>x</script>")


def test_tag():
    tag = parse(render('{% govuk_tag "High risk" "red" %}')).find("strong")
    assert tag.classes == {"govuk-tag", "govuk-tag--red"} and tag.text == "High risk"


def test_error_summary_for_several_forms_and_a_formset():
    first = ClashForm(data={"one-first": "", "one-second": "b"}, prefix="one")
    second = ClashForm(data={"two-first": "", "two-second": "c"}, prefix="two")
    first.is_valid()
    second.is_valid()
    summary = parse(render("{% error_summary a b %}", a=first, b=second))
    assert [a.get("href") for a in summary.find_all("a")] == ["#id_one-first", "#id_two-first"]

    formset_class = forms.formset_factory(ClashForm, extra=0)
    formset = formset_class(
        data={
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-first": "",
            "form-0-second": "x",
        }
    )
    formset.is_valid()
    summary = parse(render("{% error_summary formset %}", formset=formset))
    assert [a.get("href") for a in summary.find_all("a")] == ["#id_form-0-first"]


def test_error_summary_title_can_change():
    form = ClashForm(data={})
    form.is_valid()
    summary = parse(render('{% error_summary form title="Check your answers" %}', form=form))
    assert summary.find("h2").text == "Check your answers"


class RevealForm(forms.Form):
    contact = forms.ChoiceField(label="Can we phone you?", choices=[("yes", "Yes"), ("no", "No")],
                                widget=forms.RadioSelect)
    phone = forms.CharField(label="Phone number", required=False)
    agree = forms.BooleanField(label="I have a reason", required=False)
    reason = forms.CharField(label="The reason", required=False, widget=forms.Textarea)
    reason.mark_optional = False  # type: ignore[attr-defined]


def _reveal(form) -> str:
    return engines["django"].from_string(
        '{% load govuk_reveal %}{% govuk_reveal form.contact form.phone when="yes" %}'
        "{% govuk_reveal form.agree form.reason %}"
    ).render({"form": form})


def test_reveal_component_for_radios_and_a_checkbox():
    html = _reveal(RevealForm())
    yes = '<input type="radio" name="contact" value="yes" class="govuk-radios__input" id="id_contact_0" required ' \
          'aria-controls="conditional-id_contact" data-reveals="conditional-id_contact">'
    assert yes in html
    assert 'value="no" class="govuk-radios__input" id="id_contact_1" required>' in html  # "No" reveals nothing
    assert '<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-id_contact">' in html
    assert html.index('id="conditional-id_contact"') < html.index('id="id_phone"') < html.index('id="id_contact_1"')
    assert 'aria-controls="conditional-id_agree" data-reveals="conditional-id_agree"' in html
    assert 'class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" id="conditional-id_agree"' in html
    assert "The reason (optional)" not in html and "Phone number (optional)" in html
    assert "aria-expanded" not in html


def test_reveal_shows_when_chosen_or_when_something_was_typed_or_is_wrong():
    html = _reveal(RevealForm({"contact": "yes", "reason": "Typed before unticking"}))
    assert '<div class="govuk-radios__conditional" id="conditional-id_contact">' in html
    assert '<div class="govuk-checkboxes__conditional" id="conditional-id_agree">' in html
    assert "Typed before unticking" in html


def test_reveal_refuses_other_widgets():
    import pytest
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load govuk_reveal %}{% govuk_reveal form.phone %}").render(
            {"form": RevealForm()})


def test_govuk_date_writes_what_djangos_date_filter_writes():
    """The written-out dates are the same text as Django's date filter with each style's format,
    for dates and datetimes (naive and aware), every month, single-digit days and midnight."""
    from datetime import UTC, date, datetime, timedelta, timezone

    from django.template.defaultfilters import date as date_filter

    from safeguard.ui.templatetags.govuk import DATE_STYLES, govuk_date

    values = []
    for month in range(1, 13):
        values += [date(2025, month, 1), datetime(2026, month, 9, 0, 5), datetime(2024, month, 28, 23, 59, tzinfo=UTC),
                   datetime(2027, month, 15, 7, 30, tzinfo=timezone(timedelta(hours=1)))]
    for value in values:
        for style, pattern in DATE_STYLES.items():
            if isinstance(value, datetime) or style in ("date", "short"):
                assert govuk_date(value, style) == date_filter(value, pattern), (value, style)
    assert govuk_date(None) == "" and govuk_date("") == ""
    assert govuk_date(datetime(2025, 3, 27, 14, 30), "time") == "27 March 2025, 14:30"
    assert govuk_date(date(2025, 9, 3), "short") == "3 Sep 2025"
