"""The second factor's pages: the code at sign-in, enrolment with a QR code, recovery codes,
turning it off, and a higher admin's reset after a lost phone (gaoxin.core.otp)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from .. import otp
from ..api import MAX_ID
from ..models import User

NEW_CODES = "otp_new_recovery_codes"  # shown once on the recovery-codes page, then dropped


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


def _locked(request, message):
    """Too many wrong codes: the session ends; the password and the code are needed again."""
    logout(request)
    return render(request, "registration/otp_verify.html", {"locked": message}, status=429)


@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    step = otp.pending_step(request)
    if step == otp.VERIFY and not otp.has_device(request.user):  # reset meanwhile
        request.session[otp.SESSION_HAS_DEVICE] = False
        step = otp.pending_step(request)
    if step == otp.ENROL:
        return redirect(_with_next(otp.ENROL, _next(request)))
    if step is None:
        return redirect(_next(request))
    until = otp.lock_state(request.user)
    if until is not None:
        return _locked(request, otp.locked_message(until))
    error = None
    if request.method == "POST":
        try:
            device = otp.verify_second_factor(request.user, request.POST.get("code"), via=_("登录"))
        except otp.SecondFactorError as exc:
            if exc.locked:
                return _locked(request, exc.message)
            error = exc.message
        else:
            otp.mark_verified(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("您使用了一个恢复码,还剩 %(n)d 个。如手机丢失,请联系上级管理员重置。")
                    % {"n": device.token_set.count()},
                )
            return redirect(_next(request))
    context = {"error": error, "next": _next(request)}
    return render(request, "registration/otp_verify.html", context)


@login_required
def enrol(request):
    """Bind an authenticator app (QR code or the key typed in), or manage the bound one."""
    user = request.user
    if otp.has_device(user):
        if not user.is_verified():
            return redirect(_with_next(otp.VERIFY, request.get_full_path()))
        context = {
            "codes_left": otp.recovery_codes_left(user),
            "required": otp.requires_two_factor(user),
            "device": otp.totp_device(user),
        }
        return render(request, "registration/otp_manage.html", context)
    device = otp.start_enrolment(user)
    error = None
    if request.method == "POST":
        try:
            device, codes = otp.confirm_enrolment(user, request.POST.get("code"))
        except otp.SecondFactorError as exc:
            error = exc.message
        else:
            otp.mark_verified(request, device)
            request.session[NEW_CODES] = codes
            messages.success(request, _("已启用双因素认证"))
            return redirect(_with_next("otp_recovery_codes", _next(request)))
    context = {
        # Drawn server-side by the qrcode package: SVG markup of our own, safe to inline.
        "qr": mark_safe(otp.qr_svg(device)),
        "secret": otp.secret_base32(device),
        "error": error,
        "next": _next(request),
        "required": otp.requires_two_factor(user),
    }
    return render(request, "registration/otp_enrol.html", context)


@login_required
def recovery_codes(request):
    """GET: the new codes, once. POST: ten new codes (a current code is needed)."""
    if request.method == "POST":
        try:
            codes = otp.regenerate_recovery_codes(request.user, request.POST.get("code"))
        except otp.SecondFactorError as exc:
            if exc.locked:
                return _locked(request, exc.message)
            messages.error(request, exc.message)
            return redirect(otp.ENROL)
        request.session[NEW_CODES] = codes
        return redirect("otp_recovery_codes")
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        messages.info(request, _("恢复码只在生成时显示一次;如已遗失,请重新生成。"))
        return redirect(otp.ENROL)
    context = {"codes": codes, "next": _next(request)}
    return render(request, "registration/otp_recovery_codes.html", context)


@login_required
@require_POST
def recovery_download(request):
    """The codes just shown, as a text file (only the user's own unused codes are echoed)."""
    codes = otp.own_recovery_codes(request.user, request.POST.getlist("code"))
    if not codes:
        raise Http404
    lines = [
        _("%(p)s 双因素认证恢复码(账号 %(u)s)")
        % {"p": settings.OTP_TOTP_ISSUER, "u": request.user.username},
        _("每个恢复码只能使用一次。请妥善保管。"),
        "",
        *codes,
    ]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gaoxin-recovery-codes.txt"'
    return response


@login_required
@require_POST
def disable(request):
    """Turn the second factor off (roles that do not require it), or remove the device to bind a
    new phone (`replace`); either needs a current code."""
    replacing = request.POST.get("replace") == "1"
    try:
        otp.remove_own_device(request.user, request.POST.get("code"), replacing=replacing)
    except otp.SecondFactorError as exc:
        if exc.locked:
            return _locked(request, exc.message)
        messages.error(request, exc.message)
        return redirect(otp.ENROL)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[otp.SESSION_HAS_DEVICE] = False
    if replacing:
        messages.info(request, _("已解除原设备,请用新手机扫描二维码重新绑定"))
    else:
        messages.success(request, _("已停用双因素认证"))
    return redirect(otp.ENROL if replacing else "home")


@login_required
@require_POST
def reset(request, user_id):
    """A higher admin resets someone's second factor (lost phone, locked verification)."""
    target = User.objects.filter(pk=user_id).first() if user_id <= MAX_ID else None
    if target is None:
        raise Http404
    try:
        removed = otp.reset_two_factor(request.user, target)
    except User.DoesNotExist:
        raise Http404 from None
    name = target.display_name
    if removed:
        messages.success(
            request, _("已重置 %(u)s 的双因素认证,其下次登录时须重新绑定") % {"u": name}
        )
    else:
        messages.info(request, _("%(u)s 尚未启用双因素认证,无需重置") % {"u": name})
    return redirect(_next(request))
