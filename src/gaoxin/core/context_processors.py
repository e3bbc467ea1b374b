from django.conf import settings

from . import modules
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
        data["is_admin"] = bool(roles & ADMINS)
        if roles & {PLATFORM_ADMIN, PROVINCE_VIEWER}:
            data["switchable_zones"] = list(visible_zones(user))
    return data
