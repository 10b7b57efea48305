"""Plain Django forms render as GOV.UK Frontend components."""

from __future__ import annotations

from django.forms.renderers import get_default_renderer
from django.template import engines

from safeguard.ui.renderers import GovukFormRenderer

from .html import parse
from .sample_forms import VALID_DATA, ClashForm, HeadingForm, SampleForm


def render(template: str, **context) -> str:
    return engines["django"].from_string("{% load govuk %}" + template).render(context)


def test_the_project_renders_forms_with_the_govuk_renderer():
    assert isinstance(get_default_renderer(), GovukFormRenderer)


def test_widget_overrides_win_over_djangos_own_templates():
    # django.forms comes before safeguard.ui in INSTALLED_APPS; the renderer must still use ours.
    template = GovukFormRenderer().get_template("django/forms/widgets/input.html")
    assert "safeguard/ui/templates" in str(template.origin.name)


def test_every_field_kind_renders_govuk_markup():
    page = parse(SampleForm().render())

    # Text input with a hint.
    name = page.by_id("id_name")
    assert name.tag == "input" and "govuk-input" in name.classes
    label = page.find("label", **{"for": "id_name"})
    assert label is not None and "govuk-label" in label.classes and "Full name" in label.text
    hint = page.by_id("id_name_helptext")
    assert "govuk-hint" in hint.classes and "official documents" in hint.text
    assert "id_name_helptext" in name.get("aria-describedby").split()
    assert all("govuk-form-group" in g.classes for g in page.find_all("div", cls="govuk-form-group"))

    # Optional fields say so.
    assert "(optional)" in page.find("label", **{"for": "id_email"}).text
    assert "govuk-input" in page.by_id("id_email").classes

    # Select.
    assert "govuk-select" in page.by_id("id_agency_kind").classes

    # Radios in a fieldset with a legend.
    radios = page.find("div", cls="govuk-radios")
    assert radios.get("data-module") == "govuk-radios"
    first_radio = page.by_id("id_contact_0")
    assert first_radio.get("type") == "radio" and "govuk-radios__input" in first_radio.classes
    radio_label = page.find("label", **{"for": "id_contact_0"})
    assert {"govuk-label", "govuk-radios__label"} <= radio_label.classes and "Email" in radio_label.text
    assert len(page.find_all("div", cls="govuk-radios__item")) == 2
    legends = [el for el in page.find_all("legend", cls="govuk-fieldset__legend")]
    assert any("How should we contact you?" in legend.text for legend in legends)

    # Checkboxes in a fieldset; the hint is linked from the fieldset.
    checkboxes = page.find("div", cls="govuk-checkboxes", data_module="govuk-checkboxes")
    assert checkboxes is not None
    assert "govuk-checkboxes__input" in page.by_id("id_concerns_0").classes
    assert len(page.find_all("div", cls="govuk-checkboxes__item")) == 3 + 1  # + the single checkbox
    fieldsets = page.find_all("fieldset", cls="govuk-fieldset")
    assert any(f.get("aria-describedby") == "id_concerns_helptext" for f in fieldsets)

    # Textarea.
    notes = page.by_id("id_notes")
    assert notes.tag == "textarea" and "govuk-textarea" in notes.classes
    assert "govuk-js-character-count" not in notes.classes

    # A plain DateField is a text input.
    assert "govuk-input" in page.by_id("id_seen_on").classes

    # Date input: day, month, year in a fieldset with role=group.
    date = page.by_id("id_date_of_birth")
    assert "govuk-date-input" in date.classes
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        box = page.by_id(f"id_date_of_birth_{part}")
        assert box.get("name") == f"date_of_birth_{part}"
        assert box.get("inputmode") == "numeric"
        assert {"govuk-input", "govuk-date-input__input", f"govuk-input--width-{width}"} <= box.classes
        assert "govuk-input--error" not in box.classes
        assert page.find("label", **{"for": f"id_date_of_birth_{part}"}).text.strip() == part.title()
    date_fieldset = next(f for f in fieldsets if f.get("role") == "group")
    assert date_fieldset.get("aria-describedby") == "id_date_of_birth_helptext"

    # Single checkbox.
    told = page.by_id("id_told_family")
    assert told.get("type") == "checkbox" and "govuk-checkboxes__input" in told.classes
    assert "(optional)" not in page.find("label", **{"for": "id_told_family"}).text

    # Hidden input: no GOV.UK class, no form group.
    hidden = page.by_id("id_reference")
    assert hidden.get("type") == "hidden" and not hidden.classes


def test_character_count_for_a_textarea_with_max_length():
    page = parse(SampleForm().render())
    textarea = page.by_id("id_summary")
    assert {"govuk-textarea", "govuk-js-character-count"} <= textarea.classes
    assert textarea.get("maxlength") == "500"
    wrapper = page.find("div", cls="govuk-character-count")
    assert wrapper.get("data-module") == "govuk-character-count"
    assert wrapper.get("data-maxlength") == "500"
    assert textarea in list(wrapper.iter())
    info = page.by_id("id_summary-info")
    assert {"govuk-hint", "govuk-character-count__message"} <= info.classes
    assert "You can enter up to 500 characters" in info.text
    assert "id_summary-info" in textarea.get("aria-describedby").split()


