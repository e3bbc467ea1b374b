"""Failed sign-ins are throttled per client address, besides the per-account lockout.

The lockout (django-axes) stops guessing one account's password, but alone it lets one client
lock every account in turn, or try one common password on all of them (spraying). So each
failed credential check also counts against the client's address (the real one behind a trusted
proxy, `core.middleware.client_address`); past `LOGIN_THROTTLE_FAILURES` failures within
`LOGIN_THROTTLE_MINUTES`, that address may not try again until the window ends: the sign-in
page and the token endpoint answer 429 before any credential is looked at, so a throttled
client can neither guess nor push accounts into lockout. Counts live in the shared cache.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import audit, context
from .models import AuditRecord


def _key(ip: str) -> str:
    return f"login-throttle:{ip}"


def failures(ip: str | None) -> int:
    return cache.get(_key(ip), 0) if ip else 0


def is_throttled(ip: str | None) -> bool:
    return failures(ip) >= settings.LOGIN_THROTTLE_FAILURES


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    ip = context.client_ip.get()
    if not ip:
        return
    key = _key(ip)
    # The window starts at the first failure and is not extended by later ones.
    if cache.add(key, 1, settings.LOGIN_THROTTLE_MINUTES * 60):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, settings.LOGIN_THROTTLE_MINUTES * 60)
            count = 1
    if count == settings.LOGIN_THROTTLE_FAILURES:
        audit.record(
            ip,
            AuditRecord.Action.THROTTLED,
            repr_=ip,
            message=_("该地址 %(m)d 分钟内登录失败 %(n)d 次,暂停其登录")
            % {"m": settings.LOGIN_THROTTLE_MINUTES, "n": count},
        )


class LoginThrottleMiddleware:
    """Answers 429 to a throttled address's sign-in attempts (page and API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signing_in = request.method == "POST" and request.path_info in self._paths()
        if signing_in and is_throttled(context.client_ip.get()):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _paths():
        return {reverse("login"), reverse("api:issue_token")}

    @staticmethod
    def _refuse(request):
        message = _("该地址登录失败次数过多,请 %(m)d 分钟后再试") % {
            "m": settings.LOGIN_THROTTLE_MINUTES
        }
        if request.path_info.startswith("/api/"):
            body = {"detail": message, "errors": []}
            return JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
        return render(request, "registration/throttled.html", {"message": message}, status=429)
