"""The investment module's pages, one list per concept (each in its views module)."""

from .views import campaigns, cockpit, exports, imports, projects

app_name = "investment"
urlpatterns = [
    *projects.urlpatterns,
    *cockpit.urlpatterns,
    *campaigns.urlpatterns,
    *imports.urlpatterns,
    *exports.urlpatterns,
]
