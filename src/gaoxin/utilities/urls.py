"""The utilities module's pages, one views module a concept."""

from .views import accounts, cockpit, zone

app_name = "utilities"
urlpatterns = []
urlpatterns += accounts.urlpatterns
urlpatterns += zone.urlpatterns
urlpatterns += cockpit.urlpatterns
