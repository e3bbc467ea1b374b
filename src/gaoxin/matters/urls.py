"""The matters module's pages, one module a concept (each in its views module)."""

from .views import (
    agency,
    categories,
    cockpit,
    exports,
    fairs,
    groups,
    inbox,
    ledgers,
    matters,
    meetings,
)

app_name = "matters"
urlpatterns = [
    *cockpit.urlpatterns,
    *inbox.urlpatterns,
    *matters.urlpatterns,
    *agency.urlpatterns,
    *meetings.urlpatterns,
    *groups.urlpatterns,
    *ledgers.urlpatterns,
    *fairs.urlpatterns,
    *categories.urlpatterns,
    *exports.urlpatterns,
]
