"""The door of a partner account (roles.PARTNER): an outside organisation's account in a zone, a
utility company pushing its meters' ledgers. It reaches the modules that declare
`partner_access` (core.modules), its own sign-in, password, two factors, API tokens and
notifications, and nothing else: every other page and API operation answers 404, as a missing
one does, so it learns nothing of what else exists. Inside the modules, restrict() gives it only
what the module grants (the core policies give a partner nothing).

Checked for sessions by core.middleware.PartnerDoorMiddleware and for bearer tokens by the API's
authentication (gaoxin.api), both through `may_reach`."""

from functools import cache

from django.urls import reverse

from . import modules
from .roles import PARTNER

# Core's own pages and operations every signed-in person needs, by URL name or path prefix.
OPEN_PAGES = (
    "login", "logout", "password_change", "password_change_done", "otp_enrol", "otp_verify",
    "otp_recovery_codes", "otp_recovery_download", "otp_disable", "tokens", "notifications",
    "notifications_read",
)  # fmt: skip
OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/account/tokens/", "/api/v1/auth/",
                 "/api/v1/docs", "/api/v1/openapi.json")  # fmt: skip
OPEN_API_PATHS = ("/api/v1/me",)


def is_partner_only(user) -> bool:
    return bool(user and user.is_authenticated) and user.roles() == {PARTNER}


@cache
def _reachable() -> tuple[frozenset, tuple]:
    exact = frozenset({reverse(name) for name in OPEN_PAGES} | set(OPEN_API_PATHS))
    prefixes = list(OPEN_PREFIXES)
    for module in modules.installed():
        if not module.partner_access:
            continue
        if module.url_prefix:
            prefixes.append("/" + module.url_prefix)
        prefixes += [f"/api/v1{prefix}/" for prefix, _router in module.api_routers]
        exact |= {f"/api/v1{prefix}" for prefix, _router in module.api_routers}
    return exact, tuple(prefixes)


def may_reach(user, path: str) -> bool:
    """Whether `user` may go to `path` at all (everyone but a partner-only account may)."""
    if not is_partner_only(user):
        return True
    exact, prefixes = _reachable()
    return path in exact or path.startswith(prefixes)


def landing(user) -> str | None:
    """The page a partner-only account starts on: its module's menu entry for partners."""
    for _label, _item, url_name in modules.menu_for(user.roles()):
        return reverse(url_name)
    return None
