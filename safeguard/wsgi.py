import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if not settings.SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is not set: set it to a long random value before serving.")
