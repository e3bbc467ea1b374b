"""The statistics module's pages, one module a concept (each in its views module)."""

from .views import catalogue, cockpit, fill, findings, imports, official, returns, zones

app_name = "statistics"
urlpatterns = [
    *cockpit.urlpatterns,
    *zones.urlpatterns,
    *returns.urlpatterns,
    *fill.urlpatterns,
    *findings.urlpatterns,
    *official.urlpatterns,
    *catalogue.urlpatterns,
    *imports.urlpatterns,
]
