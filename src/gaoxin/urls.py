from django.contrib import admin
from django.urls import include, path, re_path

from gaoxin.api import api
from gaoxin.core import modules
from gaoxin.core.views import errors
from gaoxin.core.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api(?:/|$)", errors.api_not_found),  # JSON, and no slash-appending redirect
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    # Each installed module's pages under its declared prefix (core.modules).
    *(path(m.url_prefix, include(m.urls)) for m in modules.installed() if m.url_prefix),
    path("", include("gaoxin.core.urls")),
]

# JSON in the API's error shape under /api/, Chinese pages elsewhere (core.views.errors).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
