import ipaddress
import re
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import context
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
