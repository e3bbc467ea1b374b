from django.urls import path

from . import views, zones

app_name = "people"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_edit, name="edit"),
    path("<int:pk>/active/", views.account_active, name="active"),
    path("<int:pk>/reset-password/", views.account_reset, name="reset_password"),
    path("<int:pk>/memberships/", views.membership_add, name="membership_add"),
    path(
        "<int:pk>/memberships/<int:membership_id>/delete/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("<int:pk>/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("zones/", zones.zone_list, name="zones"),
    path("zones/new/", zones.zone_create, name="zone_create"),
    path("zones/<int:pk>/", zones.zone_edit, name="zone_edit"),
]
