from django.conf import settings

from . import modules
from .middleware import KeepTypedFormMiddleware
from .roles import ADMINS, PLATFORM_ADMIN, PROVINCE_VIEWER
from .zones import visible_zones


def platform(request):
    """The platform's name, the menu assembled from the installed modules (each entry only for
    the roles its module names) and the modules still to come."""
    user = getattr(request, "user", None)
    data = {"PLATFORM_NAME": settings.PLATFORM_NAME, "COMING_MODULES": settings.COMING_MODULES}
    if user is not None and user.is_authenticated:
        roles = user.roles()
        data["user_roles"] = roles
        data["MENU"] = modules.menu_for(roles)
        data["crumb"] = _crumb(request, data["MENU"])
        data["is_admin"] = bool(roles & ADMINS)
        data["kept_form"] = kept_form(request)
        if roles & {PLATFORM_ADMIN, PROVINCE_VIEWER}:
            data["switchable_zones"] = list(visible_zones(user))
    return data


def _crumb(request, menu):
    """(module label, its home's URL name) on a page below a module's home, for the
    breadcrumb 工作台 › module; None on the module's home and outside modules."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.app_name:
        return None
    for label, item, url_name in menu:
        if label == match.app_names[0]:
            return None if url_name == match.view_name else (item.label, url_name)
    return None


def kept_form(request) -> dict | None:
    """What the person typed before their session expired on this page (core.middleware
    KeepTypedFormMiddleware), once, for gaoxin.js to fill the page's form again."""
    session = getattr(request, "session", None)
    if session is None or request.method != "GET":
        return None
    kept = session.get(KeepTypedFormMiddleware.SESSION_KEY)
    if not kept or kept.get("path") != request.path:
        return None
    del session[KeepTypedFormMiddleware.SESSION_KEY]
    return kept["fields"]
