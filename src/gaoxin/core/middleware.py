import uuid

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from . import context
from .zones import current_zone


class RequestIdMiddleware:
    """Gives every request an id (or keeps the proxy's X-Request-ID) for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = (request.headers.get("X-Request-ID") or "")[:64] or uuid.uuid4().hex
        request.request_id = rid
        t1 = context.request_id.set(rid)
        t2 = context.client_ip.set(request.META.get("REMOTE_ADDR"))
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
