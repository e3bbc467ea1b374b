from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(lockout_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


def lockout(request, credentials, *args, **kwargs):
    """Shown (status 429) when an account is locked after repeated failed logins."""
    return render(request, "registration/locked.html", status=429)
