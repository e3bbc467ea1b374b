from django.shortcuts import render


def lockout(request, credentials, *args, **kwargs):
    """Shown (status 429) when an account is locked after repeated failed logins."""
    return render(request, "registration/locked.html", status=429)
