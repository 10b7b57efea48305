import os
import subprocess
import sys

import pytest

SETTINGS_ENV = {"DJANGO_SETTINGS_MODULE": "safeguard.settings", "PATH": os.environ.get("PATH", "")}


def _import_settings(**env):
    return subprocess.run(
        [sys.executable, "-c", "import safeguard.settings"],
        env={**SETTINGS_ENV, "SAFEGUARD_DEV": "1", **env}, capture_output=True, text=True, check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SAFEGUARD_DEV", "maybe", "SAFEGUARD_DEV must be a boolean"),
        ("SAFEGUARD_IDLE_TIMEOUT_MINUTES", "half an hour", "must be a whole number"),
        ("SAFEGUARD_IDLE_TIMEOUT_MINUTES", "0", "must be at least 1"),
        ("SECRET_KEY", "too-short", "at least 50 characters"),
        ("DATABASE_URL", "nonsense://x", "DATABASE_URL is not a valid database URL"),
    ],
)
def test_malformed_setting_fails_loudly(name, value, message):
    result = _import_settings(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "SAFEGUARD_DEV": "0",
        "SAFEGUARD_TESTING": "0",
        "SECRET_KEY": "k3#Vq9!zR2@wP8$mL5^tY7&nB4*hJ6(cX1)fG0-dS_aE+uI=oK~",
        "ALLOWED_HOSTS": "safeguard.example.org",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "safeguard.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_serve_without_a_secret_key():
    env = {**SETTINGS_ENV, "SAFEGUARD_DEV": "0", "SAFEGUARD_TESTING": "0", "ALLOWED_HOSTS": "x"}
    result = subprocess.run([sys.executable, "-c", "import safeguard.wsgi"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


DEMO_PAGES = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
missing = client.get("/no-such-page/")
static = client.get("/static/safeguard/app.css")
from django.urls import reverse
sign_in = client.get(reverse("accounts:login"))
print(settings.DEBUG, missing.status_code, "Page not found" in missing.content.decode(),
      "URLconf" in missing.content.decode(), static.status_code,
      "authenticator code is skipped" in sign_in.content.decode())
"""


def test_the_demo_serves_the_products_own_404_page_and_its_static_files(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", DEMO_PAGES],
        env={**SETTINGS_ENV, "SAFEGUARD_DEV": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"},
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    # DEBUG off; the product's page, not Django's list of URL patterns; static files still served;
    # the sign-in page says that the demo skips the authenticator code.
    assert result.stdout.split() == ["False", "404", "True", "False", "200", "True"]