def test_character_count_can_be_turned_off():
    form = SampleForm()
    form.fields["summary"].character_count = False
    page = parse(form.render())
    assert page.find("div", cls="govuk-character-count") is None
    assert "govuk-js-character-count" not in page.by_id("id_summary").classes


def test_errors_show_a_summary_linking_to_each_field_and_inline_messages():
    form = SampleForm(data={"date_of_birth_day": "1"})
    assert not form.is_valid()
    summary = parse(render("{% error_summary form %}", form=form))
    box = summary.find("div", cls="govuk-error-summary")
    assert box.get("data-module") == "govuk-error-summary"
    assert box.find("div", role="alert") is not None
    assert "There is a problem" in box.find("h2", cls="govuk-error-summary__title").text
    links = {a.get("href"): a.text for a in box.find_all("a")}
    assert links["#id_name"] == "This field is required."
    assert "#id_agency_kind" in links
    assert "#id_contact_0" in links  # the first radio
    assert "#id_concerns_0" in links  # the first checkbox
    assert "#id_summary" in links
    assert links["#id_date_of_birth_month"] == "Date of birth must include a month and year"
    # In page order.
    assert list(links)[:2] == ["#id_name", "#id_agency_kind"]

    page = parse(form.render())
    name = page.by_id("id_name")
    assert {"govuk-input", "govuk-input--error"} <= name.classes
    assert name.get("aria-invalid") == "true"
    assert name.get("aria-describedby").split() == ["id_name_helptext", "id_name_error"]
    message = page.by_id("id_name_error")
    assert message.tag == "p" and "govuk-error-message" in message.classes
    hidden = message.find("span", cls="govuk-visually-hidden")
    assert hidden.text == "Error:"
    assert "This field is required." in message.all_text
    groups_in_error = page.find_all("div", cls="govuk-form-group--error")
    assert len(groups_in_error) == 6  # name, agency, contact, concerns, summary, date of birth
    assert "govuk-select--error" in page.by_id("id_agency_kind").classes
    assert "govuk-textarea--error" in page.by_id("id_summary").classes
    contact_fieldset = next(
        f for f in page.find_all("fieldset") if f.find("input", id="id_contact_0") is not None
    )
    assert "id_contact_error" in contact_fieldset.get("aria-describedby").split()
    # Valid optional fields are not marked.
    assert "govuk-input--error" not in page.by_id("id_email").classes


def test_no_summary_for_an_unbound_or_valid_form():
    assert render("{% error_summary form %}", form=SampleForm()).strip() == ""
    form = SampleForm(data=VALID_DATA)
    assert form.is_valid(), form.errors
    assert render("{% error_summary form %}", form=form).strip() == ""
    assert render("{{ form|error_prefix }}", form=form) == ""


def test_error_prefix_for_the_page_title():
    form = SampleForm(data={})
    form.is_valid()
    assert render("{{ form|error_prefix }}Report a concern", form=form) == "Error: Report a concern"


def test_non_field_errors_are_in_the_summary_and_above_the_fields():
    form = ClashForm(data={"first": "same", "second": "same"})
    assert not form.is_valid()
    summary = parse(render("{% error_summary form %}", form=form))
    link = summary.find("a", href="#form-errors")
    assert link is not None and link.text == "First and second must be different"
    page = parse(form.render())
    block = page.by_id("form-errors")
    assert "First and second must be different" in block.all_text
    assert block.find("span", cls="govuk-visually-hidden").text == "Error:"


def test_prefixed_forms_get_their_own_ids():
    form = ClashForm(data={"x-first": "same", "x-second": "same"}, prefix="x")
    form.is_valid()
    summary = parse(render("{% error_summary form %}", form=form))
    assert summary.find("a", href="#x-form-errors") is not None


def test_label_or_legend_as_page_heading():
    page = parse(HeadingForm().render())
    h1 = page.find("h1", cls="govuk-label-wrapper")
    label = h1.find("label")
    assert {"govuk-label", "govuk-label--l"} <= label.classes
    assert "Why do you need to see this record?" in label.text
    legend = page.find("legend")
    assert "govuk-fieldset__legend--m" in legend.classes
    assert legend.find("h1") is None


def test_radio_modifiers_go_on_the_container():
    form = HeadingForm()
    form.fields["choice"].widget.attrs["class"] = "govuk-radios--inline"
    page = parse(form.render())
    container = page.find("div", cls="govuk-radios")
    assert "govuk-radios--inline" in container.classes
    assert page.by_id("id_choice_0").classes == {"govuk-radios__input"}


def test_values_are_kept_and_escaped_when_a_form_is_shown_again():
    data = dict(VALID_DATA, name='<script>alert("x")</script>', date_of_birth_year="")
    form = SampleForm(data=data)
    assert not form.is_valid()
    html = form.render()
    assert "<script>" not in html
    page = parse(html)
    assert page.by_id("id_name").get("value") == '<script>alert("x")</script>'
    assert page.by_id("id_date_of_birth_day").get("value") == "14"
    assert "checked" in page.by_id("id_contact_0").attrs
    assert "checked" not in page.by_id("id_contact_1").attrs
    assert "checked" in page.by_id("id_concerns_2").attrs
