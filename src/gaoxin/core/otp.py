"""Two factors (等保2.0 level 3): TOTP with recovery codes, through django-otp.

Who is asked: the roles in settings.OTP_REQUIRED_ROLES (platform and zone admins by default) must
enrol; anyone who enrolled is asked too. A password login leaves the session signed in but not
verified; TwoFactorMiddleware keeps it on the verify and enrolment pages until
`django_otp.login()` marks it verified. API tokens of those people need a code as well.

Wrong codes count on the devices' own throttling fields (django-otp's ThrottlingMixin): its
exponential delay between attempts, and after AXES_FAILURE_LIMIT failures the verification locks
for the axes cool-off. Every failure, lock, enrolment and reset is audited.
"""

import math
import re
from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.errors import HttpError

from . import audit, tokens
from .models import AuditRecord, User
from .roles import ENTERPRISE_USER, PLATFORM_ADMIN, ZONE_ADMIN, ZONE_LEADER, ZONE_STAFF

RECOVERY_CODES = 10
TOTP_NAME, RECOVERY_NAME = "totp", "recovery"
# The session remembers whether its user has a device, so the middleware needs no query for it.
SESSION_HAS_DEVICE = "otp_has_device"
VERIFY, ENROL = "otp_verify", "otp_enrol"  # the URL names of the two steps
# A zone admin may reset the second factor of these people of their zone (not other admins).
ZONE_PEOPLE = {ZONE_LEADER, ZONE_STAFF, ENTERPRISE_USER}


class SecondFactorError(Exception):
    """A code was refused; `locked` when the verification is locked, `throttled` when the
    attempt came before django-otp's delay after the last failure had passed."""

    def __init__(self, message, *, locked=False, throttled=False, just_locked=False):
        super().__init__(message)
        self.message, self.locked, self.throttled = message, locked or just_locked, throttled
        self.just_locked = just_locked  # this failure reached the limit


# --- who must --------------------------------------------------------------------------------


def required_roles() -> frozenset[str]:
    value = getattr(settings, "OTP_REQUIRED_ROLES", ())
    if isinstance(value, str):
        value = value.split(",")
    return frozenset(r.strip() for r in value if r.strip())


def requires_two_factor(user) -> bool:
    required = required_roles()
    return bool(required) and bool(user.roles() & required)


