"""The REST API under /api/ (namespace "api"): each app's endpoints, the OpenAPI schema and the docs.

Mounted in safeguard/urls.py as ``path("api/", include(("safeguard.api.urls", "api")))``.
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("safeguard.children.api_urls")),
    path("", include("safeguard.screening.api_urls")),
    path("", include("safeguard.referrals.api_urls")),
    path("", include("safeguard.missing.api_urls")),
    path("", include("safeguard.intelligence.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Interactive docs for signed-in users only. The split view serves its script from our own
    # origin, so the page works under the content security policy once Swagger UI's files are
    # served locally too (drf-spectacular-sidecar; see the note in docs/decisions).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
]
