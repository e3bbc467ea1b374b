import ipaddress
import re
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import context, otp
from .zones import current_zone

# A request id from outside is kept only in a safe form (a UUID, a proxy's hex or dashed id):
# it is stored in the audit trail and echoed in a header.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def trusted_proxies() -> list:
    return [ipaddress.ip_network(n, strict=False) for n in settings.TRUSTED_PROXIES]


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(addr) -> bool:
    return addr is not None and any(addr in net for net in trusted_proxies())


def client_address(request) -> str | None:
    """The client's address: the peer's, or behind a configured trusted proxy the nearest
    address in X-Forwarded-For that is not itself a trusted proxy. Without a trusted peer the
    header is ignored, so a client cannot choose the address it is audited and throttled by."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if not _trusted(peer):
        return str(peer) if peer else None
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        addr = _address(hop)
        if addr is None:
            break  # garbage in the chain: trust nothing further left
        if not _trusted(addr):
            return str(addr)
    return str(peer)


class RequestIdMiddleware:
    """Gives every request an id (or keeps a safe X-Request-ID) and the client's real address
    (behind a trusted proxy) for the audit trail, the lockout and the login throttle."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID") or ""
        rid = sent if SAFE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        request.request_id = rid
        ip = client_address(request)
        if ip and ip != request.META.get("REMOTE_ADDR"):
            request.META["REMOTE_ADDR"] = ip  # django-axes reads the client, not the proxy
        t1 = context.request_id.set(rid)
        t2 = context.client_ip.set(ip)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(t1)
            context.client_ip.reset(t2)
        response["X-Request-ID"] = rid
        return response


class SessionIdleMiddleware:
    """The idle limit (SESSION_COOKIE_AGE) counts from a signed-in person's last request, as with
    Django's SESSION_SAVE_EVERY_REQUEST, but the session is written at most once a minute instead
    of on every request (one UPDATE less per page and per API call): the limit holds to within a
    minute. Right after Django's SessionMiddleware, which saves what this marks."""

    EVERY_SECONDS = 60
    TOUCHED = "_gx_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or not session.session_key:
            return response
        if SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(self.TOUCHED, 0) >= self.EVERY_SECONDS:
                session[self.TOUCHED] = now
        return response


