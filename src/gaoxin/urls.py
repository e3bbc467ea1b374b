from django.contrib import admin
from django.urls import include, path

from gaoxin.api import api
from gaoxin.core.views.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("enterprises/", include("gaoxin.enterprises.urls")),
    path("investment/", include("gaoxin.investment.urls")),
    path("statistics/", include("gaoxin.statistics.urls")),
    path("matters/", include("gaoxin.matters.urls")),
    path("", include("gaoxin.core.urls")),
]
