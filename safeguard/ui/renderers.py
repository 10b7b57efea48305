"""Form renderer that draws every Django form with GOV.UK Frontend markup.

Plain Django forms need nothing special: ``{{ form }}`` renders each field as a GOV.UK
form group (label, hint, error message, input) because this renderer supplies its own
form and field templates and overrides Django's widget templates
(``safeguard/ui/templates/django/forms/widgets/``).

The overrides must win over Django's own copies in ``django.forms`` whatever the order of
INSTALLED_APPS, so form templates are loaded from a dedicated engine whose search order is:
the project's template DIRS, then this app's templates, then every app's templates (which
includes ``django/forms/templates``). Template tag libraries of installed apps are available
as usual.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.forms.renderers import TemplatesSetting
from django.template.backends.django import DjangoTemplates

UI_TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Options of the project's DjangoTemplates engine that also make sense for form templates.
_COPIED_OPTIONS = ("builtins", "libraries", "autoescape", "string_if_invalid", "debug")


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"

    @cached_property
    def engine(self) -> DjangoTemplates:
        project: dict[str, Any] = next(
            (
                t
                for t in settings.TEMPLATES
                if t.get("BACKEND") == "django.template.backends.django.DjangoTemplates"
            ),
            {},
        )
        dirs = [Path(d) for d in project.get("DIRS", [])]
        if UI_TEMPLATES_DIR not in dirs:
            dirs.append(UI_TEMPLATES_DIR)
        options = {k: v for k, v in project.get("OPTIONS", {}).items() if k in _COPIED_OPTIONS}
        return DjangoTemplates({"NAME": "govuk-forms", "DIRS": dirs, "APP_DIRS": True, "OPTIONS": options})

    def get_template(self, template_name):
        return self.engine.get_template(template_name)