def totp_device(user, confirmed=True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _session_has_device(request) -> bool:
    if SESSION_HAS_DEVICE not in request.session:
        request.session[SESSION_HAS_DEVICE] = has_device(request.user)
    return request.session[SESSION_HAS_DEVICE]


def pending_step(request) -> str | None:
    """The URL name of the step a signed-in session still owes (VERIFY or ENROL), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "is_verified", lambda: False)():
        return None
    if _session_has_device(request):
        return VERIFY
    if requires_two_factor(user):
        return ENROL
    return None


def after_password(request, url: str) -> str:
    """Where the login page sends a person whose password was right: `url`, or first the step
    they still owe (with `url` as its next)."""
    step = pending_step(request)
    return url if step is None else f"{reverse(step)}?{urlencode({'next': url})}"


@receiver(user_logged_in)
def _new_login(sender, request, user, **kwargs):
    """A fresh login owes the second factor again; note whether the user has a device.

    Only for session logins (auth.login() makes `user` the request's user; force_login's request
    has none): a token request, even one sent with a signed-in session, changes no session."""
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_KEY) != str(user.pk):
        return
    if getattr(request, "user", user) is not user:
        return
    if not hasattr(user, "otp_device"):  # django-otp's own forms set it when they verified
        session.pop(DEVICE_ID_SESSION_KEY, None)
    session[SESSION_HAS_DEVICE] = has_device(user)


def mark_verified(request, device) -> None:
    """The session passed the second factor with `device` (django-otp's login)."""
    from django_otp import login as otp_login

    otp_login(request, device)
    request.session[SESSION_HAS_DEVICE] = True


# --- codes -----------------------------------------------------------------------------------


def normalise(code) -> str:
    """Codes as people type them: spaces and hyphens dropped, letters in lower case."""
    return re.sub(r"[\s\-]", "", str(code or ""))[:64].lower()


def format_recovery(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def _zone_of(user):
    return next((m.zone_id for m in user.memberships_cached() if m.zone_id), None)


def _audit(actor, action, user, message):
    audit.record(actor, action, user, zone=_zone_of(user), repr_=user.username, message=message)


def _failures(devices) -> tuple[int, object]:
    count = sum(d.throttling_failure_count for d in devices)
    times = [d.throttling_failure_timestamp for d in devices if d.throttling_failure_timestamp]
    return count, max(times, default=None)


def _locked_until(devices):
    count, last = _failures(devices)
    if count >= settings.AXES_FAILURE_LIMIT and last is not None:
        until = last + settings.AXES_COOLOFF_TIME
        if until > timezone.now():
            return until
    return None


def lock_state(user):
    """When the user's verification is locked after repeated wrong codes: until when; else None."""
    return _locked_until(list(devices_for_user(user)))


def locked_message(until) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _(
        "双因素认证码连续错误 %(n)d 次,验证已锁定。请 %(m)d 分钟后再试,或请上级管理员重置。"
    ) % {"n": settings.AXES_FAILURE_LIMIT, "m": minutes}


def _attempt(user, code):
    """One verification in one transaction; returns (device, None) or (None, error).

    Nothing is raised inside, so the throttling counters and the audit rows are kept."""
    with transaction.atomic():
        devices = list(devices_for_user(user, for_verify=True))
        totp = next((d for d in devices if isinstance(d, TOTPDevice)), None)
        if totp is None:
            return None, SecondFactorError(_("您尚未启用双因素认证"))
        until = _locked_until(devices)
        if until is not None:
            return None, SecondFactorError(locked_message(until), locked=True)
        if _failures(devices)[0] >= settings.AXES_FAILURE_LIMIT:  # the cool-off has passed
            for d in devices:
                d.throttle_reset()
        static = next((d for d in devices if isinstance(d, StaticDevice)), None)
        by_totp = code.isdigit() and len(code) == totp.digits
        device = totp if by_totp or static is None else static
        allowed, info = device.verify_is_allowed()
        if not allowed:
            seconds = math.ceil((info["locked_until"] - timezone.now()).total_seconds())
            return None, SecondFactorError(
                _("尝试过于频繁,请 %(s)d 秒后再试") % {"s": max(seconds, 1)}, throttled=True
            )
        if device.verify_token(code):
            for d in devices:
                if d is not device and d.throttling_failure_count:
                    d.throttle_reset()
            return device, None
        count, _last = _failures(devices)
        left = settings.AXES_FAILURE_LIMIT - count
        if left <= 0:
            until = _locked_until(devices)
            return None, SecondFactorError(locked_message(until), just_locked=True)
        return None, SecondFactorError(_("验证码或恢复码错误,还可尝试 %(n)d 次") % {"n": left})


def verify_second_factor(user, code, *, via: str = "") -> TOTPDevice | StaticDevice:
    """The device that accepts `code` (a TOTP code or a recovery code, used up); else
    SecondFactorError. Failures count toward the lock and are audited, successes too."""
    code = normalise(code)
    device, error = _attempt(user, code)
    where = f"{via}:" if via else ""
    if error is None:
        if isinstance(device, StaticDevice):
            message = _("%(w)s使用恢复码通过双因素认证,剩余 %(n)d 个") % {
                "w": where,
                "n": device.token_set.count(),
            }
        else:
            message = _("%(w)s双因素认证通过") % {"w": where}
        _audit(user, AuditRecord.Action.OTP, user, message)
        return device
    if error.just_locked:
        _audit(user, AuditRecord.Action.LOCKED, user, where + error.message)
    else:
        _audit(user, AuditRecord.Action.LOGIN_FAILED, user, where + error.message)
    raise error


# --- enrolment and the user's own device -----------------------------------------------------


def start_enrolment(user) -> TOTPDevice:
    """The unconfirmed TOTP device the enrolment page shows (kept until confirmed, so reloading
    the page shows the same QR code)."""
    with transaction.atomic():
        device = totp_device(user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def provisioning_uri(device) -> str:
    return device.config_url


def qr_svg(device) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn here (nothing from the internet)."""
    image = qrcode.make(
        provisioning_uri(device), image_factory=qrcode.image.svg.SvgPathImage, box_size=15
    )
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # without an XML declaration, for inline HTML


def secret_base32(device) -> str:
    """The key for manual entry, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    return [format_recovery(t) for t in tokens]


def confirm_enrolment(user, code) -> tuple[TOTPDevice, list[str]]:
    """Confirm the new device with a code from it; returns it and 10 fresh recovery codes."""
    code = normalise(code)
    error = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            error = _("请重新打开启用页面扫描二维码")
        elif not device.verify_is_allowed()[0]:
            error = _("尝试过于频繁,请稍后再试")
        elif not device.verify_token(code):
            error = _("验证码错误:请输入验证器应用中当前显示的 6 位数字")
        else:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            _audit(user, AuditRecord.Action.OTP, user, _("启用双因素认证(TOTP),生成恢复码"))
    if error is not None:
        _audit(user, AuditRecord.Action.OTP, user, _("启用双因素认证失败:") + error)
        raise SecondFactorError(error)
    return device, codes


def own_recovery_codes(user, codes) -> list[str]:
    """Those of `codes` that are the user's unused recovery codes (for the download)."""
    mine = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    wanted = [normalise(c) for c in codes[:RECOVERY_CODES]]
    return [format_recovery(c) for c in wanted if c in mine]


def regenerate_recovery_codes(user, code) -> list[str]:
    """Ten new recovery codes (the old ones stop working); needs a current code."""
    verify_second_factor(user, code, via=_("重新生成恢复码"))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        _audit(user, AuditRecord.Action.OTP, user, _("重新生成恢复码"))
    return codes


def remove_own_device(user, code, *, replacing: bool = False) -> None:
    """The user turns their second factor off (only when their role does not require it), or
    removes it to bind a new phone (`replacing`). Either needs a current code."""
    if not replacing and requires_two_factor(user):
        raise SecondFactorError(_("您的角色必须使用双因素认证,不能停用"))
    verify_second_factor(user, code, via=_("停用双因素认证"))
    with transaction.atomic():
        _delete_devices(user)
        message = _("更换双因素认证设备") if replacing else _("停用双因素认证")
        _audit(user, AuditRecord.Action.OTP, user, message)


def _delete_devices(user) -> list[str]:
    names = sorted(d.name for d in devices_for_user(user, confirmed=None))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return names


# --- loss of device: reset by a higher admin -------------------------------------------------


def can_reset_two_factor(actor, user) -> bool:
    """A platform admin resets anyone else; a zone admin the people of their zone who are not
    admins themselves (every role the person holds lies in one of the admin's zones)."""
    if not (actor and actor.is_authenticated and actor.is_active) or actor.pk == user.pk:
        return False
    roles = actor.memberships_cached()
    if any(m.role == PLATFORM_ADMIN for m in roles):
        return True
    zones = {m.zone_id for m in roles if m.role == ZONE_ADMIN}
    theirs = user.memberships_cached()
    return bool(zones and theirs) and all(
        m.role in ZONE_PEOPLE and m.zone_id in zones for m in theirs
    )


def reset_two_factor(actor, user) -> list[str]:
    """A higher admin removes a user's devices (lost phone, locked verification): the user enrols
    again at the next sign-in. Returns the removed devices' names (none: nothing to audit);
    User.DoesNotExist (a 404) when the user is outside the actor's scope."""
    if not can_reset_two_factor(actor, user):
        raise User.DoesNotExist()
    with transaction.atomic():
        names = _delete_devices(user)
        if not names:
            return names
        audit.record(
            actor,
            AuditRecord.Action.OTP,
            user,
            zone=_zone_of(user),
            repr_=user.username,
            before={"devices": names},
            after={"devices": []},
            message=_("管理员重置双因素认证,须重新绑定"),
        )
        # A lost device may be in someone else's hands: what it let in ends with it.
        tokens.revoke_all(actor, user, _("双因素认证已重置,撤销全部接口令牌"))
    return names


# --- API tokens ------------------------------------------------------------------------------


def check_api_second_factor(user, code: str | None) -> None:
    """POST /auth/token after the password: people who must (or did) enrol give `otp`."""
    enrolled = has_device(user)
    if not (enrolled or requires_two_factor(user)):
        return
    if not enrolled:
        _audit(user, AuditRecord.Action.LOGIN_FAILED, user, _("接口令牌:尚未启用双因素认证"))
        raise HttpError(403, _("请先在网页上启用双因素认证"))
    if not normalise(code):
        _audit(user, AuditRecord.Action.LOGIN_FAILED, user, _("接口令牌:未提供双因素认证码"))
        raise HttpError(401, _("需要双因素认证码(otp)"))
    try:
        verify_second_factor(user, code, via=_("接口令牌"))
    except SecondFactorError as exc:
        if exc.locked or exc.throttled:
            raise HttpError(403, exc.message) from None
        raise HttpError(401, _("需要双因素认证码(otp)")) from None
