from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from .. import otp


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockout_limit=settings.AXES_FAILURE_LIMIT, **kwargs)

    def get_success_url(self):
        # The password was right; the second factor may still be owed (gaoxin.core.otp).
        return otp.after_password(self.request, super().get_success_url())


def lockout(request, credentials, *args, **kwargs):
    """Shown (status 429) when an account is locked after repeated failed logins."""
    return render(request, "registration/locked.html", status=429)
