"""GovukDateField: day, month and year boxes, and plain error messages."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import engines
from django.utils import timezone

from safeguard.ui.fields import GovukDateField

from .html import parse


class DobForm(forms.Form):
    date_of_birth = GovukDateField(when="past")


class MissingForm(forms.Form):
    went_missing = GovukDateField(
        label="When did they go missing?", error_name="The date they went missing", when="today_or_past"
    )


class OptionalForm(forms.Form):
    review_on = GovukDateField(label="Review date", required=False, when="future")


def submit(form_class, day="", month="", year="", **extra):
    name = next(iter(form_class.base_fields))
    form = form_class(data={f"{name}_day": day, f"{name}_month": month, f"{name}_year": year, **extra})
    form.is_valid()
    return form, name


def boxes_in_error(form, name) -> set[str]:
    page = parse(form.render())
    return {
        part
        for part in ("day", "month", "year")
        if "govuk-input--error" in page.by_id(f"id_{name}_{part}").classes
    }


def summary_hrefs(form) -> list[str]:
    html = engines["django"].from_string("{% load govuk %}{% error_summary form %}").render({"form": form})
    return [a.get("href") for a in parse(html).find_all("a")]


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "parts"),
    [
        ("", "", "", "Enter date of birth", {"day", "month", "year"}),
        ("14", "", "2012", "Date of birth must include a month", {"month"}),
        ("", "5", "", "Date of birth must include a day and year", {"day", "year"}),
        ("14", "5", "", "Date of birth must include a year", {"year"}),
        ("31", "2", "2012", "Date of birth must be a real date", {"day"}),
        ("14", "13", "2012", "Date of birth must be a real date", {"month"}),
        ("1st", "5", "2012", "Date of birth must be a real date", {"day"}),
        ("14", "Mayday", "2012", "Date of birth must be a real date", {"month"}),
        ("14", "5", "12", "Year must include 4 numbers", {"year"}),
        ("14", "5", "1850", "Date of birth must be a real date", {"year"}),
        ("14", "5", "2999", "Date of birth must be in the past", {"day", "month", "year"}),
    ],
)
def test_date_errors_say_plainly_what_is_wrong(day, month, year, message, parts):
    form, name = submit(DobForm, day, month, year)
    assert form.errors[name] == [message]
    assert boxes_in_error(form, name) == parts
    first = next(p for p in ("day", "month", "year") if p in parts)
    assert summary_hrefs(form) == [f"#id_{name}_{first}"]


def test_today_is_not_in_the_past():
    today = timezone.localdate()
    form, name = submit(DobForm, str(today.day), str(today.month), str(today.year))
    assert form.errors[name] == ["Date of birth must be in the past"]


def test_today_or_past_accepts_today_and_uses_the_error_name():
    today = timezone.localdate()
    form, _ = submit(MissingForm, str(today.day), str(today.month), str(today.year))
    assert form.is_valid()
    assert form.cleaned_data["went_missing"] == today
    form, name = submit(MissingForm)
    assert form.errors[name] == ["Enter the date they went missing"]
    tomorrow = today + datetime.timedelta(days=1)
    form, name = submit(MissingForm, str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
    assert form.errors[name] == ["The date they went missing must be today or in the past"]


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("14", "5", "2012"),
        (" 14 ", "05", "2012"),
        ("14", "May", "2012"),
        ("14", "may", "2012"),
        ("14", "Sept.", "2012"),
    ],
)
def test_valid_dates(day, month, year):
    form, name = submit(DobForm, day, month, year)
    assert form.is_valid(), form.errors
    expected = datetime.date(2012, 9 if month.startswith("Sept") else 5, 14)
    assert form.cleaned_data[name] == expected


def test_an_optional_date_may_be_left_empty_but_not_half_filled():
    form, name = submit(OptionalForm)
    assert form.is_valid()
    assert form.cleaned_data[name] is None
    form, name = submit(OptionalForm, "1", "1", "")
    assert form.errors[name] == ["Review date must include a year"]
    form, name = submit(OptionalForm, "1", "1", "2000")
    assert form.errors[name] == ["Review date must be in the future"]


def test_initial_date_fills_the_boxes():
    page = parse(DobForm(initial={"date_of_birth": datetime.date(2011, 3, 9)}).render())
    assert page.by_id("id_date_of_birth_day").get("value") == "9"
    assert page.by_id("id_date_of_birth_month").get("value") == "3"
    assert page.by_id("id_date_of_birth_year").get("value") == "2011"


def test_has_changed():
    initial = {"date_of_birth": datetime.date(2011, 3, 9)}
    same = DobForm(
        initial=initial,
        data={"date_of_birth_day": "9", "date_of_birth_month": "3", "date_of_birth_year": "2011"},
    )
    assert not same.has_changed()
    other = DobForm(
        initial=initial,
        data={"date_of_birth_day": "10", "date_of_birth_month": "3", "date_of_birth_year": "2011"},
    )
    assert other.changed_data == ["date_of_birth"]


def test_errors_from_form_clean_mark_every_box():
    class Later(DobForm):
        def clean_date_of_birth(self):
            raise forms.ValidationError("Date of birth must be after the child's first contact with us")

    form, name = submit(Later, "14", "5", "2012")
    assert form.errors[name] == ["Date of birth must be after the child's first contact with us"]
    assert boxes_in_error(form, name) == {"day", "month", "year"}


def test_birthday_autocomplete_is_split_across_the_boxes():
    class Bday(forms.Form):
        dob = GovukDateField(label="Date of birth")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["dob"].widget.attrs["autocomplete"] = "bday"

    page = parse(Bday().render())
    assert page.by_id("id_dob_day").get("autocomplete") == "bday-day"
    assert page.by_id("id_dob_year").get("autocomplete") == "bday-year"


def test_unknown_when_is_refused():
    with pytest.raises(ValueError):
        GovukDateField(when="yesterday")