class CurrentZoneMiddleware:
    """`request.zone`: the zone the user is working in (chosen with the zone switcher)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.zone = SimpleLazyObject(lambda: current_zone(request))
        return self.get_response(request)


class LanguageMiddleware:
    """Chinese first: the language is the person's own choice (the switch's cookie) or Chinese.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language, so an officer's
    English-language browser still opens the platform in Chinese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class TwoFactorMiddleware:
    """Signed in with the password but not yet through the second factor (gaoxin.core.otp): every
    page sends the person to the verify or enrolment step, and the API answers 403.

    After django_otp's OTPMiddleware, so force_login'd sessions are held too. Open meanwhile:
    those two steps, logout, static files and the language switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = otp.pending_step(request)
        if step is None or self._open(request.path_info):
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            detail = (
                _("请先在网页上启用双因素认证")
                if step == otp.ENROL
                else _("请先在网页上完成双因素认证")
            )
            return JsonResponse(
                {"detail": detail, "errors": []},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):  # htmx would swap the step into a fragment
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    @staticmethod
    def _open(path):
        if path in (reverse(otp.VERIFY), reverse(otp.ENROL), reverse("logout")):
            return True
        return path.startswith((settings.STATIC_URL, "/i18n/"))


class PasswordPolicyMiddleware:
    """等保: a signed-in person whose password must change (a new or reset account, or a password
    older than PASSWORD_MAX_AGE_DAYS) is sent to the password page from every other page, and the
    API answers 403 — but for the password change itself, logout, the sign-in and two-factor
    steps, static files and the language switch. Bearer tokens are held the same way in the
    API's authentication (gaoxin.api.BearerAuth).
    """

    # The two-factor steps come first: enrolment shows its recovery codes once, on their page.
    OPEN_NAMES = (
        "password_change",
        "logout",
        "login",
        "otp_verify",
        "otp_enrol",
        "otp_recovery_codes",
        "otp_recovery_download",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> tuple[str, ...]:
        from django import urls

        if self._open_paths is None:
            paths = []
            for name in self.OPEN_NAMES:
                try:
                    paths.append(urls.reverse(name))
                except urls.NoReverseMatch:
                    continue
            from .people.api import OPEN_API_PATHS

            self._open_paths = (*paths, *OPEN_API_PATHS)
        return self._open_paths

    def __call__(self, request):
        # Imported here: this class is added beside others' in a shared module.
        from urllib import parse

        from django import http, urls
        from django.utils.translation import gettext

        from . import passwords

        path = request.path_info
        if path in self.open_paths() or path.startswith((settings.STATIC_URL, "/i18n/")):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        reason = passwords.change_reason(user)
        if reason is None:
            return self.get_response(request)
        if path.startswith("/api/"):
            return http.JsonResponse(
                {"detail": gettext("须先修改密码:") + reason, "errors": []},
                status=403,
                json_dumps_params={"ensure_ascii": False},
            )
        target = urls.reverse("password_change")
        if request.method == "GET":
            target += "?" + parse.urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = http.HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return http.HttpResponseRedirect(target)


class KeepTypedFormMiddleware:
    """Nothing typed is lost when a session ends mid-form: a form posted after the session
    expired (the page answers with a redirect to the login page) is kept in the new session,
    without passwords, tokens or files, for the same page to fill in again once the person has
    signed in (core.context_processors.kept_form, gaoxin.js); the login page says so.

    The post already passed the CSRF check (the token lives in its own cookie, which outlives
    the session), so what is kept is the person's own typing on our own page."""

    SESSION_KEY = "_gx_kept_form"
    MAX_CHARS = 64_000  # a return's worth of fields; a bigger post is not kept
    SECRET = re.compile(r"password|token|otp|csrf", re.I)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.user.is_authenticated
            or response.status_code not in (301, 302, 303)
            or not response.get("Location", "").startswith(reverse(settings.LOGIN_URL))
        ):
            return response
        if request.headers.get("HX-Request"):
            return self.background_request_ended(request)
        if request.method == "POST" and hasattr(request, "session"):
            fields = {
                name: values
                for name, values in request.POST.lists()
                if not self.SECRET.search(name)
            }
            if fields and len(repr(fields)) <= self.MAX_CHARS:
                request.session[self.SESSION_KEY] = {"path": request.path, "fields": fields}
                from django.contrib import messages

                messages.warning(
                    request, _("登录已过期,请重新登录。您刚才填写的内容已保留,登录后会自动填回。")
                )
        return response

    @staticmethod
    def background_request_ended(request):
        """An htmx request of a page whose session ended: neither kept (it is not the person's
        submit, and racing it would keep the wrong page) nor followed (htmx would swap the login
        page into a fragment). A field check answers nothing, so the person's own submit leads to
        the login page with the typing kept; a fetched part sends the whole page to sign in."""
        response = HttpResponse(status=204)
        if request.method == "GET":
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            page = current.path + (f"?{current.query}" if current.query else "") or request.path
            response["HX-Redirect"] = reverse(settings.LOGIN_URL) + "?" + urlencode({"next": page})
        return response


class PartnerDoorMiddleware:
    """A partner account (a utility company's) reaches only what core.partners opens to it; the
    rest answers 404 as if it did not exist. Its home page is its module's page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import partners

        user = getattr(request, "user", None)
        if partners.may_reach(user, request.path_info):
            return self.get_response(request)
        if request.path_info == reverse("home") and partners.landing(user):
            return redirect(partners.landing(user))
        raise Http404
