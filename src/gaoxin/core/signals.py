"""Login successes, failures, logouts and lockouts go into the audit trail (the login log)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_noop

from . import audit, throttle, tokens  # noqa: F401 (throttle connects its receiver)
from .models import AuditRecord


def _zone_of(user):
    if user is None:
        return None
    return next((m.zone_id for m in user.memberships_cached() if m.zone_id), None)


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(user, AuditRecord.Action.LOGIN, user, zone=_zone_of(user), repr_=user.username)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            tokens.revoke_session_tokens(user, session.session_key)
        audit.record(
            user, AuditRecord.Action.LOGOUT, user, zone=_zone_of(user), repr_=user.username
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    user = get_user_model().objects.filter(username=username).first()
    audit.record(
        username,
        AuditRecord.Action.LOGIN_FAILED,
        user,
        zone=_zone_of(user),
        repr_=username,
        message=gettext_noop("账号不存在")
        if user is None
        else gettext_noop("密码错误或账号已锁定"),
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username=None, **kwargs):
    user = get_user_model().objects.filter(username=username or "").first()
    audit.record(
        username or "", AuditRecord.Action.LOCKED, user, zone=_zone_of(user), repr_=username or ""
    )
