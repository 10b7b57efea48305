import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")

from django.conf import settings  # noqa: E402

try:
    _key = settings.SECRET_KEY
except ImproperlyConfigured:  # Django refuses to hand out an empty key
    _key = ""
if not _key:
    raise ImproperlyConfigured("SECRET_KEY is not set: set it to a long random value before serving.")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
