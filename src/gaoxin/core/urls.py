from django.contrib.auth import views as auth_views
from django.urls import path

from .views import audit, pages, tags
from .views.auth import LoginView

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/password/done/"),
        name="password_change",
    ),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("zone/", pages.switch_zone, name="switch_zone"),
    path("audit/", audit.audit_list, name="audit"),
    path("tags/", tags.tag_list, name="tags"),
    path("tags/<int:pk>/delete/", tags.tag_delete, name="tag_delete"),
]
