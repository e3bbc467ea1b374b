import uuid

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
