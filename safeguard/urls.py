from django.contrib import admin
from django.urls import include, path

from safeguard.core import views as core_views
from safeguard.ui import views as ui_views

admin.site.site_header = "Safeguard administration"
admin.site.site_title = "Safeguard administration"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz/signed-in/", core_views.signed_in_floor, name="signed_in_floor"),
    path("accounts/", include("safeguard.accounts.urls")),
    path("children/", include("safeguard.children.urls")),
    path("children/", include("safeguard.screening.urls")),
    path("", include("safeguard.access.urls")),  # /access/break-glass/, /audit/record-access/
    path("language/", include("safeguard.language.urls")),
    path("notifications/", include("safeguard.notifications.urls")),
    path("referrals/", include("safeguard.referrals.urls")),
    path("missing/", include("safeguard.missing.urls")),
    path("intelligence/", include("safeguard.intelligence.urls")),
    path("api/", include(("safeguard.api.urls", "api"))),
    path("admin/", admin.site.urls),
    path("", include("safeguard.ui.urls")),
]

handler403 = ui_views.permission_denied
handler404 = ui_views.page_not_found
handler500 = ui_views.server_error
