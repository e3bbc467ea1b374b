"""The innovation module's pages, one module a concept (each in its views module)."""

from .views import assessment, cockpit, imports, records

app_name = "innovation"
urlpatterns = []
urlpatterns += records.urlpatterns
urlpatterns += imports.urlpatterns
urlpatterns += assessment.urlpatterns
urlpatterns += cockpit.urlpatterns
