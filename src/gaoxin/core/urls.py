from django.contrib.auth import views as auth_views
from django.urls import include, path

from .people import views as people_views
from .views import audit, notifications, otp, pages, tags, tokens
from .views.auth import LoginView

urlpatterns = [
    path("", pages.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", people_views.password_change, name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("account/otp/", otp.enrol, name="otp_enrol"),
    path("account/otp/verify/", otp.verify, name="otp_verify"),
    path("account/otp/recovery/", otp.recovery_codes, name="otp_recovery_codes"),
    path("account/otp/recovery/download/", otp.recovery_download, name="otp_recovery_download"),
    path("account/otp/disable/", otp.disable, name="otp_disable"),
    path("account/otp/reset/<int:user_id>/", otp.reset, name="otp_reset"),
    path("account/tokens/", tokens.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("zone/", pages.switch_zone, name="switch_zone"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notification_read, name="notifications_read"),
    path("audit/", audit.audit_list, name="audit"),
    path("audit/export/", audit.audit_export, name="audit_export"),
    path("tags/", tags.tag_list, name="tags"),
    path("tags/<int:pk>/delete/", tags.tag_delete, name="tag_delete"),
    path("people/", include("gaoxin.core.people.urls")),
]
