"""The matters module's pages, one module a concept (each in its views module)."""

from .views import agency, assistance, categories, cockpit, inbox, matters, meetings

app_name = "matters"
urlpatterns = [
    *cockpit.urlpatterns,
    *inbox.urlpatterns,
    *matters.urlpatterns,
    *agency.urlpatterns,
    *meetings.urlpatterns,
    *assistance.urlpatterns,
    *categories.urlpatterns,
]
